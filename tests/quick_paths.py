"""What the tests of the quick paths (``cli/_template_quick``, ``cli/_audit_quick``) share:
a kubeconfig with two namespaced contexts, a run of ``main``, and typer's own definition of
a command's flags to hold each quick path's table to."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import click
import pytest
import typer.main

from chartsafe.cli import main
from chartsafe.cli._app import app, load_commands

__all__ = [
    "KUBECONFIG",
    "assert_same_shapes",
    "both_ways",
    "command_options",
    "flags_compared",
    "run_main",
    "typer_modules_imported",
]

KUBECONFIG = """apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:9"}}]
users: [{name: u, user: {}}]
contexts:
- {name: first, context: {cluster: c, user: u, namespace: from-first}}
- {name: second, context: {cluster: c, user: u, namespace: from-second}}
current-context: first
"""


def run_main(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """The exit code, stdout and stderr of ``chartsafe ARGS`` run in this process."""
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def command_options(name: str) -> dict[str, click.Option]:
    """Each spelling of each option of the command ``name``, as typer builds it."""
    load_commands([name])
    root = typer.main.get_command(app)
    assert isinstance(root, click.Group)
    command = root.get_command(click.Context(root), name)
    assert command is not None
    return {
        spelling: param
        for param in command.params
        if isinstance(param, click.Option)
        for spelling in param.opts
    }


def assert_same_shapes(
    options: dict[str, click.Option], flags: dict[str, tuple[str, str]], formats: frozenset[str]
) -> None:
    """Each spelling of a quick path's table names the parameter typer sets, with the same
    shape: a switch, one value, or a repeatable one; a path where typer takes a path; -o's
    choices; and no check (a callback) or environment variable typer reads that the quick
    path would miss."""
    for spelling, (name, kind) in flags.items():
        param = options[spelling]
        assert param.name == name, spelling
        assert param.is_flag == (kind == "on"), spelling
        assert param.multiple == (kind in ("texts", "paths")), spelling
        assert isinstance(param.type, click.Path) == (kind in ("path", "paths")), spelling
        assert param.callback is None, spelling
        # --kube-context reads $HELM_KUBECONTEXT, which release_namespace reads too
        assert param.envvar in (None, "HELM_KUBECONTEXT"), spelling
        if kind == "format":
            assert isinstance(param.type, click.Choice)
            assert {str(choice) for choice in param.type.choices} == formats


def both_ways(
    args: list[str],
    quick: ModuleType,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> tuple[tuple[int, str, str], tuple[int, str, str]]:
    """``chartsafe ARGS`` through the quick path, then through typer (the quick module's
    ``read`` declining every command line)."""
    through_quick = run_main(args, capsys)
    monkeypatch.setattr(quick, "read", lambda args: None)
    return through_quick, run_main(args, capsys)


def flags_compared(cases: list[tuple[str, list[str], dict[str, str]]]) -> set[str]:
    """Every flag spelling the command lines of ``cases`` use."""
    return {arg.partition("=")[0] for _, args, _ in cases for arg in args if arg.startswith("-")}


def typer_modules_imported(args: list[str], cwd: Path) -> tuple[int, list[str]]:
    """The exit code of ``chartsafe ARGS`` run in a new interpreter, and the typer and click
    modules it imported."""
    script = (
        "import sys\n"
        "from chartsafe.cli import main\n"
        f"code = main({args!r})\n"
        "print(code, sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'click')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=cwd
    )
    code, _, modules = done.stdout.splitlines()[-1].partition(" ")
    return int(code), ast.literal_eval(modules)
