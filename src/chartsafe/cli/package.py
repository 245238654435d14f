"""``chartsafe package``: a chart directory as a ``.tgz``, made by Helm's own packager."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._app import app
from ._options import Output
from ._print import DATA_FORMATS, print_data
from ._source_options import PlainHttp

_SIGNING = "Signing (as helm)"


@app.command(
    epilog=(
        "Examples:\n\n"
        "  chartsafe package charts/agentapi-proxy\n\n"
        "  chartsafe package charts/agentapi-proxy -d dist --version 0.2.0 --app-version 1.4.2\n\n"
        "  chartsafe package charts/agentapi-proxy -d dist -o json\n\n"
        "  chartsafe package charts/my-app -u -d dist\n\n"
        "  chartsafe package charts/my-app -d dist --sign --key 'Chart Publisher' "
        "--keyring secring.gpg   # writes my-app-0.1.0.tgz.prov\n\n"
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
    sign: Annotated[
        bool,
        typer.Option(
            "--sign",
            help="Sign the archive: write NAME-VERSION.tgz.prov beside it (as helm).",
            rich_help_panel=_SIGNING,
        ),
    ] = False,
    key: Annotated[
        str | None,
        typer.Option(
            "--key",
            help="Part of the signing key's user ID that names one key (with --sign).",
            show_default=False,
            rich_help_panel=_SIGNING,
        ),
    ] = None,
    keyring: Annotated[
        Path | None,
        typer.Option(
            "--keyring",
            help="OpenPGP keyring holding the secret key (default: $GNUPGHOME/pubring.gpg, "
            "else ~/.gnupg/pubring.gpg, as helm; export one with gpg --export-secret-keys).",
            show_default=False,
            rich_help_panel=_SIGNING,
        ),
    ] = None,
    passphrase_file: Annotated[
        Path | None,
        typer.Option(
            "--passphrase-file",
            help="File whose first line unlocks a protected key; - reads it from stdin. "
            "Nothing prompts.",
            show_default=False,
            rich_help_panel=_SIGNING,
        ),
    ] = None,
    output: Output = None,
) -> int:
    """Package chart directories into versioned archives, as helm package does.

    The archive is NAME-VERSION.tgz, readable by helm and by every chartsafe
    command that takes CHART; push it to a registry with chartsafe push. With
    --sign, a .prov beside it lets helm and chartsafe --verify check that the
    archive is the one you signed (chartsafe push uploads it too).
    """
    from .._helm_oci import package_chart
    from .._provenance import sign_chart

    if sign and not key:
        raise typer.BadParameter("--sign needs the signing key's name", param_hint="--key")
    if not sign and (key or passphrase_file):
        flag = "--key" if key else "--passphrase-file"
        raise typer.BadParameter("given without --sign", param_hint=flag)
    if sign:  # a keyring that is not there is said before any archive is written
        from .._provenance import keyring_file

        keyring = keyring_file(keyring, "sign")

    if dependency_update:
        from .._dependencies import update_dependencies

        for chart in charts:
            update_dependencies(chart, plain_http=plain_http)
    written = [
        package_chart(chart, destination, version=version, app_version=app_version)
        for chart in charts
    ]
    signed = [sign_chart(a, key, keyring, passphrase_file=passphrase_file) for a in written if key]
    if output in DATA_FORMATS:
        payload = [
            {"chart": str(c), "archive": str(a)} for c, a in zip(charts, written, strict=True)
        ]
        for entry, prov in zip(payload, signed, strict=False):  # signed is empty without --sign
            entry["provenance"] = str(prov)
        print_data(payload, output)
    else:
        for archive in written:
            print(f"Successfully packaged chart and saved it to: {archive}")
        for prov in signed:
            print(f"Signed it: {prov}")
    return 0
