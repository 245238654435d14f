"""A flag the chosen backend does not read is refused with the flags it does read: real flags
of ``secrets render`` and ``up``, never an internal option name (``--access``)."""

from __future__ import annotations

import re

import click
import pytest
import typer.main

from chartsafe._errors import InputError
from chartsafe.cli._app import app, load_commands
from chartsafe.deliver import BACKENDS, backend_for

load_commands()
_ROOT = typer.main.get_command(app)


def _flags(*path: str) -> set[str]:
    command = _ROOT
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    return {opt for param in command.params for opt in getattr(param, "opts", [])}


#: Each backend with a flag it does not read.
CASES = [
    pytest.param("sealed", "store_ref", id="sealed"),
    pytest.param("external", "cert", id="external"),
    pytest.param("aws", "cert", id="aws"),
    pytest.param("secret", "cert", id="secret"),
]
COMMANDS = [(("secrets", "render"), "--as"), (("up",), "--deliver")]


@pytest.mark.parametrize(("backend", "foreign"), CASES)
@pytest.mark.parametrize(("command", "flag"), COMMANDS, ids=["render", "up"])
def test_the_refusal_lists_only_real_flags(
    backend: str, foreign: str, command: tuple[str, ...], flag: str
) -> None:
    assert backend in BACKENDS
    with pytest.raises(InputError) as caught:
        backend_for(backend, {foreign: "x"}, flag=flag)
    hint = str(caught.value.hint)
    listed = re.findall(r"--[a-z][a-z-]*", hint.split(" reads ", 1)[1])
    assert set(listed) <= _flags(*command), hint
