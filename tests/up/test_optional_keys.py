"""Optional keys no generator can make: left unset, never a stop.

A ``secretKeyRef`` with ``optional: true`` (an integration's token the application runs
without) or a key of a Secret every reader takes optionally is no reason for ``secrets init``
or ``up`` to exit 1: the release starts without it. Both name it, with the ``secrets set``
line, and delivery leaves it out until a person sets it. A key read optionally by one
container and plainly by another is needed, and still stops them.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

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
            - name: SLACK_TOKEN
              valueFrom:
                secretKeyRef: {name: app-integrations, key: slack-token, optional: true}
            - name: CACHE_PASSWORD
              valueFrom:
                secretKeyRef: {name: app-integrations, key: cache-password, optional: true}
{{- if .Values.workerNeedsSlack }}
        - name: worker
          image: example.com/app:1.0.0
          env:
            - name: SLACK_TOKEN
              valueFrom:
                secretKeyRef: {name: app-integrations, key: slack-token}
{{- end }}
"""


@pytest.fixture
def chart(tmp_path: Path) -> Path:
    """App reads app-db/password (a password), and from app-integrations, optionally, a
    slack-token (no generator knows its format) and a cache-password (a password). With
    ``workerNeedsSlack``, a second container reads slack-token without ``optional``."""
    root = tmp_path / "optional"
    (root / "templates").mkdir(parents=True)
    (root / "Chart.yaml").write_text("apiVersion: v2\nname: optional\nversion: 0.1.0\n")
    (root / "values.yaml").write_text("workerNeedsSlack: false\n")
    (root / "templates" / "app.yaml").write_text(_DEPLOYMENT)
    return root


def _init(chart: Path, store: Path, keys: Keys, *more: str) -> list[str]:
    return ["secrets", "init", "r", str(chart), "-n", "apps", "--store", str(store),
            "--age", keys.recipient, "--age-key-file", str(keys.key_file), *more]  # fmt: skip


def _bundle_secrets(bundle: Path) -> dict[str, dict[str, str]]:
    """Secret name → its keys and decoded values, from the bundle's secrets.yaml."""
    found = {}
    for doc in yaml.safe_load_all((bundle / "secrets.yaml").read_text()):
        data: dict[str, Any] = doc.get("data") or {}
        found[doc["metadata"]["name"]] = {k: base64.b64decode(v).decode() for k, v in data.items()}
    return found


def test_secrets_init_leaves_an_optional_key_unset_and_exits_0(
    chart: Path, tmp_path: Path, age_keys: Keys, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "s.sops.yaml"
    code, out, err = run(capsys, *_init(chart, store, age_keys))
    assert code == 0, err
    assert "no generator can make" not in err
    assert (
        "1 optional key(s) left unset (the release starts without them); to set one:\n"
        f"  chartsafe secrets set -n apps app-integrations slack-token --store {store}\n"
    ) in err
    # an optional key a generator makes is made, as before: only the unmakeable are left
    assert "added: apps/app-integrations cache-password (password)" in out
    code, out, _ = run(capsys, *_init(chart, store, age_keys, "-o", "json"))
    report = json.loads(out)
    assert code == 0 and report["missing"] == []
    assert [(e["secret"], e["key"]) for e in report["optionalUnset"]] == [
        ("app-integrations", "slack-token")
    ]


def test_a_key_one_container_needs_is_not_optional(
    chart: Path, tmp_path: Path, age_keys: Keys, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "s.sops.yaml"
    code, _, err = run(capsys, *_init(chart, store, age_keys, "--set", "workerNeedsSlack=true"))
    assert code == 1
    assert "1 key(s) no generator can make; set them with:\n" in err
    assert "chartsafe secrets set -n apps app-integrations slack-token" in err
    assert "optional key(s) left unset" not in err


def test_up_delivers_without_the_optional_key_until_it_is_set(
    chart: Path, tmp_path: Path, age_keys: Keys, capsys: pytest.CaptureFixture[str]
) -> None:
    store, bundle = tmp_path / "s.sops.yaml", tmp_path / "bundle"
    up = ["up", "r", str(chart), "-n", "apps", *age_keys.store_flags(store)]
    code, _, err = run(capsys, *up, "--out", str(bundle))
    assert code == 0, err
    assert "1 optional left unset" in err
    delivered = _bundle_secrets(bundle)
    assert sorted(delivered["app-integrations"]) == ["cache-password"]
    assert sorted(delivered["app-db"]) == ["password"]

    code, _, err = run(capsys, "secrets", "set", "-n", "apps", "app-integrations", "slack-token",
                       "--from-literal", "xoxb-test-token-value", "--store", str(store),
                       "--age-key-file", str(age_keys.key_file))  # fmt: skip
    assert code == 0, err
    code, out, err = run(capsys, *up, "--out", str(tmp_path / "again"), "-o", "json")
    assert code == 0, err
    assert json.loads(out)["store"]["optionalUnset"] == []
    again = _bundle_secrets(tmp_path / "again")
    assert again["app-integrations"]["slack-token"] == "xoxb-test-token-value"
