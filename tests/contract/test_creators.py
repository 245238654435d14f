"""Objects that create Secrets without being one: what each creates, with which keys."""

from __future__ import annotations

from typing import Any

import pytest

from chartsafe._objects import K8sObject
from chartsafe.contract._creators import iter_created

SPC = {
    "apiVersion": "secrets-store.csi.x-k8s.io/v1",
    "kind": "SecretProviderClass",
    "metadata": {"name": "vault-db"},
    "spec": {
        "provider": "vault",
        "secretObjects": [
            {"secretName": "db-synced", "type": "Opaque",
             "data": [{"objectName": "pw", "key": "password"},
                      {"objectName": "user", "key": "username"}]},
        ],
    },
}  # fmt: skip
SA_TOKEN = {
    "apiVersion": "v1",
    "kind": "Secret",
    "metadata": {"name": "bot", "annotations": {"kubernetes.io/service-account.name": "bot"}},
    "type": "kubernetes.io/service-account-token",
}

# (id, body, [(name, sorted keys or None, type, made by an operator)])
CASES = [
    ("Secrets Store CSI secretObjects", SPC,
     [("db-synced", ["password", "username"], "Opaque", True)]),
    ("a SecretProviderClass without secretObjects syncs nothing",
     {**SPC, "spec": {"provider": "vault"}}, []),
    ("another API group's SecretProviderClass", {**SPC, "apiVersion": "example.com/v1"}, []),
    ("a ServiceAccount token Secret, rendered empty", SA_TOKEN,
     [("bot", ["ca.crt", "namespace", "token"], "kubernetes.io/service-account-token", False)]),
]  # fmt: skip


@pytest.mark.parametrize(("body", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_created(body: dict[str, Any], expected: list[tuple[str, Any, str, bool]]) -> None:
    obj = K8sObject(text="", body=body, source="t.yaml", release_namespace="rel")
    made = [
        (c.name, sorted(c.creator.keys) if c.creator.keys is not None else None, c.type,
         c.creator.is_operator)
        for c in iter_created([obj])
    ]  # fmt: skip
    assert made == expected
