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
    Atomic,
    CreateNamespace,
    Description,
    DisableOpenapiValidation,
    DryRun,
    GenerateName,
    HideNotes,
    Labels,
    NoHooks,
    ReleaseNamespace,
    RenderSubchartNotes,
    ReplaceUninstalled,
    ServerSideInstall,
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
        "  chartsafe install tc charts/tracecat -n tracecat --create-namespace -f values.yaml\n\n"
        "  chartsafe install tc charts/tracecat --dry-run client --storage memory\n\n"
        "  chartsafe install charts/tracecat -g -n tracecat\n\n"
        "  chartsafe install ap oci://registry.example.com/charts/agentapi-proxy --version 0.1.0 "
        "--dry-run client\n\n" + EXIT_CODES
    )
)
@with_cluster_access
@takes_chart
@takes_values
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
    create_namespace: CreateNamespace = False,
    generate_name: GenerateName = False,
    name_template: NameTemplate = None,
    wait: Wait = False,
    timeout: Timeout = "5m0s",
    atomic: Atomic = False,
    dry_run: DryRun = None,
    no_hooks: NoHooks = False,
    skip_crds: SkipCrds = False,
    labels: Labels = None,
    take_ownership: TakeOwnership = False,
    wait_for_jobs: WaitForJobs = False,
    server_side: ServerSideInstall = None,
    replace: ReplaceUninstalled = False,
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
    """Install a chart as a release, after validating every rendered object.

    The chart is rendered and validated first (values schema, Kubernetes and CRD
    schemas), with the cluster's version and API versions as Helm's install renders
    it; an invalid object stops the install before anything is sent to the cluster,
    and so does a gap in the Secrets the release needs (chartsafe check against the
    same cluster; --skip-check skips it). Then Helm's own install action runs; the
    release record is Helm's, so helm list shows it. With --dry-run the manifest is
    printed, Secret values masked.
    """
    return install_or_upgrade(
        "install", args, values=values,
        refs=(age_key_file, store),
        render=(kube_version, api_versions, crd_dir, no_validate),
        render_flags=(skip_schema_validation, enable_dns), namespace=namespace,
        create_namespace=create_namespace, generate_name=generate_name,
        name_template=name_template, wait=wait,
        timeout=timeout, atomic=atomic,
        dry_run=dry_run, description=description, access=access,
        storage=storage, output=output, no_hooks=no_hooks,
        skip_crds=skip_crds, labels=labels, take_ownership=take_ownership,
        wait_for_jobs=wait_for_jobs, server_side=server_side, replace=replace,
        disable_openapi_validation=disable_openapi_validation,
        render_subchart_notes=render_subchart_notes, hide_notes=hide_notes,
        dependency_update=dependency_update,
        source=source,
        check=(skip_check, check_against),
    )  # fmt: skip
