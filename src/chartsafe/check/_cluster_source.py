"""The live cluster as a check source: which Secrets and ConfigMaps exist, as the API says.

One ``list`` call per namespace and kind (not one call per object). Where RBAC denies the
list, the objects the caller needs are read one ``get`` at a time: deployers are often
granted ``get`` on named objects only (``resourceNames``), and a check that stopped there
would leave them no preflight. A Secret that cannot be read either way stops the check (exit
2: it is what the check is for); a ConfigMap is reported as not checked.

Nothing here prints or logs a value: the objects' data stays in the returned records.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from .._cluster_access import ClusterAccess
from .._cluster_errors import ClusterAccessDenied
from ._sources import Found, FoundConfigMaps, Where, as_map, plain_secret

__all__ = ["ClusterSource"]


def _in(namespace: str, names: Collection[Where]) -> list[str]:
    return sorted({name for ns, name in names if ns == namespace})


class ClusterSource:
    """Secrets (and ConfigMaps) that exist in a live cluster."""

    def __init__(self, access: ClusterAccess | None = None) -> None:
        self.access = access or ClusterAccess()
        #: how objects were read where RBAC denied the list (see the module docstring)
        self.warnings: list[str] = []
        self._cluster: Any = None

    def _connect(self) -> Any:
        if self._cluster is None:
            from .._cluster import Cluster

            self._cluster = Cluster.connect(self.access)
        return self._cluster

    @property
    def description(self) -> str:
        if self.access.apiserver:
            return f"the cluster at {self.access.apiserver}"
        if self.access.context:
            return f"the cluster of context {self.access.context}"
        return "the cluster of the current kubeconfig context"

    def _read(self, namespace: str, resource: str, wanted: list[str]) -> list[dict[str, Any]]:
        """``list`` ``resource`` in ``namespace``; on a 403, ``get`` each of ``wanted`` (none
        wanted: the 403 stands). A 403 on a ``get`` is raised as it comes (verb ``get``)."""
        cluster = self._connect()
        lister = cluster.list_secrets if resource == "secrets" else cluster.list_config_maps
        try:
            items: list[dict[str, Any]] = lister(namespace)
            return items
        except ClusterAccessDenied:
            if not wanted:
                raise
        items = []
        for name in wanted:
            found = cluster.get_named(namespace, resource, name)
            if found is not None:
                items.append(found)
        self.warnings.append(
            f"RBAC denies list {resource} in namespace {namespace}: read by name the ones the "
            f"release needs there ({', '.join(wanted)})"
        )
        return items

    def find(self, namespaces: Collection[str], *, names: Collection[Where] = ()) -> Found:
        """The Secrets of ``namespaces``, with their values; ``names`` are those the caller
        needs, read by name where RBAC denies the list."""
        found: Found = {}
        for namespace in sorted(set(namespaces)):  # nothing required: no connection at all
            wanted = _in(namespace, names)
            try:
                items = self._read(namespace, "secrets", wanted)
            except ClusterAccessDenied as denied:
                if denied.verb != "get":
                    raise
                raise ClusterAccessDenied(
                    f"forbidden: cannot list secrets in namespace {namespace}, nor get the "
                    f"Secrets the release reads there ({', '.join(wanted)})",
                    verb="get",
                    resource="secrets",
                    namespace=namespace,
                    hint=f"ask for RBAC that allows list on secrets in namespace {namespace}, "
                    "or get on those Secrets",
                ) from None
            for item in items:
                secret = plain_secret(item, namespace, "cluster")
                found[(secret.namespace, secret.name)] = secret
        return found

    def find_config_maps(
        self, namespaces: Collection[str], *, names: Collection[Where] = ()
    ) -> FoundConfigMaps:
        """The ConfigMaps of ``namespaces`` (name and keys), read as :meth:`find` reads
        Secrets; a namespace where RBAC denies both is ``unverified`` (the Secrets are what
        the check is for: reading ConfigMaps is not required of it)."""
        from .._config_maps import keys_of

        result = FoundConfigMaps()
        for namespace in sorted(set(namespaces)):
            try:
                items = self._read(namespace, "configmaps", _in(namespace, names))
            except ClusterAccessDenied as denied:
                denies = "list and get" if denied.verb == "get" else "list"
                result.unverified[namespace] = (
                    f"RBAC denies {denies} configmaps in namespace {namespace}: not checked"
                )
                continue
            for item in items:
                meta = as_map(item.get("metadata"))
                if meta.get("name"):
                    result.found[(namespace, str(meta["name"]))] = ("cluster", keys_of(item))
        return result
