"""Helm's flags for release commands, and where a release lives (namespace, storage).

Shared by every command that acts on or reads a release (install, upgrade,
rollback, uninstall, status, history, list, get, diff, check) so that each
spells and documents a flag exactly as the others and as helm does. Importing
this registers no command.
"""

from __future__ import annotations

from typing import Annotated

import click
import typer

from .._cluster_access import ClusterAccess
from .._helm_release import STORAGE_ALIASES, STORAGE_DRIVERS, ClusterTarget
from .._release_settings import DEFAULT_MAX_HISTORY
from ._cluster_options import CLUSTER_PANEL, release_namespace
from ._options import made_name

__all__ = [
    "ACTION_PANEL",
    "DEFAULT_MAX_HISTORY",
    "EXIT_CODES",
    "READ_EXIT_CODES",
    "Atomic",
    "CleanupOnFail",
    "Description",
    "DisableOpenapiValidation",
    "DryRun",
    "DryRunRollback",
    "DryRunUp",
    "DryRunUpgrade",
    "ForceConflicts",
    "ForceReplace",
    "GenerateName",
    "HideNotes",
    "HistoryMax",
    "InstallMissing",
    "Labels",
    "NameChart",
    "NoHooks",
    "ReleaseName",
    "ReleaseNamespace",
    "RenderSubchartNotes",
    "ReplaceUninstalled",
    "ResetThenReuseValues",
    "ResetValues",
    "ReuseValues",
    "RevisionToRead",
    "ServerSide",
    "ServerSideInstall",
    "SkipCrds",
    "Storage",
    "TakeOwnership",
    "Timeout",
    "Wait",
    "WaitForJobs",
    "cluster_target",
    "name_and_chart",
    "reused_values_note",
]

#: The help panel of the flags that change what a release action does.
ACTION_PANEL = "Release (as helm)"

ReleaseNamespace = Annotated[
    str | None,
    typer.Option(
        "-n",
        "--namespace",
        help="Release namespace (default: $HELM_NAMESPACE, else the kubeconfig context's, else "
        "default).",
        show_default=False,
        rich_help_panel=CLUSTER_PANEL,
    ),
]
Storage = Annotated[
    str,
    typer.Option(
        "--storage",
        envvar="HELM_DRIVER",
        click_type=click.Choice([*STORAGE_DRIVERS, *STORAGE_ALIASES]),
        help="Helm release storage: secret (or secrets), configmap (or configmaps), or "
        "memory (records live only in this process).",
        rich_help_panel=CLUSTER_PANEL,
    ),
]
InstallMissing = Annotated[
    bool,
    typer.Option("-i", "--install", help="Install when the release does not exist yet.",
                 rich_help_panel=ACTION_PANEL),
]  # fmt: skip
CreateNamespace = Annotated[
    bool,
    typer.Option("--create-namespace", help="Create the namespace if it does not exist.",
                 rich_help_panel=ACTION_PANEL),
]  # fmt: skip
CreateNamespaceOnInstall = Annotated[
    bool,
    typer.Option("--create-namespace", help="With --install: create the namespace.",
                 rich_help_panel=ACTION_PANEL),
]  # fmt: skip
Wait = Annotated[
    bool,
    typer.Option("--wait", help="Wait until every object is ready.", rich_help_panel=ACTION_PANEL),
]
Timeout = Annotated[
    str,
    typer.Option("--timeout", help="Time to wait for each step (Go duration, e.g. 5m).",
                 rich_help_panel=ACTION_PANEL),
]  # fmt: skip


def _dry_run(text: str) -> object:
    return Annotated[str | None, typer.Option("--dry-run", help=text, rich_help_panel=ACTION_PANEL)]


