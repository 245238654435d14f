"""install/upgrade run the check as their gate. With ``--dry-run client`` nothing is applied:
the check is skipped with a note, or runs against ``--check-against DIR``."""

from __future__ import annotations

from pathlib import Path

import pytest
from check_helpers import (  # noqa: F401 (fixtures, used by name)
    delivered_fixture,
    delivered_once_fixture,
    run,
    store_values,
    tracecat,
)

DRY = ["--dry-run", "client", "--storage", "memory"]


@pytest.mark.parametrize("action", [["install"], ["upgrade", "--install"]])
def test_client_dry_run_skips_the_check_with_a_note(
    capsys: pytest.CaptureFixture[str], action: list[str]
) -> None:
    code, out, err = run(capsys, *action, *tracecat(*DRY))
    assert code == 0
    assert "DRY RUN: client (nothing was applied)" in out
    assert "chartsafe: note: --dry-run client applies nothing, so the Secrets were not " \
           "checked against the cluster" in err  # fmt: skip


@pytest.mark.parametrize("action", [["install"], ["upgrade", "--install"]])
def test_check_against_a_directory_stops_the_dry_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], action: list[str]
) -> None:
    code, out, err = run(capsys, *action, *tracecat(*DRY, "--check-against", str(tmp_path)))
    assert code == 1 and out == ""
    assert "GAP Secret tracecat/tracecat-secrets: MISSING" in err
    assert "fix: chartsafe secrets set -n tracecat tracecat-redis-credentials url" in err
    assert err.rstrip().endswith("or pass --skip-check)")
    assert "contract not met: 7 gaps for release tracecat" in err


def test_check_against_delivered_secrets_lets_the_dry_run_through(
    delivered: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "install", *tracecat(*DRY, "--check-against", str(delivered)))
    assert code == 0, err
    assert "DRY RUN: client" in out
    assert "contract" not in err and "note" not in err
    for value in store_values(delivered):
        assert value not in out + err


def test_skip_check_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "install", *tracecat(*DRY, "--check-against", str(tmp_path),
                                                    "--skip-check"))  # fmt: skip
    assert code == 0
    assert "chartsafe: note: --skip-check: the release's Secrets were not checked" in err
    assert "GAP" not in err
