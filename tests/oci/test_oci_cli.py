"""Seed 004's "From OCI Registry": package -> push -> use from oci://, through chartsafe's CLI.

Against Debian's docker-registry on loopback, anonymous and behind htpasswd (logged in
with ``chartsafe registry login --password-stdin`` first). A chart pulled from
``oci://`` must give exactly what the chart directory gives, for template, contract and
a client dry-run install, and the pulled archive must not outlive the command.
"""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest

from chartsafe._helm import HelmChart
from chartsafe.cli import main

from .conftest import CHART, NEEDS_REGISTRY, ROLE_EXAMPLE
from .registry_server import PASSWORD, USER, Registry

pytestmark = NEEDS_REGISTRY


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def login(
    registry: Registry,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *extra: str,
) -> None:
    """Log in when the registry wants it, the way a CI job would: password on stdin."""
    if not registry.auth:
        return
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    code, out, err = run(
        capsys, "registry", "login", registry.host, "-u", USER, "--password-stdin",
        "--plain-http", *extra,
    )  # fmt: skip
    assert code == 0, err
    assert PASSWORD not in out + err


@pytest.fixture
def published(
    registry: Registry,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> str:
    """The chart packaged and pushed with chartsafe; returns its oci:// reference."""
    login(registry, capsys, monkeypatch)
    code, out, err = run(capsys, "package", str(CHART), "-d", str(tmp_path / "dist"), "-o", "json")
    assert code == 0, err
    archive = json.loads(out)[0]["archive"]
    assert Path(archive).name == "agentapi-proxy-0.1.0.tgz"
    code, out, err = run(capsys, "push", archive, f"{registry.url}/charts", "--plain-http")
    assert code == 0, err
    assert f"Pushed: {registry.host}/charts/agentapi-proxy:0.1.0" in out
    assert "Digest: sha256:" in out
    return f"{registry.url}/charts/agentapi-proxy"


SOURCE = ["--version", "0.1.0", "--plain-http"]


def test_template_from_oci_renders_exactly_like_the_directory(
    published: str, capsys: pytest.CaptureFixture[str]
) -> None:
    common = ["-f", str(ROLE_EXAMPLE), "-o", "json"]
    code, from_dir, err = run(capsys, "template", "ap", str(CHART), *common)
    assert code == 0, err
    code, from_oci, err = run(capsys, "template", "ap", published, *SOURCE, *common)
    assert code == 0, err
    assert json.loads(from_oci) == json.loads(from_dir)
    assert any(o["kind"] == "StatefulSet" or o["kind"] == "Deployment"
               for o in json.loads(from_oci))  # fmt: skip


def test_contract_and_lint_read_the_pulled_chart(
    published: str, capsys: pytest.CaptureFixture[str]
) -> None:
    values = ["-f", str(ROLE_EXAMPLE), "-o", "json"]
    code, from_dir, _ = run(capsys, "contract", str(CHART), *values)
    assert code == 0
    code, from_oci, err = run(capsys, "contract", published, *SOURCE, *values)
    assert code == 0, err
    assert json.loads(from_oci) == json.loads(from_dir)
    assert "agentapi-secrets" in from_oci
    code, out, err = run(capsys, "lint", published, *SOURCE, "-o", "json")
    assert code == 0, err
    (report,) = json.loads(out)  # a list, one entry per chart
    assert report["ok"] is True
    assert report["chart"] == published  # named as given, not as the temp file


@pytest.mark.parametrize("command", ["audit", "check"])
def test_audit_and_check_read_the_pulled_chart(
    published: str, command: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The same verdict and report from the registry as from the chart directory."""
    extra = ["--against", str(tmp_path)] if command == "check" else []
    values = ["-f", str(ROLE_EXAMPLE), *extra, "-o", "json"]
    code_dir, from_dir, _ = run(capsys, command, str(CHART), *values)
    code_oci, from_oci, err = run(capsys, command, published, *SOURCE, *values)
    assert code_oci == code_dir, err
    assert "no such" not in err
    strip = {"chart"}  # names the reference as given
    # Fix commands name the chart as given, too.
    doc_dir = json.loads(from_dir.replace(str(CHART), published))
    doc_oci = json.loads(from_oci)
    if isinstance(doc_dir, dict):
        doc_dir = {k: v for k, v in doc_dir.items() if k not in strip}
        doc_oci = {k: v for k, v in doc_oci.items() if k not in strip}
    assert doc_oci == doc_dir


def test_dry_run_install_from_oci(published: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "install", "agentapi", published, *SOURCE,
        "--dry-run", "client", "--storage", "memory", "-o", "json",
    )  # fmt: skip
    assert code == 0, err
    outcome = json.loads(out)
    assert outcome["chart"]["metadata"]["name"] == "agentapi-proxy"
    assert outcome["chart"]["metadata"]["version"] == "0.1.0"
    assert outcome["info"]["description"] == "Dry run complete"
    kinds = {o["kind"] for o in outcome["objects"]}
    assert {"Service", "ConfigMap", "ServiceAccount"} <= kinds


def test_newest_version_unless_one_is_named(
    registry: Registry,
    published: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(
        capsys, "package", str(CHART), "-d", str(tmp_path), "--version", "0.2.0",
        "--app-version", "9.9.9", "-o", "json",
    )  # fmt: skip
    assert code == 0, err
    archive = Path(json.loads(out)[0]["archive"])
    chart = HelmChart(archive)
    assert (chart.metadata["version"], chart.metadata["appVersion"]) == ("0.2.0", "9.9.9")
    chart.close()
    assert run(capsys, "push", str(archive), f"{registry.url}/charts", "--plain-http")[0] == 0

    def chart_label(*source: str) -> str:
        code, out, err = run(capsys, "template", published, "--plain-http", *source, "-o", "json")
        assert code == 0, err
        labels = {o["object"]["metadata"]["labels"]["helm.sh/chart"] for o in json.loads(out)
                  if "labels" in o["object"]["metadata"]}  # fmt: skip
        assert len(labels) == 1
        return labels.pop()

    assert chart_label() == "agentapi-proxy-0.2.0"
    assert chart_label("--version", "0.1.0") == "agentapi-proxy-0.1.0"
    assert chart_label("--version", "~0.1") == "agentapi-proxy-0.1.0"


@pytest.mark.parametrize(
    "extra", [[], ["--set", "replicaCount=1,broken"]], ids=["rendered", "failed"]
)
def test_the_pulled_archive_is_removed(
    published: str,
    extra: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    seen: list[Path] = []
    real_mkdtemp = tempfile.mkdtemp

    def spy(*args: object, **kwargs: object) -> str:
        made = real_mkdtemp(*args, **kwargs)  # type: ignore[call-overload]
        seen.append(Path(made))
        assert os.stat(made).st_mode & 0o777 == 0o700
        return str(made)

    monkeypatch.setattr(tempfile, "mkdtemp", spy)
    code, _, _ = run(capsys, "template", published, *SOURCE, *extra)
    assert code == (2 if extra else 0)
    # the pull's folder (and, on a render, the kubeVersion check's): private, all removed
    assert seen and all(folder.parent == scratch for folder in seen)
    assert list(scratch.iterdir()) == []


@pytest.mark.parametrize("registry", [True], ids=["htpasswd"], indirect=True)
def test_login_stores_credentials_where_helm_keeps_them(
    registry: Registry,
    published: str,
    _isolated_home: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`published` logged in without --registry-config: Helm's default file, 0600, no password."""
    default = _isolated_home / ".config" / "helm" / "registry" / "config.json"
    assert default.stat().st_mode & 0o777 == 0o600
    assert registry.host in json.loads(default.read_text())["auths"]
    assert PASSWORD not in default.read_text()  # base64 of user:password, as docker/helm store it

    # HELM_REGISTRY_CONFIG moves it; without credentials there the pull is refused.
    elsewhere = tmp_path / "elsewhere.json"
    monkeypatch.setenv("HELM_REGISTRY_CONFIG", str(elsewhere))
    code, _, err = run(capsys, "template", published, *SOURCE)
    assert code == 2 and "registry needs credentials" in err
    login(registry, capsys, monkeypatch)
    assert elsewhere.stat().st_mode & 0o777 == 0o600
    assert run(capsys, "template", published, *SOURCE)[0] == 0

    # --registry-config wins over both; logout empties that file only.
    chosen = tmp_path / "chosen.json"
    login(registry, capsys, monkeypatch, "--registry-config", str(chosen))
    code, _, err = run(
        capsys, "registry", "logout", registry.host, "--registry-config", str(chosen)
    )
    assert code == 0, err
    assert json.loads(chosen.read_text())["auths"] == {}
    code, _, err = run(capsys, "template", published, *SOURCE, "--registry-config", str(chosen))
    assert code == 2 and "registry login" in err
    assert registry.host in json.loads(elsewhere.read_text())["auths"]


@pytest.mark.parametrize("registry", [True], ids=["htpasswd"], indirect=True)
def test_password_on_the_command_line_works_with_a_warning(
    registry: Registry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.json"
    code, out, err = run(
        capsys, "registry", "login", registry.host, "-u", USER, "-p", PASSWORD,
        "--plain-http", "--registry-config", str(config),
    )  # fmt: skip
    assert code == 0, err
    assert "warning" in err and "--password-stdin" in err
    assert PASSWORD not in out + err
    assert registry.host in json.loads(config.read_text())["auths"]


def test_secrets_init_from_oci_fills_what_the_directory_would(
    published: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = tmp_path / "age.txt"
    code, recipient, err = run(capsys, "keys", "init", "--key-file", str(key))
    assert code == 0, err

    def init(chart: str, *source: str) -> dict[str, object]:
        store = tmp_path / f"{len(list(tmp_path.iterdir()))}.sops.yaml"
        code, out, err = run(
            capsys, "secrets", "init", "ap", chart, *source, "-f", str(ROLE_EXAMPLE),
            "--store", str(store), "--age", recipient.strip(), "--age-key-file", str(key),
            "-o", "json",
        )  # fmt: skip
        assert code in (0, 1), err
        result: dict[str, object] = json.loads(out.replace(str(store), "STORE"))
        return result

    from_oci = init(published, *SOURCE)
    assert from_oci == init(str(CHART))
    assert from_oci["missing"] or from_oci["added"]


def test_up_dry_run_from_oci_matches_the_directory(
    published: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = tmp_path / "age.txt"
    code, recipient, err = run(capsys, "keys", "init", "--key-file", str(key))
    assert code == 0, err

    def up(chart: str, *source: str) -> tuple[int, dict[str, Any]]:
        store = tmp_path / f"{len(list(tmp_path.iterdir()))}.sops.yaml"
        code, out, err = run(
            capsys, "up", "ap", chart, *source, "--store", str(store), "--age", recipient.strip(),
            "--age-key-file", str(key), "--dry-run", "client", "--storage", "memory", "-o", "json",
        )  # fmt: skip
        assert out, err
        text = re.sub(r'"updated": "[^"]*"', '"updated": "T"', out)  # timestamps
        return code, json.loads(text.replace(str(store), "STORE"))

    from_oci = up(published, *SOURCE)
    assert from_oci == up(str(CHART))
    assert from_oci[0] == 0


def test_errors_about_the_pulled_chart_name_the_reference(
    published: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "template", published, *SOURCE, "--set-json", 'replicaCount="x"')
    assert code == 1
    assert f"values.schema.json of {published} --version 0.1.0" in err
    assert "replicaCount" in err
    assert "chartsafe-pull-" not in err


@pytest.mark.parametrize("part", ["values", "chart", "readme"])
def test_show_from_oci_shows_what_the_directory_shows(
    published: str, part: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, from_dir, _ = run(capsys, "show", part, str(CHART))
    assert code == 0
    code, from_oci, err = run(capsys, "show", part, published, *SOURCE)
    assert code == 0, err
    assert from_oci == from_dir


def test_pull_writes_the_pushed_archive_or_unpacks_it(
    published: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pushed = tmp_path / "dist" / "agentapi-proxy-0.1.0.tgz"
    code, out, err = run(capsys, "pull", published, *SOURCE, "-d", str(tmp_path / "v"))
    assert code == 0, err
    pulled = tmp_path / "v" / "agentapi-proxy-0.1.0.tgz"
    assert pulled.read_bytes() == pushed.read_bytes()
    assert f"to {pulled}" in out
    args = ["pull", published, *SOURCE, "-d", str(tmp_path / "u"), "--untar", "--untardir", "c"]
    code, out, err = run(capsys, *args)
    assert code == 0, err
    unpacked = tmp_path / "u" / "c" / "agentapi-proxy"
    assert (unpacked / "values.yaml").read_text() == (CHART / "values.yaml").read_text()
    assert not list((tmp_path / "u").rglob("*.tgz"))
    code, out, err = run(capsys, *args)
    assert code == 2
    assert f"--untar: {unpacked} already exists" in err


def test_pull_takes_only_an_oci_reference(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "pull", str(CHART))
    assert code == 2
    assert out == ""
    assert "pull fetches an oci:// chart" in err
