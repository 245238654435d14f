"""Every example in a command's ``--help`` that needs nothing but the bundled charts runs.

A platform engineer copies an example before reading the flags. An example that names
only files of this checkout (``charts/llmtrace``, ``charts/tracecat/examples/...``) and no
cluster, registry or store of theirs must work as written: before, the ``contract``,
``template`` and ``lint`` examples on llmtrace and ``install --dry-run`` on Tracecat
stopped on values the chart requires. Examples with a placeholder (``-f values.yaml``,
``age1...``, ``oci://registry.example.com``) are illustrations and are not run.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
import typer.main

from chartsafe.cli import main
from chartsafe.cli._app import app, load_commands

REPO = Path(__file__).resolve().parents[2]

#: Words that make an example a shell pipeline or one that needs what only a user has.
_NOT_RUN = ("|", ">", ">>", "<", "&&", "--against cluster", "age1...", "oci://", "https://")

#: Commands that talk to a cluster unless they say --dry-run client.
_CLUSTER = {"install", "upgrade", "rollback", "uninstall", "status", "history", "list", "test",
            "get", "diff", "seal", "reseal", "sealed", "push", "pull", "registry"}  # fmt: skip

#: Flags whose directory the example makes (in the test's own directory).
_WRITES_INTO = ("--output-dir", "-d", "--destination")

_FILE_SUFFIXES = (".yaml", ".yml", ".json", ".tgz", ".pem", ".key", ".gpg", ".txt", ".crt")


def _help_examples() -> Iterator[tuple[str, str]]:
    """(command, example) for every ``chartsafe ...`` line of every command's help, and the
    ``chartsafe ...`` end of a ``kubectl ... > s.yaml && chartsafe ...`` line."""
    load_commands(None)
    root = typer.main.get_command(app)

    def walk(command: click.Command, path: list[str]) -> Iterator[tuple[str, str]]:
        text = "\n".join(t for t in (command.help, command.epilog) if t)
        for line in text.splitlines():
            example = line.split("&& ", 1)[-1].strip()
            if example.startswith("chartsafe "):
                yield " ".join(path) or "chartsafe", example
        if isinstance(command, click.Group):
            ctx = click.Context(command)
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                assert sub is not None
                yield from walk(sub, [*path, name])

    yield from walk(root, [])


def _runnable(example: str) -> list[str] | None:
    """The example's arguments when it needs nothing but this checkout, else None."""
    words = shlex.split(example, comments=True)[1:]
    if any(marker in example for marker in _NOT_RUN) or not words:
        return None
    if words[0] in _CLUSTER and not ("--dry-run" in words and "client" in words):
        return None
    if words[0] == "secrets" and "--store" not in words:  # the store of $CHARTSAFE_STORE
        return None
    for before, word in zip(["", *words], words, strict=False):
        path_like = "/" in word or word.endswith(_FILE_SUFFIXES)
        missing = path_like and not word.startswith("-") and not (REPO / word).exists()
        if missing and before not in _WRITES_INTO:
            return None
    return words


EXAMPLES = sorted(dict.fromkeys(_help_examples()))
RUNNABLE = [(command, example) for command, example in EXAMPLES if _runnable(example)]


def test_the_examples_that_run_here_are_not_few() -> None:
    """The filter above must not quietly skip everything (it ran 8 or more when written)."""
    assert len(RUNNABLE) >= 8, RUNNABLE


@pytest.mark.parametrize(("command", "example"), RUNNABLE, ids=[e for _, e in RUNNABLE])
def test_a_help_example_runs_as_written(
    command: str,
    example: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    words = _runnable(example)
    assert words is not None
    (tmp_path / "charts").symlink_to(REPO / "charts")  # what it writes lands in tmp_path
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("HELM_NAMESPACE", raising=False)
    code = main(words)
    err = capsys.readouterr().err
    assert code == 0, f"{command} --help: {example}\n{err}"
