"""Shell completion through click's own machinery: the scripts ``chartsafe completion SHELL``
prints, and the answers a shell asks for through ``_CHARTSAFE_COMPLETE``.

Click ships the scripts and the parsing (bash 4.4+, zsh, fish); typer's own completion is
turned off in the app (its install option writes into the user's shell files). Two things
are added. A flag whose value is one of a fixed set that click reads as plain text (the
command checks it with its own one-line message, or takes the flag bare as Helm does:
``--dry-run``, ``--deliver``, ``--scope``...) is offered that set, as a click choice is.
And where click has nothing to offer for a word that is not a flag's fixed value (CHART, a
values file, a store), the shell is told to complete a file name, as ``helm`` and
``kubectl`` completion do, instead of offering nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, get_args

__all__ = ["COMPLETE_VAR", "PROG_NAME", "SHELLS", "answer", "fixed_values", "script"]

PROG_NAME = "chartsafe"
#: The variable the scripts set when they ask chartsafe for completions (click's name for it).
COMPLETE_VAR = "_CHARTSAFE_COMPLETE"
SHELLS = ("bash", "zsh", "fish")


def fixed_values() -> dict[str, tuple[str, ...]]:
    """The values of the flags click reads as text but whose value is one of a fixed set,
    keyed by flag (``--scope``) or, for one command taking other values than the rest, by
    ``COMMAND FLAG`` (``install --server-side``). Read from the constants the commands'
    own checks use, so an added value is offered without touching completion.

    ``cluster`` comes with file names for ``--against`` and ``--check-against``, which take
    either (see :func:`_completer`). A value that starts with a fixed part the user goes
    on from (``--store-setting NAME=VALUE``) is offered that part (``vault-url=``).
    """
    from .._release_settings import DRY_RUN_MODES, SERVER_SIDE_MODES
    from .._release_undo import CASCADES
    from ..deliver import BACKENDS
    from ..deliver.external import CREATION_POLICIES, DELETION_POLICIES, StoreKind
    from ..deliver.external_layout import PROVIDERS
    from ..deliver.external_stores import SETTINGS
    from ..deliver.sealed_crypto import Scope
    from ..generate import GENERATORS
    from ..store.secret_ops import known_formats
    from .sealed import VERIFY_OUTPUTS
    from .secrets_push import PUSH_TARGETS
    from .secrets_render import RENDER_FORMATS

    backends = tuple(BACKENDS)
    return {
        "--dry-run": DRY_RUN_MODES,
        "--server-side": SERVER_SIDE_MODES,
        # install has no revision before it to follow: Helm's install takes true or false
        "install --server-side": tuple(m for m in SERVER_SIDE_MODES if m != "auto"),
        "--deliver": backends,
        "--as": backends,
        "--scope": tuple(s.value for s in Scope),
        "--provider": PROVIDERS,
        "--store-kind": get_args(StoreKind),
        "--creation-policy": CREATION_POLICIES,
        "--deletion-policy": DELETION_POLICIES,
        "--cascade": CASCADES,
        "--to": PUSH_TARGETS,
        "--against": ("cluster",),
        "--check-against": ("cluster",),
        "secrets render --output": RENDER_FORMATS,
        "sealed verify --output": VERIFY_OUTPUTS,
        # NAME=VALUE: the names, the value is the user's
        "--store-setting": tuple(f"{name}=" for name in SETTINGS),
        "secrets set --format": tuple(known_formats()),
        # a whole SPEC; secrets init's and up's [SECRET/]KEY=SPEC start with the user's key
        "secrets rotate --generator": tuple(GENERATORS),
    }


#: Flags whose fixed value may also be a file: the file names are offered too.
_OR_FILE = frozenset({"--against", "--check-against"})


def _completer(shell: str) -> Any:
    """Click's completion for ``shell`` over the whole CLI, with the fixed values of text
    flags, falling back to file names."""
    import click
    import typer
    from click.shell_completion import CompletionItem, get_completion_class

    from ._app import app, load_commands

    base = get_completion_class(shell)
    if base is None:  # SHELLS are click's own
        raise ValueError(shell)
    #: Set when the word completed is the value of a flag with a fixed set: a word none of
    #: them starts is then offered nothing, not file names it could never be.
    fixed: list[bool] = []

    class FilesWhenNothing(base):  # type: ignore[valid-type,misc]
        def get_completions(self, args: list[str], incomplete: str) -> list[CompletionItem]:
            found: list[CompletionItem] = super().get_completions(args, incomplete)
            if found or fixed or incomplete.startswith("-"):
                return found
            return [CompletionItem(incomplete, type="file")]

    def offering(
        values: tuple[str, ...], or_file: bool
    ) -> Callable[[click.Context, str], list[CompletionItem]]:
        def complete(ctx: click.Context, incomplete: str) -> list[CompletionItem]:
            fixed.append(True)
            found = [CompletionItem(v) for v in values if v.startswith(incomplete)]
            return [*found, CompletionItem(incomplete, type="file")] if or_file else found

        return complete

    def chosen(
        param: click.Option,
    ) -> Callable[[click.Context, str], list[CompletionItem]]:
        own = param.shell_complete

        def complete(ctx: click.Context, incomplete: str) -> list[CompletionItem]:
            fixed.append(True)
            return own(ctx, incomplete)

        return complete

    def attach(command: click.Command, path: str, known: dict[str, tuple[str, ...]]) -> None:
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                attach(sub, f"{path} {name}".strip(), known)
            return
        for param in command.params:
            if not isinstance(param, click.Option) or param.is_flag:
                continue
            names = [f"{path} {o}" for o in param.opts] + param.opts
            values = next((known[n] for n in names if n in known), None)
            if values is not None:
                or_file = any(o in _OR_FILE for o in param.opts)
                setattr(param, "shell_complete", offering(values, or_file))  # noqa: B010
            elif isinstance(param.type, click.Choice):
                setattr(param, "shell_complete", chosen(param))  # noqa: B010

    load_commands()
    cli = typer.main.get_command(app)
    attach(cli, "", fixed_values())
    return FilesWhenNothing(cli, {}, PROG_NAME, COMPLETE_VAR)


def script(shell: str) -> str:
    """The code that makes ``shell`` complete chartsafe (to source, or to save where the
    shell loads completions from)."""
    source: str = _completer(shell).source()
    return source


def answer(instruction: str) -> int:
    """Answer a completion script's request (``_CHARTSAFE_COMPLETE=bash_complete`` with the
    words in ``COMP_WORDS``): the candidates on stdout, one per line. Exit code 1 for an
    instruction that is not one of click's."""
    shell, _, action = instruction.partition("_")
    if shell not in SHELLS or action not in ("complete", "source"):
        return 1
    completer = _completer(shell)
    if action == "complete":
        sys.stdout.write(completer.complete() + "\n")
    else:
        sys.stdout.write(completer.source())
    return 0
