"""What ``--dry-run client`` needs of the cluster, said where it is needed and in each help.

``helm upgrade --install --dry-run`` reads the release's history from the cluster (install or
upgrade?), and so does chartsafe. Its error named a ``history`` command nobody typed, and
the ``--dry-run`` help of upgrade, rollback and up promised "no cluster needed". Now the
error names the command and why it needs the cluster, with the ways that need none (which
do work without one), and only install's help says "no cluster needed".
"""

from __future__ import annotations

from pathlib import Path

import click
import pytest
import typer.main
from release_fake_api import APP

from chartsafe.cli import main
from chartsafe.cli._app import app, load_commands

SETS = ["--set", "password=dry-need-pw-1,apiKey=dry-need-key-2"]

# (id, arguments, whether they need the cluster)
RUNS: list[tuple[str, list[str], bool]] = [
    ("upgrade --install --dry-run client", ["upgrade", "--install", "shop", str(APP),
     "--dry-run", "client"], True),
    ("upgrade -i --dry-run alone", ["upgrade", "-i", "--dry-run", "shop", str(APP)], True),
    # the ways the error offers, which need no cluster
    ("install --dry-run client", ["install", "shop", str(APP), "--dry-run", "client"], False),
    ("upgrade --install --dry-run client --storage memory", ["upgrade", "--install", "shop",
     str(APP), "--dry-run", "client", "--storage", "memory"], False),
]  # fmt: skip


@pytest.mark.parametrize(("args", "needs"), [r[1:] for r in RUNS], ids=[r[0] for r in RUNS])
def test_a_client_dry_run_says_why_it_needs_the_cluster(
    capsys: pytest.CaptureFixture[str], closed_kubeconfig: Path, args: list[str], needs: bool
) -> None:
    code = main([*args, *SETS, "--kubeconfig", str(closed_kubeconfig)])
    err = capsys.readouterr().err
    if not needs:
        assert code == 0, err
        return
    assert code == 2
    error = err.strip().splitlines()[-1]
    assert error.startswith(
        f"chartsafe: error: upgrade shop: cannot reach the cluster of kubeconfig "
        f"{closed_kubeconfig} to read the release's history (whether to install or upgrade; "
        "a dry run needs it too): "
    ), error
    assert "history shop" not in err
    assert "without a cluster: install --dry-run client, or add --storage memory" in error
    assert "dry-need-pw-1" not in err


def _dry_run_help(command: str) -> str:
    load_commands(None)
    found = typer.main.get_command(app)
    assert isinstance(found, click.Group)
    sub = found.get_command(click.Context(found), command)
    assert sub is not None
    option = next(p for p in sub.params if "--dry-run" in getattr(p, "opts", ()))
    return " ".join(str(getattr(option, "help", "")).split())


# (command, whether its client dry run needs no cluster at all, words its help must hold)
HELPS: list[tuple[str, bool, list[str]]] = [
    ("install", True, ["no cluster needed"]),
    ("upgrade", False, ["history is still read from the cluster", "--install --storage memory"]),
    ("rollback", False, ["reads the release's history from the cluster"]),
    ("up", False, ["history is still read from the cluster", "--storage memory",
                   "write nothing (the store and --out included"]),
]  # fmt: skip


@pytest.mark.parametrize(("command", "free", "words"), HELPS, ids=[h[0] for h in HELPS])
def test_dry_run_help_says_what_each_command_needs(
    command: str, free: bool, words: list[str]
) -> None:
    text = _dry_run_help(command)
    assert ("no cluster needed" in text) is free, text
    for word in words:
        assert word in text, text
