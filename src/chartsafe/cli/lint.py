"""``chartsafe lint``: Helm's lint plus strict validation of every rendered object."""

from __future__ import annotations

from typing import Annotated

import typer

from .._lint import lint_chart
from ._app import app
from ._cluster_options import Kubeconfig, KubeContext, release_namespace
from ._options import (
    ApiVersions,
    CrdDirs,
    KubeVersion,
    Namespace,
    Output,
    SkipSchemaValidation,
    render_options,
)
from ._print import DATA_FORMATS, print_data
from ._source_options import FROM_SOURCE_FLAGS, SourceFlags, takes_chart
from ._value_options import FROM_VALUE_FLAGS, ValueFlags, takes_values


@app.command(
    epilog=(
        "Examples:\n\n"
        "  chartsafe lint charts/tracecat -f charts/tracecat/examples/values-minikube.yaml\n\n"
        "  chartsafe lint charts/llmtrace --strict -o json\n\n"
        "  chartsafe lint oci://registry.example.com/charts/agentapi-proxy --version 0.1.0\n\n"
        "Exit codes: 0 no errors, 1 errors found, 2 bad input."
    )
)
@takes_chart
@takes_values
def lint(
    chart: Annotated[
        str, typer.Argument(metavar="CHART", help="Chart directory, .tgz, or oci://HOST/PATH/NAME.")
    ],
    values: ValueFlags = FROM_VALUE_FLAGS,
    namespace: Namespace = None,
    kube_context: KubeContext = None,
    kubeconfig: Kubeconfig = None,
    kube_version: KubeVersion = None,
    api_versions: ApiVersions = None,
    crd_dir: CrdDirs = None,
    skip_schema_validation: SkipSchemaValidation = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Treat warnings as errors, as helm lint --strict.")
    ] = False,
    source: SourceFlags = FROM_SOURCE_FLAGS,
    output: Output = None,
) -> int:
    """Lint a chart: Helm's own lint, then every rendered object validated strictly."""
    namespace = release_namespace(namespace, kubeconfig, kube_context)
    with source.open(chart) as path:
        result = lint_chart(
            path,
            values.input(),
            render_options(
                None,
                namespace,
                kube_version,
                api_versions,
                crd_dir,
                False,
                values_schema=not skip_schema_validation,
            ),
            strict=strict,
        )
    if output in DATA_FORMATS:
        payload = {
            "chart": chart,  # as given: an oci:// chart was pulled to a temp dir
            "ok": result.ok,
            "findings": [f.as_dict() for f in result.findings],
        }
        print_data(payload, output)
    else:
        for f in result.findings:
            print(f"[{f.severity.upper()}] {f.origin}: {f.path}: {f.message}")
        errors = len(result.errors)
        print(f"{chart}: {errors} error{'s' if errors != 1 else ''}, "
              f"{len(result.findings) - errors} other finding(s)")  # fmt: skip
    return 0 if result.ok else 1
