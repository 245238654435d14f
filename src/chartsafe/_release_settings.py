"""Helm's install/upgrade flags that are not values or rendering options, and their SDK form.

The command line takes them as Helm does (``--timeout 5m``, ``--dry-run client``,
``--atomic``); :class:`ReleaseSettings` checks them once, and :func:`sdk_options`
turns them into the keyword arguments of Helm's install or upgrade action, where
the two actions take different flags.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ._errors import InputError

__all__ = [
    "DEFAULT_MAX_HISTORY",
    "DEFAULT_TIMEOUT",
    "DRY_RUN_MODES",
    "SERVER_SIDE_MODES",
    "SYSTEM_LABELS",
    "ReleaseSettings",
    "parse_labels",
    "parse_timeout",
    "sdk_options",
]

DRY_RUN_MODES = ("client", "server")

#: What Helm's --dry-run also takes, and the mode each means (``none``: no dry run).
#: ``true`` and ``false`` come from the time --dry-run was a switch; Helm keeps them.
_DRY_RUN_ALIASES: dict[str, str | None] = {"true": "client", "false": None, "none": None}

#: Helm 4's --server-side: server-side apply (true, install's default), client-side (false),
#: or, on upgrade and rollback, whichever the release's last revision used (auto, their
#: default).
SERVER_SIDE_MODES = ("true", "false", "auto")

#: Helm's default --timeout.
DEFAULT_TIMEOUT = 300

#: Helm's default --history-max: the revisions an upgrade or rollback keeps of a release
#: (older records are deleted). Helm's SDK action keeps every one (0), its CLI keeps ten;
#: a release upgraded by every deploy would otherwise pile up one record Secret (chart
#: and manifest) per deploy in its namespace.
DEFAULT_MAX_HISTORY = 10


def parse_timeout(text: str) -> int:
    """Seconds from a Go duration as Helm takes it (``5m``, ``1h30m``, ``1.5m``, ``90s``) or
    plain seconds; a part of a second (``500ms``) counts as a whole one, since the SDK takes
    whole seconds and a shorter wait than asked would fail a release Helm would not."""
    from ._go_time import go_duration

    text = text.strip()
    seconds = float(text) if text.isdigit() else go_duration(text)
    if seconds is None or seconds < 0:
        raise InputError(
            f"--timeout {text}: not a duration",
            hint="write it as Helm does (a Go duration): 300s, 5m, 1h30m, 1.5m",
        )
    return math.ceil(seconds)


#: Labels Helm's storage sets on every record itself, and refuses in ``--labels``.
SYSTEM_LABELS = frozenset({"name", "owner", "status", "version", "createdAt", "modifiedAt"})


def parse_labels(flags: list[str]) -> dict[str, str]:
    """``--labels`` as Helm reads it: each flag a comma-separated list of ``key=value`` (CSV,
    so a quoted value may hold a comma); a later key wins."""
    import csv

    labels: dict[str, str] = {}
    for flag in flags:
        for pair in next(csv.reader([flag]), []):
            key, sep, value = pair.partition("=")
            if not sep or not key:
                raise InputError(
                    f"--labels {pair}: not key=value", hint="write --labels team=payments,tier=web"
                )
            if key in SYSTEM_LABELS:
                raise InputError(
                    f"--labels {key}: Helm's storage sets this label itself",
                    hint=f"choose another key; Helm reserves {', '.join(sorted(SYSTEM_LABELS))}",
                )
            labels[key] = value
    return labels


@dataclass
class ReleaseSettings:
    """Helm's install/upgrade flags that are not values or rendering options."""

    wait: bool = False
    timeout: int = DEFAULT_TIMEOUT
    atomic: bool = False  # roll back (upgrade) or uninstall (install) on failure
    dry_run: str | None = None  # "client" or "server"; Helm's true/false/none are mapped
    create_namespace: bool = False
    description: str | None = None
    install: bool = False  # upgrade --install: install when there is no release yet
    cleanup_on_fail: bool = False
    max_history: int = DEFAULT_MAX_HISTORY  # 0: keep every revision
    # upgrade: which values of the current revision Helm takes (see _reused_values)
    reset_values: bool = False  # none: the values given (if none, the current revision's)
    reuse_values: bool = False  # the values given over the current revision's, old defaults
    reset_then_reuse_values: bool = False  # the same on the new chart's defaults
    replace: bool = False  # install over an uninstalled release's kept history (upgrade --install)
    no_hooks: bool = False  # Helm runs no hooks (--no-hooks): they are not validated or checked
    skip_crds: bool = False  # install: leave out the chart's crds/ (--skip-crds)
    labels: dict[str, str] = field(default_factory=dict)  # on the release record (--labels)
    take_ownership: bool = False  # adopt objects another release or tool made
    wait_for_jobs: bool = False  # with --wait: also until every Job has completed
    force_replace: bool = False  # upgrade: replace objects that cannot be updated in place
    server_side: str | None = None  # one of SERVER_SIDE_MODES; None: Helm's default
    force_conflicts: bool = False  # upgrade, rollback: server-side apply overrides other managers
    subchart_notes: bool = False  # the notes of subcharts too (--render-subchart-notes)
    #: Helm's client-side check of the manifest against the API server's OpenAPI document
    #: off (--disable-openapi-validation): for a server whose document Helm cannot read
    disable_openapi_validation: bool = False

    def __post_init__(self) -> None:
        if self.server_side is not None:
            self.server_side = self.server_side.lower()
            if self.server_side not in SERVER_SIDE_MODES:
                raise InputError(
                    f"--server-side {self.server_side}: unknown mode",
                    hint="use true (server-side apply), false (client-side) or, on upgrade "
                    "and rollback, auto (as the release's last revision)",
                )
        if self.dry_run in _DRY_RUN_ALIASES:
            self.dry_run = _DRY_RUN_ALIASES[self.dry_run]
        if self.dry_run is not None and self.dry_run not in DRY_RUN_MODES:
            raise InputError(
                f"--dry-run {self.dry_run}: unknown mode",
                hint="use --dry-run client or server (true means client, false or none no dry "
                "run, as in Helm)",
            )


