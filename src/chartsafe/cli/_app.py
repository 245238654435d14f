"""The typer application and its command registry: one module per command."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Sequence
from typing import Annotated, Any

import click
import typer
from typer.core import TyperGroup

from .._version import __version__


class _PanelOrder(TyperGroup):
    """The root command group, listing its commands in :data:`HELP_PANELS` order (typer would
    list them in registration order, groups after commands, and show the panels in the
    order their first command comes)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = super().list_commands(ctx)
        return sorted(names, key=lambda name: _ORDER.get(name, len(_ORDER)))


class _App(typer.Typer):
    """The root app; imports the command modules a run needs before building the CLI."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from ._startup_gc import release

        load_commands(kwargs.get("args"))
        release()  # the command's modules are in (see _startup_gc)
        return super().__call__(*args, **kwargs)


app = _App(
    name="chartsafe",
    cls=_PanelOrder,
    help=(
        "Deploy Helm charts together with their secrets.\n\n"
        "Renders a chart with Helm's own engine and validates every object, works out every "
        "Secret and key the release reads, generates what is missing into one encrypted "
        "store (never regenerating a value), delivers it as Secrets, SealedSecrets, SOPS "
        "files or External Secrets, checks the cluster, and installs.\n\n"
        "Examples:\n\n"
        "  chartsafe up tc charts/tracecat -f values.yaml --store secrets.sops.yaml\n\n"
        "  chartsafe contract tc charts/tracecat -f values.yaml\n\n"
        "  chartsafe template tc charts/tracecat -f values.yaml\n\n"
        "  chartsafe audit tc charts/tracecat -f values.yaml --profile production"
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
#: top-level imports light (import heavy libraries inside the command): ``--help``
#: imports them all; a run imports only its command's module when that is named like
#: the command (``template`` → template.py) or listed in COMMAND_HOMES, otherwise all.
COMMAND_MODULES: tuple[str, ...] = (
    "audit",
    "contract",
    "lint",
    "sops",
    "template",
    "secrets",
    "keys",
    "install",
    "upgrade",
    "rollback",
    "uninstall",
    "release_info",
    "release_get",
    "release_test",
    "up",
    "diff",
    "seal",
    "sealed",
    "check",
    "package",
    "push",
    "pull",
    "verify",
    "show",
    "registry",
    "repo",
    "dependency",
    "completion",
)


#: Commands that live in a module not named like them, so that a run of one of them
#: still imports only its module (``chartsafe status`` is often run in a loop).
COMMAND_HOMES: dict[str, str] = {
    "get": "release_get",
    "history": "release_info",
    "list": "release_info",
    "status": "release_info",
    "test": "release_test",
    "reseal": "seal",
    "unseal": "seal",
}


#: The panels of ``chartsafe --help``, in the order shown (the main job first), each with
#: its top-level commands and groups in the order listed. A command missing here is listed
#: under typer's default "Commands" panel, so a new command is never hidden
#: (tests/cli/test_help_text.py asks for one).
HELP_PANELS: dict[str, tuple[str, ...]] = {
    "Deploy a release with its secrets": (
        "up", "install", "upgrade", "rollback", "uninstall", "diff",
    ),
    "Render and check a chart": ("template", "lint", "contract", "check", "audit", "show"),
    "Secret values": ("secrets", "keys", "sops"),
    "Sealed Secrets (as kubeseal)": ("seal", "unseal", "reseal", "sealed"),
    "Releases in the cluster": ("status", "history", "list", "test", "get"),
    "Charts and registries": (
        "package", "push", "pull", "verify", "repo", "dependency", "registry",
    ),
    "Shell": ("completion",),
}  # fmt: skip

_PANEL_OF = {name: panel for panel, names in HELP_PANELS.items() for name in names}
_ORDER = {name: at for at, name in enumerate(_PANEL_OF)}


def _command_name(command: Any) -> str:
    return str(command.name or (command.callback.__name__ if command.callback else "")).replace(
        "_", "-"
    )


def _group_name(group: Any) -> str:
    return str(group.name or (group.typer_instance and group.typer_instance.info.name) or "")


def _arrange_help() -> None:
    """Put each top-level command and group in its :data:`HELP_PANELS` panel (the order is
    :class:`_PanelOrder`'s). Idempotent: it runs after every load_commands."""
    for command in app.registered_commands:
        command.rich_help_panel = _PANEL_OF.get(_command_name(command))
    for group in app.registered_groups:
        group.rich_help_panel = _PANEL_OF.get(_group_name(group))


def _registered() -> set[str]:
    names = {_command_name(c) for c in app.registered_commands}
    return names | {_group_name(g).replace("_", "-") for g in app.registered_groups}


def _unwrap(text: str) -> str:
    """``text`` with each paragraph on one line (a paragraph starting with \\b kept as is)."""
    paragraphs = text.split("\n\n")
    return "\n\n".join(
        p if p.startswith("\b") or "\n" not in p else " ".join(w.strip() for w in p.split("\n"))
        for p in paragraphs
    )


def _unwrap_help(group: typer.Typer) -> None:
    """Give every command of ``group`` (and its subgroups) its docstring as unwrapped help.

    Docstrings are hard-wrapped at the source's width. Typer's rich help joins the lines
    of option help and of epilogs but keeps those of a command's description after its
    first paragraph, and rich then wraps each kept line on its own: at 80 columns a
    line one word too long leaves that word alone on the next line, and a wide
    terminal shows the source's line breaks. Unwrapped here, rich wraps whole
    paragraphs to the terminal. Idempotent: it runs after every load_commands.
    """
    for command in group.registered_commands:
        doc = command.help if command.help is not None else inspect.getdoc(command.callback)
        command.help = _unwrap(doc) if doc else doc
    if isinstance(group.info.help, str):
        group.info.help = _unwrap(group.info.help)
    for sub in group.registered_groups:
        if isinstance(sub.help, str):
            sub.help = _unwrap(sub.help)
        if sub.typer_instance is not None:
            _unwrap_help(sub.typer_instance)


def load_commands(args: Sequence[str] | None = None) -> None:
    """Register the commands ``args`` invokes, or every command.

    Building the whole CLI costs a few milliseconds per command at every start
    (typer inspects each signature); a run needs one command. With no command
    named (``--help``, no arguments) or one not found in its namesake module,
    every module is imported, so the result is the same as importing all.
    """
    command = next((a for a in args or () if not a.startswith("-")), None)
    if command is None and "--version" in (args or ()):
        return  # answered by the root callback before any command is looked at
    module = COMMAND_HOMES.get(command or "") or (command or "").replace("-", "_")
    if command and module in COMMAND_MODULES:
        importlib.import_module(f"{__package__}.{module}")
        if command in _registered():
            _unwrap_help(app)
            return
    for name in COMMAND_MODULES:
        importlib.import_module(f"{__package__}.{name}")
    _unwrap_help(app)
    _arrange_help()


__all__ = ["COMMAND_HOMES", "COMMAND_MODULES", "HELP_PANELS", "app", "load_commands"]
