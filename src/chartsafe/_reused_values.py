"""The values Helm's upgrade takes from the current revision, so that chartsafe renders,
validates and checks what Helm will apply.

Helm's upgrade picks its current revision (the deployed one; the last, when none is
deployed and the last failed or was superseded) and then, by its flags:

- ``--reset-values``: the values given, on the chart's defaults; nothing is reused.
- ``--reuse-values``: the values given coalesced over the current revision's user values,
  and the new chart's top-level defaults replaced by the current revision's coalesced
  values (what ``helm get values --all`` prints), so defaults the new chart adds or changes
  do not apply. Ignored with ``--reset-values``.
- ``--reset-then-reuse-values``: the values given coalesced over the current revision's,
  on the new chart's defaults. Ignored with either of the two above.
- none of them: the values given; when none are given, the current revision's.

In the last case chartsafe hands Helm the reused values explicitly; with a flag it hands
Helm the flag and the values given, so Helm's record holds what Helm's own command would
store. Either way the render that was validated and gated is the one Helm applies.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from ._helm_release import HelmReleases
from ._refs import SecretValues, UserValues
from ._release_info import recorded_secrets
from ._values import drop_replaced

__all__ = ["ReusedValues", "coalesce_tables", "current_revision", "values_helm_reuses"]


@dataclass(frozen=True)
class ReusedValues:
    """What Helm's upgrade renders with, when it takes values from ``revision``."""

    revision: int
    values: UserValues  # the user values Helm renders with, and which of them are secret
    chart_values: dict[str, Any] | None = None  # --reuse-values: the chart's defaults instead
    flag: str | None = None  # "--reuse-values", "--reset-then-reuse-values"; None: none given


def coalesce_tables(dst: dict[str, Any], src: dict[str, Any] | None) -> dict[str, Any]:
    """Helm's ``CoalesceTables(dst, src)``: ``src`` filled in under ``dst``, which wins.

    Helm's rule, followed here because the SDK does not expose it (and checked against
    Helm's own upgrade in tests/release/test_reuse_values_like_helm.py): with no ``src`` (a
    record without values) ``dst`` is returned as it is; a key only ``src`` has is copied; a
    key both have is dropped when ``dst`` sets it to null, coalesced in turn when both hold
    maps, and otherwise keeps ``dst``'s value (a map is not replaced by a scalar, nor a
    scalar by a map). A null for a key ``src`` lacks stays. The inputs are not changed.
    """
    out = dict(dst)
    for key, value in (src or {}).items():
        if key not in dst:
            out[key] = copy.deepcopy(value)
        elif dst[key] is None:
            del out[key]
        elif isinstance(dst[key], dict) and isinstance(value, dict):
            out[key] = coalesce_tables(dst[key], value)
    return out


def _current(history: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The revision Helm's upgrade starts from, as its ``prepareUpgrade`` picks it."""
    deployed = [entry for entry in history if entry.get("status") == "deployed"]
    if deployed:  # the newest deployed one (the last revision, when that is deployed)
        return max(deployed, key=lambda entry: int(entry.get("revision") or 0))
    last = history[-1] if history else {}
    return last if last.get("status") in ("failed", "superseded") else None


def current_revision(releases: HelmReleases, name: str, *, action: str) -> int | None:
    """The revision Helm's upgrade of ``name`` starts from (its values, its manifest to
    change); None when Helm would refuse the upgrade (nothing deployed, failed or
    superseded)."""
    current = _current(releases.history(name, action=action))
    return None if current is None else int(current.get("revision") or 0)


def _merged(
    given: dict[str, Any], config: dict[str, Any] | None, recorded: SecretValues
) -> UserValues:
    """``given`` coalesced over a revision's ``config``; secret where either was."""
    values = coalesce_tables(given, config)
    mine = given.secrets if isinstance(given, UserValues) else SecretValues()
    paths = set(recorded.paths)
    drop_replaced(paths, given)  # where the values given win, the recorded paths no longer hold
    texts = [*recorded.texts, *mine.texts]  # the old ones may still reach the chart's defaults
    return UserValues(values, SecretValues(paths | mine.paths, texts))


def values_helm_reuses(
    releases: HelmReleases,
    name: str,
    given: dict[str, Any],
    *,
    reset_values: bool = False,
    reuse_values: bool = False,
    reset_then_reuse_values: bool = False,
    action: str,
    current: tuple[int, dict[str, Any]] | None = None,
) -> ReusedValues | None:
    """What Helm's upgrade of ``name`` renders with instead of ``given`` alone; None when it
    renders with ``given`` (--reset-values, values given without a reuse flag, or no
    revision to take values from). ``current``: the revision :func:`current_revision`
    names and its stored record, when the caller has read them already."""
    flag = (
        "--reuse-values" if reuse_values
        else "--reset-then-reuse-values" if reset_then_reuse_values
        else None
    )  # fmt: skip
    if reset_values or (flag is None and given):
        return None
    if current is None:
        found = current_revision(releases, name, action=action)
        if found is None:
            return None
        current = (found, releases.get_all(name, found, action=action))
    revision, stored = current
    config = stored.get("config")
    recorded = recorded_secrets(releases.target, name, stored)
    if flag is None:
        if not config:
            return None
        return ReusedValues(revision, UserValues(dict(config), recorded))
    chart_values = None
    if reuse_values:  # Helm's get values --all: the old chart's defaults under its values
        chart_values = releases.get_values(name, all_values=True, revision=revision, action=action)
    return ReusedValues(revision, _merged(given, config, recorded), chart_values, flag)
