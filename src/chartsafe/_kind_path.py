"""Where a kind lives in the Kubernetes API: a small value type and its group, apart from the
connection code (``_cluster_write``), so that tables of kinds cost no import of it."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["KindPath", "api_group"]


def api_group(api_version: str) -> str:
    """``apps`` of ``apps/v1``; empty for the core group (``v1``)."""
    group, slash, _ = api_version.rpartition("/")
    return group if slash else ""


@dataclass(frozen=True)
class KindPath:
    """Where a kind lives in the API: group/version prefix, plural, and whether namespaced."""

    prefix: str
    plural: str
    namespaced: bool = True
    custom: bool = False  # a custom resource: the API server takes no strategic-merge patch