# What --dry-run needs of the cluster differs by command (each is Helm's action's own need),
# so each says it: install's client dry run alone reaches no cluster.
DryRun = _dry_run(
    "client (also --dry-run alone, as in Helm): render and print, no cluster needed; "
    "server: also ask the API server."
)
DryRunUpgrade = _dry_run(
    "client (also --dry-run alone, as in Helm): render and print, apply nothing; the "
    "release's history is still read from the cluster (the revision to upgrade, or with "
    "--install whether to install), unless --install --storage memory; server: also ask the "
    "API server."
)
DryRunRollback = _dry_run(
    "client (also --dry-run alone, as in Helm) or server: simulate the rollback, apply "
    "nothing; either reads the release's history from the cluster."
)
DryRunUp = _dry_run(
    "client (also --dry-run alone, as in Helm): render and print, write nothing (the store "
    "and --out included: generated values are used, not saved); the release's history is "
    "still read from the cluster (whether to install or upgrade), unless --storage memory; "
    "server: also ask the API server."
)
Atomic = Annotated[
    bool,
    typer.Option(
        "--atomic",
        "--rollback-on-failure",
        help="On failure, roll back (upgrade) or uninstall (install); implies --wait.",
        rich_help_panel=ACTION_PANEL,
    ),
]
Description = Annotated[
    str | None,
    typer.Option("--description", help="Custom description of the revision.",
                 rich_help_panel=ACTION_PANEL),
]  # fmt: skip

# Which values of the current revision an upgrade takes, with Helm's precedence (upgrade and
# diff upgrade; see chartsafe._reused_values).
ResetValues = Annotated[
    bool,
    typer.Option("--reset-values", help="Only the values given, on the chart's defaults. "
                 "Without it an upgrade given no values takes the current revision's. "
                 "Overrides the two flags below.", rich_help_panel=ACTION_PANEL),
]  # fmt: skip
ReuseValues = Annotated[
    bool,
    typer.Option("--reuse-values", help="The values given over the current revision's, "
                 "and that revision's values as the chart's defaults (defaults the new chart "
                 "adds or changes do not apply).", rich_help_panel=ACTION_PANEL),
]  # fmt: skip
ResetThenReuseValues = Annotated[
    bool,
    typer.Option("--reset-then-reuse-values", help="The values given over the current "
                 "revision's, on the new chart's defaults. Ignored with --reset-values or "
                 "--reuse-values.", rich_help_panel=ACTION_PANEL),
]  # fmt: skip


def reused_values_note(revision: int, flag: str | None, *, done: bool) -> str:
    """The stderr note of an upgrade (``done``) or diff that took values from ``revision``."""
    were = "were" if done else "are"
    if flag is None:
        return (
            f"chartsafe: note: no values given, so as helm upgrade does, revision {revision}'s "
            f"values {were} used again (--reset-values: the chart's defaults)"
        )
    defaults = "its values as the chart's defaults" if flag == "--reuse-values" else (
        "on the new chart's defaults"
    )  # fmt: skip
    return (
        f"chartsafe: note: {flag}: the values given {were} coalesced over revision "
        f"{revision}'s, {defaults}"
    )


NoHooks = Annotated[
    bool,
    typer.Option("--no-hooks", help="Run no hooks (Helm's); they are then not validated "
                 "or checked either.", rich_help_panel=ACTION_PANEL),
]  # fmt: skip
SkipCrds = Annotated[
    bool,
    typer.Option("--skip-crds", help="Install without the chart's crds/ (Helm installs them "
                 "first otherwise; upgrade: with --install).", rich_help_panel=ACTION_PANEL),
]  # fmt: skip

Labels = Annotated[
    list[str] | None,
    typer.Option("--labels", help="Labels on the release record: key=value, comma-separated "
                 "or repeated (as helm; upgrade merges them with the release's).",
                 show_default=False, rich_help_panel=ACTION_PANEL),
]  # fmt: skip
TakeOwnership = Annotated[
    bool,
    typer.Option("--take-ownership", help="Adopt objects that exist without this release's "
                 "Helm annotations, instead of failing (as helm).", rich_help_panel=ACTION_PANEL),
]  # fmt: skip
WaitForJobs = Annotated[
    bool,
    typer.Option("--wait-for-jobs", help="With --wait: also wait until every Job has "
                 "completed.", rich_help_panel=ACTION_PANEL),
]  # fmt: skip
ForceReplace = Annotated[
    bool,
    typer.Option("--force-replace", help="Replace objects that cannot be updated in place "
                 "(delete and create, as helm).", rich_help_panel=ACTION_PANEL),
]  # fmt: skip

