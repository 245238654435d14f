"""The typer application and its command registry: one module per command."""

from __future__ import annotations

import importlib
from typing import Annotated

import typer

from .._version import __version__

app = typer.Typer(
    name="chartsafe",
    help=(
        "Deploy Helm charts together with their secrets.\n\n"
        "Renders charts with Helm's own engine and validates every object strictly.\n\n"
        "Examples:\n\n"
        "  chartsafe template my-release charts/tracecat -f values.yaml\n\n"
        "  chartsafe lint charts/tracecat --set tracecat.auth.superadminEmail=me@example.com"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"chartsafe {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Deploy Helm charts together with their secrets."""


#: Command modules, one per command or command group; importing one registers it on
#: ``app``. Adding a command is adding its module and one line here. Keep each module's
#: top-level imports light (import heavy libraries inside the command): all are
#: imported at start-up.
COMMAND_MODULES: tuple[str, ...] = (
    "audit",
    "contract",
    "lint",
    "sops",
    "template",
    "secrets",
    "keys",
    "release",
    "release_info",
    "diff",
    "seal",
    "sealed",
)

for _module in COMMAND_MODULES:
    importlib.import_module(f"{__package__}.{_module}")

__all__ = ["app"]