def sdk_options(settings: ReleaseSettings, *, upgrade: bool) -> dict[str, Any]:
    """The keyword arguments of Helm's install (or, with ``upgrade``, upgrade) action.

    Every flag is given; ``HelmReleases`` leaves the unset ones out of the call, and sends
    it to the action's C function when a set one is not among the library method's own
    (``disable_hooks``, ``replace``...).
    """
    options: dict[str, Any] = {
        "timeout": settings.timeout,
        # --atomic implies --wait in Helm: a rollback needs to know the release failed.
        "wait": "watcher" if settings.wait or settings.atomic else None,
        "dry_run": settings.dry_run,
        "rollback_on_failure": settings.atomic,
        "description": settings.description,
        "labels": dict(settings.labels) or None,
        "disable_hooks": settings.no_hooks,
        "take_ownership": settings.take_ownership,
        "wait_for_jobs": settings.wait_for_jobs,
        "sub_notes": settings.subchart_notes,
        "disable_openapi_validation": settings.disable_openapi_validation,
    }
    if upgrade:
        options["cleanup_on_fail"] = settings.cleanup_on_fail
        options["max_history"] = settings.max_history
        options["reset_values"] = settings.reset_values
        options["reuse_values"] = settings.reuse_values
        options["reset_then_reuse_values"] = settings.reset_then_reuse_values
        options["force_replace"] = settings.force_replace
        options["server_side_apply"] = settings.server_side
        options["force_conflicts"] = settings.force_conflicts
    else:
        # No force_conflicts: install's options take it, but Helm's install still applies
        # without force (measured on the fake API server: force=false in its apply-patch).
        options["create_namespace"] = settings.create_namespace
        options["replace"] = settings.replace
        options["skip_crds"] = settings.skip_crds
        # a switch in install's options; auto (upgrade --install installing) is its default
        switch = {"true": True, "false": False}
        options["server_side_apply"] = switch.get(settings.server_side or "")
    return options
