"""``audit --files`` on manifests yaml-rs can read never loads Helm's Go library.

Loading it is about 40 ms of a run that checkov's peer takes 50 times over (bench/audit.py);
a document yaml-rs cannot read as Helm would is still read by Helm's parser (the second case).
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
