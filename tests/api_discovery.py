"""API discovery as an API server answers it, for the tests' fake API servers.

Helm's install reads it for ``.Capabilities`` (the cluster's API versions, which chartsafe
asks Helm for before it renders a release for a cluster), and Helm's upgrade maps a
manifest's kinds with it. Plurals are the kind's, lower case, with an ``s``.
"""

from __future__ import annotations

from typing import Any

VERBS = ["create", "delete", "get", "list", "patch", "update"]


def resource_list(
    group_version: str, *kinds: str, cluster_scoped: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """``GET /api/v1`` or ``/apis/GROUP/VERSION``: the kinds served there."""
    return {
        "kind": "APIResourceList",
        "groupVersion": group_version,
        "resources": [
            {"name": f"{kind.lower()}s", "singularName": kind.lower(),
             "namespaced": kind not in cluster_scoped, "kind": kind, "verbs": VERBS}
            for kind in kinds
        ],
    }  # fmt: skip


def api_group(group_version: str) -> dict[str, Any]:
    """One group of ``GET /apis``, served at that version alone."""
    group, version = group_version.split("/")
    entry = {"groupVersion": group_version, "version": version}
    return {"name": group, "versions": [entry], "preferredVersion": entry}


def with_groups(served: dict[str, Any], groups: dict[str, list[str]]) -> dict[str, Any]:
    """``served`` (discovery by path) with ``groups`` added: {group/version: [kind, ...]}."""
    if not groups:
        return served
    added = dict(served)
    listed = [*served["/apis"]["groups"], *(api_group(gv) for gv in groups)]
    added["/apis"] = {**served["/apis"], "groups": listed}
    for group_version, kinds in groups.items():
        added[f"/apis/{group_version}"] = resource_list(group_version, *kinds)
    return added
