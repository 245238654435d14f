"""Fixtures of the contract tests that go on to ``secrets init`` or ``up``."""

from __future__ import annotations

from pathlib import Path

import pytest

from chartsafe.store import create_identity_file


@pytest.fixture
def age_recipient(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh age identity as SOPS_AGE_KEY_FILE, no store from the environment; its
    recipient."""
    key_file = tmp_path / "age.txt"
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(key_file))
    monkeypatch.delenv("CHARTSAFE_STORE", raising=False)
    return create_identity_file(key_file)
