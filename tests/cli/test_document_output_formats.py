"""``-o`` of the commands that print manifests (``template``, ``get manifest``, ``get
hooks``): yaml or json, nothing else. Their output is documents, which have no rows: ``-o
table`` used to be listed by the help and printed YAML as if it were a table."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
import typer

from chartsafe.cli import main

MINIMAL = str(Path(__file__).resolve().parents[1] / "data" / "minimal")
COMMANDS = [("template",), ("get", "manifest"), ("get", "hooks")]


def _offered(*command: str) -> list[str]:
    from chartsafe.cli._app import app, load_commands

    load_commands()
    found: click.Command = typer.main.get_command(app)
    for name in command:
        assert isinstance(found, click.Group)
        found = found.commands[name]
    (option,) = [p for p in found.params if "--output" in getattr(p, "opts", ())]
    assert isinstance(option.type, click.Choice)
    return [str(c) for c in option.type.choices]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_only_the_document_formats_are_offered(command: tuple[str, ...]) -> None:
    assert _offered(*command) == ["yaml", "json"]


@pytest.mark.parametrize(
    "argv",
    [["template", MINIMAL, "-o", "table"], ["get", "manifest", "web", "-o", "table"],
     ["get", "hooks", "web", "-o", "table"]],
    ids=["template", "get manifest", "get hooks"],
)  # fmt: skip
def test_table_is_one_line_and_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert "'-o' / '--output'" in err and "'table'" in err
