"""A Secret (or ConfigMap) outside the release's namespace is named with its namespace in the
contract table and Markdown, as ``-o json`` has it: ``other/o-s`` must exist, where the
release creates ``o-s`` in its own namespace."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chartsafe.cli import main

TEMPLATES = """\
apiVersion: v1
kind: Secret
metadata:
  name: o-s
  namespace: {{ .Release.Namespace }}
stringData:
  token: x
---
apiVersion: v1
kind: Secret
metadata:
  name: side-s
  namespace: side
stringData:
  token: x
"""

DEPLOYMENT = """\
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: %(name)s
  %(namespace)s
spec:
  selector: {matchLabels: {app: %(name)s}}
  template:
    metadata: {labels: {app: %(name)s}}
    spec:
      containers:
        - name: %(name)s
          image: busybox:1.36
          env:
            - name: TOKEN
              valueFrom: {secretKeyRef: {name: %(secret)s, key: token}}
            - name: LEVEL
              valueFrom: {configMapKeyRef: {name: %(name)s-config, key: level}}
"""


@pytest.fixture
def chart(tmp_path: Path) -> Path:
    """Release namespace ``main``: it creates ``o-s`` there and ``side/side-s``; a Deployment
    in ``other`` reads ``o-s``, which is then ``other/o-s`` and must exist before install."""
    (tmp_path / "templates").mkdir()
    (tmp_path / "Chart.yaml").write_text("apiVersion: v2\nname: o\nversion: 0.1.0\n")
    deployments = [
        {"name": "far", "namespace": "namespace: other", "secret": "o-s"},
        {"name": "near", "namespace": "", "secret": "o-s"},
        {"name": "side", "namespace": "namespace: side", "secret": "side-s"},
    ]
    text = TEMPLATES + "".join(DEPLOYMENT % d for d in deployments)
    (tmp_path / "templates" / "all.yaml").write_text(text)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], chart: Path, *args: str) -> str:
    assert main(["contract", "o", str(chart), "-n", "main", *args]) == 0
    return capsys.readouterr().out


def test_json_has_the_namespaces(capsys: pytest.CaptureFixture[str], chart: Path) -> None:
    doc = json.loads(run(capsys, chart, "-o", "json"))
    found = {(s["namespace"], s["name"]): s["required"] for s in doc["secrets"]}
    assert found == {("other", "o-s"): True, ("main", "o-s"): False, ("side", "side-s"): False}


def test_table_names_the_namespace_outside_the_release_s(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, chart: Path
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    out = run(capsys, chart)
    assert "Secrets read by release o (namespace main)" in out.splitlines()[0]
    first = [line.split("│")[1].strip() for line in out.splitlines() if line.startswith("│")]
    secrets, config_maps = first[:6], first[6:]
    assert secrets == [
        "other/o-s", "must exist before install",
        "o-s", "created by the release: Secret/o-s",
        "side/side-s", "created by the release: Secret/side-s",
    ]  # fmt: skip
    assert config_maps == ["near-config", "other/far-config", "side/side-config"]


def test_markdown_names_the_namespace_outside_the_release_s(
    capsys: pytest.CaptureFixture[str], chart: Path
) -> None:
    out = run(capsys, chart, "-o", "markdown")
    assert "### `other/o-s`\n\n- Must exist before install.\n" in out
    assert "### `o-s`\n\n- Created by the release: Secret/o-s.\n" in out
    assert "### `side/side-s`\n\n- Created by the release: Secret/side-s.\n" in out
    assert "| `other/far-config` | level |" in out and "| `near-config` | level |" in out
    assert "| `side/side-config` | level |" in out
