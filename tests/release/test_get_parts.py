"""``get manifest``, ``get hooks`` and ``get notes``: parts of Helm's record, as helm prints
them, with every secret value masked unless ``--reveal`` (fake API server's records)."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from release_fake_api import DATA, release_record

from chartsafe._helm_release import HelmReleases
from chartsafe.cli import main

REVISIONS = yaml.safe_load((DATA / "revisions.yaml").read_text())
SHOP = {r["version"]: r["values"] for r in REVISIONS if r["name"] == "shop"}


def _run(capsys: pytest.CaptureFixture[str], kubeconfig: Path, *args: str) -> tuple[str, str]:
    assert main([*args, "--kubeconfig", str(kubeconfig)]) == 0
    out, err = capsys.readouterr()
    return out, err


def _encoded(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize("revision", [1, 2])
def test_manifest_masks_secret_values_unless_revealed(
    revision: int, fake_kubeconfig: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["get", "manifest", "shop", "--revision", str(revision)]
    out, err = _run(capsys, fake_kubeconfig, *args)
    assert "# Source: app/templates/secret.yaml" in out
    assert "# Source: app/templates/migrate.yaml" not in out  # a hook: get hooks
    documents = [d for d in yaml.safe_load_all(out) if d]
    assert {d["kind"] for d in documents} == {"Secret", "ConfigMap", "Deployment"}
    password = SHOP[revision]["password"]
    assert _encoded(password) not in out and password not in out + err
    assert "Secret value(s) masked; pass --reveal" in err
    out, err = _run(capsys, fake_kubeconfig, *args, "--reveal")
    (secret,) = [d for d in yaml.safe_load_all(out) if d and d["kind"] == "Secret"]
    assert base64.b64decode(secret["data"]["password"]).decode() == password
    assert "masked" not in err


def test_manifest_as_json_lists_the_objects(
    fake_kubeconfig: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, _ = _run(capsys, fake_kubeconfig, "get", "manifest", "shop", "-o", "json")
    listed = json.loads(out)
    assert sorted(o["kind"] for o in listed) == ["ConfigMap", "Deployment", "Secret"]
    assert SHOP[2]["password"] not in out and _encoded(SHOP[2]["password"]) not in out


def test_hooks_are_the_records_hooks(
    fake_kubeconfig: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, _ = _run(capsys, fake_kubeconfig, "get", "hooks", "shop")
    (job,) = [d for d in yaml.safe_load_all(out) if d]
    assert (job["kind"], job["metadata"]["name"]) == ("Job", "shop-migrate")
    assert job["metadata"]["annotations"]["helm.sh/hook"] == "pre-upgrade"


def test_notes(fake_kubeconfig: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, _ = _run(capsys, fake_kubeconfig, "get", "notes", "shop")
    assert out == "NOTES:\nshop is running nginx:1.27.\n"
    out, _ = _run(capsys, fake_kubeconfig, "get", "notes", "shop", "-o", "json")
    assert json.loads(out) == {
        "name": "shop",
        "revision": 2,
        "notes": "shop is running nginx:1.27.\n",
    }


def _add_leaky(fake_api: Any, copied: str) -> None:
    """Release ``leaky``, whose ``image`` (shown in a ConfigMap and in the notes) is set to
    its Secret's password."""
    leaky = {"name": "leaky", "namespace": "apps", "version": 1, "status": "deployed",
             "description": "Install complete",
             "values": {"password": copied, "image": copied, "apiKey": "k"}}  # fmt: skip
    fake_api.records.append(release_record(leaky))


