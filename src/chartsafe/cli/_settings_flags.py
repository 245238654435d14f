"""Helm's release-action flags as one :class:`ReleaseSettings`: :func:`takes_settings`.

``install``, ``upgrade``, ``rollback`` and ``up`` take overlapping subsets of Helm's
flags (``--wait``, ``--timeout``, ``--atomic``, ``--dry-run``...). Each names its subset
here, once, and receives the flags checked and converted (``--timeout 5m`` in seconds,
``--labels`` as a mapping, an unknown ``--dry-run`` mode refused) as its ``settings``
parameter: a flag that several of them take is one entry of a table, not a parameter and
a keyword argument repeated in every command.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from .._release_settings import DEFAULT_MAX_HISTORY, ReleaseSettings, parse_labels, parse_timeout
from ._flag_group import flag_group
from ._release_options import (
    Atomic,
    CleanupOnFail,
    CreateNamespace,
    Description,
    DisableOpenapiValidation,
    DryRun,
    ForceConflicts,
    ForceReplace,
    HistoryMax,
    InstallMissing,
    Labels,
    NoHooks,
    RenderSubchartNotes,
    ReplaceUninstalled,
    ResetThenReuseValues,
    ResetValues,
    ReuseValues,
    ServerSide,
    SkipCrds,
    TakeOwnership,
    Timeout,
    Wait,
    WaitForJobs,
)

__all__ = ["DEFAULT_SETTINGS", "ReleaseSettings", "takes_settings"]

_Result = TypeVar("_Result")

#: Every flag a release command may take: parameter name → (annotation, default). A
#: command that documents a flag differently (install's ``--server-side`` has no ``auto``)
#: gives its own annotation to :func:`takes_settings`.
_FLAGS: dict[str, tuple[object, object]] = {
    "install": (InstallMissing, False),
    "create_namespace": (CreateNamespace, False),
    "wait": (Wait, False),
    "wait_for_jobs": (WaitForJobs, False),
    "timeout": (Timeout, "5m0s"),
    "atomic": (Atomic, False),
    "cleanup_on_fail": (CleanupOnFail, False),
    "max_history": (HistoryMax, DEFAULT_MAX_HISTORY),
    "reset_values": (ResetValues, False),
    "reuse_values": (ReuseValues, False),
    "reset_then_reuse_values": (ResetThenReuseValues, False),
    "dry_run": (DryRun, None),
    "no_hooks": (NoHooks, False),
    "skip_crds": (SkipCrds, False),
    "labels": (Labels, None),
    "take_ownership": (TakeOwnership, False),
    "force_replace": (ForceReplace, False),
    "server_side": (ServerSide, None),
    "force_conflicts": (ForceConflicts, False),
    "replace": (ReplaceUninstalled, False),
    "disable_openapi_validation": (DisableOpenapiValidation, False),
    "description": (Description, None),
    "render_subchart_notes": (RenderSubchartNotes, False),
}

#: Flags whose ReleaseSettings field is named otherwise.
_FIELDS = {"render_subchart_notes": "subchart_notes"}


def _settings(given: dict[str, Any]) -> ReleaseSettings:
    fields = {_FIELDS.get(name, name): value for name, value in given.items()}
    if "timeout" in fields:
        fields["timeout"] = parse_timeout(fields["timeout"])
    if "labels" in fields:
        fields["labels"] = parse_labels(fields["labels"] or [])
    return ReleaseSettings(**fields)


def takes_settings(
    *names: str, **annotations: object
) -> Callable[[Callable[..., _Result]], Callable[..., _Result]]:
    """A decorator: the flags ``names`` (keys of the table above, in help order) stand
    where the command declares ``settings: ReleaseSettings = DEFAULT_SETTINGS``, which it
    receives built of them. ``annotations`` replace a flag's annotation for this command."""
    unknown = [n for n in (*names, *annotations) if n not in _FLAGS]
    if unknown:  # a typo in a command's table: caught when its module is imported
        raise ValueError(f"takes_settings: no such flag {', '.join(unknown)}")
    flags = [(n, annotations.get(n, _FLAGS[n][0]), _FLAGS[n][1]) for n in names]
    return flag_group("settings", flags, _settings)


#: The default of a command's ``settings`` parameter, for Python's sake only: the
#: decorator always passes the ReleaseSettings made of the flags.
DEFAULT_SETTINGS = ReleaseSettings()
