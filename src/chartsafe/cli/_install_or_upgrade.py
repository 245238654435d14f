"""The one flow behind ``install`` and ``upgrade``: render, gate, apply, print.

The two commands differ only in a few flags (which Helm action flags each takes is its
``takes_settings`` line) and in the library function they call (``install_release`` or
``upgrade_release``); everything else (values, rendering options, the chart source, the
Secrets check, how the outcome is printed with secrets masked) is here, once.

The table is Helm's summary; ``-o json|yaml`` is Helm's release object, as ``helm install
-o json`` prints it (``_release_outcome.helm_release_object``). What chartsafe adds to an
install (warnings, which revision's values an upgrade reused, the Secrets check's gaps)
goes to stderr in every format, so stdout holds only what helm would print there.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .._cluster_access import ClusterAccess
from .._errors import InputError
from .._release_settings import ReleaseSettings
from ._check_gate import release_gate
from ._options import OutputFormat, render_options
from ._print import DATA_FORMATS, print_data
from ._release_options import cluster_target, name_and_chart, reused_values_note
from ._source_options import SourceFlags, fetch_missing_dependencies
from ._value_options import ValueFlags

__all__ = ["install_or_upgrade", "print_outcome"]


if TYPE_CHECKING:
    from .._helm_release import ClusterTarget
    from .._release_outcome import ReleaseOutcome


def print_outcome(
    outcome: ReleaseOutcome,
    output: OutputFormat | None,
    *,
    target: ClusterTarget,
    settings: ReleaseSettings,
    hide_notes: bool = False,
) -> None:
    """Helm's summary of an install or upgrade, the manifest on a dry run; with -o json|yaml
    Helm's release object (``target`` and ``settings``: where its record is read back, and
    the action's flags); the chart's notes unless ``hide_notes`` (Helm's --hide-notes).
    Warnings and the note of reused values go to stderr, whatever the format."""
    if output in DATA_FORMATS:
        from .._release_outcome import helm_release_object

        shown = helm_release_object(outcome, target, settings, hide_notes=hide_notes)
        print_data(shown, output)
    else:
        _print_summary(outcome, hide_notes=hide_notes)
    for warning in outcome.render.warnings:
        print(f"chartsafe: warning: {warning}", file=sys.stderr)
    if outcome.reused_values_from is not None:
        note = reused_values_note(outcome.reused_values_from, outcome.reused_values_flag, done=True)
        print(note, file=sys.stderr)


def _print_summary(outcome: ReleaseOutcome, *, hide_notes: bool) -> None:
    """The table: Helm's summary lines, the masked hooks and manifest on a dry run, the
    notes."""
    from .._output import manifests_yaml

    release = outcome.release
    lines = [
        f"NAME: {release.name}",
        f"LAST DEPLOYED: {release.updated_as()}",
        f"NAMESPACE: {release.namespace}",
        f"STATUS: {release.status}",
        f"REVISION: {release.revision}",
        f"CHART: {release.chart}",
    ]
    if outcome.dry_run:
        lines.append(f"DRY RUN: {outcome.dry_run} (nothing was applied)")
    print("\n".join(lines))
    if outcome.dry_run:
        # As helm's dry run: the hooks it would run (masked as the manifest), then the rest.
        print("HOOKS:")
        sys.stdout.write(outcome.redact(manifests_yaml(outcome.render.hooks)))
        print("MANIFEST:")
        sys.stdout.write(outcome.redact(manifests_yaml(outcome.objects)))
    notes = "" if hide_notes else outcome.redact(outcome.notes)
    if notes.strip():
        print(f"NOTES:\n{notes.rstrip()}")


def install_or_upgrade(
    action: Literal["install", "upgrade"],
    args: list[str],
    settings: ReleaseSettings,
    *,
    values: ValueFlags,
    refs: tuple[Path | None, Path | None],
    render: tuple[str | None, list[str] | None, list[Path] | None, bool],
    render_flags: tuple[bool, bool],
    namespace: str | None,
    access: ClusterAccess,
    storage: str,
    dependency_update: bool,
    source: SourceFlags,
    check: tuple[bool, str],
    output: OutputFormat | None,
    hide_notes: bool,
    generate_name: bool | None = None,
    name_template: str | None = None,
) -> int:
    """Run ``action`` with the command's flags (``settings``: Helm's action flags, built by
    ``takes_settings``; ``refs``: --age-key-file and --store; ``render``: --kube-version,
    --api-versions, --crd-dir, --no-validate; ``render_flags``: --skip-schema-validation,
    --enable-dns; ``check``: --skip-check, --check-against); the exit code."""
    from .._release import install_release, upgrade_release

    name, chart = name_and_chart(args, generate_name=generate_name, name_template=name_template)
    if action == "install" and settings.server_side == "auto":
        raise InputError(
            "--server-side auto: install takes true or false",
            hint="auto (apply as the release's last revision did) is upgrade's and rollback's",
        )
    target = cluster_target(namespace, access, storage)
    age_key_file, store = refs
    given = values.input(age_key_file=age_key_file, store=store)
    skip_schema_validation, enable_dns = render_flags
    options = render_options(
        name, target.namespace, *render,
        values_schema=not skip_schema_validation, enable_dns=enable_dns,
    )  # fmt: skip
    run = install_release if action == "install" else upgrade_release
    gate = release_gate(name, chart, target, settings.dry_run, *check)
    with source.open(chart) as path:
        fetch_missing_dependencies(path, dependency_update, source.plain_http)
        outcome = run(
            name, path, given, target=target, settings=settings, render=options, gate=gate
        )
    print_outcome(outcome, output, target=target, settings=settings, hide_notes=hide_notes)
    return 0
