"""``chartsafe push``: a packaged chart to an OCI registry, through Helm's SDK."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._app import app
from ._options import Output
from ._print import DATA_FORMATS, print_data
from ._source_options import PlainHttp, RegistryConfig


@app.command(
    epilog=(
        "Examples:\n\n"
        "  chartsafe push dist/agentapi-proxy-0.1.0.tgz oci://registry.example.com/charts\n\n"
        "  chartsafe push agentapi-proxy-0.1.0.tgz oci://127.0.0.1:5000/charts --plain-http\n\n"
        "The chart lands at oci://HOST/PATH/NAME with its version as the tag; log in first "
        "(chartsafe registry login HOST) when the registry needs credentials.\n\n"
        "Exit codes: 0 pushed, 2 bad input, registry unreachable or credentials refused."
    )
)
def push(
    archive: Annotated[
        Path, typer.Argument(metavar="CHART.tgz", help="Packaged chart.", show_default=False)
    ],
    remote: Annotated[
        str,
        typer.Argument(
            metavar="oci://HOST/PATH", help="Registry and repository path.", show_default=False
        ),
    ],
    plain_http: PlainHttp = False,
    registry_config: RegistryConfig = None,
    output: Output = None,
) -> int:
    """Upload a packaged chart to an OCI registry, as helm push does.

    Prints the reference with its tag and the manifest digest the registry
    stored, which pins exactly this archive.
    """
    from .._errors import ChartLoadError
    from .._helm_oci import RegistryAccess, push_chart

    try:
        result = push_chart(archive, remote, RegistryAccess(plain_http, registry_config))
    except ChartLoadError as exc:
        if not archive.exists():  # the loader's hint offers a directory, which push refuses
            exc.hint = "pass a packaged .tgz chart; `chartsafe package DIR` makes one"
        raise
    if output in DATA_FORMATS:
        print_data(result.as_dict(), output)
    else:
        print(f"Pushed: {result.reference.removeprefix('oci://')}")
        print(f"Digest: {result.digest}")
        if result.provenance is not None:
            print(f"Provenance: {result.provenance}")
    return 0
