"""``install -o json|yaml`` and ``upgrade -o json|yaml`` print Helm's release object, as
``helm install -o json`` does: the release just written (read back from its record) or, on
a dry run, the release Helm would write, in the shape ``status -o json`` prints, with its
chart's metadata, every secret value masked. What chartsafe adds (warnings, the note of
reused values) goes to stderr.
"""

from __future__ import annotations

import base64
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from release_fake_api import APP, DATA, FakeApi, release_record, rendered_by_helm

from chartsafe._helm_release import HelmReleases
from chartsafe._release_outcome import RELEASE_MASK
from chartsafe.cli import main

PASSWORD = "json-password-5e5e"
API_KEY = "json-api-key-7f7f"
SETS = ["--set", f"password={PASSWORD},apiKey={API_KEY}"]
DRY = ["--dry-run", "client", "--storage", "memory"]
REVISIONS = yaml.safe_load((DATA / "revisions.yaml").read_text())
DEPLOYED = REVISIONS[1]["values"]  # shop, revision 2, in the fake's records
PARSE: dict[str, Callable[[str], Any]] = {"json": json.loads, "yaml": yaml.safe_load}
#: Helm's release object, in its field order; then what chartsafe adds, as status does
HELM_FIELDS = ["name", "info", "chart", "config", "manifest", "hooks", "version", "namespace"]
CHARTSAFE_FIELDS = ["labels", "objects", "tests"]
#: APP's Chart.yaml as Helm's JSON of it (the SDK's)
METADATA = {"name": "app", "version": "0.2.0", "apiVersion": "v2", "appVersion": "2.0",
            "description": "A small chart for chartsafe's release tests; a Secret with data, "
                           "a reader, a hook."}  # fmt: skip
#: APP's hook as Helm's release holds it before it has run
HOOK = {"name": "shop-migrate", "kind": "Job", "path": "app/templates/migrate.yaml",
        "events": ["pre-upgrade"], "last_run": {"phase": ""}, "weight": -1}  # fmt: skip


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out, err


def _no_leak(text: str, *secrets: str) -> None:
    for secret in secrets:
        assert secret not in text and base64.b64encode(secret.encode()).decode() not in text


def _manifest_kinds(found: dict[str, Any]) -> list[str]:
    return [d["kind"] for d in yaml.safe_load_all(found["manifest"]) if d]


