"""``chartsafe dependency list|update|build``: a chart's subcharts, fetched by Helm."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ._app import app
from ._options import Output
from ._print import DATA_FORMATS, print_data, print_table
from ._source_options import Keyring, PlainHttp

dependency_app = typer.Typer(
    name="dependency",
    help=(
        "List a chart's dependencies or fetch them into its charts/ (as helm dependency).\n\n"
        "Examples:\n\n"
        "  chartsafe dependency list charts/tracecat\n\n"
        "  chartsafe dependency update charts/my-app --plain-http\n\n"
        "  chartsafe dependency build charts/my-app\n\n"
        "  chartsafe dependency update charts/my-app --verify --keyring publisher.gpg"
    ),
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(dependency_app, name="dependency")

Chart = Annotated[
    Path,
    typer.Argument(metavar="CHART", help="Chart directory (with Chart.yaml).", show_default=False),
]
SkipRefresh = Annotated[
    bool,
    typer.Option("--skip-refresh", help="Do not refresh the repositories' indexes first."),
]

VerifyEach = Annotated[
    bool,
    typer.Option(
        "--verify",
        help="Check each downloaded dependency against its provenance (.prov) with the "
        "keyring, as helm.",
        rich_help_panel="Chart provenance (as helm)",
    ),
]


def _show(found: list[Any], output: str | None) -> None:
    if output in DATA_FORMATS:
        print_data([d.as_dict() for d in found], output)
        return
    rows = [["NAME", "VERSION", "REPOSITORY", "STATUS"]]
    rows += [[d.name, d.version, d.repository, d.status] for d in found]
    print_table(rows)


@dependency_app.command("list", epilog="Exit codes: 0 listed, 2 bad input.")
def list_command(chart: Chart, output: Output = None) -> int:
    """The dependencies Chart.yaml declares, and whether charts/ holds each. Reads only."""
    from .._dependencies import list_dependencies

    _show(list_dependencies(chart), output)
    return 0


def _fetching(action: str, doc: str) -> None:
    """Register ``dependency update`` or ``build``: the same flags, Helm's two fetches."""

    def command(
        chart: Chart, plain_http: PlainHttp = False, skip_refresh: SkipRefresh = False,
        verify: VerifyEach = False, keyring: Keyring = None, output: Output = None,
    ) -> int:  # fmt: skip
        from .. import _dependencies

        fetch = getattr(_dependencies, f"{action}_dependencies")
        found = fetch(
            chart, plain_http=plain_http, skip_refresh=skip_refresh, verify=verify, keyring=keyring
        )
        _show(found, output)
        return 0

    command.__doc__ = doc
    dependency_app.command(
        action,
        epilog="Exit codes: 0 fetched, 1 a dependency failed its provenance check (--verify), "
        "2 bad input or a fetch failed.",
    )(command)


_fetching(
    "update",
    """Resolve Chart.yaml's dependencies, fetch them into charts/ and write Chart.lock.

    Helm's own resolver and downloader; the repositories Chart.yaml names are used
    directly, without touching your Helm repository list.
    """,
)
_fetching(
    "build", "Fetch the versions Chart.lock pins into charts/ (with no Chart.lock: as update)."
)
