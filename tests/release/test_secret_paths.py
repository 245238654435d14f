"""Recording which values were secret on Helm's release record, and reading it back.

The record is the fake API's ``sh.helm.release.v1.shop.v2`` Secret (Helm's own format). For
the install wiring, Helm's install action is replaced by one returning what it returns after
writing revision 2 (no API server here can take a real install); everything after it, the
patch of the record through the Kubernetes API, is chartsafe's and runs for real.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from release_fake_api import APP, DATA, FakeApi, release_record

from chartsafe import ClusterAccess
from chartsafe._helm_release import ClusterTarget, HelmReleases
from chartsafe._release import ReleaseSettings, install_release, upgrade_release
from chartsafe._release_record import (
    ANNOTATION,
    read_secret_paths,
    record_path,
    record_secret_paths,
)
from chartsafe._release_undo import rollback_release
from chartsafe._values import ValuesInput
from chartsafe.cli import main
from chartsafe.store import create_identity_file, encrypt_file

PATHS = [("webhook", "shared"), ("apiKey",), ("hosts", 0)]


def _target(kubeconfig: Path, storage: str = "secret") -> ClusterTarget:
    return ClusterTarget(
        namespace="apps", access=ClusterAccess(kubeconfig=kubeconfig), storage=storage
    )


def _annotation(api: FakeApi, name: str) -> Any:
    record = next(r for r in api.records if r["metadata"]["name"] == name)
    return (record["metadata"].get("annotations") or {}).get(ANNOTATION)


@pytest.mark.parametrize(
    ("storage", "expected"),
    [
        ("secret", "/api/v1/namespaces/apps/secrets/sh.helm.release.v1.shop.v2"),
        ("configmap", "/api/v1/namespaces/apps/configmaps/sh.helm.release.v1.shop.v2"),
        ("memory", None),
    ],
)
def test_record_path(storage: str, expected: str | None) -> None:
    assert record_path(storage, "apps", "shop", 2) == expected


def test_paths_round_trip_through_the_record(fake_api: FakeApi, fake_kubeconfig: Path) -> None:
    target = _target(fake_kubeconfig)
    assert read_secret_paths(target, "shop", 2) is None  # nothing recorded yet
    assert record_secret_paths(target, "shop", 2, PATHS) is True
    assert sorted(read_secret_paths(target, "shop", 2) or []) == sorted(PATHS)
    assert json.loads(_annotation(fake_api, "sh.helm.release.v1.shop.v2")) == sorted(
        [list(p) for p in PATHS], key=json.dumps
    )
    assert record_secret_paths(_target(fake_kubeconfig, "memory"), "shop", 2, PATHS) is False


def test_get_values_masks_recorded_paths_whatever_the_key(
    fake_api: FakeApi, fake_kubeconfig: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["get", "values", "shop", "-n", "apps", "--kubeconfig", str(fake_kubeconfig)]
    assert main([*args, "-o", "json"]) == 0
    before = json.loads(capsys.readouterr().out)
    assert before["replicas"] == 2  # an innocent key, shown while nothing says otherwise
    record_secret_paths(_target(fake_kubeconfig), "shop", 2, [("replicas",)])
    assert main([*args, "-o", "json"]) == 0
    out, err = capsys.readouterr()
    after = json.loads(out)
    assert after["replicas"] != 2 and "masked" in str(after["replicas"])
    assert "replicas" in err.partition("masked (")[2]
    assert main([*args, "-o", "json", "--reveal"]) == 0
    assert json.loads(capsys.readouterr().out)["replicas"] == 2


def _encrypted_values(tmp_path: Path) -> ValuesInput:
    """``apiKey`` from a SOPS-encrypted -f file (its only encrypted leaf), replicas in clear."""
    key = tmp_path / "age.txt"
    recipient = create_identity_file(key)
    encrypted = tmp_path / "secret.enc.yaml"
    encrypt_file(encrypted, {"apiKey": "key-recorded-0002"}, recipients=recipient)
    return ValuesInput(files=[encrypted], set=["replicas=1"], age_key_file=key)


def test_install_records_the_secret_paths_of_its_values(
    fake_api: FakeApi, fake_kubeconfig: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def helm_install(self: HelmReleases, chart: Path, name: str, values: Any, **_: Any) -> Any:
        return {"name": name, "namespace": "apps", "revision": 2, "status": "deployed",
                "manifest": "", "notes": ""}  # fmt: skip

    monkeypatch.setattr(HelmReleases, "install", helm_install)
    outcome = install_release(
        "shop", APP, _encrypted_values(tmp_path), target=_target(fake_kubeconfig),
        settings=ReleaseSettings(),
    )  # fmt: skip
    assert outcome.release.revision == 2 and not outcome.render.warnings
    assert json.loads(_annotation(fake_api, "sh.helm.release.v1.shop.v2")) == [["apiKey"]]
    assert "PATCH /api/v1/namespaces/apps/secrets/sh.helm.release.v1.shop.v2" in fake_api.requests


def test_dry_run_records_nothing(fake_api: FakeApi, fake_kubeconfig: Path, tmp_path: Path) -> None:
    install_release(
        "shop", APP, _encrypted_values(tmp_path), target=_target(fake_kubeconfig, "memory"),
        settings=ReleaseSettings(dry_run="client"),
    )  # fmt: skip
    assert not [r for r in fake_api.requests if r.startswith("PATCH")]


def test_upgrade_records_the_new_revision_and_restores_the_superseded_one(
    fake_api: FakeApi, fake_kubeconfig: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = _target(fake_kubeconfig)
    record_secret_paths(target, "shop", 2, [("password",)])

    def helm_upgrade(self: HelmReleases, chart: Path, name: str, values: Any, **_: Any) -> Any:
        # What Helm's storage does: a new record, and the superseded one rewritten whole.
        old = next(r for r in fake_api.records if r["metadata"]["name"].endswith("shop.v2"))
        new = copy.deepcopy(old)
        old["metadata"].pop("annotations", None)
        new["metadata"] |= {"name": "sh.helm.release.v1.shop.v3", "annotations": {}}
        fake_api.records.append(new)
        return {"name": name, "namespace": "apps", "revision": 3, "status": "deployed",
                "manifest": "", "notes": ""}  # fmt: skip

    monkeypatch.setattr(HelmReleases, "upgrade", helm_upgrade)
    outcome = upgrade_release(
        "shop", APP, _encrypted_values(tmp_path), target=target, settings=ReleaseSettings()
    )
    assert outcome.release.revision == 3 and not outcome.render.warnings
    assert read_secret_paths(target, "shop", 3) == [("apiKey",)]
    assert read_secret_paths(target, "shop", 2) == [("password",)]


@pytest.mark.parametrize("revision", [1, None])  # None: Helm's default, the one before
def test_rollback_records_the_restored_revisions_paths(
    revision: int | None,
    fake_api: FakeApi,
    fake_kubeconfig: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = _target(fake_kubeconfig)
    record_secret_paths(target, "shop", 1, [("webhook", "shared")])
    record_secret_paths(target, "shop", 2, [("password",)])
    entries = yaml.safe_load((DATA / "revisions.yaml").read_text())

    def helm_rollback(self: HelmReleases, name: str, version: int | None = None, **_: Any) -> None:
        # What Helm's storage does: revision 3 with revision 1's values, and the superseded
        # revision 2 rewritten whole (its annotations gone).
        current = next(r for r in fake_api.records if r["metadata"]["name"].endswith("shop.v2"))
        current["metadata"].pop("annotations", None)
        restored = dict(entries[0], version=3, status="deployed", description="Rollback to 1")
        fake_api.records.append(release_record(restored))

    monkeypatch.setattr(HelmReleases, "rollback", helm_rollback)
    info = rollback_release("shop", revision, target=target, settings=ReleaseSettings())
    assert info.revision == 3
    assert read_secret_paths(target, "shop", 3) == [("webhook", "shared")]
    assert read_secret_paths(target, "shop", 2) == [("password",)]
