"""The console script holds Python's cyclic collector off while it imports (``_startup_gc``);
``template`` lets it go once its modules are in, ``audit --files`` keeps it held to the end
(``_quick``: a large tree of plain dicts and no cyclic garbage to find)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from chart_files import write_chart

from chartsafe.cli import _startup_gc
from chartsafe.cli._quick import run_quick

CONFIG_MAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: b\n"


@pytest.fixture
def held() -> Iterator[None]:
    """The collector as the console script leaves it before the command: held."""
    was_enabled = gc.isenabled()
    gc.enable()
    _startup_gc.hold()
    try:
        yield
    finally:
        _startup_gc._HELD.clear()
        gc.unfreeze()
        if was_enabled:
            gc.enable()
        else:
            gc.disable()


def test_hold_then_release(held: None) -> None:
    assert not gc.isenabled()
    _startup_gc.release()
    assert gc.isenabled()


def test_release_leaves_a_collector_it_did_not_hold_alone() -> None:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        _startup_gc.release()  # main() called by a library user or a test: nothing held
        assert not gc.isenabled()
    finally:
        if was_enabled:
            gc.enable()


def test_template_lets_the_collector_go(
    held: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chart = write_chart(tmp_path / "small", {"cm.yaml": CONFIG_MAP})
    assert run_quick(["template", "r", str(chart), "--no-validate"]) == 0
    assert "name: settings" in capsys.readouterr().out
    assert gc.isenabled()


def test_audit_files_keeps_the_collector_held(
    held: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = tmp_path / "cm.yaml"
    manifest.write_text(CONFIG_MAP)
    assert run_quick(["audit", "--files", str(manifest), "-o", "json"]) == 0
    assert '"failed": false' in capsys.readouterr().out
    assert not gc.isenabled()
