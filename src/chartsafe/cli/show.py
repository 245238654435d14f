"""``chartsafe show all|chart|values|readme|crds CHART``: a chart's files, as ``helm show``."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ._app import app
from ._source_options import FROM_SOURCE_FLAGS, SourceFlags, takes_chart

show_app = typer.Typer(
    name="show",
    help=(
        "Show a chart's Chart.yaml, default values, README or CRDs (as helm show).\n\n"
        "Examples:\n\n"
        "  chartsafe show values charts/tracecat\n\n"
        "  chartsafe show values oci://registry.example.com/charts/app --version 1.2.0 "
        "> values.yaml\n\n"
        "  chartsafe show chart app-1.2.0.tgz --verify --keyring publisher.gpg"
    ),
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(show_app, name="show")

Chart = Annotated[
    str,
    typer.Argument(
        metavar="CHART",
        help="Chart directory, packaged .tgz or oci://HOST/PATH/NAME.",
        show_default=False,
    ),
]

#: subcommand → what it shows (its help)
_PARTS = {
    "all": "Show everything: Chart.yaml, values, README and CRDs.",
    "chart": "Show the chart's Chart.yaml.",
    "values": "Show the chart's default values (values.yaml).",
    "readme": "Show the chart's README.",
    "crds": "Show the chart's CRDs (the files under crds/).",
}


def _showing(part: str, doc: str) -> None:
    """Register ``show PART``: each takes CHART and the flags that fetch and check one."""

    def command(chart: Chart, source: SourceFlags = FROM_SOURCE_FLAGS) -> int:
        from .._chart_show import show_chart

        with source.open(chart) as path:
            sys.stdout.write(show_chart(path, part))
        return 0

    command.__doc__ = doc + " Reads only."
    epilog = "Exit codes: 0 shown, 1 --verify failed, 2 bad input."
    show_app.command(part, epilog=epilog)(takes_chart(command))


for _part, _doc in _PARTS.items():
    _showing(_part, _doc)
