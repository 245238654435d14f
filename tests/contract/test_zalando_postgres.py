"""Zalando's postgres-operator: the credentials Secrets of a ``postgresql`` cluster.

A chart that renders a ``postgresql`` (``acid.zalan.do/v1``) and a Deployment reading
its users' Secrets needs nothing before install: the operator makes one Secret per role,
named ``USER.CLUSTER.credentials.postgresql.acid.zalan.do`` (``_`` written ``-``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from chart_files import write_chart
from contract_cases import derive

from chartsafe.cli import main

CLUSTER = """apiVersion: acid.zalan.do/v1
kind: postgresql
metadata:
  name: {{ .Release.Name }}-db
spec: {{ toJson .Values.spec }}
"""
READER = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-web
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: registry.example.com/web:1.0.0
          env:
            {{- range $name, $ref := .Values.env }}
            - name: {{ $name }}
              valueFrom: {secretKeyRef: {name: {{ index $ref 0 }}, key: {{ index $ref 1 }}}}
            {{- end }}
"""
SUFFIX = "rel-db.credentials.postgresql.acid.zalan.do"
SPEC: dict[str, Any] = {
    "teamId": "acid",
    "numberOfInstances": 2,
    "volume": {"size": "1Gi"},
    "postgresql": {"version": "17"},
    "users": {"app_owner": ["superuser", "createdb"], "reader": []},
    "databases": {"app": "app_owner"},
}


@pytest.fixture
def chart(tmp_path: Path) -> Path:
    return write_chart(tmp_path / "zalando", {"db.yaml": CLUSTER, "web.yaml": READER})


def _values(env: dict[str, list[str]], spec: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"spec": SPEC if spec is None else spec, "env": env}


def test_each_role_and_the_system_users_get_a_secret(chart: Path) -> None:
    env = {
        "DB_USER": [f"app-owner.{SUFFIX}", "username"],
        "DB_PASSWORD": [f"app-owner.{SUFFIX}", "password"],
        "READER_PASSWORD": [f"reader.{SUFFIX}", "password"],
        "ADMIN_PASSWORD": [f"postgres.{SUFFIX}", "password"],
        "REPLICATION_PASSWORD": [f"standby.{SUFFIX}", "password"],
    }
    contract = derive(chart, _values(env))
    made = {s.name: [c.ref for c in s.creators] for s in contract.secrets}
    assert made == {name: ["postgresql/rel-db"] for name, _ in env.values()}
    assert all(s.created_by and s.created_by.is_operator for s in contract.secrets)
    assert not any(s.required for s in contract.secrets)


def test_check_passes_with_nothing_in_the_cluster(chart: Path, tmp_path: Path) -> None:
    env = json.dumps({"DB_PASSWORD": [f"app-owner.{SUFFIX}", "password"]})
    command = ["check", "rel", str(chart), "-n", "ns", "--against", str(tmp_path / "none"),
               "--set-json", f"env={env}", "--set-json", f"spec={json.dumps(SPEC)}"]  # fmt: skip
    (tmp_path / "none").mkdir()
    assert main(command) == 0


@pytest.mark.parametrize(
    ("secret", "why"),
    [
        (f"app_owner.{SUFFIX}", "the Secret's name has the role's _ written -"),
        (f"writer.{SUFFIX}", "no such role in spec.users"),
        (f"team.app.{SUFFIX}", "a namespace.user role's Secret is in that namespace"),
        ("app-owner.other-db.credentials.postgresql.acid.zalan.do", "another cluster"),
    ],
    ids=["underscore", "unknown role", "namespaced role", "another cluster"],
)
def test_secrets_the_operator_does_not_make_must_exist(chart: Path, secret: str, why: str) -> None:
    spec = {**SPEC, "users": {**SPEC["users"], "team.app": []}}
    contract = derive(chart, _values({"X": [secret, "password"]}, spec))
    found = contract.get(secret, "ns")
    assert found is not None and found.required, why


def test_only_zalandos_kind_counts(chart: Path) -> None:
    """Another operator's ``postgresql`` kind makes no such Secret."""
    other = CLUSTER.replace("acid.zalan.do/v1", "example.com/v1")
    (chart / "templates" / "db.yaml").write_text(other)
    contract = derive(chart, _values({"X": [f"postgres.{SUFFIX}", "password"]}))
    found = contract.get(f"postgres.{SUFFIX}", "ns")
    assert found is not None and found.required


def test_a_key_the_operator_does_not_write_is_a_gap(
    chart: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env = json.dumps({"DB_URL": [f"app-owner.{SUFFIX}", "uri"]})
    (tmp_path / "none").mkdir()
    command = ["check", "rel", str(chart), "-n", "ns", "--against", str(tmp_path / "none"),
               "--set-json", f"env={env}", "--set-json", f"spec={json.dumps(SPEC)}"]  # fmt: skip
    assert main(command) == 1
    out = capsys.readouterr().out
    assert "the release needs no Secret before install" in out
    made_without = f"Secret app-owner.{SUFFIX} is created by postgresql/rel-db without key 'uri'"
    assert f"[missing-key] {made_without}" in out
