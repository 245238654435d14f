"""An External Secrets ``PushSecret`` reads the Secret it pushes to a provider: the keys its
``data`` entries match, or the whole Secret."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from chart_files import write_chart
from contract_cases import derive

_PUSH = """apiVersion: {{ .Values.apiVersion }}
kind: PushSecret
metadata: {name: push-db}
spec: {{ toJson .Values.spec }}
"""
_STORES = [{"name": "vault", "kind": "SecretStore"}]
_BY_NAME = {"secret": {"name": "db-creds"}}


def _data(*keys: str | None) -> list[dict[str, Any]]:
    return [
        {"match": {**({"secretKey": k} if k else {}), "remoteRef": {"remoteKey": f"db/{k}"}}}
        for k in keys
    ]


# (id, spec, apiVersion, expected: keys read, "whole", or None for no read)
CASES: list[tuple[str, dict[str, Any], str, Any]] = [
    ("the keys its data entries match",
     {"selector": _BY_NAME, "data": _data("username", "password", "password")},
     "external-secrets.io/v1alpha1", ["password", "username"]),
    ("an entry without secretKey pushes the whole Secret",
     {"selector": _BY_NAME, "data": _data("username", None)},
     "external-secrets.io/v1alpha1", "whole"),
    ("dataTo pushes keys by pattern: the whole Secret",
     {"selector": _BY_NAME, "dataTo": [{"storeRef": {"name": "vault"}}]},
     "external-secrets.io/v1alpha1", "whole"),
    ("Secrets chosen by labels are no one name",
     {"selector": {"secret": {"selector": {"matchLabels": {"push": "yes"}}}},
      "data": _data("password")}, "external-secrets.io/v1alpha1", None),
    ("another group's PushSecret",
     {"selector": _BY_NAME, "data": _data("password")}, "example.com/v1", None),
]  # fmt: skip


@pytest.fixture(scope="module")
def chart(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("push") / "push"
    return write_chart(root, {"push.yaml": _PUSH}, "spec: {}\napiVersion: v1\n")


@pytest.mark.parametrize(
    ("spec", "api_version", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_push_secret_reads(chart: Path, spec: dict[str, Any], api_version: str,
                           expected: Any) -> None:  # fmt: skip
    contract = derive(chart, {"spec": {"secretStoreRefs": _STORES, **spec},
                              "apiVersion": api_version})  # fmt: skip
    found = contract.get("db-creds", "ns")
    if expected is None:
        assert found is None
        return
    assert found is not None and found.required
    if expected == "whole":
        assert [r.describe() for r in found.whole_readers] == [
            "PushSecret/push-db spec.selector.secret"
        ]
    else:
        assert sorted(found.keys) == expected
        readers = {r.describe() for key in found.keys.values() for r in key.readers}
        assert readers == {"PushSecret/push-db spec.data[].match.secretKey"}
