"""Every command's file options, fed files no command can use: never a crash, never a leak.

The bad-input tables name each case a person meets; this sweep walks the whole command
tree, so that a new command or option is covered the day it lands. Each file option (and
``-f``, ``--against``) gets a binary file, a YAML document nested deeper than Python's
parsers go, and broken YAML with a password on the broken line (PyYAML quotes that line in
its own message). The command may refuse the file (exit 2) or not need it (exit 0 or 1),
but it never ends in an internal error (exit 3) and never prints the password.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
import pytest
import typer.main

from chartsafe.cli import main
from chartsafe.cli._app import app, load_commands

MINIMAL = str(Path(__file__).resolve().parents[1] / "data" / "minimal")
PASSWORD = "Zq8rT2vLp0-in-a-broken-line"
FILES = {
    "binary": b"\x00\xff\xfe\x80 not text",
    "deep": ("a: " + "[" * 3000 + "]" * 3000 + "\n").encode(),
    "broken": f"apiVersion: v1\nkind: Secret\nstringData:\n  password: {PASSWORD}: [x\n".encode(),
}
#: Options that name a file the command writes, not one it reads.
OUTPUTS = frozenset({"--out", "--output-file", "--values-out", "--destination"})
#: Text-typed options that name files read (they also take URLs, '-' or 'cluster').
TEXT_FILE_OPTIONS = frozenset({"--values", "--against", "--check-against"})
#: What each positional argument gets when the file under test goes elsewhere.
ARGUMENTS = {"args": ["rel", MINIMAL], "chart": [MINIMAL], "charts": [MINIMAL],
             "name": ["rel"], "revision": ["1"], "secret": ["s"], "key": ["k"],
             "host": ["127.0.0.1:9"], "remote": ["oci://127.0.0.1:9/charts"]}  # fmt: skip
FILE_ARGUMENTS = frozenset({"file", "archive"})


def _commands() -> Iterator[tuple[list[str], click.Command]]:
    load_commands(None)
    root = typer.main.get_command(app)
    ctx = click.Context(root)

    def walk(cmd: click.Command, prefix: list[str]) -> Iterator[tuple[list[str], click.Command]]:
        if isinstance(cmd, click.Group):
            for name in cmd.list_commands(ctx):
                sub = cmd.get_command(ctx, name)
                if sub is not None:
                    yield from walk(sub, [*prefix, name])
        else:
            yield prefix, cmd

    yield from walk(root, [])


def _cases() -> Iterator[tuple[str, list[str], str | None]]:
    """(id, argv with '{file}' where the bad file goes, the argument it replaces)."""
    for words, cmd in _commands():
        arguments = [p for p in cmd.params if isinstance(p, click.Argument)]
        options = [p for p in cmd.params if isinstance(p, click.Option) and not p.is_flag]
        for argument in arguments:
            if argument.name in FILE_ARGUMENTS:
                argv = [*words, *(
                    ["{file}"] if a is argument else ARGUMENTS.get(str(a.name), ["x"])
                    for a in arguments
                )]  # fmt: skip
                yield f"{' '.join(words)} {argument.name.upper()}", _flat(argv), None
        plain = _flat([*words, *(ARGUMENTS.get(str(a.name), ["{ok}"]) for a in arguments)])
        flags = {max(o.opts, key=len) for o in options}
        for option in options:
            flag = max(option.opts, key=len)
            store = ["--store", "{tmp}/s.yaml"] if "--store" in flags and flag != "--store" else []
            is_file = isinstance(option.type, click.Path) or flag in TEXT_FILE_OPTIONS
            if is_file and flag not in OUTPUTS:
                yield f"{' '.join(words)} {flag}", [*plain, *store, flag, "{file}"], flag


def _flat(parts: list[object]) -> list[str]:
    return [w for p in parts for w in (p if isinstance(p, list) else [p])]  # type: ignore[misc]


CASES = list(_cases())


@pytest.mark.parametrize("kind", sorted(FILES))
@pytest.mark.parametrize(("argv", "flag"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_file_no_command_can_use_is_refused_not_crashed_on(
    argv: list[str],
    flag: str | None,
    kind: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO(""))
    monkeypatch.chdir(tmp_path)
    bad = tmp_path / f"{kind}.yaml"
    bad.write_bytes(FILES[kind])
    ok = tmp_path / "ok.yaml"
    ok.write_text("a: 1\n")
    given = {"{file}": str(bad), "{ok}": str(ok)}
    code = main([given.get(w, w).replace("{tmp}", str(tmp_path)) for w in argv])
    out, err = capsys.readouterr()
    assert code != 3, err
    assert "Traceback" not in err
    assert PASSWORD not in out + err