def test_a_secret_value_the_chart_copied_elsewhere_is_masked_there_too(
    fake_api: Any, fake_kubeconfig: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The chart puts ``image`` in a ConfigMap: set to the Secret's password, it is masked
    there as well (by equality with the release's own Secret data)."""
    copied = "copied-secret-7f3a2b"
    _add_leaky(fake_api, copied)
    out, _ = _run(capsys, fake_kubeconfig, "get", "manifest", "leaky")
    assert copied not in out and _encoded(copied) not in out
    configmap = next(d for d in yaml.safe_load_all(out) if d and d["kind"] == "ConfigMap")
    assert configmap["data"]["image"] != copied
    out, _ = _run(capsys, fake_kubeconfig, "get", "manifest", "leaky", "--reveal")
    assert f'image: "{copied}"' in out


def test_notes_mask_a_copied_secret_unless_revealed(
    fake_api: Any, fake_kubeconfig: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The notes print ``image``: set to the Secret's password, it is masked there, and
    ``--reveal`` shows it (it was masked even then, in get notes and get all)."""
    copied = "copied-secret-9e41c0"
    _add_leaky(fake_api, copied)
    out, err = _run(capsys, fake_kubeconfig, "get", "notes", "leaky")
    assert copied not in out + err and "pass --reveal" in err
    out, err = _run(capsys, fake_kubeconfig, "get", "notes", "leaky", "--reveal")
    assert out == f"NOTES:\nleaky is running {copied}.\n" and err == ""
    out, _ = _run(capsys, fake_kubeconfig, "get", "notes", "leaky", "--reveal", "-o", "json")
    assert json.loads(out)["notes"] == f"leaky is running {copied}.\n"
    out, _ = _run(capsys, fake_kubeconfig, "get", "all", "leaky", "--reveal")
    assert f"NOTES:\nleaky is running {copied}." in out
    out, _ = _run(capsys, fake_kubeconfig, "get", "all", "leaky", "--reveal", "-o", "json")
    assert json.loads(out)["notes"] == f"leaky is running {copied}.\n"
    out, _ = _run(capsys, fake_kubeconfig, "get", "all", "leaky", "-o", "json")
    assert copied not in out


@pytest.mark.parametrize("part", ["manifest", "hooks", "notes", "metadata", "all"])
def test_a_missing_release_is_one_line_naming_the_command(
    part: str, fake_kubeconfig: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["get", part, "nosuch", "--kubeconfig", str(fake_kubeconfig)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"chartsafe: error: get {part} nosuch: ") and "\n" not in err


def test_metadata_as_helm_prints_it(
    fake_api: Any, fake_kubeconfig: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, _ = _run(capsys, fake_kubeconfig, "get", "metadata", "shop")
    assert out.splitlines() == [
        "NAME: shop", "CHART: app", "VERSION: 0.2.0", "APP_VERSION: 2.0", "NAMESPACE: apps",
        "REVISION: 2", "STATUS: deployed", "DEPLOYED_AT: 2026-01-02T10:00:00Z",
    ]  # fmt: skip
    cart = {"name": "cart", "namespace": "apps", "version": 1, "status": "deployed",
            "description": "Install complete", "values": {},
            "labels": {"team": "payments"}}  # fmt: skip
    fake_api.records.append(release_record(cart))
    out, _ = _run(capsys, fake_kubeconfig, "get", "metadata", "cart", "-o", "json")
    found = json.loads(out)
    assert (found["revision"], found["labels"]) == (1, {"team": "payments"})
    out, _ = _run(capsys, fake_kubeconfig, "get", "metadata", "cart")
    assert out.splitlines()[-1] == "LABELS: team=payments"


SECRETS = [SHOP[2]["password"], SHOP[2]["apiKey"], SHOP[2]["webhook"]["shared"]]


def test_all_prints_every_part_and_masks_every_secret(
    fake_kubeconfig: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, err = _run(capsys, fake_kubeconfig, "get", "all", "shop")
    sections = [line for line in out.splitlines() if line.isupper() and line.endswith(":")]
    assert sections == ["USER-SUPPLIED VALUES:", "COMPUTED VALUES:", "HOOKS:", "MANIFEST:",
                        "NOTES:"]  # fmt: skip
    assert "REVISION: 2" in out and "kind: Job" in out and "kind: Deployment" in out
    for secret in SECRETS:
        assert secret not in out + err and _encoded(secret) not in out + err
    assert "pass --reveal" in err
    out, _ = _run(capsys, fake_kubeconfig, "get", "all", "shop", "--reveal")
    assert f"password: {SHOP[2]['password']}" in out  # the user-supplied values, revealed
    assert _encoded(SHOP[2]["password"]) in out  # the Secret's data


def test_all_as_json(fake_kubeconfig: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, _ = _run(capsys, fake_kubeconfig, "get", "all", "shop", "-o", "json")
    found = json.loads(out)
    assert found["release"]["revision"] == 2
    assert found["values"]["replicas"] == 2 and found["computedValues"]["image"] == "nginx:1.27"
    assert [h["kind"] for h in found["hooks"]] == ["Job"]
    assert sorted(o["kind"] for o in found["manifest"]) == ["ConfigMap", "Deployment", "Secret"]
    for secret in SECRETS:
        assert secret not in out and _encoded(secret) not in out


def test_all_lists_the_release_records_once(
    fake_api: Any, fake_kubeconfig: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One read of the record answers the status and the user values; the computed values
    and the recorded secret paths are read for the revision it named, not listed again."""
    fake_api.requests.clear()
    _run(capsys, fake_kubeconfig, "get", "all", "shop")
    listings = [r for r in fake_api.requests if r == "GET /api/v1/namespaces/apps/secrets"]
    assert len(listings) == 1, fake_api.requests


def test_all_answers_from_one_revision_when_an_upgrade_lands_meanwhile(
    fake_api: Any,
    fake_kubeconfig: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    third = {"name": "shop", "namespace": "apps", "version": 3, "status": "deployed",
             "description": "Upgrade complete",
             "values": {"password": "third-password-5e0b", "replicas": 5}}  # fmt: skip
    read = HelmReleases.get_all

    def then_upgraded(self: HelmReleases, *args: Any, **kwargs: Any) -> dict[str, Any]:
        found = read(self, *args, **kwargs)
        if len(fake_api.records) == len(REVISIONS):
            fake_api.records.append(release_record(third))
        return found

    monkeypatch.setattr(HelmReleases, "get_all", then_upgraded)
    out, _ = _run(capsys, fake_kubeconfig, "get", "all", "shop", "-o", "json")
    found = json.loads(out)
    assert found["release"]["revision"] == 2
    assert (found["values"]["replicas"], found["computedValues"]["replicas"]) == (2, 2)
