"""``chartsafe verify``: a packaged chart against its provenance, as ``helm verify`` does."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._app import app
from ._options import Output
from ._print import DATA_FORMATS, print_data


@app.command(
    epilog=(
        "Examples:\n\n"
        "  chartsafe verify dist/agentapi-proxy-0.1.0.tgz --keyring publisher.gpg\n\n"
        "  chartsafe verify agentapi-proxy-0.1.0.tgz -o json\n\n"
        "  gpg --export 'Chart Publisher' > publisher.gpg   # a keyring Helm can read\n\n"
        "Every command that takes CHART checks it the same way with --verify "
        "(chartsafe up agentapi-proxy-0.1.0.tgz --verify --keyring publisher.gpg ...).\n\n"
        "Exit codes: 0 verified, 1 the provenance is missing, altered or signed by a key "
        "the keyring does not hold, 2 bad input."
    )
)
def verify(
    archive: Annotated[
        Path,
        typer.Argument(metavar="CHART.tgz", help="Packaged chart.", show_default=False),
    ],
    keyring: Annotated[
        Path | None,
        typer.Option(
            "--keyring",
            help="OpenPGP public keyring holding the publisher's key (default: "
            "$GNUPGHOME/pubring.gpg, else ~/.gnupg/pubring.gpg, as helm).",
            show_default=False,
        ),
    ] = None,
    provenance_file: Annotated[
        Path | None,
        typer.Option(
            "--prov",
            help="The provenance file (default: CHART.tgz.prov beside the archive).",
            show_default=False,
        ),
    ] = None,
    output: Output = None,
) -> int:
    """Check that a packaged chart is the one its publisher signed, as helm verify does.

    The .prov beside the archive holds the archive's SHA-256 and an OpenPGP signature
    over it; chartsafe checks both with Helm's own code, against the public keys in
    the keyring. chartsafe package --sign writes one.
    """
    from .._provenance import verify_chart

    found = verify_chart(archive, keyring, provenance_file=provenance_file)
    if output in DATA_FORMATS:
        print_data(found.as_dict(), output)
        return 0
    for signer in found.signed_by:
        print(f"Signed by: {signer}")
    print(f"Chart Hash Verified: {found.file_hash}")
    return 0
