"""Contract hazards in ``check``: a pre-install hook reading a Secret the release creates later
fails the check (the install would hang), with the hazard explained; fixed, it passes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from check_helpers import DATA, run

CHART = str(DATA / "hook-order")


def test_pre_install_hook_reading_a_later_secret_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "check", "hk", CHART, "--against", str(tmp_path))
    assert code == 1
    assert "the release needs no Secret before install" in out
    assert (
        "GAP hazard [hook-order] pre-install hook Job/hk-migrate (weight 0) reads Secret hk-db, "
        "which Secret/hk-db creates; it is created only after the hook has run." in out
    )
    assert "Fix: make it a pre-install hook with a weight below 0" in out
    assert "contract not met: 1 gap for release hk" in out
    code, out, _ = run(capsys, "check", "hk", CHART, "--against", str(tmp_path), "-o", "json")
    report = json.loads(out)
    assert code == 1 and report["secrets"] == []
    assert [(h["rule"], h["secret"], h["error"]) for h in report["hazards"]] == [
        ("hook-order", "hk-db", True)
    ]


def test_the_secret_as_an_earlier_hook_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "check", "hk", CHART, "--against", str(tmp_path),
                       "--set", "secretAsHook=true")  # fmt: skip
    assert code == 0
    assert "hazard" not in out
    assert "contract met: 0 required Secrets of release hk" in out
