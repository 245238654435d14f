"""Help texts that name files or wrap sentences: the files exist, the sentences stay whole."""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chartsafe.cli._app import app, load_commands

ROOT = Path(__file__).resolve().parents[2]


def _help(command: str, width: int) -> str:
    load_commands([command])
    result = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("command", ["lint", "template", "install", "upgrade"])
def test_example_values_files_exist(command: str) -> None:
    for line in _help(command, 200).splitlines():
        words = line.strip(" │").split()
        if words[:1] != ["chartsafe"]:
            continue
        for flag, value in pairwise(words):
            if flag in ("-f", "--values") and value.startswith(("charts/", "examples/")):
                assert (ROOT / value).is_file(), f"{command} --help names {value}"


def test_upgrade_help_keeps_its_sentence_whole() -> None:
    text = re.sub(r"[ │]+\n", "\n", _help("upgrade", 150))
    assert "See what would change first with: chartsafe diff upgrade NAME CHART." in text


@pytest.mark.parametrize(
    ("flag", "shown"),
    [("--profile", "dev|production"), ("--fail-on", "SEVERITY"), ("--enable", "RULE"),
     ("--disable", "RULE")],
)  # fmt: skip
def test_audit_flags_say_what_they_take(flag: str, shown: str) -> None:
    """Not TEXT: the profiles themselves, or what kind of name (completion offers them)."""
    rows = [line.strip(" │") for line in _help("audit", 150).splitlines()]
    (line,) = [row for row in rows if row.startswith(f"{flag} ")]
    assert line.split(flag, 1)[1].split()[0] == shown
