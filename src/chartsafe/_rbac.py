"""Which ServiceAccounts the release's own RBAC lets create Secrets (and, for audit's
``rbac-secrets-broad``, whether a role grants reading them all).

A chart whose hook Job makes a Secret at install time (ingress-nginx's and
kube-prometheus-stack's admission webhooks: ``kube-webhook-certgen create
--secret-name=...``) renders no Secret, only a Job, a ServiceAccount and the Role that lets
it create one. The contract asks this module whether a pod may create Secrets at all before
it counts the pod as the Secret's creator (``contract._writers``).

Only the release's own Roles, ClusterRoles and bindings are read: a permission granted
outside the chart is not visible offline, and then the Secret stays one that must exist.
A rule that lists ``resourceNames`` never allows ``create`` (the API server cannot know the
name of an object not yet created), so such rules do not count.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ._objects import K8sObject
from ._podspec import dict_at, dicts_in, strings_in

__all__ = ["SecretCreators", "grants_on_secrets"]

_CREATE = frozenset({"create", "*"})


def grants_on_secrets(role: K8sObject, verbs: frozenset[str]) -> bool:
    """Whether a rule of ``role`` grants one of ``verbs`` on every Secret (rules narrowed
    with ``resourceNames`` do not count: they never allow create, nor reading them all)."""
    for item in dicts_in(role.body.get("rules")):
        if item.get("resourceNames"):
            continue
        groups = strings_in(item.get("apiGroups")) or [""]
        resources, granted = strings_in(item.get("resources")), strings_in(item.get("verbs"))
        core = "" in groups or "*" in groups
        secrets = "secrets" in resources or "*" in resources
        if core and secrets and verbs & set(granted):
            return True
    return False


class SecretCreators:
    """The subjects that the release's RBAC lets create Secrets, and where."""

    def __init__(self, objects: Iterable[K8sObject]) -> None:
        objects = list(objects)
        roles = {
            (o.kind, o.namespace_or_release if o.kind == "Role" else "", o.name)
            for o in objects
            if o.kind in ("Role", "ClusterRole") and grants_on_secrets(o, _CREATE)
        }
        #: (namespace the grant holds in, or "*" for every namespace, subject)
        self._grants: set[tuple[str, tuple[str, str, str]]] = set()
        for binding in objects:
            if binding.kind not in ("RoleBinding", "ClusterRoleBinding"):
                continue
            ref = dict_at(binding.body.get("roleRef"))
            kind, name = str(ref.get("kind", "")), str(ref.get("name", ""))
            where = binding.namespace_or_release if binding.kind == "RoleBinding" else "*"
            role_ns = where if kind == "Role" else ""
            if (kind, role_ns, name) not in roles:
                continue
            for subject in dicts_in(binding.body.get("subjects")):
                self._grants.add((where, _subject(subject, binding)))

    def allowed(self, namespace: str, service_account: str) -> bool:
        """Whether ``namespace``'s ServiceAccount may create Secrets in ``namespace``."""
        candidates = {
            ("ServiceAccount", namespace, service_account),
            ("Group", "", "system:serviceaccounts"),
            ("Group", "", f"system:serviceaccounts:{namespace}"),
        }
        return any(
            where in (namespace, "*") and subject in candidates for where, subject in self._grants
        )


def _subject(subject: dict[str, Any], binding: K8sObject) -> tuple[str, str, str]:
    kind = str(subject.get("kind", ""))
    if kind == "ServiceAccount":
        namespace = str(subject.get("namespace") or binding.namespace_or_release)
        return kind, namespace, str(subject.get("name", ""))
    return kind, "", str(subject.get("name", ""))
