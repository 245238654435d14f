"""Release commands: install, upgrade, rollback, uninstall, status, history, list, get values.

Thin over ``chartsafe._release`` and ``chartsafe._release_info``: parse Helm's
flags, call one library function, print. Release records are Helm's own.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from .._helm_release import ClusterTarget
from ._app import app
from ._cluster_options import Kubeconfig, KubeContext
from ._options import (
    AgeKeyFile,
    ApiVersions,
    ChartVersion,
    CrdDirs,
    KubeVersion,
    NoValidate,
    Output,
    OutputFormat,
    PlainHttp,
    RegistryConfig,
    SetFile,
    SetJson,
    SetLiteral,
    SetString,
    SetValues,
    StoreFile,
    Values,
    open_chart,
    render_options,
    values_input,
)
from .check import CheckAgainst, SkipCheck, release_gate

_CLUSTER = "Cluster (as helm)"
_ACTION = "Release (as helm)"

ReleaseNamespace = Annotated[
    str | None,
    typer.Option(
        "-n",
        "--namespace",
        help="Release namespace [default: the kubeconfig context's, else default].",
        show_default=False,
        rich_help_panel=_CLUSTER,
    ),
]
Storage = Annotated[
    str,
    typer.Option(
        "--storage",
        envvar="HELM_DRIVER",
        help="Helm release storage: secret, configmap or memory (records live only "
        "in this process).",
        rich_help_panel=_CLUSTER,
    ),
]
Wait = Annotated[
    bool,
    typer.Option("--wait", help="Wait until every object is ready.", rich_help_panel=_ACTION),
]
Timeout = Annotated[
    str,
    typer.Option("--timeout", help="Time to wait for each step (Go duration, e.g. 5m).",
                 rich_help_panel=_ACTION),
]  # fmt: skip
DryRun = Annotated[
    str | None,
    typer.Option(
        "--dry-run",
        help="client: render and print, no cluster needed; server: also ask the API server.",
        rich_help_panel=_ACTION,
    ),
]
Atomic = Annotated[
    bool,
    typer.Option(
        "--atomic",
        "--rollback-on-failure",
        help="On failure, roll back (upgrade) or uninstall (install); implies --wait.",
        rich_help_panel=_ACTION,
    ),
]
Description = Annotated[
    str | None,
    typer.Option("--description", help="Custom description of the revision.",
                 rich_help_panel=_ACTION),
]  # fmt: skip

_EXIT = (
    "Exit codes: 0 done, 1 the action or validation failed, 2 bad input or the cluster "
    "cannot be reached."
)


def release_namespace(
    namespace: str | None, kubeconfig: Path | None, kube_context: str | None
) -> str:
    """``-n``, else the kubeconfig context's namespace, else ``default`` (as helm)."""
    if namespace:
        return namespace
    from .._cluster import ClusterError, load_cluster_config

    try:
        return load_cluster_config(kubeconfig, kube_context).namespace or "default"
    except ClusterError:
        return "default"  # no kubeconfig: the action itself will say so if it needs one


def cluster_target(
    namespace: str | None, kubeconfig: Path | None, kube_context: str | None, storage: str
) -> ClusterTarget:
    namespace = release_namespace(namespace, kubeconfig, kube_context)
    return ClusterTarget(
        namespace=namespace, kubeconfig=kubeconfig, kube_context=kube_context, storage=storage
    )


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2) + "\n")


def _print_outcome(outcome: Any, output: OutputFormat | None) -> None:
    from .._output import manifests_yaml

    notes = outcome.redact(outcome.notes)
    if output is OutputFormat.json:
        _print_json({**outcome.as_dict(), "notes": notes})
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


def name_and_chart(args: list[str]) -> tuple[str, str]:
    """``NAME CHART``; CHART stays a string so an ``oci://`` reference survives."""
    if len(args) != 2:
        raise typer.BadParameter("expected NAME CHART", param_hint="NAME CHART")
    return args[0], args[1]


NameChart = Annotated[
    list[str],
    typer.Argument(metavar="NAME CHART", help="Release name and chart (directory, .tgz, "
                   "or oci://HOST/PATH/NAME).",
                   show_default=False),
]  # fmt: skip


