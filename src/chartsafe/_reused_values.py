"""The values Helm's upgrade uses when it is given none: the current revision's.

``helm upgrade NAME CHART`` with no ``-f``/``--set`` (the merged user values empty) and
no ``--reset-values`` copies the user values of the release's current revision (the
deployed one; the last, when none is deployed and the last failed or was superseded).
Any value given replaces them all. chartsafe validates and checks the render Helm will
apply, so ``upgrade`` and ``diff upgrade`` render with those same values and hand them to
Helm explicitly: what was checked is what is applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._helm_release import HelmReleases
from ._refs import UserValues
from ._release_info import recorded_secrets

__all__ = ["ReusedValues", "values_helm_reuses"]


@dataclass(frozen=True)
class ReusedValues:
    """The user values of ``revision``, with those its record says were secret."""

    revision: int
    values: UserValues


def _current(history: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The revision Helm's upgrade starts from, as its ``prepareUpgrade`` picks it."""
    deployed = [entry for entry in history if entry.get("status") == "deployed"]
    if deployed:  # the newest deployed one (the last revision, when that is deployed)
        return max(deployed, key=lambda entry: int(entry.get("revision") or 0))
    last = history[-1] if history else {}
    return last if last.get("status") in ("failed", "superseded") else None


def values_helm_reuses(
    releases: HelmReleases, name: str, given: dict[str, Any], *, reset_values: bool, action: str
) -> ReusedValues | None:
    """The values Helm's upgrade of ``name`` will use instead of ``given``; None when it
    uses ``given`` (some value given, ``--reset-values``, or nothing recorded to reuse)."""
    if given or reset_values:
        return None
    current = _current(releases.history(name))
    if current is None:
        return None
    revision = int(current.get("revision") or 0)
    stored = releases.get_all(name, revision, action=action)
    config = dict(stored.get("config") or {})
    if not config:
        return None
    return ReusedValues(
        revision, UserValues(config, recorded_secrets(releases.target, name, stored))
    )
