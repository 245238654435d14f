"""``-o`` of the commands that print manifests (``template``, ``get manifest``, ``get
hooks``): yaml or json, nothing else. Their output is documents, which have no rows: ``-o
table`` used to be listed by the help and printed YAML as if it were a table."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_push_output_formats import output_choices

from chartsafe.cli import main

MINIMAL = str(Path(__file__).resolve().parents[1] / "data" / "minimal")
COMMANDS = [("template",), ("get", "manifest"), ("get", "hooks")]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_only_the_document_formats_are_offered(command: tuple[str, ...]) -> None:
    assert output_choices(*command) == ["yaml", "json"]


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
