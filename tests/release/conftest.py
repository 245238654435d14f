"""Release-test fixtures: the fake API server (``release_fake_api``) and kubeconfigs."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from release_fake_api import (
    DATA,
    FakeApi,
    SentAction,
    kubeconfig_for,
    release_record,
    serving,
)

from chartsafe._helm_release import HelmReleases


@pytest.fixture(scope="session")
def records() -> list[dict[str, Any]]:
    entries = yaml.safe_load((DATA / "revisions.yaml").read_text())
    return [release_record(e) for e in entries]


@pytest.fixture
def fake_api(records: list[dict[str, Any]]) -> Iterator[FakeApi]:
    # PATCH changes the records: each test its own
    with serving(FakeApi(records=copy.deepcopy(records))) as api:
        yield api


@pytest.fixture
def fake_kubeconfig(fake_api: FakeApi, tmp_path: Path) -> Path:
    """A kubeconfig whose context points at the fake, namespace ``apps``."""
    return kubeconfig_for(fake_api.server, tmp_path / "kubeconfig", namespace="apps")


@pytest.fixture
def closed_kubeconfig(tmp_path: Path, refused_port: int) -> Path:
    """A kubeconfig pointing at a loopback port that refuses connections."""
    return kubeconfig_for(f"http://127.0.0.1:{refused_port}", tmp_path / "closed-kubeconfig")


@pytest.fixture
def without_openapi(monkeypatch: pytest.MonkeyPatch) -> None:
    """Helm's install and upgrade with their client-side OpenAPI validation off: the fake
    serves no OpenAPI documents. The option is not among the library methods' own, so the
    calls go to the C functions, which read it."""
    for action in ("install", "upgrade"):
        real = getattr(HelmReleases, action)

        def call(self: HelmReleases, *args: Any, _real: Any = real, **options: Any) -> Any:
            return _real(self, *args, **{**options, "disable_openapi_validation": True})

        monkeypatch.setattr(HelmReleases, action, call)


@pytest.fixture
def sent_actions(monkeypatch: pytest.MonkeyPatch) -> list[SentAction]:
    """Every install, upgrade, rollback and uninstall call to Helm's C library during the
    test, in order (rollback and uninstall carry no values)."""
    import helm_python

    calls: list[SentAction] = []
    native = helm_python._native

    def spying(real: Any) -> Any:
        def spy(function: str, *args: Any) -> Any:
            if function in ("helm_install", "helm_upgrade"):
                calls.append(SentAction(function, json.loads(args[-2]), json.loads(args[-1])))
            elif function in ("helm_rollback", "helm_uninstall"):
                calls.append(SentAction(function, {}, json.loads(args[-1] or "{}")))
            return real(function, *args)

        return spy

    monkeypatch.setattr(native, "call_string", spying(native.call_string))
    monkeypatch.setattr(native, "call_status", spying(native.call_status))
    return calls
