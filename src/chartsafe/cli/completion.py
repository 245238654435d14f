"""``chartsafe completion bash|zsh|fish``: the shell code for completing chartsafe's
commands, flags, their choices and file names, as ``helm completion`` prints it."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from ._app import app


class Shell(StrEnum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"


@app.command(
    epilog=(
        "Examples:\n\n"
        "  source <(chartsafe completion bash)          # this bash session (bash 4.4+)\n\n"
        "  chartsafe completion bash > ~/.local/share/bash-completion/completions/chartsafe\n\n"
        '  chartsafe completion zsh > "${fpath[1]}/_chartsafe"   # then start a new shell\n\n'
        "  chartsafe completion fish > ~/.config/fish/completions/chartsafe.fish"
    )
)
def completion(
    shell: Annotated[Shell, typer.Argument(help="The shell to print the completion code for.")],
) -> int:
    """Print the shell code that completes chartsafe's commands, flags and file names.

    Source it, or save it where your shell loads completions from (see the examples).
    Nothing is installed or changed: the code is printed on stdout.
    """
    from ._completion import script

    sys.stdout.write(script(shell.value))
    return 0
