"""``chartsafe check``: is the release's contract met by a cluster or by manifests on disk?

Thin over ``chartsafe.check``. ``print_report`` is shared with install/upgrade, which run
the same check as their gate and print the gaps before stopping.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from ..check import CheckReport, SecretCheck

if TYPE_CHECKING:
    from .._helm_release import ClusterTarget
    from .._render import RenderResult
from ._app import app
from ._cluster_options import Kubeconfig, KubeContext
from ._options import (
    AgeKeyFile,
    ApiVersions,
    ChartVersion,
    KubeVersion,
    Output,
    OutputFormat,
    PlainHttp,
    RegistryConfig,
    ReleaseArgs,
    SetFile,
    SetJson,
    SetLiteral,
    SetString,
    SetValues,
    StoreFile,
    Values,
    open_chart,
    release_and_chart,
    render_options,
    values_input,
)

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
        "'cluster' the check is skipped: there is no cluster.",
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
    return f"{'ok ' if secret.ok else 'GAP'} Secret {where}: {state}"


def print_report(report: CheckReport, out: TextIO | None = None, *, summary: bool = True) -> None:
    """The report as text: each required Secret, each key, each gap with its fix."""
    say = (out or sys.stdout).write
    say(f"Release {report.release} (chart {report.chart}) against {report.against}\n")
    if not report.secrets:
        say("  the release needs no Secret before install\n")
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
    there is no cluster to check: the check is skipped, with a note, unless ``against``
    names manifests; ``--skip-check`` gets a note too.
    """
    from ..check import contract_gate, source_for

    note = ""
    if skip:
        note = "--skip-check: the release's Secrets were not checked"
    elif against == "cluster" and dry_run == "client":
        note = (
            "--dry-run client reaches no cluster, so the Secrets were not checked "
            "(--check-against DIR checks manifests; chartsafe check --against cluster "
            "checks a cluster)"
        )
    if note:
        # Said once the render has succeeded, so a bad input stays a one-line error.
        def say(result: RenderResult) -> None:
            print(f"chartsafe: note: {note}", file=sys.stderr)

        return say
    source = source_for(against, namespace=target.namespace, kubeconfig=target.kubeconfig,
                        kube_context=target.kube_context)  # fmt: skip

    def show(report: CheckReport) -> None:
        if not report.ok:
            print_report(report, sys.stderr, summary=False)

    return contract_gate(source, release=name, chart=chart, namespace=target.namespace,
                         against=against, on_report=show)  # fmt: skip


@app.command(
    epilog=(
        "Examples:\n\n"
        "  chartsafe check tracecat charts/tracecat -n tracecat -f values.yaml "
        "--against cluster\n\n"
        "  chartsafe check tracecat charts/tracecat -n tracecat --against gitops/tracecat/\n\n"
        "  chartsafe check oci://registry.example.com/charts/tracecat --version 0.1.0 "
        "--against cluster\n\n"
        "  kubectl get secrets -n tracecat -o yaml > s.yaml && "
        "chartsafe check charts/tracecat -n tracecat --against s.yaml -o json\n\n"
        "Exit codes: 0 contract met, 1 a gap (each listed with its fix), 2 bad input, "
        "the cluster cannot be read, or RBAC denies listing Secrets."
    )
)
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
    values: Values = None,
    set_values: SetValues = None,
    set_string: SetString = None,
    set_file: SetFile = None,
    set_json: SetJson = None,
    set_literal: SetLiteral = None,
    age_key_file: AgeKeyFile = None,
    store: StoreFile = None,
    namespace: Annotated[
        str | None,
        typer.Option(
            "-n",
            "--namespace",
            help="Release namespace (default: the kube context's with --against cluster, "
            "else default). Manifests without a namespace count for it.",
            show_default=False,
        ),
    ] = None,
    kube_version: KubeVersion = None,
    api_versions: ApiVersions = None,
    kube_context: KubeContext = None,
    kubeconfig: Kubeconfig = None,
    version: ChartVersion = None,
    plain_http: PlainHttp = False,
    registry_config: RegistryConfig = None,
    output: Output = None,
) -> int:
    """Check that every Secret and key the release needs before install exists and looks right.

    The chart is rendered and its contract derived (see chartsafe contract); each
    Secret it must find is looked up in the live cluster (one list call per
    namespace) or in manifests: Secrets, kubectl get -o yaml Lists, SealedSecrets
    and ExternalSecrets (these count as "will exist with these keys"; their values
    cannot be checked). Each key is present, missing, empty, or implausible for its
    format (a URL without its scheme, base64 of the wrong length, a PEM that does not
    parse, a placeholder such as changeme). Optional Secrets and keys never fail;
    hook-order hazards do. Every gap comes with the command that fixes it. Values are
    never printed.
    """
    from ..check import check_chart
    from ._release_options import release_namespace

    name, chart = release_and_chart(args)
    if against == "cluster":
        ns = release_namespace(namespace, kubeconfig, kube_context)
    else:
        ns = namespace or "default"
    values_in = values_input(values, set_values, set_string, set_file, set_json, set_literal,
                             age_key_file=age_key_file, store=store)  # fmt: skip
    with open_chart(chart, version, plain_http, registry_config) as path:
        report = check_chart(
            path,
            values_in,
            render_options(name, ns, kube_version, api_versions, None, True),
            against,
            kubeconfig=kubeconfig,
            kube_context=kube_context,
            store=str(store) if store else None,
            label=str(chart),
        )
    if output is OutputFormat.json:
        print(json.dumps(report.as_dict(), indent=2))
    elif output is OutputFormat.yaml:
        import yaml

        print(yaml.safe_dump(report.as_dict(), sort_keys=False), end="")
    else:
        print_report(report)
    return 0 if report.ok else 1
