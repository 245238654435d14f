"""``chartsafe upgrade``: Helm's upgrade (``--install`` too), after validation and the
Secrets check.

The flow it shares with ``install`` is in ``_install_or_upgrade``.
"""

from __future__ import annotations

from typing import Annotated

import typer

from ._app import app
from ._check_gate import CheckAgainst, SkipCheck
from ._cluster_flags import FROM_FLAGS, ClusterAccess, with_cluster_access
from ._install_or_upgrade import install_or_upgrade
from ._options import (
    AgeKeyFile,
    CrdDirs,
    EnableDns,
    NoValidate,
    Output,
    ReleaseApiVersions,
    ReleaseKubeVersion,
    SkipSchemaValidation,
    StoreFile,
)
from ._release_options import (
    ACTION_PANEL,
    DEFAULT_MAX_HISTORY,
    EXIT_CODES,
    Atomic,
    CleanupOnFail,
    Description,
    DisableOpenapiValidation,
    DryRun,
    ForceConflicts,
    ForceReplace,
    HideNotes,
    HistoryMax,
    Labels,
    NameChart,
    NoHooks,
    ReleaseNamespace,
    RenderSubchartNotes,
    ResetThenReuseValues,
    ResetValues,
    ReuseValues,
    ServerSide,
    SkipCrds,
    Storage,
    TakeOwnership,
    Timeout,
    Wait,
    WaitForJobs,
)
from ._source_options import FROM_SOURCE_FLAGS, DependencyUpdate, SourceFlags, takes_chart
from ._value_options import FROM_VALUE_FLAGS, ValueFlags, takes_values


@app.command(
    epilog=(
        "Examples:\n\n"
        "  chartsafe upgrade tc charts/tracecat -n tracecat -f values.yaml --atomic\n\n"
        "  chartsafe upgrade --install tc charts/tracecat -n tracecat --wait --timeout 10m\n\n"
        + EXIT_CODES
    )
)
@with_cluster_access
@takes_chart
@takes_values
def upgrade(
    args: NameChart,
    values: ValueFlags = FROM_VALUE_FLAGS,
    age_key_file: AgeKeyFile = None,
    store: StoreFile = None,
    namespace: ReleaseNamespace = None,
    install: Annotated[
        bool,
        typer.Option(
            "-i",
            "--install",
            help="Install when the release does not exist yet.",
            rich_help_panel=ACTION_PANEL,
        ),
    ] = False,
    create_namespace: Annotated[
        bool,
        typer.Option(
            "--create-namespace",
            help="With --install: create the namespace.",
            rich_help_panel=ACTION_PANEL,
        ),
    ] = False,
    wait: Wait = False,
    timeout: Timeout = "5m0s",
    atomic: Atomic = False,
    cleanup_on_fail: CleanupOnFail = False,
    max_history: HistoryMax = DEFAULT_MAX_HISTORY,
    reset_values: ResetValues = False,
    reuse_values: ReuseValues = False,
    reset_then_reuse_values: ResetThenReuseValues = False,
    dry_run: DryRun = None,
    no_hooks: NoHooks = False,
    skip_crds: SkipCrds = False,
    labels: Labels = None,
    take_ownership: TakeOwnership = False,
    wait_for_jobs: WaitForJobs = False,
    force_replace: ForceReplace = False,
    server_side: ServerSide = None,
    force_conflicts: ForceConflicts = False,
    disable_openapi_validation: DisableOpenapiValidation = False,
    description: Description = None,
    hide_notes: HideNotes = False,
    render_subchart_notes: RenderSubchartNotes = False,
    access: ClusterAccess = FROM_FLAGS,
    storage: Storage = "secret",
    kube_version: ReleaseKubeVersion = None,
    api_versions: ReleaseApiVersions = None,
    crd_dir: CrdDirs = None,
    no_validate: NoValidate = False,
    skip_schema_validation: SkipSchemaValidation = False,
    enable_dns: EnableDns = False,
    dependency_update: DependencyUpdate = False,
    source: SourceFlags = FROM_SOURCE_FLAGS,
    skip_check: SkipCheck = False,
    check_against: CheckAgainst = "cluster",
    output: Output = None,
) -> int:
    """Upgrade a release to a chart and values, after validating every rendered object.

    Validation and the Secrets check run as for install; then Helm's upgrade action.
    As in Helm, an upgrade given no values reuses the current revision's, and
    --reuse-values and --reset-then-reuse-values merge the values given over them;
    the render validated and checked is the one Helm applies.

    See what would change first with: chartsafe diff upgrade NAME CHART.
    """
    return install_or_upgrade(
        "upgrade", args, values=values,
        refs=(age_key_file, store),
        render=(kube_version, api_versions, crd_dir, no_validate),
        render_flags=(skip_schema_validation, enable_dns), namespace=namespace,
        install=install, create_namespace=create_namespace, wait=wait, timeout=timeout,
        atomic=atomic, cleanup_on_fail=cleanup_on_fail, max_history=max_history,
        reset_values=reset_values, reuse_values=reuse_values,
        reset_then_reuse_values=reset_then_reuse_values, dry_run=dry_run,
        description=description, access=access,
        storage=storage, output=output, no_hooks=no_hooks,
        skip_crds=skip_crds, labels=labels, take_ownership=take_ownership,
        wait_for_jobs=wait_for_jobs, force_replace=force_replace, server_side=server_side,
        force_conflicts=force_conflicts, render_subchart_notes=render_subchart_notes,
        disable_openapi_validation=disable_openapi_validation,
        hide_notes=hide_notes, dependency_update=dependency_update,
        source=source,
        check=(skip_check, check_against),
    )  # fmt: skip
