"""``chartsafe lint``: Helm's lint plus strict validation of every rendered object."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from .._errors import ChartsafeError
from .._lint import LintResult, lint_chart, subchart_paths
from .._refs import UserValues
from .._render import RenderOptions, as_user_values
from ._app import app
from ._cluster_options import Kubeconfig, KubeContext, release_namespace
from ._options import (
    ApiVersions,
    CrdDirs,
    KubeVersion,
    Namespace,
    OutputFormat,
    SkipSchemaValidation,
    render_options,
)
from ._print import DATA_FORMATS, print_data
from ._source_options import FROM_SOURCE_FLAGS, SourceFlags, takes_chart
from ._value_options import FROM_VALUE_FLAGS, ValueFlags, takes_values

#: -o of lint: its own help, for the shape of its data (Helm's lint has no -o).
LintOutput = Annotated[
    OutputFormat | None,
    typer.Option(
        "-o",
        "--output",
        help="json or yaml: a list with one entry per chart, even for one chart; table "
        "(the default): the findings as text.",
        show_default=False,
    ),
]


@app.command(
    epilog=(
        "Examples:\n\n"
        "  chartsafe lint charts/tracecat -f charts/tracecat/examples/values-minikube.yaml\n\n"
        "  chartsafe lint charts/llmtrace -f charts/llmtrace/values-dev.yaml --strict -o json\n\n"
        "  chartsafe lint charts/* --with-subcharts --quiet\n\n"
        "  chartsafe lint oci://registry.example.com/charts/agentapi-proxy --version 0.1.0\n\n"
        "-o json and -o yaml print a list with one entry per chart, even for one chart: "
        "[{chart, ok, findings: [{severity, origin, path, message}], error (only when the "
        "chart could not be linted)}].\n\n"
        "Exit codes: 0 no errors, 1 errors found (in any chart), 2 bad input."
    )
)
@takes_chart
@takes_values
def lint(
    charts: Annotated[
        list[str],
        typer.Argument(
            metavar="CHART...",
            help="Chart directories, .tgz files, or oci://HOST/PATH/NAME (one or more).",
        ),
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
    with_subcharts: Annotated[
        bool,
        typer.Option(
            "--with-subcharts",
            help="Lint every chart under each CHART's charts/ too, with the same values.",
        ),
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", help="Print only warnings and errors, as helm lint.")
    ] = False,
    source: SourceFlags = FROM_SOURCE_FLAGS,
    output: LintOutput = None,
) -> int:
    """Lint charts: Helm's own lint, then every rendered object validated strictly."""
    namespace = release_namespace(namespace, kubeconfig, kube_context)
    options = render_options(
        None, namespace, kube_version, api_versions, crd_dir, False,
        values_schema=not skip_schema_validation,
    )  # fmt: skip
    given = as_user_values(values.input())  # read once: `-f -` is stdin, for every chart
    results: list[tuple[str, LintResult | ChartsafeError]] = []
    for chart in charts:
        try:
            with source.open(chart) as path:
                found = subchart_paths(path) if with_subcharts and path.is_dir() else []
                for each in [path, *found]:
                    # as given (an oci:// chart was pulled to a temp dir); only a folder has
                    # subcharts, and their paths are under it
                    label = chart if each == path else str(each)
                    results.append((label, _linted(each, given, options, strict, quiet)))
        except ChartsafeError as exc:  # the chart itself is bad input: the others go on
            results.append((chart, exc))
    if len(results) == 1 and isinstance(results[0][1], ChartsafeError):
        raise results[0][1]  # one chart: its one line and exit code, as any command's
    failed = sum(not isinstance(r, LintResult) or not r.ok for _, r in results)
    if output in DATA_FORMATS:
        # always a list, one chart or many: a script reads one shape whatever it was given
        print_data([_payload(label, r) for label, r in results], output)
        for _, result in results:  # and the bad input named on stderr, as in the table
            if isinstance(result, ChartsafeError):
                print(f"chartsafe: error: {result}", file=sys.stderr)
    else:
        for label, result in results:
            _print_result(label, result, several=len(results) > 1, quiet=quiet)
        if len(results) > 1:
            print(f"{len(results)} chart(s) linted, {failed} chart(s) failed")
    # a chart that could not be linted was bad input: that exit code, as helm's lint goes on
    codes = [r.exit_code for _, r in results if isinstance(r, ChartsafeError)]
    return max(codes) if codes else (1 if failed else 0)


def _linted(
    path: Path, given: UserValues, options: RenderOptions, strict: bool, quiet: bool
) -> LintResult | ChartsafeError:
    """One chart's lint, or the ChartsafeError that stops it (a subchart that is no chart)."""
    try:
        result = lint_chart(path, given, options, strict=strict)
    except ChartsafeError as exc:
        return exc
    if quiet:
        result.findings = [f for f in result.findings if f.severity != "info"]
    return result


def _payload(label: str, result: LintResult | ChartsafeError) -> dict[str, Any]:
    if isinstance(result, ChartsafeError):
        return {"chart": label, "ok": False, "error": str(result), "findings": []}
    return {"chart": label, "ok": result.ok, "findings": [f.as_dict() for f in result.findings]}


def _print_result(
    label: str, result: LintResult | ChartsafeError, *, several: bool, quiet: bool
) -> None:
    if isinstance(result, ChartsafeError):  # only among several: one alone was raised
        print(f"==> Linting {label}")
        print(f"[ERROR] not linted: {result}")  # the message names the chart
        print(f"chartsafe: error: {result}", file=sys.stderr)
        return
    if quiet and not result.findings:
        return
    if several:
        print(f"==> Linting {label}")
    for f in result.findings:
        print(f"[{f.severity.upper()}] {f.origin}: {f.path}: {f.message}")
    errors = len(result.errors)
    print(f"{label}: {errors} error{'s' if errors != 1 else ''}, "
          f"{len(result.findings) - errors} other finding(s)")  # fmt: skip
