"""``audit --files`` takes a directory (its YAML files, not a chart's) and ``-`` (stdin)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from chart_files import write_chart

from chartsafe.cli import main

TOKEN = "Zk9qV2xNcUx3bVhyT3BlYWs"
#: A values file with a credential: one finding, on line 2.
CREDENTIAL = f"replicas: 1\ntoken: {TOKEN}\n"
#: A manifest with a privileged container: one finding on the Deployment.
PRIVILEGED = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: web:1.0
          securityContext: {privileged: true}
"""


def _audit(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    code = main(["audit", "--files", *args, "-o", "json"])
    out, err = capsys.readouterr()
    assert out, err
    return code, json.loads(out)


def _files(result: dict[str, Any], rule: str) -> list[str]:
    return sorted(f["file"] for f in result["findings"] if f["rule"] == rule)


def test_a_directory_is_its_yaml_files_at_any_depth(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "deploy"
    (root / "apps" / "web").mkdir(parents=True)
    (root / "apps" / "web" / "deployment.yml").write_text(PRIVILEGED)
    (root / "values.yaml").write_text(CREDENTIAL)
    (root / "README.md").write_text(CREDENTIAL)  # not YAML by its name: not read
    (root / ".git").mkdir()
    (root / ".git" / "leak.yaml").write_text(CREDENTIAL)  # hidden: not read
    (root / ".env.yaml").write_text(CREDENTIAL)  # hidden: not read
    write_chart(root / "charts" / "web", {"broken.yaml": "a: {{ .Values.x"})  # a chart
    code, result = _audit([str(root)], capsys)
    assert code == 1
    assert _files(result, "credential-in-values") == [str(root / "values.yaml")]
    assert _files(result, "privileged") == [str(root / "apps" / "web" / "deployment.yml")]
    chart = root / "charts" / "web"
    assert result["notes"] == [f"{chart}: a chart, not read (chartsafe audit {chart})"]
    assert result["target"] == str(root)
    assert TOKEN not in json.dumps(result)


def test_a_directory_reads_as_its_files_named_in_path_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "m"
    (root / "b").mkdir(parents=True)
    (root / "a.yaml").write_text(PRIVILEGED.replace("name: web}", "name: a}"))
    (root / "b" / "c.yaml").write_text(PRIVILEGED.replace("name: web}", "name: c}"))
    (root / "z.yaml").write_text(PRIVILEGED.replace("name: web}", "name: z}"))
    named = [str(root / "a.yaml"), str(root / "b" / "c.yaml"), str(root / "z.yaml")]
    _, from_directory = _audit([str(root)], capsys)
    _, from_files = _audit(named, capsys)
    assert from_directory["findings"] == from_files["findings"]
    objects = [f["object"] for f in from_directory["findings"] if f["rule"] == "privileged"]
    assert objects == ["Deployment/a", "Deployment/c", "Deployment/z"]


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["LF", "CRLF"])
@pytest.mark.parametrize(
    ("text", "rule", "line"),
    [(CREDENTIAL, "credential-in-values", 2), (PRIVILEGED, "privileged", None)],
    ids=["values", "manifest"],
)
def test_dash_reads_stdin(
    text: str,
    rule: str,
    line: int | None,
    newline: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    raw = text.replace("\n", newline).encode()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(raw)))
    code, result = _audit(["-"], capsys)
    assert code == 1
    found = [(f["file"], f.get("line")) for f in result["findings"] if f["rule"] == rule]
    assert found == [("-", line)]
    assert result["target"] == "-"
    assert TOKEN not in json.dumps(result)


def test_stdin_beside_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = tmp_path / "deployment.yaml"
    manifest.write_text(PRIVILEGED)
    monkeypatch.setattr("sys.stdin", io.StringIO(CREDENTIAL))  # a text stream: no buffer
    _, result = _audit([str(manifest), "-"], capsys)
    assert _files(result, "credential-in-values") == ["-"]
    assert _files(result, "privileged") == [str(manifest)]


def test_stdin_that_is_not_utf8_is_bad_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"token: \xff\xfe\n")))
    assert main(["audit", "--files", "-"]) == 2
    err = capsys.readouterr().err
    assert err == "chartsafe: error: --files -: stdin is not UTF-8 text\n"


def test_a_file_called_dash_is_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("-").write_text(CREDENTIAL)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # read, it would find nothing
    code, result = _audit(["./-"], capsys)
    assert code == 1
    assert _files(result, "credential-in-values") == [str(tmp_path / "-")]
