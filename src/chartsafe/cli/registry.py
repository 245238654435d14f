"""``chartsafe registry login|logout``: credentials for OCI registries, where Helm keeps them."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from .._errors import InputError
from ._app import app
from ._source_options import PlainHttp, RegistryConfig

registry_app = typer.Typer(
    name="registry",
    help=(
        "Log in to or out of an OCI registry (credentials shared with helm).\n\n"
        "Examples:\n\n"
        '  echo "$TOKEN" | chartsafe registry login registry.example.com -u ci --password-stdin\n\n'
        "  chartsafe registry logout registry.example.com"
    ),
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(registry_app, name="registry")

Host = Annotated[
    str, typer.Argument(metavar="HOST", help="Registry host[:port].", show_default=False)
]
_INSECURE_PASSWORD = (
    "chartsafe: warning: a password on the command line is visible to other users and lands "
    "in shell history; use --password-stdin"
)


def _password(host: str, password: str | None, from_stdin: bool) -> str:
    """The password from exactly one place: stdin, the flag (warned about), or a prompt."""
    if from_stdin and password is not None:
        raise InputError(
            "registry login: --password and --password-stdin together",
            hint="pass the password one way; --password-stdin keeps it out of the process list",
        )
    if from_stdin:
        text = sys.stdin.read()
        return text.removesuffix("\n").removesuffix("\r")
    if password is not None:
        print(_INSECURE_PASSWORD, file=sys.stderr)
        return password
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass("Password: ")
    raise InputError(
        f"registry login {host}: no password given",
        hint="pipe it in with --password-stdin",
    )


@registry_app.command(
    "login",
    epilog=(
        "Examples:\n\n"
        '  echo "$TOKEN" | chartsafe registry login registry.example.com -u ci --password-stdin\n\n'
        "  chartsafe registry login 127.0.0.1:5000 -u me --plain-http "
        "--registry-config ./registry.json --password-stdin < token.txt\n\n"
        "Exit codes: 0 logged in, 2 bad input, registry unreachable or credentials refused."
    ),
)
def login(
    host: Host,
    username: Annotated[
        str | None, typer.Option("-u", "--username", help="Registry user.", show_default=False)
    ] = None,
    password: Annotated[
        str | None,
        typer.Option(
            "-p",
            "--password",
            help="Registry password (insecure: prefer --password-stdin).",
            show_default=False,
        ),
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin.")
    ] = False,
    plain_http: PlainHttp = False,
    registry_config: RegistryConfig = None,
) -> int:
    """Check credentials against a registry and store them for later push and pull.

    Stored in Helm's registry config (0600), so helm uses them too. The password
    is never printed.
    """
    from .._helm_oci import RegistryAccess, registry_login

    if username is None:
        if not sys.stdin.isatty() or password_stdin:
            raise InputError(f"registry login {host}: no username given", hint="pass -u USER")
        username = typer.prompt("Username")
    secret = _password(host, password, password_stdin)
    stored = registry_login(host, username, secret, RegistryAccess(plain_http, registry_config))
    print(f"Login succeeded; credentials stored in {stored}")
    return 0


@registry_app.command(
    "logout",
    epilog="Examples:\n\n  chartsafe registry logout registry.example.com",
)
def logout(host: Host, registry_config: RegistryConfig = None) -> int:
    """Remove the stored credentials for a registry."""
    from .._helm_oci import RegistryAccess, registry_logout

    stored = registry_logout(host, RegistryAccess(registry_config=registry_config))
    print(f"Removed the credentials for {host} from {stored}")
    return 0
