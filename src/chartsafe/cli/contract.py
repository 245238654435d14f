"""``chartsafe contract``: every Secret and key a release reads, before it is installed."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from ._app import app
from ._cluster_options import Kubeconfig, KubeContext, release_namespace
from ._options import (
    AgeKeyFile,
    ApiVersions,
    EnableDns,
    KubeVersion,
    Namespace,
    ReleaseArgs,
    SkipSchemaValidation,
    StoreFile,
    release_and_chart,
    render_options,
)
from ._print import DATA_FORMATS, print_data
from ._source_options import FROM_SOURCE_FLAGS, SourceFlags, takes_chart
from ._value_options import FROM_VALUE_FLAGS, ValueFlags, takes_values


class ContractOutput(StrEnum):
    table = "table"
    json = "json"
    yaml = "yaml"
    markdown = "markdown"


@app.command(
    epilog=(
        "Examples:\n\n"
        "  chartsafe contract tracecat charts/tracecat -n tracecat -f my-values.yaml\n\n"
        "  chartsafe contract charts/llmtrace -f charts/llmtrace/values-production.yaml "
        "--set secrets.create=false --set secrets.existingSecret=llmtrace "
        "--set redis.auth.existingSecret=llmtrace-redis "
        "--set postgresql.auth.existingSecret=llmtrace-pg "
        "--set clickhouse.auth.existingSecret=llmtrace-ch -o json\n\n"
        "  chartsafe contract charts/tracecat -f prod.yaml -o markdown >> README.md\n\n"
        "  chartsafe contract oci://registry.example.com/charts/agentapi-proxy --version 0.1.0\n\n"
        "Exit codes: 0 listed, 1 hazards found with --strict, 2 bad input."
    )
)
@takes_chart
@takes_values
def contract(
    args: ReleaseArgs,
    values: ValueFlags = FROM_VALUE_FLAGS,
    namespace: Namespace = None,
    kube_context: KubeContext = None,
    kubeconfig: Kubeconfig = None,
    kube_version: KubeVersion = None,
    api_versions: ApiVersions = None,
    skip_schema_validation: SkipSchemaValidation = False,
    enable_dns: EnableDns = False,
    output: Annotated[
        ContractOutput,
        typer.Option("-o", "--output", help="table, json, yaml, or markdown for a README."),
    ] = ContractOutput.table,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Exit 1 when the contract has hazards."),
    ] = False,
    required_only: Annotated[
        bool,
        typer.Option("--required", help="Only the Secrets that must exist before install."),
    ] = False,
    source: SourceFlags = FROM_SOURCE_FLAGS,
    age_key_file: AgeKeyFile = None,
    store: StoreFile = None,
) -> int:
    """List every Secret and key the rendered release reads, and who reads it.

    For each Secret: whether the release creates it (a Secret, an ExternalSecret,
    a SealedSecret, a cert-manager Certificate, as a hook or not) or it must exist
    beforehand; the values paths that set its name; each key with its expected
    format and its readers (workload, container, env var or mount path, hook and
    weight, optional). Hazards (a pre-install hook reading a Secret created later,
    a created Secret missing a key, two names one typo apart) are reported; with
    --strict they fail the command. No values are read or printed.
    """
    namespace = release_namespace(namespace, kubeconfig, kube_context)
    from ..contract import contract_for_chart

    name, chart = release_and_chart(args)
    options = render_options(
        name, namespace, kube_version, api_versions, None, True,
        values_schema=not skip_schema_validation, enable_dns=enable_dns,
    )  # fmt: skip
    with source.open(chart) as path:
        derived, rendered = contract_for_chart(
            path,
            values.input(age_key_file=age_key_file, store=store),
            options,
        )
    if required_only:
        derived.only_required()
    if output in DATA_FORMATS:
        print_data(derived.as_dict(), output)
    elif output is ContractOutput.markdown:
        from ..contract import contract_markdown

        print(contract_markdown(derived), end="")
    else:
        from ._contract_table import print_contract

        print_contract(derived)
    for warning in rendered.warnings:
        print(f"chartsafe: warning: {warning}", file=sys.stderr)
    for finding in derived.findings:
        print(f"chartsafe: hazard [{finding.rule}]: {finding.message}", file=sys.stderr)
    return 1 if strict and derived.findings else 0
