"""A values map key with a dot in it (agentapi-proxy's ``roleEnvFiles.files["admin.env"]``)
stays one key: the contract's values paths escape it as ``--set`` does (``admin\\.env``), and
the delivery overrides built from those paths nest it whole, for every backend's writer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from chartsafe import RenderOptions, ValuesInput
from chartsafe._values_paths import join_path, parent_path, split_path
from chartsafe.contract import contract_for_chart
from chartsafe.deliver.aws_values import arn_overrides
from chartsafe.deliver.external import values_overrides
from chartsafe.deliver.external_layout import secrets_to_deliver, set_path

CHART = Path(__file__).resolve().parents[2] / "charts" / "agentapi-proxy"
SETS = [
    "config.persistence.enabled=true",
    "config.persistence.backend=s3",
    "config.persistence.s3.bucket=b",
    "config.persistence.s3.existingSecret=ap-s3",
]


@pytest.mark.parametrize(
    ("parts", "dotted"),
    [
        (["a", "b"], "a.b"),
        (["files", "admin.env", "secretName"], "files.admin\\.env.secretName"),
        (["back\\slash", "x"], "back\\\\slash.x"),
        (["a[0]", "k=v,w"], "a\\[0\\].k\\=v\\,w"),
    ],
)
def test_paths_round_trip(parts: list[str], dotted: str) -> None:
    assert join_path(parts) == dotted
    assert split_path(dotted) == parts
    assert parent_path(dotted) == join_path(parts[:-1])


def _contract() -> Any:
    values = ValuesInput(files=[CHART / "values-role-env-example.yaml"], set=SETS)
    options = RenderOptions(release_name="ap", namespace="ap", validate=False)
    return contract_for_chart(CHART, values, options)


def test_contract_keeps_a_dotted_key_whole() -> None:
    contract, _ = _contract()
    by_name = {ref.name: ref.values_paths for ref in contract.required}
    assert by_name["agentapi-env-admin"] == ["roleEnvFiles.files.admin\\.env.secretName"]
    assert by_name["ap-s3"] == ["config.persistence.s3.existingSecret"]


def test_overrides_nest_a_dotted_key_whole() -> None:
    contract, rendered = _contract()
    delivered = secrets_to_deliver(contract)
    files = values_overrides(delivered)["roleEnvFiles"]["files"]
    assert files["admin.env"] == {"secretName": "agentapi-env-admin"}
    assert "admin" not in files
    overrides, _, _ = arn_overrides(rendered.values, delivered, None, None)
    assert overrides["roleEnvFiles"]["files"]["developer.env"] == {
        "secretName": "agentapi-env-developer"
    }
    tree: dict[str, Any] = {}
    set_path(tree, "a.b\\.c", 1)
    assert tree == {"a": {"b.c": 1}}
