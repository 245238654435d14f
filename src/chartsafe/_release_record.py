"""Which values of a release revision were secret, kept on Helm's own release record.

Helm stores a revision's user values in its record, already resolved: a value that came from
a SOPS ``-f`` file or a ``ref+`` reference is there as plain text, under whatever key the
chart uses (``config.endpoint`` looks harmless). Reading the record later (``get values``,
``status``, ``diff upgrade``), only key names and value shapes would say what to hide. So
``install`` and ``upgrade`` record the secret values *paths* (never a value) on the record
itself, as the annotation :data:`ANNOTATION` on the storage object
``sh.helm.release.v1.NAME.vREVISION`` (a Secret, or a ConfigMap with ``--storage
configmap``): a JSON list of paths, each a list of map keys and list indices.

Why an annotation on Helm's object: it lives and dies with the revision (``helm uninstall``
and ``--history-max`` remove it together), needs no second object or RBAC beyond what Helm
already uses, and ``helm`` ignores it. Helm rewrites a record when it supersedes it, which drops
annotations; ``upgrade`` therefore puts the previous revision's annotation back afterwards,
and ``rollback`` does too, giving the new revision the paths of the one it restores.
Memory storage has no object: nothing is recorded there.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import quote

from ._cluster_errors import ClusterError
from ._refs import ValuesPath

if TYPE_CHECKING:
    from ._cluster import Cluster
    from ._helm_release import ClusterTarget

__all__ = ["ANNOTATION", "read_secret_paths", "record_path", "record_secret_paths"]

ANNOTATION: Final = "chartsafe.io/secret-values"
_PLURALS: Final = {"secret": "secrets", "configmap": "configmaps"}


def record_path(storage: str, namespace: str, name: str, revision: int) -> str | None:
    """The API path of Helm's record of one revision, or None for memory storage."""
    plural = _PLURALS.get(storage)
    if plural is None:
        return None
    record = f"sh.helm.release.v1.{name}.v{revision}"
    return f"/api/v1/namespaces/{quote(namespace, safe='')}/{plural}/{quote(record, safe='')}"


def _connect(target: ClusterTarget) -> Cluster:
    from ._cluster import Cluster

    return Cluster.connect(target.access)


def _encode(paths: Iterable[ValuesPath]) -> str:
    return json.dumps(sorted([list(p) for p in paths], key=json.dumps))


def _decode(text: object) -> list[ValuesPath]:
    try:
        loaded = json.loads(str(text))
    except ValueError:
        return []
    if not isinstance(loaded, list):
        return []
    return [
        tuple(p for p in path if isinstance(p, str | int))
        for path in loaded
        if isinstance(path, list) and path
    ]


def record_secret_paths(
    target: ClusterTarget,
    name: str,
    revision: int,
    paths: Iterable[ValuesPath],
    *,
    cluster: Cluster | None = None,
) -> bool:
    """Annotate revision ``revision``'s record with ``paths``; False when there is no record.

    Raises ClusterError when the API server refuses the patch.
    """
    path = record_path(target.storage, target.namespace, name, revision)
    if path is None:
        return False
    cluster = cluster or _connect(target)
    patch = {"metadata": {"annotations": {ANNOTATION: _encode(paths)}}}
    cluster.request(
        "PATCH",
        path,
        json.dumps(patch).encode(),
        content_type="application/strategic-merge-patch+json",
        verb="patch",
        resource=_PLURALS[target.storage],
        namespace=target.namespace,
    )
    return True


def read_secret_paths(
    target: ClusterTarget, name: str, revision: int, *, cluster: Cluster | None = None
) -> list[ValuesPath] | None:
    """The paths recorded on a revision, or None when nothing was recorded (or can be read).

    A record that cannot be read here was just read by Helm; failing now only means fewer
    values are known secret, and the callers still mask by key names and value shapes.
    """
    path = record_path(target.storage, target.namespace, name, revision)
    if path is None:
        return None
    try:
        cluster = cluster or _connect(target)
        record: dict[str, Any] = cluster.get_json(
            path, resource=_PLURALS[target.storage], namespace=target.namespace
        )
    except ClusterError:
        return None
    annotations = (record.get("metadata") or {}).get("annotations") or {}
    if ANNOTATION not in annotations:
        return None
    return _decode(annotations[ANNOTATION])
