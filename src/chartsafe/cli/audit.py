"""``chartsafe audit``: the seeds' security and deployment checklists, run as rules."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from .._errors import InputError
from ._app import app
from ._audit_run import (
    AuditFilesRequest,
    fail_on_severity,
    print_result,
    print_rules,
    run_audit_files,
)
from ._cluster_options import Kubeconfig, KubeContext, release_namespace
from ._options import (
    AgeKeyFile,
    ApiVersions,
    EnableDns,
    KubeVersion,
    Namespace,
    SkipSchemaValidation,
    StoreFile,
    release_and_chart,
    render_options,
)
from ._source_options import FROM_SOURCE_FLAGS, SourceFlags, takes_chart
from ._value_options import FROM_VALUE_FLAGS, ValueFlags, takes_values

_AUDIT = "Audit"


class AuditOutput(StrEnum):
    table = "table"
    json = "json"
    sarif = "sarif"


def _names(what: str) -> list[str]:
    """The profiles, rule ids or severities, for shell completion (the audit package is
    imported only when a shell asks)."""
    from ..audit import PROFILES, Severity, all_rules

    if what == "profiles":
        return list(PROFILES)
    if what == "severities":
        return [s.name for s in Severity]
    return [r.id for r in all_rules()]


@app.command(
    epilog=(
        "Examples:\n\n"
        "  chartsafe audit charts/tracecat -f charts/tracecat/examples/values-aws.yaml "
        "--profile production\n\n"
        "  chartsafe audit prod charts/llmtrace -f charts/llmtrace/values-production.yaml "
        "--set secrets.create=false --set secrets.existingSecret=llmtrace "
        "--set redis.auth.existingSecret=llmtrace-redis "
        "--set postgresql.auth.existingSecret=llmtrace-pg "
        "--set clickhouse.auth.existingSecret=llmtrace-ch -o sarif\n\n"
        "  chartsafe audit --files charts/tracecat/examples/values-aws.yaml "
        "charts/llmtrace/values-production.yaml\n\n"
        "  chartsafe audit --files charts/tracecat/examples --fail-on critical\n\n"
        "  helm template my-release ./chart | chartsafe audit --files - -o sarif\n\n"
        "  chartsafe audit --list-rules\n\n"
        "Suppress a finding in a values file, with a reason:\n\n"
        "  password: hunter2  # chartsafe: ignore credential-in-values test fixture only\n\n"
        "  # chartsafe: ignore privileged object=Deployment/*-executor nsjail needs it\n\n"
        "Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 bad input."
    )
)
@takes_chart
@takes_values
def audit(
    args: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[NAME] CHART | FILE...",
            help="Release name (optional) and chart; with --files, values files and manifests.",
            show_default=False,
        ),
    ] = None,
    values: ValueFlags = FROM_VALUE_FLAGS,
    namespace: Namespace = None,
    kube_context: KubeContext = None,
    kubeconfig: Kubeconfig = None,
    kube_version: KubeVersion = None,
    api_versions: ApiVersions = None,
    skip_schema_validation: SkipSchemaValidation = False,
    enable_dns: EnableDns = False,
    files: Annotated[
        bool,
        typer.Option(
            "--files",
            help="Audit the given values files and manifests alone, no chart: FILE, a "
            "directory (its .yaml and .yml files at any depth; not a chart's) or - (stdin).",
            rich_help_panel=_AUDIT,
        ),
    ] = False,
    profile: Annotated[
        str,
        typer.Option(
            "--profile",
            metavar="dev|production",
            help="dev or production (adds HPA, PDB, TLS, placeholders...).",
            rich_help_panel=_AUDIT,
            autocompletion=lambda: _names("profiles"),
        ),
    ] = "dev",
    values_glob: Annotated[
        list[str] | None,
        typer.Option(
            "--values-glob",
            help="Also scan the chart's own files matching this glob, e.g. 'values*.yaml'.",
            rich_help_panel=_AUDIT,
        ),
    ] = None,
    enable: Annotated[
        list[str] | None,
        typer.Option(
            "--enable",
            metavar="RULE",
            help="Run this rule whatever the profile (repeatable).",
            rich_help_panel=_AUDIT,
            autocompletion=lambda: _names("rules"),
        ),
    ] = None,
    disable: Annotated[
        list[str] | None,
        typer.Option(
            "--disable",
            metavar="RULE",
            help="Do not run this rule (repeatable).",
            rich_help_panel=_AUDIT,
            autocompletion=lambda: _names("rules"),
        ),
    ] = None,
    fail_on: Annotated[
        str,
        typer.Option(
            "--fail-on",
            metavar="SEVERITY",
            help="Exit 1 when a finding at or above this severity remains "
            "(info, low, medium, high, critical).",
            rich_help_panel=_AUDIT,
            autocompletion=lambda: _names("severities"),
        ),
    ] = "high",
    list_rules: Annotated[
        bool, typer.Option("--list-rules", help="List the rules and exit.", rich_help_panel=_AUDIT)
    ] = False,
    output: Annotated[
        AuditOutput | None,
        typer.Option("-o", "--output", help="table (default), json or sarif.", show_default=False),
    ] = None,
    source: SourceFlags = FROM_SOURCE_FLAGS,
    age_key_file: AgeKeyFile = None,
    store: StoreFile = None,
) -> int:
    """Audit a chart and its values against the security and deployment checklists.

    Four rule families: plaintext credentials, the seeds' checklists, workload
    hardening and secret delivery hygiene.

    Looks at the values files (the chart's values.yaml, -f files, --values-glob
    files), the --set flags, the rendered objects and the secrets contract.
    Findings name files, keys and objects, never the values.
    """
    from ..audit import all_rules, audit_chart

    if list_rules:
        print_rules(all_rules(), output)
        return 0
    namespace = release_namespace(namespace, kubeconfig, kube_context)
    given = list(args or [])
    if files:
        return run_audit_files(
            AuditFilesRequest(
                tuple(given), namespace, profile, tuple(enable or ()), tuple(disable or ()),
                fail_on, output,
            )
        )  # fmt: skip
    threshold = fail_on_severity(fail_on)
    if not given:
        raise InputError("audit needs a CHART (or --files FILE...)", hint="see --help")
    name, chart = release_and_chart(given)
    render = render_options(
        name, namespace, kube_version, api_versions, None, True,
        values_schema=not skip_schema_validation, enable_dns=enable_dns,
    )  # fmt: skip
    with source.open(chart) as path:
        result = audit_chart(
            path,
            values.input(age_key_file=age_key_file, store=store),
            render,
            profile=profile,
            values_globs=list(values_glob or []),
            enable=list(enable or []),
            disable=list(disable or []),
            fail_on=threshold,
        )
    result.target = str(chart)  # as given: an oci:// reference, not the pulled temp file
    return print_result(result, output)
