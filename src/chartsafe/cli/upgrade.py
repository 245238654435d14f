"""``chartsafe upgrade``: Helm's upgrade (``--install`` too), after validation and the
Secrets check.

The flow it shares with ``install`` is in ``_install_or_upgrade``.
"""

from __future__ import annotations

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
    EXIT_CODES,
    CreateNamespaceOnInstall,
    DryRunUpgrade,
    HideNotes,
    NameChart,
    ReleaseNamespace,
    Storage,
)
from ._settings_flags import DEFAULT_SETTINGS, ReleaseSettings, takes_settings
from ._source_options import FROM_SOURCE_FLAGS, DependencyUpdate, SourceFlags, takes_chart
from ._value_options import FROM_VALUE_FLAGS, ValueFlags, takes_values

#: Helm's action flags upgrade takes, in help order (see _settings_flags).
_SETTINGS = (
    "install", "create_namespace", "wait", "timeout", "atomic", "cleanup_on_fail", "max_history",
    "reset_values", "reuse_values", "reset_then_reuse_values", "dry_run", "no_hooks", "skip_crds",
    "labels", "take_ownership", "wait_for_jobs", "force_replace", "server_side", "force_conflicts",
    "disable_openapi_validation", "description", "render_subchart_notes",
)  # fmt: skip


@app.command(
    epilog=(
        "Examples:\n\n"
        "  chartsafe upgrade tc charts/tracecat -n tracecat "
        "-f charts/tracecat/examples/values-minikube.yaml --atomic\n\n"
        "  chartsafe upgrade --install tc charts/tracecat -n tracecat "
        "-f charts/tracecat/examples/values-minikube.yaml --wait --timeout 10m\n\n" + EXIT_CODES
    )
)
@with_cluster_access
@takes_chart
@takes_values
@takes_settings(*_SETTINGS, create_namespace=CreateNamespaceOnInstall, dry_run=DryRunUpgrade)
def upgrade(
    args: NameChart,
    values: ValueFlags = FROM_VALUE_FLAGS,
    age_key_file: AgeKeyFile = None,
    store: StoreFile = None,
    namespace: ReleaseNamespace = None,
    settings: ReleaseSettings = DEFAULT_SETTINGS,
    hide_notes: HideNotes = False,
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

    -o json and -o yaml print Helm's release object, as helm upgrade does (see
    chartsafe install --help); which revision's values were reused is said on stderr.

    See what would change first with: chartsafe diff upgrade NAME CHART.
    """
    return install_or_upgrade(
        "upgrade", args, settings, values=values,
        refs=(age_key_file, store), render=(kube_version, api_versions, crd_dir, no_validate),
        render_flags=(skip_schema_validation, enable_dns), namespace=namespace, access=access,
        storage=storage, dependency_update=dependency_update, source=source,
        check=(skip_check, check_against), output=output, hide_notes=hide_notes,
    )  # fmt: skip
