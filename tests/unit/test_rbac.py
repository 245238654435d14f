"""Which ServiceAccounts the release's own RBAC lets create Secrets (for Secrets a pod writes)."""

from __future__ import annotations

from typing import Any

import pytest

from chartsafe._objects import K8sObject
from chartsafe._rbac import SecretCreators

RULE = {"apiGroups": [""], "resources": ["secrets"], "verbs": ["create"]}
SA = {"kind": "ServiceAccount", "name": "gen", "namespace": "rel"}


def _role(kind: str = "Role", rule: dict[str, Any] | None = None, **meta: str) -> dict[str, Any]:
    return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind,
            "metadata": {"name": "r", **meta}, "rules": [rule or RULE]}  # fmt: skip


def _binding(
    kind: str = "RoleBinding", role_kind: str = "Role", subject: dict[str, Any] | None = None,
    **meta: str,
) -> dict[str, Any]:  # fmt: skip
    return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind,
            "metadata": {"name": "b", **meta},
            "roleRef": {"kind": role_kind, "name": "r", "apiGroup": "rbac.authorization.k8s.io"},
            "subjects": [subject or SA]}  # fmt: skip


# (id, objects, namespace asked, allowed)
CASES = [
    ("Role and RoleBinding", [_role(), _binding()], "rel", True),
    ("not in another namespace", [_role(), _binding()], "other", False),
    ("ClusterRole and ClusterRoleBinding",
     [_role("ClusterRole"), _binding("ClusterRoleBinding", "ClusterRole")], "rel", True),
    ("ClusterRoleBinding: only the ServiceAccount it names",
     [_role("ClusterRole"), _binding("ClusterRoleBinding", "ClusterRole")], "other", False),
    ("ClusterRoleBinding to all ServiceAccounts: every namespace",
     [_role("ClusterRole"), _binding("ClusterRoleBinding", "ClusterRole",
                                     {"kind": "Group", "name": "system:serviceaccounts"})],
     "other", True),
    ("ClusterRole bound in the release namespace",
     [_role("ClusterRole"), _binding(role_kind="ClusterRole")], "rel", True),
    ("a RoleBinding grants in its namespace only",
     [_role("ClusterRole"), _binding(role_kind="ClusterRole",
                                     subject={"kind": "Group", "name": "system:serviceaccounts"})],
     "other", False),
    ("verbs *", [_role(rule={**RULE, "verbs": ["*"]}), _binding()], "rel", True),
    ("resources *", [_role(rule={**RULE, "resources": ["*"]}), _binding()], "rel", True),
    ("get only", [_role(rule={**RULE, "verbs": ["get", "update"]}), _binding()], "rel", False),
    ("resourceNames never allow create",
     [_role(rule={**RULE, "resourceNames": ["x"]}), _binding()], "rel", False),
    ("another API group", [_role(rule={**RULE, "apiGroups": ["apps"]}), _binding()], "rel",
     False),
    ("a Role of another namespace", [_role(namespace="other"), _binding()], "rel", False),
    ("the group of all ServiceAccounts",
     [_role(), _binding(subject={"kind": "Group", "name": "system:serviceaccounts"})], "rel",
     True),
    ("another ServiceAccount", [_role(), _binding(subject={**SA, "name": "x"})], "rel", False),
    ("no binding", [_role()], "rel", False),
]  # fmt: skip


@pytest.mark.parametrize(
    ("bodies", "namespace", "allowed"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_allowed(bodies: list[dict[str, Any]], namespace: str, allowed: bool) -> None:
    objects = [K8sObject(text="", body=b, source="t.yaml", release_namespace="rel") for b in bodies]
    assert SecretCreators(objects).allowed(namespace, "gen") is allowed
