"""``chartsafe lint``: Helm's lint plus strict validation of every rendered object."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from .._lint import lint_chart
from ._app import app
from ._options import (
    ApiVersions,
    CrdDirs,
    KubeVersion,
    Namespace,
    Output,
    OutputFormat,
    SetFile,
    SetJson,
    SetLiteral,
    SetString,
    SetValues,
    Values,
    render_options,
    values_input,
)


@app.command(
    epilog=(
        "Examples:\n\n"
        "  chartsafe lint charts/tracecat -f examples/values-minikube.yaml\n\n"
        "  chartsafe lint charts/llmtrace --strict -o json\n\n"
        "Exit codes: 0 no errors, 1 errors found, 2 bad input."
    )
)
def lint(
    chart: Annotated[str, typer.Argument(metavar="CHART", help="Chart directory or .tgz.")],
    values: Values = None,
    set_values: SetValues = None,
    set_string: SetString = None,
    set_file: SetFile = None,
    set_json: SetJson = None,
    set_literal: SetLiteral = None,
    namespace: Namespace = "default",
    kube_version: KubeVersion = None,
    api_versions: ApiVersions = None,
    crd_dir: CrdDirs = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Treat warnings as errors, as helm lint --strict.")
    ] = False,
    output: Output = None,
) -> int:
    """Lint a chart: Helm's own lint, then every rendered object validated strictly."""
    from pathlib import Path

    result = lint_chart(
        Path(chart),
        values_input(values, set_values, set_string, set_file, set_json, set_literal),
        render_options(None, namespace, kube_version, api_versions, crd_dir, False),
        strict=strict,
    )
    if output is OutputFormat.json:
        payload = {
            "chart": str(result.chart),
            "ok": result.ok,
            "findings": [f.as_dict() for f in result.findings],
        }
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
    else:
        for f in result.findings:
            print(f"[{f.severity.upper()}] {f.origin}: {f.path}: {f.message}")
        errors = len(result.errors)
        print(f"{result.chart}: {errors} error{'s' if errors != 1 else ''}, "
              f"{len(result.findings) - errors} other finding(s)")  # fmt: skip
    return 0 if result.ok else 1
