"""``up`` counts the Secrets it delivers, not the ones it leaves out.

A Secret read only through an ``optional: true`` volume or envFrom names no key; until a
person sets one in the store, every backend leaves it out and the release starts without
it. The progress must say what was delivered (the plan and the bundle hold exactly that)
and name the Secrets left out on their own line, with the command that sets them.
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
import yaml
from test_up_cli import run
from up_helpers import Keys

_DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-app
spec:
  selector:
    matchLabels: {app: app}
  template:
    metadata:
      labels: {app: app}
    spec:
      containers:
        - name: app
          image: example.com/app:1.0.0
          env:
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef: {name: app-db, key: password}
          envFrom:
            - secretRef: {name: app-extra-env, optional: true}
          volumeMounts:
            - {name: extra, mountPath: /extra}
      volumes:
        - name: extra
          secret: {secretName: app-extra-files, optional: true}
"""


@pytest.fixture
def chart(tmp_path: Path) -> Path:
    """App reads app-db/password, and two Secrets whole and optionally (no key named)."""
    root = tmp_path / "extras"
    (root / "templates").mkdir(parents=True)
    (root / "Chart.yaml").write_text("apiVersion: v2\nname: extras\nversion: 0.1.0\n")
    (root / "templates" / "app.yaml").write_text(_DEPLOYMENT)
    return root


def _bundled(bundle: Path) -> list[str]:
    return [d["metadata"]["name"] for d in yaml.safe_load_all((bundle / "secrets.yaml").read_text())
            if d]  # fmt: skip


def test_up_counts_only_the_secrets_it_delivers(
    chart: Path, tmp_path: Path, age_keys: Keys, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "s.sops.yaml"
    up = ["up", "r", str(chart), "-n", "apps", *age_keys.store_flags(store)]
    code, _, err = run(capsys, *up, "--out", str(tmp_path / "before"))
    assert code == 0, err
    assert _bundled(tmp_path / "before") == ["app-db"]
    lines = err.splitlines()
    assert "==> [1/6] render: 1 objects; contract: 3 Secret(s) read" in lines
    assert "==> [3/6] deliver: 1 Secret(s) as 1 object(s) by --deliver secret" in lines
    assert "to deliver" not in err
    (check,) = [line for line in lines if line.startswith("==> [4/6] check:")]
    assert "contract met: 1 required Secret (2 optional Secrets too) of release r" in check
    assert (
        "      2 optional Secrets left unset: apps/app-extra-env, apps/app-extra-files (no keys "
        "named; set them with "
        f"`chartsafe secrets set -n NAMESPACE SECRET KEY --store {shlex.quote(str(store))}`)"
    ) in lines

    code, out, _ = run(capsys, *up, "--out", str(tmp_path / "json"), "-o", "json")
    assert code == 0
    printed = json.loads(out)
    assert printed["store"]["optionalSecretsUnset"] == [
        "apps/app-extra-env",
        "apps/app-extra-files",
    ]
    assert [s["name"] for s in printed["plan"] if s["phase"] == "deliver"] == ["app-db"]

    # one key set by hand, with the command the line gives: that Secret is delivered now
    command = shlex.split(f"chartsafe secrets set -n apps app-extra-env KEY --store {store}")
    code, _, err = run(capsys, *command[1:], "--from-literal", "on",
                       "--age-key-file", str(age_keys.key_file))  # fmt: skip
    assert code == 0, err
    code, _, err = run(capsys, *up, "--out", str(tmp_path / "after"))
    assert code == 0, err
    assert sorted(_bundled(tmp_path / "after")) == ["app-db", "app-extra-env"]
    assert "==> [3/6] deliver: 2 Secret(s) as 2 object(s) by --deliver secret" in err
    left = [line for line in err.splitlines() if "left unset" in line]
    assert left == [
        "      1 optional Secret left unset: apps/app-extra-files (no keys named; set them "
        f"with `chartsafe secrets set -n apps app-extra-files KEY --store {store}`)"
    ]


def test_nothing_is_said_when_every_secret_is_delivered(
    chart: Path, tmp_path: Path, age_keys: Keys, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = _DEPLOYMENT.split("          envFrom:")[0]  # app-db alone, no optional reader
    (chart / "templates" / "app.yaml").write_text(plain)
    store = tmp_path / "s.sops.yaml"
    code, _, err = run(capsys, "up", "r", str(chart), "-n", "apps",
                       *age_keys.store_flags(store), "--out", str(tmp_path / "b"))  # fmt: skip
    assert code == 0, err
    assert "==> [3/6] deliver: 1 Secret(s) as 1 object(s) by --deliver secret" in err
    assert "left unset" not in err
