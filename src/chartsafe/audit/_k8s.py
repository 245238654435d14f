"""Questions several rules ask of rendered objects: pod labels, selectors, who targets whom."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .._objects import K8sObject
from .._podspec import PodView, dict_at, dicts_in, strings_in
from ._inputs import AuditInput
from ._model import Finding, Rule

__all__ = [
    "LONG_RUNNING",
    "object_finding",
    "pod_labels",
    "pods",
    "selector_matches",
    "workloads",
]

#: Workload kinds whose pods run until replaced (HPA, PDB, rollout questions apply); an Argo
#: Rollout and an OpenKruise CloneSet are Deployments by another controller.
LONG_RUNNING = frozenset(
    {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Rollout", "CloneSet"}
)

_TEMPLATE_META: dict[str, tuple[str, ...]] = {
    "Pod": ("metadata",),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "metadata"),
}


def _dig(node: Any, path: tuple[str, ...]) -> Any:
    for step in path:
        node = node.get(step) if isinstance(node, dict) else None
    return node


def pod_meta(obj: K8sObject) -> dict[str, Any]:
    meta = _dig(obj.body, _TEMPLATE_META.get(obj.kind, ("spec", "template", "metadata")))
    return meta if isinstance(meta, dict) else {}


def pod_labels(obj: K8sObject) -> dict[str, str]:
    labels = pod_meta(obj).get("labels")
    return {str(k): str(v) for k, v in labels.items()} if isinstance(labels, dict) else {}


def pod_annotations(obj: K8sObject) -> dict[str, str]:
    raw = pod_meta(obj).get("annotations")
    return {str(k): str(v) for k, v in raw.items()} if isinstance(raw, dict) else {}


def selector_matches(selector: Any, labels: dict[str, str]) -> bool:
    """A Kubernetes label selector (matchLabels and matchExpressions) against labels.

    An empty selector matches everything, as in NetworkPolicy ``podSelector: {}``.
    """
    if not isinstance(selector, dict):
        return False
    match_labels = dict_at(selector.get("matchLabels"))
    if any(labels.get(str(k)) != str(v) for k, v in match_labels.items()):
        return False
    for expr in dicts_in(selector.get("matchExpressions")):
        key, op = str(expr.get("key", "")), str(expr.get("operator", ""))
        values = strings_in(expr.get("values"))
        present = key in labels
        if op == "In" and not (present and labels[key] in values):
            return False
        if op == "NotIn" and present and labels[key] in values:
            return False
        if op == "Exists" and not present:
            return False
        if op == "DoesNotExist" and present:
            return False
    return True


def pods(ctx: AuditInput, *, hooks: bool = True) -> Iterator[PodView]:
    """Pod templates, hooks included unless ``hooks`` is off."""
    for pod in ctx.pod_views():
        if hooks or pod.owner.hook is None:
            yield pod


def workloads(objects: list[K8sObject], kinds: frozenset[str] = LONG_RUNNING) -> list[K8sObject]:
    return [o for o in objects if o.kind in kinds and o.hook is None]


def object_finding(rule: Rule, obj: K8sObject, message: str, **more: Any) -> Finding:
    """A finding on a rendered object, pointing at its template."""
    return rule.finding(message, file=obj.source or None, obj=f"{obj.kind}/{obj.name}", **more)
