"""Writing to a cluster: server-side apply and strategic-merge patches through :class:`Cluster`.

``_cluster.py`` holds the connection and the reads; the writes live here. ``chartsafe up``
needs two writes besides Helm's own: applying the delivered Secrets (or SealedSecrets,
ExternalSecrets) before the release is installed, and setting the rollout annotation on the
workloads that read a changed key afterwards. Both go
through the same connection facts and error translation as the reads (a 403 names the verb
and resource RBAC refused), so this module borrows :class:`Cluster`'s opener and its error
mapping instead of opening a second kind of connection.

Nothing here logs or returns a request or response body: an applied Secret holds values.
"""

from __future__ import annotations

import json
from typing import Any, Final
from urllib.parse import quote, urlencode

from ._cluster import Cluster, ClusterError
from ._kind_path import KindPath

__all__ = [
    "FIELD_MANAGER",
    "KindPath",
    "apply_object",
    "collection_path",
    "object_path",
    "patch_object",
]

#: The field manager chartsafe's writes are recorded under (``managedFields``).
FIELD_MANAGER: Final = "chartsafe"


#: The kinds delivery writes; the workloads the rollout patches are ``_rollout``'s
#: (``ROLLING_WORKLOADS``, by API group and kind). Anything else is Helm's to apply.
KIND_PATHS: Final[dict[str, KindPath]] = {
    "Namespace": KindPath("/api/v1", "namespaces", namespaced=False),
    "Secret": KindPath("/api/v1", "secrets"),
    "SealedSecret": KindPath("/apis/bitnami.com/v1alpha1", "sealedsecrets"),
    "ExternalSecret": KindPath("/apis/external-secrets.io/v1", "externalsecrets"),
    "SecretStore": KindPath("/apis/external-secrets.io/v1", "secretstores"),
    "ClusterSecretStore": KindPath(
        "/apis/external-secrets.io/v1", "clustersecretstores", namespaced=False
    ),
}


def object_path(kind: str, name: str, namespace: str | None, where: KindPath | None = None) -> str:
    """The API path of one object of ``kind`` (at ``where``, else where KIND_PATHS says)."""
    return f"{collection_path(kind, namespace, where, name=name)}/{quote(name, safe='')}"


def collection_path(
    kind: str, namespace: str | None, where: KindPath | None = None, *, name: str = ""
) -> str:
    """The API path of the objects of ``kind`` in ``namespace`` (to list them); ``name``
    only says which object an error is about."""
    where = where or KIND_PATHS.get(kind)
    if where is None:
        raise ClusterError(f"chartsafe does not write {kind} objects itself")
    path = where.prefix
    if where.namespaced:
        if not namespace:
            raise ClusterError(f"{kind}/{name}: no namespace to write it in")
        path += f"/namespaces/{quote(namespace, safe='')}"
    return f"{path}/{where.plural}"


def _send(
    cluster: Cluster,
    method: str,
    path: str,
    body: bytes,
    content_type: str,
    *,
    verb: str,
    resource: str,
    namespace: str | None,
) -> dict[str, Any]:
    answer = cluster.request(
        method,
        path,
        body,
        content_type=content_type,
        verb=verb,
        resource=resource,
        namespace=namespace,
    )
    try:
        loaded = json.loads(answer) if answer else {}
    except ValueError:
        loaded = {}
    return loaded if isinstance(loaded, dict) else {}


def apply_object(cluster: Cluster, body: dict[str, Any]) -> dict[str, Any]:
    """Server-side apply ``body`` (create or update) as field manager ``chartsafe``.

    ``force=true`` takes over fields another manager set (a Secret first made with
    ``kubectl create secret``): the store is the source of truth for what chartsafe delivers.
    """
    kind = str(body.get("kind", ""))
    meta = body.get("metadata") or {}
    name, namespace = str(meta.get("name", "")), meta.get("namespace")
    where = KIND_PATHS.get(kind)
    query = urlencode({"fieldManager": FIELD_MANAGER, "force": "true"})
    return _send(
        cluster,
        "PATCH",
        f"{object_path(kind, name, namespace)}?{query}",
        json.dumps(body).encode("utf-8"),
        "application/apply-patch+yaml",  # JSON is YAML; the API server takes both here
        verb="apply",
        resource=where.plural if where else kind,
        namespace=str(namespace) if namespace else None,
    )


def patch_object(
    cluster: Cluster,
    kind: str,
    name: str,
    namespace: str,
    patch: dict[str, Any],
    where: KindPath | None = None,
) -> dict[str, Any]:
    """A strategic-merge patch of one object (only the fields in ``patch`` change); a JSON
    merge patch of a custom resource, the same for maps such as annotations."""
    where = where or KIND_PATHS.get(kind)
    query = urlencode({"fieldManager": FIELD_MANAGER})
    return _send(
        cluster,
        "PATCH",
        f"{object_path(kind, name, namespace, where)}?{query}",
        json.dumps(patch).encode("utf-8"),
        "application/merge-patch+json"
        if where and where.custom
        else "application/strategic-merge-patch+json",
        verb="patch",
        resource=where.plural if where else kind,
        namespace=namespace,
    )
