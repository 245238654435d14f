"""``make demo`` (scripts/demo.sh) in a temp demo folder: plan printed, bundle written, no
cluster, nothing read or written outside the folder, and a second run changes no stored value."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from up_helpers import REPO


def _run(demo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ["PATH"],
        "CHARTSAFE_DEMO_DIR": str(demo),
        "CHARTSAFE": str(Path(sys.executable).with_name("chartsafe")),
        # What the demo must not use: a home, a kubeconfig and age keys of "the user".
        "HOME": str(home),
        "KUBECONFIG": str(home / "kubeconfig"),
        "SOPS_AGE_KEY_FILE": str(home / "keys.txt"),
        # ... and the user's helm settings, which chartsafe reads as helm does
        "HELM_KUBECONTEXT": "users-production",
        "HELM_NAMESPACE": "users-namespace",
        "HELM_DRIVER": "configmaps",
    }
    return subprocess.run(
        ["bash", str(REPO / "scripts" / "demo.sh")],
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def test_demo_writes_the_bundle_and_a_second_run_changes_no_stored_value(tmp_path: Path) -> None:
    demo, home = tmp_path / "demo", tmp_path / "user-home"
    home.mkdir()
    (home / "keys.txt").write_text("# the user's age key: the demo must not read it\n")
    (home / "kubeconfig").write_text("this kubeconfig must not be read: it is not YAML: [\n")
    before_home = sorted(p.name for p in home.iterdir())

    first = _run(demo, home)
    assert first.returncode == 0, first.stderr
    assert "Plan for release tracecat in namespace tracecat" in first.stdout
    assert "Deployment/tracecat-api" in first.stdout
    for name in (
        "PLAN.md",
        "secrets.yaml",
        "manifests.yaml",
        "values-overrides.yaml",
        "CONTRACT.md",
    ):
        assert (demo / "bundle" / name).is_file()
    assert "DEMO VALUE" in (demo / "demo-values.yaml").read_text()
    assert sorted(p.name for p in home.iterdir()) == before_home
    store = (demo / "secrets.sops.yaml").read_bytes()
    bundle = {p.name: p.read_bytes() for p in (demo / "bundle").iterdir()}

    second = _run(demo, home)
    assert second.returncode == 0, second.stderr
    assert "0 key(s) generated, 7 kept" in second.stderr
    assert (demo / "secrets.sops.yaml").read_bytes() == store
    assert {p.name: p.read_bytes() for p in (demo / "bundle").iterdir()} == bundle
