"""`chartsafe contract` on charts/llmtrace (issue 9): the envFrom Secret's keys come from the
chart's Chart.yaml declaration, since the pod reads the Secret whole."""

from __future__ import annotations

import pytest
from chart_render import CHARTS
from test_llmtrace import KEYS, SUBCHART_PASSWORDS, existing

from chartsafe import RenderOptions, ValuesInput
from chartsafe.contract import contract_for_chart

FORMATS = {
    "LLMTRACE_POSTGRES_URL": "url:postgres|postgresql",
    "LLMTRACE_REDIS_URL": "url:redis|rediss",
    "LLMTRACE_CLICKHOUSE_URL": "url:http|https",
    "LLMTRACE_CLICKHOUSE_DATABASE": "text",
}


@pytest.mark.parametrize("name", ["llmtrace", "llmtrace-manual"])
def test_existing_secret_install_lists_the_four_keys(name: str) -> None:
    options = RenderOptions(release_name="llmtrace", namespace="llmtrace", validate=False)
    contract, _ = contract_for_chart(CHARTS / "llmtrace", ValuesInput(set=existing(name)), options)
    (secret,) = contract.required
    assert secret.name == name
    assert secret.values_paths == ["secrets.existingSecret"]
    assert secret.key_source == "declaration"
    assert set(secret.keys) == KEYS
    assert {k: v.format for k, v in secret.keys.items()} == FORMATS
    for key in secret.keys.values():
        (reader,) = key.readers
        assert (reader.kind, reader.name, reader.via, reader.env) == (
            "Deployment", "llmtrace", "envFrom", key.name
        )  # fmt: skip
    # The sub-chart Secrets exist because the release creates them.
    created = {s.name for s in contract.secrets if not s.required}
    assert created == {"llmtrace-postgresql", "llmtrace-redis", "llmtrace-clickhouse"}
    assert contract.findings == []


def test_chart_managed_secret_keys_come_from_the_rendered_secret() -> None:
    options = RenderOptions(release_name="llmtrace", namespace="llmtrace", validate=False)
    contract, _ = contract_for_chart(
        CHARTS / "llmtrace", ValuesInput(set=SUBCHART_PASSWORDS), options
    )
    secret = contract.get("llmtrace", "llmtrace")
    assert secret is not None and not secret.required
    assert secret.key_source == "created" and set(secret.keys) == KEYS
