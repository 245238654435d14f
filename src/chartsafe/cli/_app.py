"""The typer application and its command registry: one module per command."""

from __future__ import annotations

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


# Importing a command module registers its command on ``app``.
from . import lint, template  # noqa: E402

__all__ = ["app", "lint", "template"]
