"""``chartsafe install``: Helm's install, after validation and the Secrets check.

The flow it shares with ``upgrade`` is in ``_install_or_upgrade``.
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
    NameTemplate,
    NoValidate,
    Output,
    ReleaseApiVersions,
    ReleaseKubeVersion,
    SkipSchemaValidation,
    StoreFile,
)
from ._release_options import (
    EXIT_CODES,
    GenerateName,
    HideNotes,
    ReleaseNamespace,
    ServerSideInstall,
    Storage,
)
from ._settings_flags import DEFAULT_SETTINGS, ReleaseSettings, takes_settings
from ._source_options import FROM_SOURCE_FLAGS, DependencyUpdate, SourceFlags, takes_chart
from ._value_options import FROM_VALUE_FLAGS, ValueFlags, takes_values

#: Helm's action flags install takes, in help order (see _settings_flags).
_SETTINGS = (
    "create_namespace", "wait", "timeout", "atomic", "dry_run", "no_hooks", "skip_crds", "labels",
    "take_ownership", "wait_for_jobs", "server_side", "replace", "disable_openapi_validation",
    "description", "render_subchart_notes",
)  # fmt: skip


@app.command(
    epilog=(
        "Examples:\n\n"
        "  chartsafe install tc charts/tracecat -n tracecat --create-namespace "
        "-f charts/tracecat/examples/values-minikube.yaml\n\n"
        "  chartsafe install tc charts/tracecat -f charts/tracecat/examples/values-minikube.yaml "
        "--dry-run client --storage memory\n\n"
        "  chartsafe install charts/tracecat -g -n tracecat "
        "-f charts/tracecat/examples/values-minikube.yaml\n\n"
        "  chartsafe install ap oci://registry.example.com/charts/agentapi-proxy --version 0.1.0 "
        "--dry-run client\n\n" + EXIT_CODES
    )
)
@with_cluster_access
@takes_chart
@takes_values
@takes_settings(*_SETTINGS, server_side=ServerSideInstall)
def install(
    args: Annotated[
        list[str],
        typer.Argument(
            metavar="[NAME] CHART",
            help="Release name and chart (directory, "
            ".tgz, or oci://HOST/PATH/NAME); CHART alone with --generate-name.",
            show_default=False,
        ),
    ],
    values: ValueFlags = FROM_VALUE_FLAGS,
    age_key_file: AgeKeyFile = None,
    store: StoreFile = None,
    namespace: ReleaseNamespace = None,
    generate_name: GenerateName = False,
    name_template: NameTemplate = None,
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
    """Install a chart as a release, after validating every rendered object.

    The chart is rendered and validated first (values schema, Kubernetes and CRD
    schemas), with the cluster's version and API versions as Helm's install renders
    it; an invalid object stops the install before anything is sent to the cluster,
    and so does a gap in the Secrets the release needs (chartsafe check against the
    same cluster; --skip-check skips it). Then Helm's own install action runs; the
    release record is Helm's, so helm list shows it. With --dry-run the manifest is
    printed, Secret values masked.

    -o json and -o yaml print Helm's release object, as helm install does: the revision
    written, read back from its record (with --dry-run, the release Helm would write), in
    the shape of status -o json plus the chart's metadata, every secret value masked.
    Warnings and notes of chartsafe's own go to stderr.
    """
    return install_or_upgrade(
        "install", args, settings, values=values, refs=(age_key_file, store),
        render=(kube_version, api_versions, crd_dir, no_validate),
        render_flags=(skip_schema_validation, enable_dns), namespace=namespace, access=access,
        storage=storage, dependency_update=dependency_update, source=source,
        check=(skip_check, check_against), output=output, hide_notes=hide_notes,
        generate_name=generate_name, name_template=name_template,
    )  # fmt: skip
