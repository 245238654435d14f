"""``chartsafe check``: is the release's contract met by a cluster or by manifests on disk?

Thin over ``chartsafe.check``; the report is printed as install/upgrade print their gate's
(``_check_gate``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._app import app
from ._check_gate import print_report
from ._cluster_flags import FROM_FLAGS, ClusterAccess, with_cluster_access
from ._options import (
    AgeKeyFile,
    ApiVersions,
    EnableDns,
    KubeVersion,
    Output,
    ReleaseArgs,
    SkipSchemaValidation,
    StoreFile,
    release_and_chart,
    render_options,
)
from ._print import DATA_FORMATS, print_data
from ._source_options import FROM_SOURCE_FLAGS, SourceFlags, takes_chart
from ._value_options import FROM_VALUE_FLAGS, ValueFlags, takes_values


@app.command(
    epilog=(
        "Examples:\n\n"
        "  chartsafe check tracecat charts/tracecat -n tracecat "
        "-f charts/tracecat/examples/values-minikube.yaml --against cluster\n\n"
        "  chartsafe check tracecat charts/tracecat -n tracecat "
        "-f charts/tracecat/examples/values-minikube.yaml --against gitops/tracecat/\n\n"
        "  chartsafe check oci://registry.example.com/charts/tracecat --version 0.1.0 "
        "--against cluster\n\n"
        "  kubectl get secrets -n tracecat -o yaml > s.yaml && "
        "chartsafe check charts/tracecat -n tracecat "
        "-f charts/tracecat/examples/values-minikube.yaml --against s.yaml -o json\n\n"
        "  chartsafe check tracecat charts/tracecat -n tracecat "
        "-f charts/tracecat/examples/values-minikube.yaml --against cluster "
        "--is-upgrade  # before helm upgrade\n\n"
        "Exit codes: 0 contract met, 1 a gap (each listed with its fix), 2 bad input, "
        "the cluster cannot be read, or RBAC denies listing Secrets."
    )
)
@with_cluster_access
@takes_chart
@takes_values
def check(
    args: ReleaseArgs,
    against: Annotated[
        str,
        typer.Option(
            "--against",
            help="'cluster' (the live cluster, through the Kubernetes API), a directory of "
            "manifests (walked recursively), or one YAML/JSON file. A directory named "
            "cluster: ./cluster.",
            show_default=False,
        ),
    ],
    values: ValueFlags = FROM_VALUE_FLAGS,
    age_key_file: AgeKeyFile = None,
    store: StoreFile = None,
    namespace: Annotated[
        str | None,
        typer.Option(
            "-n",
            "--namespace",
            help="Release namespace (default: $HELM_NAMESPACE, else the kubeconfig context's, else "
            "default). "
            "Manifests without a namespace count for it.",
            show_default=False,
        ),
    ] = None,
    is_upgrade: Annotated[
        bool,
        typer.Option(
            "--is-upgrade",
            help="Check for an upgrade of the deployed release: rendered with "
            ".Release.IsUpgrade, and the Secrets and ConfigMaps of the release that its "
            "pre-upgrade hooks read must be there already (the upgrade runs them before it "
            "applies the new chart's objects).",
        ),
    ] = False,
    skip_tests: Annotated[
        bool,
        typer.Option(
            "--skip-tests",
            help="Leave out test hooks: the Secrets only they read (needed by chartsafe test, "
            "never by install) are not listed.",
        ),
    ] = False,
    kube_version: KubeVersion = None,
    api_versions: ApiVersions = None,
    skip_schema_validation: SkipSchemaValidation = False,
    enable_dns: EnableDns = False,
    access: ClusterAccess = FROM_FLAGS,
    source: SourceFlags = FROM_SOURCE_FLAGS,
    output: Output = None,
) -> int:
    """Check that every Secret and key the release needs before install exists and looks right.

    The chart is rendered and its contract derived (see chartsafe contract); each
    Secret it must find is looked up in the live cluster (one list call per
    namespace) or in manifests: Secrets, kubectl get -o yaml Lists, SealedSecrets
    and ExternalSecrets (these count as "will exist with these keys"; their values
    cannot be checked). Each key is present, missing, empty, or implausible for its
    format (a URL without its scheme, base64 of the wrong length, a PEM that does not
    parse, a placeholder such as changeme); a format recorded in --store (secrets set
    --format) is checked for where only the key's name suggests one. Optional Secrets
    and keys never fail, nor do those only test hooks read (install never runs them);
    hook-order hazards do. ConfigMaps the pods read and the release does not create
    must exist too, with the keys they name. Every gap comes with the command that
    fixes it. Values are never printed.
    """
    from ..check import check_chart
    from ._cluster_options import release_namespace

    name, chart = release_and_chart(args)
    ns = release_namespace(namespace, access.kubeconfig, access.context)
    values_in = values.input(age_key_file=age_key_file, store=store)
    render = render_options(
        name, ns, kube_version, api_versions, None, True, is_upgrade=is_upgrade,
        values_schema=not skip_schema_validation, enable_dns=enable_dns, skip_tests=skip_tests,
    )  # fmt: skip
    formats, unread = _store_formats(store, age_key_file)
    with source.open(chart) as path:
        report = check_chart(
            path,
            values_in,
            render,
            against,
            access=access,
            store=str(store) if store else None,
            label=str(chart),
            formats=formats,
        )
    if unread:
        report.warnings.append(unread)
    if output in DATA_FORMATS:
        print_data(report.as_dict(), output)
    else:
        print_report(report)
    return 0 if report.ok else 1


def _store_formats(
    store: Path | None, key_file: Path | None
) -> tuple[dict[tuple[str, str, str], str], str]:
    """The formats ``--store`` records for its keys (``secrets set --format``), which the
    check takes over a guess from a key's name; and, when the store cannot be read, the
    warning saying so (the check goes on with the guesses: the store only helps it)."""
    from .._errors import ChartsafeError
    from ..check._run import recorded_formats
    from ..store.secret_store import SecretStore

    if store is None or not store.is_file():
        return {}, ""
    try:
        return recorded_formats(SecretStore.open(store, key_file=key_file)), ""
    except ChartsafeError as exc:
        return {}, f"--store {store}: its recorded formats were not read ({exc.message})"
