"""``chartsafe up``: the main job, chart to running release (or deploy bundle) in one command.

Thin over :func:`chartsafe._up.up`: parse Helm's and the delivery flags, run, print the plan.
Progress goes to stderr, one line per step; the plan (or ``-o json``) to stdout.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from ._app import app
from ._cluster_flags import FROM_FLAGS, ClusterAccess, with_cluster_access
from ._external_options import (
    CreationPolicy,
    DeletionPolicy,
    Prefix,
    Provider,
    RefreshInterval,
    Region,
    StoreKind,
    StoreRef,
    StoreSetting,
    WithStore,
)
from ._options import (
    AgeKeyFile,
    EnableDns,
    Output,
    OutputFormat,
    ReleaseApiVersions,
    ReleaseArgs,
    ReleaseKubeVersion,
    SkipSchemaValidation,
    backends_help,
    release_and_chart,
    render_options,
)
from ._print import DATA_FORMATS, print_data
from ._release_options import DryRunUp, ReleaseNamespace, Storage, cluster_target
from ._sealed_options import (
    CONTROLLER_NAME,
    CONTROLLER_NAMESPACE,
    CertOption,
    ControllerName,
    ControllerNamespace,
    cluster_options,
    controller_options,
)
from ._settings_flags import DEFAULT_SETTINGS, ReleaseSettings, takes_settings
from ._source_options import FROM_SOURCE_FLAGS, SourceFlags, takes_chart
from ._value_options import FROM_VALUE_FLAGS, ValueFlags, takes_values

_DELIVER = "Delivery"

_EPILOG = (
    "Examples:\n\n"
    "  chartsafe up tracecat charts/tracecat -n tracecat -f values.yaml "
    "--store secrets.sops.yaml --deliver secret --create-namespace\n\n"
    "  chartsafe up tracecat charts/tracecat -n tracecat -f values.yaml "
    "--store secrets.sops.yaml --deliver sealed --cert cert.pem --out bundle/\n\n"
    "  chartsafe up tc charts/tracecat -f values.yaml --store s.sops.yaml "
    "--dry-run client --storage memory\n\n"
    "Steps: render, contract, secrets init, deliver, check, install or upgrade (then the "
    "workloads reading a rotated key restart). With --out DIR, or when no cluster answers, "
    "a deploy bundle is written instead: PLAN.md, secrets.yaml (0600), manifests.yaml, "
    "values-overrides.yaml, CONTRACT.md.\n\n"
    "Exit codes: 0 done, 1 a key only a person knows is missing (the chartsafe secrets set "
    "lines are printed), the check or the release failed; 2 bad input."
)


def _say(line: str) -> None:
    print(f"==> {line}" if line.startswith("[") else line, file=sys.stderr, flush=True)


def _print_result(result: Any, output: OutputFormat | None) -> None:
    from .._bundle import plan_lines

    if output in DATA_FORMATS:
        print_data(result.as_dict(), output)
        return
    if result.note:
        print(f"chartsafe: {result.note}", file=sys.stderr)
    if result.check is not None and not result.check.ok:
        return
    title = {"bundle": "would apply", "dry-run": "would apply (dry run)", "release": "applied"}
    print(
        f"Plan for release {result.release} in namespace {result.namespace} "
        f"({title[result.mode]}, in order):"
    )
    print("\n".join(plan_lines(result.plan)))
    if result.bundle:
        print(f"Bundle: {result.bundle[0].parent} ({', '.join(p.name for p in result.bundle)})")


#: Helm's action flags up takes, in help order (see _settings_flags).
_SETTINGS = (
    "dry_run", "create_namespace", "wait", "wait_for_jobs", "timeout", "atomic", "cleanup_on_fail",
    "max_history", "take_ownership", "server_side", "force_conflicts",
    "disable_openapi_validation", "labels", "description",
)  # fmt: skip


@app.command(epilog=_EPILOG)
@with_cluster_access
@takes_chart
@takes_values
@takes_settings(*_SETTINGS, dry_run=DryRunUp)
def up(
    args: ReleaseArgs,
    store: Annotated[
        Path,
        typer.Option(
            "--store",
            envvar="CHARTSAFE_STORE",
            show_default=False,
            help="The secret store (SOPS file; created if missing).",
        ),
    ],
    deliver: Annotated[
        str,
        typer.Option(
            "--deliver",
            help=f"How the values reach the cluster. {backends_help()}.",
            rich_help_panel=_DELIVER,
        ),
    ] = "secret",
    namespace: ReleaseNamespace = None,
    values: ValueFlags = FROM_VALUE_FLAGS,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write a deploy bundle to this directory; apply nothing."),
    ] = None,
    storage: Storage = "secret",
    settings: ReleaseSettings = DEFAULT_SETTINGS,
    skip_check: Annotated[
        bool, typer.Option("--skip-check", help="Install even if the contract check finds gaps.")
    ] = False,
    generator: Annotated[
        list[str] | None,
        typer.Option(
            "--generator",
            metavar="[SECRET/]KEY=SPEC",
            help="Generator for a key instead of the one its format picks (repeatable).",
        ),
    ] = None,
    age: Annotated[
        list[str] | None,
        typer.Option("--age", help="Age recipient for a new store (default: .sops.yaml rule)."),
    ] = None,
    age_key_file: AgeKeyFile = None,
    cert: CertOption = None,
    controller_namespace: ControllerNamespace = CONTROLLER_NAMESPACE,
    controller_name: ControllerName = CONTROLLER_NAME,
    scope: Annotated[
        str | None,
        typer.Option(
            "--scope",
            help="sealed: strict, namespace-wide or cluster-wide.",
            rich_help_panel=_DELIVER,
        ),
    ] = None,
    store_ref: StoreRef = None,
    store_kind: StoreKind = None,
    provider: Provider = None,
    prefix: Prefix = None,
    region: Region = None,
    refresh_interval: RefreshInterval = None,
    creation_policy: CreationPolicy = None,
    deletion_policy: DeletionPolicy = None,
    with_store: WithStore = False,
    store_setting: StoreSetting = None,
    kube_version: ReleaseKubeVersion = None,
    api_versions: ReleaseApiVersions = None,
    skip_schema_validation: SkipSchemaValidation = False,
    enable_dns: EnableDns = False,
    access: ClusterAccess = FROM_FLAGS,
    source: SourceFlags = FROM_SOURCE_FLAGS,
    output: Output = None,
) -> int:
    """Render, fill the store, deliver, check, then install or upgrade (or write a bundle)."""
    from .._up import up as run_up
    from .._up_model import KeysMissing, UpRequest
    from .secrets_init import parse_generators

    name, chart = release_and_chart(args)
    options: dict[str, Any] = {
        "cert": cert,
        **controller_options(controller_namespace, controller_name),
        "scope": scope,
        "store_ref": store_ref,
        "store_kind": store_kind,
        "provider": provider,
        "prefix": prefix,
        "region": region,
        "refresh_interval": refresh_interval,
        "creation_policy": creation_policy,
        "deletion_policy": deletion_policy,
        "with_store": with_store,
        "store_setting": tuple(store_setting or ()),
        # the cluster the release goes to is where a sealed-secrets controller runs
        **cluster_options(deliver, access),
    }
    target = cluster_target(namespace, access, storage)
    render = render_options(
        name, target.namespace, kube_version, api_versions, None, False,
        values_schema=not skip_schema_validation, enable_dns=enable_dns,
    )  # fmt: skip
    with source.open(chart) as path:
        request = UpRequest(
            name=name,
            chart=path,
            chart_label=chart,
            store=store,
            deliver=deliver,
            values=values.input(age_key_file=age_key_file, store=store),
            deliver_options=options,
            target=target,
            settings=settings,
            render=render,
            out=out,
            generators=parse_generators(generator),
            recipients=list(age or []),
            age_key_file=age_key_file,
            skip_check=skip_check,
        )
        try:
            result = run_up(request, progress=_say)
        except KeysMissing as exc:
            if output in DATA_FORMATS:
                print_data(exc.as_dict(), output)
            print("set the keys no generator can make, then run up again:", file=sys.stderr)
            for command in exc.commands:
                print(f"  {command}", file=sys.stderr)
            raise
        except Exception as exc:
            report = getattr(exc, "report", None)
            if report is not None:
                _print_gaps(report)
            raise
    _print_result(result, output)
    return 0


def _print_gaps(report: Any) -> None:
    """The check's gaps with their fixes (names and commands only)."""
    for secret in report.secrets:
        if secret.ok:
            continue
        print(f"  Secret {secret.namespace}/{secret.name}: {secret.status}", file=sys.stderr)
        for key in secret.keys:
            if not key.ok:
                why = f" ({key.reason})" if key.reason else ""
                print(f"    {key.key}: {key.status}{why}", file=sys.stderr)
                if key.fix:
                    print(f"      fix: {key.fix}", file=sys.stderr)
    for config_map in report.config_maps:
        if not config_map.ok:
            keys = ", ".join(config_map.missing_keys)
            state = f"missing key(s) {keys}" if config_map.missing_keys else config_map.status
            if config_map.status == "late":
                state = config_map.note
            print(f"  ConfigMap {config_map.namespace}/{config_map.name}: {state}",
                  file=sys.stderr)  # fmt: skip
            print(f"      fix: {config_map.fix}", file=sys.stderr)
    for hazard in report.hazards:
        if hazard.error:
            print(f"  {hazard.rule}: {hazard.message}", file=sys.stderr)
            if hazard.fix:
                print(f"      fix: {hazard.fix}", file=sys.stderr)
