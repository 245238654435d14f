"""--dry-run takes Helm's values: client, server, and true (client), false or none (no dry run)."""

from __future__ import annotations

from pathlib import Path

import pytest
from release_fake_api import APP

from chartsafe._release_settings import ReleaseSettings
from chartsafe.cli import main


@pytest.mark.parametrize(
    ("given", "mode"),
    [("true", "client"), ("false", None), ("none", None), ("client", "client"),
     ("server", "server")],
)  # fmt: skip
def test_dry_run_values_as_helm(given: str, mode: str | None) -> None:
    assert ReleaseSettings(dry_run=given).dry_run == mode


def test_dry_run_true_is_a_client_dry_run(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["install", "shop", str(APP), "--dry-run=true", "--storage", "memory",
                 "--set", "password=flag-pw-123,apiKey=flag-key-456"])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "DRY RUN: client (nothing was applied)" in out


def test_dry_run_false_installs_for_real(
    closed_kubeconfig: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["install", "shop", str(APP), "--dry-run=false", "--kubeconfig",
                 str(closed_kubeconfig), "--skip-check",
                 "--set", "password=flag-pw-123,apiKey=flag-key-456"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2
    assert "cannot reach the cluster" in err and "unknown mode" not in err
