"""Every command's help reads well in ``chartsafe --help``.

The command list shows each command's first docstring paragraph; one spread over
two lines is printed with the break in the middle of the table cell.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator

import pytest
import typer

from chartsafe.cli._app import app, load_commands


def _commands(group: typer.Typer, prefix: str = "") -> Iterator[tuple[str, str]]:
    for command in group.registered_commands:
        callback = command.callback
        assert callback is not None
        yield f"{prefix}{command.name or callback.__name__}", inspect.getdoc(callback) or ""
    for sub in group.registered_groups:
        assert sub.typer_instance is not None
        yield from _commands(sub.typer_instance, f"{prefix}{sub.name} ")


load_commands()
COMMANDS = sorted(_commands(app))


def test_every_command_is_listed() -> None:
    assert len(COMMANDS) > 30


@pytest.mark.parametrize(("name", "doc"), COMMANDS, ids=[name for name, _ in COMMANDS])
def test_summary_is_one_line(name: str, doc: str) -> None:
    summary = doc.split("\n\n", 1)[0]
    assert summary, f"{name} has no help text"
    assert "\n" not in summary, f"{name}: the first paragraph of its help spans lines"
    assert summary.endswith("."), f"{name}: {summary!r}"
