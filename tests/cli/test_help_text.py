"""Every command's help reads well in ``chartsafe --help`` and ``chartsafe CMD --help``.

The command list shows each command's first docstring paragraph; one spread over
two lines is printed with the break in the middle of the table cell. Help strings are
rich markup, where '[default: x]' is a tag that disappears and leaves "... x ." behind:
each command's help is rendered and must show every bracketed part its texts hold.
Docstrings are hard-wrapped in the source; the description must be rewrapped to the
terminal, not keep the source's line breaks (which at 80 columns left single words on
lines of their own, and at a wide terminal kept paragraphs at the source's width).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from itertools import pairwise

import click
import pytest
import typer
import typer.main
import typer.rich_utils

from chartsafe.cli import main
from chartsafe.cli._app import app, load_commands


def _commands(group: typer.Typer, prefix: str = "") -> Iterator[tuple[str, str]]:
    for command in group.registered_commands:
        callback = command.callback
        assert callback is not None
        yield f"{prefix}{command.name or callback.__name__}", inspect.getdoc(callback) or ""
    for sub in group.registered_groups:
        assert sub.typer_instance is not None
        # a group added without a name keeps the one its own Typer(name=...) was given
        name = sub.name if isinstance(sub.name, str) else sub.typer_instance.info.name
        assert isinstance(name, str), sub
        yield from _commands(sub.typer_instance, f"{prefix}{name} ")


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


def _paths(command: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from _paths(sub, (*path, name))


ROOT = typer.main.get_command(app)
PATHS = list(_paths(ROOT))


def _command(path: tuple[str, ...]) -> click.Command:
    command = ROOT
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    return command


def _help(
    path: tuple[str, ...], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> str:
    """``chartsafe PATH --help`` as a user sees it, wide enough that no line wraps."""
    monkeypatch.setattr(typer.rich_utils, "MAX_WIDTH", 1000)
    assert main([*path, "--help"]) == 0
    return " ".join(capsys.readouterr().out.replace("│", " ").split())


@pytest.mark.parametrize("path", PATHS, ids=[" ".join(p) or "chartsafe" for p in PATHS])
def test_help_keeps_every_bracketed_part(
    path: tuple[str, ...], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Help is rich markup: '[default: x]' in a help string is a tag, and vanishes."""
    shown = _help(path, monkeypatch, capsys)
    command = _command(path)
    texts = [command.help, command.epilog, *(getattr(p, "help", None) for p in command.params)]
    for text in filter(None, texts):
        for part in re.findall(r"\[[^\]]*\]", text.replace("\\[", "[")):
            assert " ".join(part.split()) in shown, f"{part!r} of {text!r} is not shown"
    stray = re.search(r".{0,40}\s[.,](?=\s|$)", shown)
    assert stray is None, f"a space before a full stop or comma: {stray.group(0)!r}"


def test_render_as_lists_every_backend(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from chartsafe.deliver import BACKENDS

    shown = _help(("secrets", "render"), monkeypatch, capsys)
    as_help = shown.split("--as", 1)[1].split("--", 1)[0]
    for name in BACKENDS:
        assert f"{name}:" in as_help


def test_uninstall_waits_for_deletion(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shown = _help(("uninstall",), monkeypatch, capsys)
    assert "--wait Wait until every object is deleted." in shown


def _description(
    path: tuple[str, ...],
    width: int,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> list[list[str]]:
    """The paragraphs of ``chartsafe PATH --help``'s description at ``width``, as printed lines.

    The description is what comes between the usage line(s) and the first panel.
    """
    monkeypatch.setattr(typer.rich_utils, "MAX_WIDTH", width)
    assert main([*path, "--help"]) == 0
    lines = [line.rstrip() for line in capsys.readouterr().out.splitlines()]
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("Usage:"))
    start = lines.index("", start)
    end = next(i for i, line in enumerate(lines) if line.startswith("╭"))
    paragraphs: list[list[str]] = [[]]
    for line in lines[start:end]:
        if line:
            paragraphs[-1].append(line.strip())
        elif paragraphs[-1]:
            paragraphs.append([])
    return [p for p in paragraphs if p]


@pytest.mark.parametrize("width", [80, 200])
@pytest.mark.parametrize("path", PATHS, ids=[" ".join(p) or "chartsafe" for p in PATHS])
def test_description_is_wrapped_to_the_terminal(
    path: tuple[str, ...],
    width: int,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Every line of a paragraph but its last is full: the next word would not have fitted.

    Rich pads the description by one column on each side. Before the fix, at 80 columns
    "...implausible for / its / format (..." and at 200 the source's 88-column breaks.
    """
    paragraphs = _description(path, width, monkeypatch, capsys)
    assert paragraphs, "no description shown"
    for paragraph in paragraphs:
        for line, following in pairwise(paragraph):
            if len(f"{line} {following.split()[0]}") <= width - 2:
                symptom = "line broken early" if " " in line else "a single word on its own line"
                pytest.fail(f"{symptom}: {line!r} before {following!r}")


def test_every_command_is_in_a_help_panel() -> None:
    from chartsafe.cli._app import HELP_PANELS

    top = {name.split(" ", 1)[0] for name, _ in COMMANDS}
    placed = [name for names in HELP_PANELS.values() for name in names]
    assert sorted(placed) == sorted(top)  # each once, none left under "Commands"


def test_the_panels_come_in_order_the_main_job_first(capsys: pytest.CaptureFixture[str]) -> None:
    from chartsafe.cli._app import HELP_PANELS

    main(["--help"])
    lines = capsys.readouterr().out.splitlines()
    panels = [line.strip("╭─ ").split(" ─")[0] for line in lines if line.startswith("╭─")]
    assert panels == ["Options", *HELP_PANELS]
    listed = [line.split()[1] for line in lines if line.startswith("│ ") and line[2] != " "]
    wanted = [name for names in HELP_PANELS.values() for name in names]
    assert [name for name in listed if name in wanted] == wanted