def _install_or_upgrade(action: str, args: list[str], **kw: Any) -> int:
    from .._release import ReleaseSettings, install_release, parse_timeout, upgrade_release

    name, chart = name_and_chart(args)
    settings = ReleaseSettings(
        wait=kw["wait"],
        timeout=parse_timeout(kw["timeout"]),
        atomic=kw["atomic"],
        dry_run=kw["dry_run"],
        description=kw["description"],
        create_namespace=kw.get("create_namespace", False),
        install=kw.get("install", False),
        cleanup_on_fail=kw.get("cleanup_on_fail", False),
        max_history=kw.get("max_history"),
    )
    target = cluster_target(kw["namespace"], kw["kubeconfig"], kw["kube_context"], kw["storage"])
    age_key_file, store = kw["refs"]
    values = values_input(*kw["values"], age_key_file=age_key_file, store=store)
    render = render_options(name, target.namespace, *kw["render"])
    run = install_release if action == "install" else upgrade_release
    gate = release_gate(name, chart, target, settings.dry_run, *kw["check"])
    with open_chart(chart, *kw["source"]) as path:
        outcome = run(
            name, path, values, target=target, settings=settings, render=render, gate=gate
        )
    _print_outcome(outcome, kw["output"])
    return 0


@app.command(
    epilog=(
        "Examples:\n\n"
        "  chartsafe install tc charts/tracecat -n tracecat --create-namespace -f values.yaml\n\n"
        "  chartsafe install tc charts/tracecat --dry-run client --storage memory\n\n"
        "  chartsafe install ap oci://registry.example.com/charts/agentapi-proxy --version 0.1.0 "
        "--dry-run client\n\n" + _EXIT
    )
)
def install(
    args: NameChart,
    values: Values = None,
    set_values: SetValues = None,
    set_string: SetString = None,
    set_file: SetFile = None,
    set_json: SetJson = None,
    set_literal: SetLiteral = None,
    age_key_file: AgeKeyFile = None,
    store: StoreFile = None,
    namespace: ReleaseNamespace = None,
    create_namespace: Annotated[
        bool,
        typer.Option(
            "--create-namespace",
            help="Create the namespace if it does not exist.",
            rich_help_panel=_ACTION,
        ),
    ] = False,
    wait: Wait = False,
    timeout: Timeout = "5m0s",
    atomic: Atomic = False,
    dry_run: DryRun = None,
    description: Description = None,
    kube_context: KubeContext = None,
    kubeconfig: Kubeconfig = None,
    storage: Storage = "secret",
    kube_version: KubeVersion = None,
    api_versions: ApiVersions = None,
    crd_dir: CrdDirs = None,
    no_validate: NoValidate = False,
    version: ChartVersion = None,
    plain_http: PlainHttp = False,
    registry_config: RegistryConfig = None,
    skip_check: SkipCheck = False,
    check_against: CheckAgainst = "cluster",
    output: Output = None,
) -> int:
    """Install a chart as a release, after validating every rendered object.

    The chart is rendered and validated first (values schema, Kubernetes and CRD
    schemas); an invalid object stops the install before the cluster is touched,
    and so does a gap in the Secrets the release needs (chartsafe check against the
    same cluster; --skip-check skips it). Then Helm's own install action runs; the
    release record is Helm's, so helm list shows it. With --dry-run the manifest is
    printed, Secret values masked.
    """
    return _install_or_upgrade(
        "install", args, values=(values, set_values, set_string, set_file, set_json, set_literal),
        refs=(age_key_file, store),
        render=(kube_version, api_versions, crd_dir, no_validate), namespace=namespace,
        create_namespace=create_namespace, wait=wait, timeout=timeout, atomic=atomic,
        dry_run=dry_run, description=description, kube_context=kube_context,
        kubeconfig=kubeconfig, storage=storage, output=output,
        source=(version, plain_http, registry_config), check=(skip_check, check_against),
    )  # fmt: skip


