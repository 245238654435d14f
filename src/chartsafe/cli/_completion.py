"""Shell completion through click's own machinery: the scripts ``chartsafe completion SHELL``
prints, and the answers a shell asks for through ``_CHARTSAFE_COMPLETE``.

Click ships the scripts and the parsing (bash 4.4+, zsh, fish); typer's own completion is
turned off in the app (its install option writes into the user's shell files). One thing
is added: where click has nothing to offer for a word that is not a flag (CHART, a values
file, a store), the shell is told to complete a file name, as ``helm`` and ``kubectl``
completion do, instead of offering nothing.
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["COMPLETE_VAR", "PROG_NAME", "SHELLS", "answer", "script"]

PROG_NAME = "chartsafe"
#: The variable the scripts set when they ask chartsafe for completions (click's name for it).
COMPLETE_VAR = "_CHARTSAFE_COMPLETE"
SHELLS = ("bash", "zsh", "fish")


def _completer(shell: str) -> Any:
    """Click's completion for ``shell`` over the whole CLI, falling back to file names."""
    import typer
    from click.shell_completion import CompletionItem, get_completion_class

    from ._app import app, load_commands

    base = get_completion_class(shell)
    if base is None:  # SHELLS are click's own
        raise ValueError(shell)

    class FilesWhenNothing(base):  # type: ignore[valid-type,misc]
        def get_completions(self, args: list[str], incomplete: str) -> list[CompletionItem]:
            found: list[CompletionItem] = super().get_completions(args, incomplete)
            if found or incomplete.startswith("-"):
                return found
            return [CompletionItem(incomplete, type="file")]

    load_commands()
    return FilesWhenNothing(typer.main.get_command(app), {}, PROG_NAME, COMPLETE_VAR)


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
