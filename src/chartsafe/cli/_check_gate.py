"""The preflight that ``install`` and ``upgrade`` run before they apply, and its report.

``chartsafe check`` prints the same report; it lives here, apart from the ``check``
command, so that ``install`` and ``upgrade`` do not register (and import) that command.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from ..check import CheckReport, ConfigMapCheck, SecretCheck

if TYPE_CHECKING:
    from .._helm_release import ClusterTarget
    from .._render import RenderResult

__all__ = ["CheckAgainst", "SkipCheck", "print_report", "release_gate"]

_GATE = "Preflight (chartsafe check)"

SkipCheck = Annotated[
    bool,
    typer.Option(
        "--skip-check",
        help="Do not check the release's Secrets before applying it.",
        rich_help_panel=_GATE,
    ),
]
CheckAgainst = Annotated[
    str,
    typer.Option(
        "--check-against",
        help="Where the preflight looks for the Secrets the release needs: 'cluster' (the "
        "target cluster), a directory of manifests or a file. With --dry-run client and "
        "'cluster' the check is skipped: nothing is applied.",
        rich_help_panel=_GATE,
    ),
]

_MARK = {
    "present": "ok",
    "unverified": "ok (unverified)",
    "missing": "MISSING",
    "empty": "EMPTY",
    "implausible": "IMPLAUSIBLE",
}


def _secret_line(secret: SecretCheck) -> str:
    where = f"{secret.namespace}/{secret.name}"
    if secret.status == "missing":
        state = "MISSING" if not secret.optional else "missing (optional: not needed)"
    else:
        state = f"found as {secret.found_as} ({secret.origin})"
        if secret.status == "keys-unknown":
            state += ", keys known once synced"
        elif secret.status == "empty":
            state += ", EMPTY (no key)"
    return f"{'ok ' if secret.ok else 'GAP'} Secret {where}: {state}"


def _config_map_line(check: ConfigMapCheck) -> str:
    where = f"{check.namespace}/{check.name}"
    if check.status == "unverified":
        state = "not checked"
    elif check.status == "late":
        state = f"created by {check.origin} only after a hook that reads it"
    elif check.status == "missing":
        state = "MISSING" if not check.optional else "missing (optional: not needed)"
    else:
        state = f"found ({check.origin})"
    if check.missing_keys and check.status == "found":
        state += f", MISSING key(s) {', '.join(check.missing_keys)}"
    made = "" if (check.origin or "").startswith("the release") else " (not created by the release)"
    return f"{'ok ' if check.ok else 'GAP'} ConfigMap {where}{made}: {state}"


def print_report(report: CheckReport, out: TextIO | None = None, *, summary: bool = True) -> None:
    """The report as text: each required Secret, each key, each gap with its fix."""
    say = (out or sys.stdout).write
    say(f"Release {report.release} (chart {report.chart}) against {report.against}\n")
    if not report.secrets:
        before = "the upgrade" if report.upgrade else "install"
        say(f"  the release needs no Secret before {before}\n")
    for secret in report.secrets:
        say(_secret_line(secret) + "\n")
        if secret.note:
            say(f"      note: {secret.note}\n")
        for key in secret.keys:
            mark = _MARK[key.status]
            if key.optional and key.status not in ("present", "unverified"):
                mark += " (optional: not needed)"
            reason = f": {key.reason}" if key.reason else ""
            say(f"      {key.key}  {mark}  [{key.format}]{reason}\n")
            if key.fix and secret.status != "missing":
                say(f"        fix: {key.fix}\n")
        for fix in secret.fix:
            say(f"    fix: {fix}\n")
    for config_map in report.config_maps:
        say(_config_map_line(config_map) + "\n")
        for reader in config_map.readers:
            say(f"      read by {reader}\n")
        if config_map.note:
            say(f"      note: {config_map.note}\n")
        if config_map.fix:
            say(f"    fix: {config_map.fix}\n")
    for hazard in report.hazards:
        label = "GAP hazard" if hazard.error else "warning"
        say(f"{label} [{hazard.rule}] {hazard.message}\n")
        if hazard.fix:
            say(f"    fix: {hazard.fix}\n")
    if report.deliver:
        say(f"then deliver: {report.deliver}\n")
    for warning in report.warnings:
        say(f"warning: {warning}\n")
    if summary:
        say(report.summary() + "\n")


def release_gate(
    name: str,
    chart: str,
    target: ClusterTarget,
    dry_run: str | None,
    skip: bool,
    against: str,
) -> Callable[[RenderResult], None] | None:
    """The gate install/upgrade run: the check against the same cluster (or ``against``).

    Gaps are printed to stderr before the gate stops the release. With ``--dry-run client``
    nothing is applied to check the cluster for: the check is skipped, with a note, unless
    ``against`` names manifests; ``--skip-check`` gets a note too. Messages about
    ``against`` name ``--check-against``, the flag install and upgrade take.
    """
    from ..check import contract_gate, source_for

    note = ""
    if skip:
        note = "--skip-check: the release's Secrets were not checked"
    elif against == "cluster" and dry_run == "client":
        # Not "reaches no cluster": upgrade's client dry run still reads the release's records.
        note = (
            "--dry-run client applies nothing, so the Secrets were not checked against the "
            "cluster (--check-against DIR checks manifests; chartsafe check --against cluster "
            "checks a cluster)"
        )
    if note:
        # Said once the render has succeeded, so a bad input stays a one-line error.
        def say(result: RenderResult) -> None:
            print(f"chartsafe: note: {note}", file=sys.stderr)

        return say
    source = source_for(against, namespace=target.namespace, access=target.access,
                        flag="--check-against")  # fmt: skip

    def show(report: CheckReport) -> None:
        if not report.ok:
            print_report(report, sys.stderr, summary=False)

    return contract_gate(source, release=name, chart=chart, namespace=target.namespace,
                         against=against, on_report=show)  # fmt: skip