@pytest.mark.parametrize("fmt", ["json", "yaml"])
@pytest.mark.parametrize("command", [["install"], ["upgrade", "--install"]])
def test_dry_run_prints_the_release_helm_would_write(
    command: list[str], fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out, err = _run(capsys, *command, "shop", str(APP), "-n", "shop", *DRY, *SETS, "-o", fmt)
    _no_leak(out + err, PASSWORD, API_KEY)
    found = PARSE[fmt](out)
    assert list(found) == HELM_FIELDS + CHARTSAFE_FIELDS
    assert (found["name"], found["version"], found["namespace"]) == ("shop", 1, "shop")
    info = found["info"]
    assert (info["status"], info["description"]) == ("pending-install", "Dry run complete")
    assert info["first_deployed"] == info["last_deployed"] != ""
    assert info["notes"] == "shop is running nginx:1.27.\n"
    assert found["chart"] == {"metadata": METADATA}
    assert found["config"] == {"password": RELEASE_MASK, "apiKey": RELEASE_MASK}
    assert _manifest_kinds(found) == ["Secret", "ConfigMap", "Deployment"]
    secret = next(yaml.safe_load_all(found["manifest"]))
    assert secret["data"] == {"password": RELEASE_MASK, "apiKey": RELEASE_MASK}
    (hook,) = found["hooks"]
    assert yaml.safe_load(hook.pop("manifest"))["metadata"]["name"] == "shop-migrate"
    assert hook == HOOK
    assert "pass --reveal" not in out  # install takes no --reveal: the mask names template


def test_a_secret_hook_is_masked_in_the_dry_run_release(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chart = shutil.copytree(APP, tmp_path / "app")
    (chart / "templates" / "seed.yaml").write_text(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}-seed\n"
        "  annotations:\n    helm.sh/hook: pre-install\n"
        "stringData:\n  seed: {{ .Values.password }}\n"
    )
    out, err = _run(capsys, "install", "shop", str(chart), *DRY, *SETS, "-o", "json")
    _no_leak(out + err, PASSWORD, API_KEY)
    seed = next(h for h in json.loads(out)["hooks"] if h["name"] == "shop-seed")
    assert yaml.safe_load(seed["manifest"])["stringData"] == {"seed": RELEASE_MASK}


@pytest.mark.usefixtures("without_openapi")
def test_upgrade_dry_run_prints_the_next_revision(
    fake_kubeconfig: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No values: Helm's upgrade takes revision 2's (its record's config is theirs), keeps
    the first deployment's time, and says it is a dry run; the note of reused values is on
    stderr."""
    out, err = _run(capsys, "upgrade", "shop", str(APP), "--kubeconfig", str(fake_kubeconfig),
                    "--dry-run", "client", "--kube-version", "1.36", "-o", "json")  # fmt: skip
    _no_leak(out + err, DEPLOYED["password"], DEPLOYED["apiKey"], DEPLOYED["webhook"]["shared"])
    found = json.loads(out)
    assert (found["name"], found["version"], found["namespace"]) == ("shop", 3, "apps")
    info = found["info"]
    assert (info["status"], info["description"]) == ("pending-upgrade", "Dry run complete")
    assert info["first_deployed"] == "2026-01-01T10:00:00Z"  # revision 1's, as the record says
    assert info["last_deployed"] > "2026-01-02"
    assert found["config"] == {"password": RELEASE_MASK, "apiKey": RELEASE_MASK,
                               "webhook": {"shared": RELEASE_MASK}, "replicas": 2}  # fmt: skip
    assert "revision 2's values were used again" in err


@pytest.mark.usefixtures("without_openapi")
def test_upgrade_dry_run_keeps_the_description_given(
    fake_kubeconfig: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, _ = _run(capsys, "upgrade", "shop", str(APP), "--kubeconfig", str(fake_kubeconfig),
                  "--dry-run", "client", "--kube-version", "1.36", "--description", "canary",
                  "-o", "json")  # fmt: skip
    assert json.loads(out)["info"]["description"] == "canary"


#: The record Helm's install writes for ``cart``: its times with nanoseconds (the SDK's
#: summary of it keeps whole seconds), Helm's description.
CART = {"name": "cart", "namespace": "apps", "version": 1, "status": "deployed",
        "description": "Install complete", "values": {"password": PASSWORD, "apiKey": API_KEY},
        "first_deployed": "2026-03-05T09:07:01.123456789+02:00",
        "last_deployed": "2026-03-05T09:07:01.123456789+02:00"}  # fmt: skip


def _helm_installs(
    monkeypatch: pytest.MonkeyPatch, fake_api: FakeApi, record: dict[str, Any] | None
) -> None:
    """Helm's install as the fake cannot run it (its Secret driver writes protobuf): the
    record written (unless None) and the SDK's summary returned."""

    def install(self: HelmReleases, chart: Path, name: str, values: Any, **_: Any) -> Any:
        if record is not None:
            fake_api.records.append(release_record(record, chart))
        return {"name": name, "namespace": "apps", "revision": 1, "status": "deployed",
                "deployed_at": "2026-03-05T09:07:01+02:00", "chart_name": "app",
                "chart_version": "0.2.0", "app_version": "2.0",
                "notes": "cart is running nginx:1.27.\n",
                "manifest": rendered_by_helm(name, "apps", values, chart)["manifest"]}  # fmt: skip

    monkeypatch.setattr(HelmReleases, "install", install)


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_install_prints_the_record_it_wrote(
    fmt: str,
    fake_api: FakeApi,
    fake_kubeconfig: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _helm_installs(monkeypatch, fake_api, CART)
    out, err = _run(capsys, "install", "cart", str(APP), "--kubeconfig", str(fake_kubeconfig),
                    "--skip-check", *SETS, "-o", fmt)  # fmt: skip
    _no_leak(out + err, PASSWORD, API_KEY)
    found = PARSE[fmt](out)
    assert list(found) == HELM_FIELDS + CHARTSAFE_FIELDS
    assert found["info"] == {
        "first_deployed": "2026-03-05T09:07:01.123456789+02:00",
        "last_deployed": "2026-03-05T09:07:01.123456789+02:00",
        "description": "Install complete",
        "status": "deployed",
        "notes": "cart is running nginx:1.27.\n",
    }
    assert found["config"] == {"password": RELEASE_MASK, "apiKey": RELEASE_MASK}
    assert _manifest_kinds(found) == ["Secret", "ConfigMap", "Deployment"]  # the record's
    assert [h["name"] for h in found["hooks"]] == ["cart-migrate"]
    assert (found["version"], found["chart"]) == (1, {"metadata": METADATA})
    assert "warning" not in err


def test_install_whose_record_cannot_be_read_back_prints_what_helm_returned(
    fake_api: FakeApi,
    fake_kubeconfig: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The release is done: a record that cannot be read is a warning, not a failure."""
    _helm_installs(monkeypatch, fake_api, None)
    out, err = _run(capsys, "install", "cart", str(APP), "--kubeconfig", str(fake_kubeconfig),
                    "--skip-check", *SETS, "-o", "json")  # fmt: skip
    _no_leak(out + err, PASSWORD, API_KEY)
    found = json.loads(out)
    assert (found["info"]["status"], found["info"]["description"]) == (
        "deployed", "Install complete")  # fmt: skip
    assert found["info"]["last_deployed"] == "2026-03-05T09:07:01+02:00"
    assert found["config"] == {"password": RELEASE_MASK, "apiKey": RELEASE_MASK}
    assert _manifest_kinds(found) == ["Secret", "ConfigMap", "Deployment"]  # Helm's result
    assert "chartsafe: warning: could not read revision 1's record back" in err


@pytest.mark.parametrize("written", [False, True], ids=["dry run", "record read back"])
def test_a_secret_the_chart_copies_out_of_its_secrets_is_masked(
    written: bool,
    fake_api: FakeApi,
    fake_kubeconfig: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A value under a secret-like key, copied into a ConfigMap only: the record cannot tell
    it is secret (none of the release's Secrets holds it), the install that was given it can."""
    chart = shutil.copytree(APP, tmp_path / "app")
    (chart / "templates" / "token.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-token\n"
        "data:\n  token: {{ .Values.dbPassword | quote }}\n"
    )
    given = {**CART["values"], "dbPassword": "copied-db-password-3c3c"}
    if written:
        _helm_installs(monkeypatch, fake_api, {**CART, "values": given})
    where = [] if written else DRY
    sets = ["--set", ",".join(f"{k}={v}" for k, v in given.items())]
    out, err = _run(capsys, "install", "cart", str(chart), "--kubeconfig", str(fake_kubeconfig),
                    "--skip-check", *where, *sets, "-o", "json")  # fmt: skip
    _no_leak(out + err, PASSWORD, API_KEY, given["dbPassword"])
    found = json.loads(out)
    (token,) = [
        d
        for d in yaml.safe_load_all(found["manifest"])
        if d and d["metadata"]["name"] == "cart-token"
    ]
    assert token["data"]["token"] != given["dbPassword"]
    assert "warning" not in err


def test_warnings_go_to_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    chart = shutil.copytree(APP, tmp_path / "app")
    (chart / "Chart.yaml").write_text((chart / "Chart.yaml").read_text() + "deprecated: true\n")
    out, err = _run(capsys, "install", "shop", str(chart), *DRY, "-o", "json")
    found = json.loads(out)
    assert "warnings" not in found and found["chart"]["metadata"]["deprecated"] is True
    assert "chartsafe: warning: chart app is deprecated" in err


def test_the_table_prints_last_deployed_second_as_helm(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """helm install's summary: NAME, then LAST DEPLOYED in Go's time.ANSIC (the day padded
    with a space), then NAMESPACE, STATUS and REVISION."""
    import re

    out, _ = _run(capsys, "install", "shop", str(APP), "-n", "apps", *SETS, *DRY)
    lines = out.splitlines()
    assert lines[0] == "NAME: shop"
    assert re.fullmatch(r"LAST DEPLOYED: [A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}",
                        lines[1]), lines[1]  # fmt: skip
    assert lines[2:5] == ["NAMESPACE: apps", "STATUS: pending-install", "REVISION: 1"]
