"""The one flow behind ``install`` and ``upgrade``: flags to settings, render, gate, apply, print.

The two commands differ only in a few flags and in the library function they
call (``install_release`` or ``upgrade_release``); everything else (values,
rendering options, the chart source, the Secrets check, how the outcome is
printed with secrets masked) is here, once.
"""

from __future__ import annotations

import sys
from typing import Any

from .._errors import InputError
from ._check_gate import release_gate
from ._options import OutputFormat, render_options
from ._print import DATA_FORMATS, print_data
from ._release_options import (
    DEFAULT_MAX_HISTORY,
    cluster_target,
    name_and_chart,
    reused_values_note,
)
from ._source_options import fetch_missing_dependencies

__all__ = ["install_or_upgrade", "print_outcome"]


def print_outcome(outcome: Any, output: OutputFormat | None, *, hide_notes: bool = False) -> None:
    """Helm's summary of an install or upgrade (or JSON/YAML), the manifest on a dry run;
    the chart's notes unless ``hide_notes`` (Helm's --hide-notes)."""
    from .._output import manifests_yaml

    notes = "" if hide_notes else outcome.redact(outcome.notes)
    if output in DATA_FORMATS:
        print_data({**outcome.as_dict(), "notes": notes}, output)
        return
    release = outcome.release
    lines = [
        f"NAME: {release.name}",
        f"NAMESPACE: {release.namespace}",
        f"STATUS: {release.status}",
        f"REVISION: {release.revision}",
        f"CHART: {release.chart}",
    ]
    if outcome.dry_run:
        lines.append(f"DRY RUN: {outcome.dry_run} (nothing was applied)")
    print("\n".join(lines))
    if outcome.dry_run:
        print("MANIFEST:")
        sys.stdout.write(outcome.redact(manifests_yaml(outcome.objects)))
    if notes.strip():
        print(f"NOTES:\n{notes.rstrip()}")
    for warning in outcome.render.warnings:
        print(f"chartsafe: warning: {warning}", file=sys.stderr)
    if outcome.reused_values_from is not None:
        note = reused_values_note(outcome.reused_values_from, outcome.reused_values_flag, done=True)
        print(note, file=sys.stderr)


def install_or_upgrade(action: str, args: list[str], **kw: Any) -> int:
    """Run ``action`` ("install" or "upgrade") with the command's flags; the exit code."""
    from .._release import install_release, upgrade_release
    from .._release_settings import ReleaseSettings, parse_labels, parse_timeout

    name, chart = name_and_chart(
        args, generate_name=kw.get("generate_name"), name_template=kw.get("name_template")
    )
    settings = ReleaseSettings(
        wait=kw["wait"],
        timeout=parse_timeout(kw["timeout"]),
        atomic=kw["atomic"],
        dry_run=kw["dry_run"],
        description=kw["description"],
        create_namespace=kw.get("create_namespace", False),
        install=kw.get("install", False),
        cleanup_on_fail=kw.get("cleanup_on_fail", False),
        max_history=kw.get("max_history", DEFAULT_MAX_HISTORY),
        reset_values=kw.get("reset_values", False),
        reuse_values=kw.get("reuse_values", False),
        reset_then_reuse_values=kw.get("reset_then_reuse_values", False),
        no_hooks=kw["no_hooks"],
        skip_crds=kw["skip_crds"],
        labels=parse_labels(kw["labels"] or []),
        take_ownership=kw["take_ownership"],
        wait_for_jobs=kw["wait_for_jobs"],
        force_replace=kw.get("force_replace", False),
        server_side=kw["server_side"],
        force_conflicts=kw.get("force_conflicts", False),
        subchart_notes=kw["render_subchart_notes"],
        replace=kw.get("replace", False),
        disable_openapi_validation=kw.get("disable_openapi_validation", False),
    )
    if action == "install" and settings.server_side == "auto":
        raise InputError(
            "--server-side auto: install takes true or false",
            hint="auto (apply as the release's last revision did) is upgrade's and rollback's",
        )
    target = cluster_target(kw["namespace"], kw["access"], kw["storage"])
    age_key_file, store = kw["refs"]
    values = kw["values"].input(age_key_file=age_key_file, store=store)
    skip_schema_validation, enable_dns = kw["render_flags"]
    render = render_options(
        name, target.namespace, *kw["render"],
        values_schema=not skip_schema_validation, enable_dns=enable_dns,
    )  # fmt: skip
    run = install_release if action == "install" else upgrade_release
    gate = release_gate(name, chart, target, settings.dry_run, *kw["check"])
    source = kw["source"]
    with source.open(chart) as path:
        fetch_missing_dependencies(path, kw["dependency_update"], source.plain_http)
        outcome = run(
            name, path, values, target=target, settings=settings, render=render, gate=gate
        )
    print_outcome(outcome, kw["output"], hide_notes=kw["hide_notes"])
    return 0