@app.command(
    epilog=(
        "Examples:\n\n"
        "  chartsafe upgrade tc charts/tracecat -n tracecat -f values.yaml --atomic\n\n"
        "  chartsafe upgrade --install tc charts/tracecat -n tracecat --wait --timeout 10m\n\n"
        + _EXIT
    )
)
def upgrade(
    args: NameChart,
    values: Values = None,
    set_values: SetValues = None,
    set_string: SetString = None,
    set_file: SetFile = None,
    set_json: SetJson = None,
    set_literal: SetLiteral = None,
    age_key_file: AgeKeyFile = None,
    store: StoreFile = None,
    namespace: ReleaseNamespace = None,
    install: Annotated[
        bool,
        typer.Option(
            "-i",
            "--install",
            help="Install when the release does not exist yet.",
            rich_help_panel=_ACTION,
        ),
    ] = False,
    create_namespace: Annotated[
        bool,
        typer.Option(
            "--create-namespace",
            help="With --install: create the namespace.",
            rich_help_panel=_ACTION,
        ),
    ] = False,
    wait: Wait = False,
    timeout: Timeout = "5m0s",
    atomic: Atomic = False,
    cleanup_on_fail: Annotated[
        bool,
        typer.Option(
            "--cleanup-on-fail",
            help="Delete new objects when the upgrade fails.",
            rich_help_panel=_ACTION,
        ),
    ] = False,
    max_history: Annotated[
        int | None,
        typer.Option(
            "--history-max", help="Revisions to keep (0: no limit).", rich_help_panel=_ACTION
        ),
    ] = None,
    dry_run: DryRun = None,
    description: Description = None,
    kube_context: KubeContext = None,
    kubeconfig: Kubeconfig = None,
    storage: Storage = "secret",
    kube_version: KubeVersion = None,
    api_versions: ApiVersions = None,
    crd_dir: CrdDirs = None,
    no_validate: NoValidate = False,
    version: ChartVersion = None,
    plain_http: PlainHttp = False,
    registry_config: RegistryConfig = None,
    skip_check: SkipCheck = False,
    check_against: CheckAgainst = "cluster",
    output: Output = None,
) -> int:
    """Upgrade a release to a chart and values, after validating every rendered object.

    Validation and the Secrets check run as for install; then Helm's upgrade action. See what would
    change first with: chartsafe diff upgrade NAME CHART.
    """
    return _install_or_upgrade(
        "upgrade", args, values=(values, set_values, set_string, set_file, set_json, set_literal),
        refs=(age_key_file, store),
        render=(kube_version, api_versions, crd_dir, no_validate), namespace=namespace,
        install=install, create_namespace=create_namespace, wait=wait, timeout=timeout,
        atomic=atomic, cleanup_on_fail=cleanup_on_fail, max_history=max_history,
        dry_run=dry_run, description=description, kube_context=kube_context,
        kubeconfig=kubeconfig, storage=storage, output=output,
        source=(version, plain_http, registry_config), check=(skip_check, check_against),
    )  # fmt: skip


@app.command(
    epilog=(
        "Examples:\n\n"
        "  chartsafe rollback tc -n tracecat          # to the previous revision\n\n"
        "  chartsafe rollback tc 3 -n tracecat --wait\n\n" + _EXIT
    )
)
def rollback(
    name: Annotated[str, typer.Argument(help="Release name.", show_default=False)],
    revision: Annotated[
        int | None, typer.Argument(help="Revision to return to [default: the previous one].")
    ] = None,
    namespace: ReleaseNamespace = None,
    wait: Wait = False,
    timeout: Timeout = "5m0s",
    dry_run: DryRun = None,
    kube_context: KubeContext = None,
    kubeconfig: Kubeconfig = None,
    storage: Storage = "secret",
    output: Output = None,
) -> int:
    """Roll a release back to an earlier revision (as a new revision, like helm)."""
    from .._release import ReleaseSettings, parse_timeout, rollback_release

    info = rollback_release(
        name,
        revision,
        target=cluster_target(namespace, kubeconfig, kube_context, storage),
        settings=ReleaseSettings(wait=wait, timeout=parse_timeout(timeout), dry_run=dry_run),
    )
    if output is OutputFormat.json:
        _print_json(info.as_dict())
    else:
        done = "would be rolled back" if dry_run else "rolled back"
        print(f"release {info.name} {done}; now at revision {info.revision} ({info.status})")
    return 0


@app.command(
    epilog=(
        "Examples:\n\n"
        "  chartsafe uninstall tc -n tracecat\n\n"
        "  chartsafe uninstall tc -n tracecat --keep-history\n\n" + _EXIT
    )
)
def uninstall(
    name: Annotated[str, typer.Argument(help="Release name.", show_default=False)],
    namespace: ReleaseNamespace = None,
    keep_history: Annotated[
        bool,
        typer.Option(
            "--keep-history",
            help="Keep the release records (status uninstalled).",
            rich_help_panel=_ACTION,
        ),
    ] = False,
    ignore_not_found: Annotated[
        bool,
        typer.Option(
            "--ignore-not-found", help="A missing release is not an error.", rich_help_panel=_ACTION
        ),
    ] = False,
    wait: Wait = False,
    timeout: Timeout = "5m0s",
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would be removed; remove nothing.")
    ] = False,
    kube_context: KubeContext = None,
    kubeconfig: Kubeconfig = None,
    storage: Storage = "secret",
    output: Output = None,
) -> int:
    """Remove a release's objects and (unless --keep-history) its records."""
    from .._release import ReleaseSettings, parse_timeout, uninstall_release

    info = uninstall_release(
        name,
        keep_history=keep_history,
        ignore_not_found=ignore_not_found,
        target=cluster_target(namespace, kubeconfig, kube_context, storage),
        settings=ReleaseSettings(
            wait=wait, timeout=parse_timeout(timeout), dry_run="client" if dry_run else None
        ),
    )
    if output is OutputFormat.json:
        _print_json(info.as_dict())
    else:
        print(f'release "{name}" {"would be " if dry_run else ""}uninstalled')
    return 0
