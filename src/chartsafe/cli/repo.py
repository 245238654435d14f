"""``chartsafe repo index``: make a folder of packaged charts a chart repository, as
``helm repo index`` does.

chartsafe reads Helm's repository list (``REPO/NAME``) but never writes it, so there is
no ``repo add``: ``helm repo add`` keeps that list.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._app import app
from ._options import Output
from ._print import DATA_FORMATS, print_data

repo_app = typer.Typer(
    name="repo",
    help=(
        "Index a folder of packaged charts as a chart repository (as helm repo index).\n\n"
        "Examples:\n\n"
        "  chartsafe repo index dist --url https://charts.example.com\n\n"
        "  chartsafe repo index dist --url https://charts.example.com --merge served-index.yaml"
    ),
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(repo_app, name="repo")


@repo_app.command(
    epilog=(
        "Examples:\n\n"
        "  chartsafe package charts/app -d dist --sign --key ci@example.com\n\n"
        "  chartsafe repo index dist --url https://charts.example.com\n\n"
        "  chartsafe template r app --repo https://charts.example.com   # once dist is served\n\n"
        "Exit codes: 0 written, 2 bad input."
    )
)
def index(
    directory: Annotated[
        Path,
        typer.Argument(metavar="DIR", help="Folder of packaged charts (.tgz).", show_default=False),
    ],
    url: Annotated[
        str | None,
        typer.Option(
            "--url",
            help="The address DIR is served at: each archive's URL in the index is under it.",
            show_default=False,
        ),
    ] = None,
    merge: Annotated[
        Path | None,
        typer.Option(
            "--merge",
            help="An index to keep the entries of (versions DIR no longer holds).",
            show_default=False,
        ),
    ] = None,
    json_index: Annotated[
        bool, typer.Option("--json", help="Also write index.json, as helm --json.")
    ] = False,
    output: Output = None,
) -> int:
    """Write DIR/index.yaml for the chart archives in DIR, as helm repo index does.

    Helm's own code reads each archive's Chart.yaml and digest; served over HTTP with its
    archives (and their .prov files), DIR is a chart repository that helm and chartsafe
    read with --repo URL.
    """
    from .._helm_repo import index_repository

    made = index_repository(directory, url=url, merge=merge, json_index=json_index)
    if output in DATA_FORMATS:
        print_data({"index": str(made.path), "charts": made.charts}, output)
        return 0
    versions = sum(len(v) for v in made.charts.values())
    print(f"Indexed {versions} version(s) of {len(made.charts)} chart(s) into {made.path}")
    for name, listed in made.charts.items():
        print(f"  {name}: {', '.join(listed)}")
    return 0
