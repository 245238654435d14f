"""``chartsafe diff upgrade``: what an upgrade would change, with Secret values never shown."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ._app import app
from ._cluster_flags import FROM_FLAGS, ClusterAccess, with_cluster_access
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
    render_options,
)
from ._print import DATA_FORMATS, print_data
from ._release_options import (
    NameChart,
    ReleaseNamespace,
    ResetThenReuseValues,
    ResetValues,
    ReuseValues,
    Storage,
    cluster_target,
    name_and_chart,
    reused_values_note,
)
from ._source_options import FROM_SOURCE_FLAGS, SourceFlags, takes_chart
from ._value_options import FROM_VALUE_FLAGS, ValueFlags, takes_values

diff_app = typer.Typer(help="Show what a release action would change.", no_args_is_help=True)
app.add_typer(diff_app, name="diff")


@diff_app.command(
    "upgrade",
    epilog=(
        "Examples:\n\n"
        "  chartsafe diff upgrade tc charts/tracecat -n tracecat -f values.yaml\n\n"
        "  chartsafe diff upgrade tc charts/tracecat -n tracecat -o json --exit-code\n\n"
        "Exit codes: 0 done (with --exit-code: no changes), 1 changes (with --exit-code) or "
        "invalid objects, 2 bad input, no such release, or the cluster cannot be reached."
    ),
)
@with_cluster_access
@takes_chart
@takes_values
def diff_upgrade(
    args: NameChart,
    values: ValueFlags = FROM_VALUE_FLAGS,
    age_key_file: AgeKeyFile = None,
    store: StoreFile = None,
    namespace: ReleaseNamespace = None,
    access: ClusterAccess = FROM_FLAGS,
    storage: Storage = "secret",
    kube_version: ReleaseKubeVersion = None,
    api_versions: ReleaseApiVersions = None,
    crd_dir: CrdDirs = None,
    no_validate: NoValidate = False,
    skip_schema_validation: SkipSchemaValidation = False,
    enable_dns: EnableDns = False,
    reset_values: ResetValues = False,
    reuse_values: ReuseValues = False,
    reset_then_reuse_values: ResetThenReuseValues = False,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help="Exit 1 when the upgrade would change anything.")
    ] = False,
    source: SourceFlags = FROM_SOURCE_FLAGS,
    output: Output = None,
) -> int:
    """Compare a deployed release with the chart and values an upgrade would apply.

    Object by object, as a unified diff of the YAML. A Secret's values never
    appear: its keys are listed as added, removed or changed, with sizes in
    bytes. Only the release record is read; nothing is changed. The chart is
    rendered locally, so lookup() calls in templates see no cluster objects.
    """
    from .._diff import diff_upgrade as run_diff

    name, chart = name_and_chart(args)
    target = cluster_target(namespace, access, storage)
    with source.open(chart) as path:
        result = run_diff(
            name,
            path,
            values.input(age_key_file=age_key_file, store=store),
            target=target,
            render=render_options(
                name,
                target.namespace,
                kube_version,
                api_versions,
                crd_dir,
                no_validate,
                values_schema=not skip_schema_validation,
                enable_dns=enable_dns,
            ),
            reset_values=reset_values,
            reuse_values=reuse_values,
            reset_then_reuse_values=reset_then_reuse_values,
        )
    if result.reused_values_from is not None and output not in DATA_FORMATS:
        note = reused_values_note(result.reused_values_from, result.reused_values_flag, done=False)
        print(note, file=sys.stderr)
    if output in DATA_FORMATS:
        print_data(result.as_dict(), output)
    elif not result.changes:
        print(f"release {name}: no changes (revision {result.from_revision})")
    else:
        for change in result.changes:
            hook = " (hook)" if change.hook else ""
            print(f"{change.ref}{hook}: {change.change}")
            for key in change.secret_keys:
                print(f"  data.{key}")
            sys.stdout.write(change.diff)
    return 1 if exit_code and result.changed else 0
