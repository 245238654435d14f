"""``SOPS_AGE_KEY_CMD``: identities printed by a command, as sops 3.11 runs it (SOPS.md §8.3).

A CI job or a password manager keeps the age key out of files and hands it over on demand
(``SOPS_AGE_KEY_CMD="op read op://ci/age/key"``). sops splits the variable into words (no
shell) and runs it once for each age recipient of the file it opens, with
``SOPS_AGE_RECIPIENT`` naming that recipient, so one command can serve several keys. Its
standard output is a key file (one identity per line, ``#`` lines ignored); what it prints
is never kept past the decryption, shown, or written anywhere. A command that fails is, as
in sops, one source that found nothing: another identity may still open the file, and the
error for one no identity opens says why the command gave none.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from typing import Any

from chartsafe._errors import AgeKeyError

__all__ = ["KEY_COMMAND_VAR", "run_key_command"]

KEY_COMMAND_VAR = "SOPS_AGE_KEY_CMD"


def run_key_command(command: str, recipient: str) -> list[Any]:
    """The identities ``command`` prints for ``recipient`` (set in ``SOPS_AGE_RECIPIENT``).

    It reads nothing (stdin is empty: a prompt cannot hang a deploy) and its stderr is not
    shown, as sops shows neither. A command that cannot run, fails (its output is then not
    read, as sops reads none) or prints what is not a key file raises ``AgeKeyError``, whose
    message names the program, never what it printed.
    """
    from chartsafe.store.age_keys import parse_identities

    try:
        argv = shlex.split(command)
    except ValueError as exc:
        raise AgeKeyError(f"{KEY_COMMAND_VAR}: cannot split it into words: {exc}") from None
    if not argv:
        raise AgeKeyError(f"{KEY_COMMAND_VAR}: it holds no command")
    env = {**os.environ, "SOPS_AGE_RECIPIENT": recipient}
    try:
        done = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                              check=False)  # fmt: skip
    except OSError as exc:
        raise AgeKeyError(f"{KEY_COMMAND_VAR}: cannot run {argv[0]}: {exc.strerror}") from None
    if done.returncode != 0:
        raise AgeKeyError(f"{KEY_COMMAND_VAR}: {argv[0]} exited {done.returncode}")
    try:
        text = done.stdout.decode("utf-8")
    except UnicodeDecodeError:
        raise AgeKeyError(f"{KEY_COMMAND_VAR}: {argv[0]} printed text that is not UTF-8") from None
    return parse_identities(text, f"{KEY_COMMAND_VAR}: the output of {argv[0]}")
