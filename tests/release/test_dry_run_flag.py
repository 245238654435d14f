"""``--dry-run`` as Helm takes it: alone it means client, wherever it stands (before the
release name, at the end, before another flag); a mode after it still counts. The same
for ``--server-side``, which alone means true."""

from __future__ import annotations

from pathlib import Path

import pytest
from release_fake_api import APP

from chartsafe.cli import _bare_flags, main

SETS = ["--set", "password=dry-flag-pw-1,apiKey=dry-flag-key-2"]


def _forms(chart: Path) -> list[tuple[str, list[str], str]]:
    tail = ["-n", "shop", "--storage", "memory", *SETS]
    return [
        ("alone, after the chart", ["install", "shop", str(chart), "--dry-run", *tail], "client"),
        ("alone, before the name", ["install", "--dry-run", "shop", str(chart), *tail], "client"),
        ("alone, at the end", ["install", "shop", str(chart), *tail, "--dry-run"], "client"),
        ("with a mode", ["install", "shop", str(chart), "--dry-run", "client", *tail], "client"),
        ("with =", ["install", "shop", str(chart), "--dry-run=client", *tail], "client"),
        ("upgrade --install", ["upgrade", "--install", "--dry-run", "shop", str(chart), *tail],
         "client"),
        ("server needs a cluster", ["install", "shop", str(chart), "--dry-run=server", *tail],
         "server"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "mode"),
    [form[1:] for form in _forms(APP)],
    ids=[form[0] for form in _forms(APP)],
)
def test_dry_run_forms(args: list[str], mode: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(args)
    out, err = capsys.readouterr()
    if mode == "client":
        assert code == 0, err
        assert "DRY RUN: client (nothing was applied)" in out
    else:  # no cluster in the tests: server mode had to ask for one
        assert code == 2
        assert "cannot reach the cluster" in err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["up", "r", "c", "--dry-run"], ["up", "r", "c", "--dry-run=client"]),
        (["up", "--dry-run", "server", "r", "c"], ["up", "--dry-run", "server", "r", "c"]),
        # after --, words are not flags; other commands' --dry-run is a plain switch
        (["install", "r", "c", "--", "--dry-run"], ["install", "r", "c", "--", "--dry-run"]),
        (["uninstall", "r", "--dry-run"], ["uninstall", "r", "--dry-run"]),
        (["rollback", "r", "1", "--dry-run"], ["rollback", "r", "1", "--dry-run=client"]),
        # after NAME CHART, a word is a (mistyped) mode, not a third argument
        (["install", "r", "c", "--dry-run", "maybe"], ["install", "r", "c", "--dry-run", "maybe"]),
        (["install", "--dry-run", "r", "c"], ["install", "--dry-run=client", "r", "c"]),
        (
            ["install", "r", "c", "--dry-run", "--debug"],
            ["install", "r", "c", "--dry-run=client", "--debug"],
        ),
        (["upgrade", "r", "c", "--server-side"], ["upgrade", "r", "c", "--server-side=true"]),
        (["install", "--server-side", "r", "c"], ["install", "--server-side=true", "r", "c"]),
        (
            ["upgrade", "--server-side", "auto", "r", "c"],
            ["upgrade", "--server-side", "auto", "r", "c"],
        ),
        (["rollback", "r", "--server-side", "2"], ["rollback", "r", "--server-side=true", "2"]),
        (
            ["install", "r", "c", "--server-side", "--dry-run"],
            ["install", "r", "c", "--server-side=true", "--dry-run=client"],
        ),
        (["uninstall", "r", "--server-side"], ["uninstall", "r", "--server-side"]),
    ],
)
def test_only_a_bare_mode_flag_is_spelled_out(args: list[str], expected: list[str]) -> None:
    assert _bare_flags(args) == expected