# Helm 4's apply method. Alone, --server-side means true (see chartsafe.cli._bare_flags).
ServerSideInstall = Annotated[
    str | None,
    typer.Option("--server-side", metavar="true|false", help="true (Helm's default): "
                 "server-side apply; false: client-side, as Helm 3.", show_default=False,
                 rich_help_panel=ACTION_PANEL),
]  # fmt: skip
ServerSide = Annotated[
    str | None,
    typer.Option("--server-side", metavar="auto|true|false", help="auto (Helm's default): "
                 "as the release's last revision was applied; true: server-side apply; "
                 "false: client-side.", show_default=False, rich_help_panel=ACTION_PANEL),
]  # fmt: skip
ForceConflicts = Annotated[
    bool,
    typer.Option("--force-conflicts", help="Server-side apply takes over fields another "
                 "field manager owns instead of failing on them (helm and chartsafe apply "
                 "under different manager names; see the README).",
                 rich_help_panel=ACTION_PANEL),
]  # fmt: skip
DisableOpenapiValidation = Annotated[
    bool,
    typer.Option("--disable-openapi-validation", help="Skip Helm's check of the manifest "
                 "against the API server's OpenAPI document (chartsafe's own schema "
                 "validation still runs; --no-validate turns that off).",
                 rich_help_panel=ACTION_PANEL),
]  # fmt: skip
ReplaceUninstalled = Annotated[
    bool,
    typer.Option("--replace", help="Reuse the name of an uninstalled release whose history "
                 "was kept (as helm; unsafe in production).", rich_help_panel=ACTION_PANEL),
]  # fmt: skip
RenderSubchartNotes = Annotated[
    bool,
    typer.Option("--render-subchart-notes", help="Print the subcharts' notes too (as helm).",
                 rich_help_panel=ACTION_PANEL),
]  # fmt: skip

HideNotes = Annotated[
    bool,
    typer.Option("--hide-notes", help="Do not print the chart's notes (they stay on the "
                 "release record).", rich_help_panel=ACTION_PANEL),
]  # fmt: skip
CleanupOnFail = Annotated[
    bool,
    typer.Option("--cleanup-on-fail", help="Delete the objects this action made when it fails.",
                 rich_help_panel=ACTION_PANEL),
]  # fmt: skip
HistoryMax = Annotated[
    int,
    typer.Option("--history-max", envvar="HELM_MAX_HISTORY",
                 help="Revisions of the release to keep; older records are deleted (0: no "
                 "limit).", rich_help_panel=ACTION_PANEL),
]  # fmt: skip

#: The epilog line of the commands that change a release.
#: The exit codes of the commands that read release records.
READ_EXIT_CODES = (
    "Exit codes: 0 done, 2 bad input, no such release, or the cluster cannot be reached."
)
ReleaseName = Annotated[str, typer.Argument(help="Release name.", show_default=False)]
RevisionToRead = Annotated[
    int | None, typer.Option("--revision", help="A given revision (default: the latest).")
]

EXIT_CODES = (
    "Exit codes: 0 done, 1 the action or validation failed, 2 bad input or the cluster "
    "cannot be reached."
)


def cluster_target(namespace: str | None, access: ClusterAccess, storage: str) -> ClusterTarget:
    namespace = release_namespace(namespace, access.kubeconfig, access.context)
    return ClusterTarget(namespace=namespace, access=access, storage=storage)


def name_and_chart(
    args: list[str], *, generate_name: bool | None = None, name_template: str | None = None
) -> tuple[str, str]:
    """``NAME CHART``, or ``CHART`` alone with ``generate_name`` or ``name_template``
    (install -g or --name-template, as helm; ``generate_name`` None: the command has no
    such flags). CHART stays a string so an ``oci://`` reference survives.
    """
    made = made_name(args, generate_name, name_template, "NAME CHART")
    if made is not None:
        return made, args[0]
    if len(args) != 2:
        more = "" if generate_name is None else ", or CHART with --generate-name"
        raise typer.BadParameter(f"expected NAME CHART{more}", param_hint="NAME CHART")
    return args[0], args[1]


NameChart = Annotated[
    list[str],
    typer.Argument(metavar="NAME CHART", help="Release name and chart (directory, .tgz, "
                   "or oci://HOST/PATH/NAME).",
                   show_default=False),
]  # fmt: skip
GenerateName = Annotated[
    bool,
    typer.Option("-g", "--generate-name", help="Give CHART alone: the release is named "
                 "after it and the time (CHART's base name, as helm).",
                 rich_help_panel=ACTION_PANEL),
]  # fmt: skip
