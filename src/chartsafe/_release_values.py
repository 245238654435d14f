"""A revision's values (``get values``) and the whole of it (``get all``), masked unless revealed.

Helm keeps the user values of every revision in its release record, readable
by anyone who can read the record: ``helm get values`` prints them, passwords
included. Here every value that looks secret is masked unless the caller asks
to reveal: the paths install and upgrade recorded as secret (values from SOPS
files and references, whatever their key), then what ``_secret_like`` finds
by key names, value shapes and what the release's own Secrets carry.

Both read the record once and take the revision it names for any further read
(the computed values): without a ``--revision``, an upgrade landing between two
reads of "the latest" would mix two revisions in one answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._helm_release import ClusterTarget, HelmReleases
from ._release_info import ReleaseStatus, status_of_record

__all__ = ["ReleaseAll", "ReleaseValues", "release_all", "release_values"]


@dataclass
class ReleaseValues:
    """``get values``: the values (masked unless revealed) and which paths were masked."""

    name: str
    revision: int | None
    values: dict[str, Any]
    masked: list[str]
    all_values: bool

    def __repr__(self) -> str:
        """Names and counts only: with ``reveal`` the values are the record's, secrets
        included, and even masked ones keep what no rule took for a secret."""
        which = "computed" if self.all_values else "user-supplied"
        return (
            f"<ReleaseValues {self.name} revision {self.revision}: {len(self.values)} "
            f"top-level {which} value(s), {len(self.masked)} masked>"
        )


@dataclass
class ReleaseAll:
    """``get all``: a revision's status, its user-supplied and its computed values."""

    status: ReleaseStatus
    values: ReleaseValues
    computed: ReleaseValues


def _read(
    releases: HelmReleases, name: str, revision: int | None, action: str
) -> tuple[dict[str, Any], int | None]:
    """The record of ``revision`` (the latest when None) and the revision it is."""
    stored = releases.get_all(name, revision, action=action)
    number = int((stored.get("summary") or {}).get("revision") or 0)
    return stored, number or revision


def _computed(releases: HelmReleases, name: str, read: int | None, action: str) -> dict[str, Any]:
    """The computed values of the revision just ``read`` (Helm coalesces them with the chart)."""
    return releases.get_values(name, all_values=True, revision=read, action=action)


def _masked(
    values: dict[str, Any], status: ReleaseStatus, *, reveal: bool
) -> tuple[dict[str, Any], list[str]]:
    return (values, []) if reveal else status.masked_values(values)


def release_values(
    name: str,
    *,
    all_values: bool = False,
    revision: int | None = None,
    reveal: bool = False,
    target: ClusterTarget | None = None,
) -> ReleaseValues:
    """The values of a revision: the user's (default) or all computed (``all_values``)."""
    target = target or ClusterTarget()
    action = "get values"
    with HelmReleases(target) as releases:
        if reveal:  # nothing to mask: the values alone, one read
            values = releases.get_values(
                name, all_values=all_values, revision=revision, action=action
            )
            return ReleaseValues(name, revision, values, [], all_values)
        stored, read = _read(releases, name, revision, action)
        values = (
            _computed(releases, name, read, action)
            if all_values
            else dict(stored.get("config") or {})
        )
    masked, paths = _masked(values, status_of_record(target, name, stored), reveal=False)
    return ReleaseValues(name, revision, masked, paths, all_values)


def release_all(
    name: str,
    *,
    revision: int | None = None,
    reveal: bool = False,
    target: ClusterTarget | None = None,
) -> ReleaseAll:
    """``helm get all``: the status, user-supplied and computed values of one revision."""
    target = target or ClusterTarget()
    action = "get all"
    with HelmReleases(target) as releases:
        stored, read = _read(releases, name, revision, action)
        computed = _computed(releases, name, read, action)
    status = status_of_record(target, name, stored)
    found = []
    for values, every in ((dict(stored.get("config") or {}), False), (computed, True)):
        masked, paths = _masked(values, status, reveal=reveal)
        found.append(ReleaseValues(name, revision, masked, paths, every))
    return ReleaseAll(status, *found)
