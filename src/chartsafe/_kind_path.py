"""Where a kind lives in the Kubernetes API: a small value type and its group, apart from the
connection code (``_cluster_write``), so that tables of kinds cost no import of it."""

# No ``from __future__ import annotations``: this module's NamedTuples keep real annotations
# (why: ``chartsafe/audit/_model.py``'s docstring).

from typing import NamedTuple

__all__ = ["KindPath", "api_group"]


def api_group(api_version: str) -> str:
    """``apps`` of ``apps/v1``; empty for the core group (``v1``)."""
    group, slash, _ = api_version.rpartition("/")
    return group if slash else ""


class KindPath(NamedTuple):
    """Where a kind lives in the API: group/version prefix, plural, and whether namespaced.

    A NamedTuple, not a dataclass: it is made on every start (tables of kinds), and a
    dataclass's generated methods cost a millisecond there; this costs a tenth of it."""

    prefix: str
    plural: str
    namespaced: bool = True
    custom: bool = False  # a custom resource: the API server takes no strategic-merge patch
