"""What a creator function of the registry (``_creators.CREATOR_KINDS``) yields."""

from __future__ import annotations

from dataclasses import dataclass

from .._objects import K8sObject
from ._model import Creator

__all__ = ["Created", "creator_of"]


@dataclass(frozen=True)
class Created:
    """A Secret a rendered object creates."""

    namespace: str
    name: str
    creator: Creator
    type: str | None = None


def creator_of(obj: K8sObject, keys: set[str] | None) -> Creator:
    """``obj`` as the creator of a Secret with these keys (None: not known offline)."""
    return Creator(
        kind=obj.kind,
        name=obj.name,
        hook=obj.hook,
        source=obj.source,
        keys=frozenset(keys) if keys is not None else None,
    )
