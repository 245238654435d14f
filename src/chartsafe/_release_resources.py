"""``status --show-resources``: the live state of each object a release holds, as tables.

Helm's SDK status answers from the record alone, so chartsafe asks the API server itself,
as ``helm status --show-resources`` does: each object of the revision's manifest read as a
server-side table (``Accept: application/json;as=Table``, the columns ``kubectl get``
prints), and the pods a workload selects listed after them as ``v1/Pod(related)``. Kinds
are found through API discovery, so any kind the cluster serves works, a custom resource
included.

Only the table's cells are shown, never the objects: a Secret's row says its type and how
many keys it has. A column a custom resource prints from its spec could still carry a
value, so every cell goes through the revision's masking, as notes do.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from ._cluster import Cluster, ClusterAccessDenied, ClusterNotFound
from ._cluster_write import object_path
from ._kind_path import KindPath, api_group
from ._objects import K8sObject

__all__ = ["ResourceTable", "label_selector", "release_resources"]

#: What ``kubectl get`` asks for: a server-side table, plain JSON where tables are not served.
_TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"
#: Kinds whose ``spec.selector`` picks the pods shown as related, as Helm shows them.
_WORKLOADS = frozenset({"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"})


@dataclass
class ResourceTable:
    """One kind's objects (``v1/Service``, ``apps/v1/Deployment``, ``v1/Pod(related)``)."""

    key: str
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    #: objects of the manifest the API server does not have
    missing: list[str] = field(default_factory=list)
    #: objects the user may not read (RBAC), with what was refused
    forbidden: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.key,
            "objects": [dict(zip(self.columns, row, strict=True)) for row in self.rows],
            "missing": list(self.missing),
            "forbidden": list(self.forbidden),
        }


class _Discovery:
    """Kind → resource name, per group/version, asked once each."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.known: dict[str, dict[str, KindPath]] = {}

    def resource(self, api_version: str, kind: str) -> KindPath | None:
        """Where ``kind`` lives in the API, or None when the server does not serve it."""
        prefix = f"/apis/{api_version}" if api_group(api_version) else f"/api/{api_version}"
        if api_version not in self.known:
            try:
                listing = self.cluster.get_json(prefix, resource=api_version)
            except ClusterNotFound:
                listing = {}
            self.known[api_version] = {
                str(r["kind"]): KindPath(prefix, str(r["name"]), bool(r.get("namespaced")))
                for r in listing.get("resources") or []
                if "/" not in str(r.get("name", ""))  # subresources (pods/log) are not kinds
            }
        return self.known[api_version].get(kind)


def _table(answer: dict[str, Any], mask: Callable[[str], str]) -> tuple[list[str], list[list[str]]]:
    """Columns (priority 0, as ``kubectl get`` shows) and rows of a server-side Table."""
    definitions = answer.get("columnDefinitions") or []
    shown = [i for i, c in enumerate(definitions) if not c.get("priority")]
    columns = [str(definitions[i].get("name", "")).upper() for i in shown]
    rows = []
    for row in answer.get("rows") or []:
        cells = row.get("cells") or []
        rows.append([mask(_cell(cells[i])) if i < len(cells) else "" for i in shown])
    return columns, rows


#: A ``matchExpressions`` operator → its form in a ``labelSelector`` query.
_OPERATORS = {"In": "{key} in ({values})", "NotIn": "{key} notin ({values})",
              "Exists": "{key}", "DoesNotExist": "!{key}"}  # fmt: skip


def label_selector(selector: Any) -> str:
    """A workload's ``spec.selector`` (``matchLabels`` and ``matchExpressions``) as the
    API server's ``labelSelector`` query; "" when it selects nothing it can say."""
    if not isinstance(selector, dict):
        return ""
    labels = selector.get("matchLabels")
    parts = [f"{k}={v}" for k, v in labels.items()] if isinstance(labels, dict) else []
    for expression in selector.get("matchExpressions") or []:
        if not isinstance(expression, dict) or not expression.get("key"):
            continue
        form = _OPERATORS.get(str(expression.get("operator")))
        if form is None:
            continue
        values = ",".join(str(v) for v in expression.get("values") or [])
        parts.append(form.format(key=expression["key"], values=values))
    return ",".join(parts)


def _cell(value: Any) -> str:
    if value is None:
        return "<none>"
    if isinstance(value, str):
        return value
    return json.dumps(value)


def _as_table(answer: dict[str, Any], name: str, mask: Callable[[str], str]) -> tuple[
    list[str], list[list[str]]
]:  # fmt: skip
    """A server that answered plain JSON (no Table support) gets a NAME column only."""
    if answer.get("kind") == "Table":
        return _table(answer, mask)
    return ["NAME"], [[mask(name)]]


def release_resources(
    cluster: Cluster,
    objects: Iterable[K8sObject],
    mask: Callable[[str], str] = lambda text: text,
) -> list[ResourceTable]:
    """Each object's live row, grouped by kind (sorted as Helm sorts its keys), then the
    pods the workloads select. ``mask`` is applied to every cell."""
    discovery = _Discovery(cluster)
    tables: dict[str, ResourceTable] = {}
    related: list[tuple[str, str]] = []  # (namespace, labelSelector)
    for obj in objects:
        key = f"{obj.api_version}/{obj.kind}"
        table = tables.setdefault(key, ResourceTable(key))
        where = discovery.resource(obj.api_version, obj.kind)
        if where is None:
            table.missing.append(f"{obj.name} (the API server serves no {key})")
            continue
        namespace = obj.namespace_or_release if where.namespaced else None
        path = object_path(obj.kind, obj.name, namespace, where)
        try:
            answer = cluster.get_json(
                path, accept=_TABLE, resource=where.plural, namespace=namespace
            )
        except ClusterNotFound:
            table.missing.append(obj.name)
            continue
        except ClusterAccessDenied:  # one kind the user may not read: say so, show the rest
            table.forbidden.append(f"{obj.name} (cannot get {where.plural})")
            continue
        columns, rows = _as_table(answer, obj.name, mask)
        table.columns = table.columns or columns
        table.rows += rows
        selector = label_selector(obj.spec.get("selector")) if obj.kind in _WORKLOADS else ""
        if selector:
            related.append((obj.namespace_or_release, selector))
    pods = ResourceTable("v1/Pod(related)")
    for namespace, selector in related:
        query = urlencode({"labelSelector": selector})
        path = f"/api/v1/namespaces/{quote(namespace, safe='')}/pods?{query}"
        try:
            answer = cluster.get_json(
                path, accept=_TABLE, verb="list", resource="pods", namespace=namespace
            )
        except ClusterAccessDenied:
            pods.forbidden.append(f"pods in {namespace} (cannot list pods)")
            continue
        if answer.get("kind") == "Table":
            columns, rows = _table(answer, mask)
            pods.columns = pods.columns or columns
            pods.rows += [r for r in rows if r not in pods.rows]
    found = [tables[key] for key in sorted(tables)]
    return [*found, pods] if pods.rows or pods.forbidden else found
