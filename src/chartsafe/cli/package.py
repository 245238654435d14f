"""``chartsafe package``: a chart directory as a ``.tgz``, made by Helm's own packager."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._app import app
from ._options import Output, PlainHttp
from ._print import DATA_FORMATS, print_data


@app.command(
    epilog=(
        "Examples:\n\n"
        "  chartsafe package charts/agentapi-proxy\n\n"
        "  chartsafe package charts/agentapi-proxy -d dist --version 0.2.0 --app-version 1.4.2\n\n"
        "  chartsafe package charts/agentapi-proxy -d dist -o json\n\n"
        "  chartsafe package charts/my-app -u -d dist\n\n"
        "Then: chartsafe push dist/agentapi-proxy-0.2.0.tgz oci://registry.example.com/charts\n\n"
        "Exit codes: 0 packaged, 2 bad input."
    )
)
def package(
    charts: Annotated[
        list[Path],
        typer.Argument(
            metavar="CHART...", help="Chart directories to package.", show_default=False
        ),
    ],
    destination: Annotated[
        Path,
        typer.Option("-d", "--destination", help="Directory to write the .tgz to (created)."),
    ] = Path("."),
    version: Annotated[
        str | None,
        typer.Option("--version", help="Set the chart's version (semver) in the archive."),
    ] = None,
    app_version: Annotated[
        str | None,
        typer.Option("--app-version", help="Set the chart's appVersion in the archive."),
    ] = None,
    dependency_update: Annotated[
        bool,
        typer.Option(
            "-u",
            "--dependency-update",
            help="Fetch the dependencies into charts/ first (as dependency update).",
        ),
    ] = False,
    plain_http: PlainHttp = False,
    output: Output = None,
) -> int:
    """Package chart directories into versioned archives, as helm package does.

    The archive is NAME-VERSION.tgz, readable by helm and by every chartsafe
    command that takes CHART; push it to a registry with chartsafe push.
    """
    from .._helm_oci import package_chart

    if dependency_update:
        from .._dependencies import update_dependencies

        for chart in charts:
            update_dependencies(chart, plain_http=plain_http)
    written = [
        package_chart(chart, destination, version=version, app_version=app_version)
        for chart in charts
    ]
    if output in DATA_FORMATS:
        payload = [
            {"chart": str(c), "archive": str(a)} for c, a in zip(charts, written, strict=True)
        ]
        print_data(payload, output)
    else:
        for archive in written:
            print(f"Successfully packaged chart and saved it to: {archive}")
    return 0
