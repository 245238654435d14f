"""``audit --files`` on manifests yaml-rs can read never loads Helm's Go library, nor
``dataclasses``.

Loading Helm's library is about 40 ms of a run that checkov's peer takes 50 times over
(bench/audit.py); a document yaml-rs cannot read as Helm would is still read by Helm's parser
(the second case). ``dataclasses`` (with ``inspect``) and the dataclasses it would make came
to a fifth of the run on Tracecat's 25 objects (see ``chartsafe.audit._model``'s doc).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

MANIFEST = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: web
        image: nginx:1.27.0
        args: ["--port", "8080"]
"""


@pytest.mark.parametrize(
    ("extra", "loads_engine"),
    [("", False), ("        securityContext:\n          privileged: yes\n", True)],
    ids=["yaml-rs reads it", "a YAML 1.1 boolean: Helm's parser reads it"],
)
def test_engine_loaded_only_for_documents_helm_must_read(
    tmp_path: Path, extra: str, loads_engine: bool
) -> None:
    manifest = tmp_path / "web.yaml"
    manifest.write_text(MANIFEST + extra)
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "chartsafe", "audit", "--files",
         str(manifest), "-o", "json"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr[-2000:]
    assert ("helm_python" in done.stderr) is loads_engine
    assert '"findings"' in done.stdout
    if loads_engine:  # read as Kubernetes reads it: privileged, so the rule fires
        assert '"privileged"' in done.stdout


#: A release that walks every reader the rules have: env and envFrom from a Secret and a
#: ConfigMap, a hook, an ExternalSecret, a reference in a values-like ConfigMap.
RELEASE = (
    MANIFEST
    + """\
        env:
        - name: DB_PASSWORD
          valueFrom: {secretKeyRef: {name: db, key: password}}
        envFrom:
        - configMapRef: {name: settings}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {MODE: prod, DSN: "ref+sops://secrets.enc.yaml#/dsn"}
---
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations: {helm.sh/hook: pre-install, helm.sh/hook-weight: "-1"}
spec:
  template:
    spec:
      containers:
      - name: migrate
        image: migrate:1.0.0
        envFrom: [{secretRef: {name: db}}]
---
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: {name: db}
spec:
  secretStoreRef: {name: vault, kind: ClusterSecretStore}
  target: {name: db}
  data: [{secretKey: password, remoteRef: {key: db, property: password}}]
"""
)


@pytest.mark.parametrize(
    "output", [["-o", "json"], ["-o", "sarif"], []], ids=["json", "sarif", "table"]
)
def test_manifests_audited_without_dataclasses(tmp_path: Path, output: list[str]) -> None:
    manifest = tmp_path / "release.yaml"
    manifest.write_text(RELEASE)
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "chartsafe", "audit", "--files",
         str(manifest), *output],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr[-2000:]
    assert "Deployment/web" in done.stdout  # the release was audited
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
    assert "dataclasses" not in imported
    assert "helm_python" not in imported


#: Runs ``audit --files`` in this process and prints how often ``compile`` was asked to
#: compile a string (typing does, for every field of a NamedTuple with string annotations).
_COUNT_COMPILES = """
import builtins, sys
asked = []
real = builtins.compile
def counting(source, filename, *args, **kwargs):
    if filename == "<string>":
        asked.append(source)
    return real(source, filename, *args, **kwargs)
builtins.compile = counting
from chartsafe.cli._quick import run_quick
code = run_quick(["audit", "--files", sys.argv[1], "-o", "json"])
print(code, asked, file=sys.stderr)
"""


def test_manifests_audited_without_compiling_annotations(tmp_path: Path) -> None:
    """The first ``compile`` of a process builds Python's AST types, ~3 ms of a ~60 ms run:
    the modules ``audit --files`` imports keep their NamedTuples' annotations real types."""
    manifest = tmp_path / "release.yaml"
    manifest.write_text(RELEASE)
    done = subprocess.run(
        [sys.executable, "-c", _COUNT_COMPILES, str(manifest)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Deployment/web" in done.stdout
    assert done.stderr.strip() in ("0 []", "1 []"), done.stderr[-2000:]
