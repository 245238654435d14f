"""A values key that names a Secret is a reference, not a credential, whatever it is called.

Two ways to know: the key says so (``existingSecret``, ``secretName``, ``tlsSecret``: TLS
material is a PEM pair, never one string), or, when a chart is rendered, the contract shows
the release reading a Secret of that name from that values path (``jwtSecret: app-jwt`` in
a secretKeyRef). Without a chart (``--files``) only the key can tell.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from chart_files import write_chart

from chartsafe import RenderOptions, ValuesInput
from chartsafe._credential_detect import credential_key
from chartsafe.audit import audit_chart, audit_files

_DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
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
            - name: JWT_SECRET
{{- if .Values.asName }}
              valueFrom:
                secretKeyRef: {name: {{ .Values.auth.jwtSecret }}, key: jwt}
{{- else }}
              value: {{ .Values.auth.jwtSecret | quote }}
{{- end }}
"""


@pytest.mark.parametrize(
    ("key", "credential"),
    [
        ("tlsSecret", False),
        ("caSecret", False),
        ("ssl_secret", False),
        ("certificateSecret", False),
        ("existingSecret", False),
        ("secretName", False),
        ("jwtSecret", True),
        ("clientSecret", True),
        ("webhookSecret", True),
        ("secret", True),
    ],
)
def test_the_key_alone(key: str, credential: bool) -> None:
    assert credential_key(key) is credential


@pytest.fixture
def chart(tmp_path: Path) -> Path:
    values = "asName: true\nauth:\n  jwtSecret: app-jwt\n"
    return write_chart(tmp_path / "app", {"app.yaml": _DEPLOYMENT}, values)


@pytest.mark.parametrize(("as_name", "flagged"), [(True, False), (False, True)])
def test_the_contract_shows_a_secret_name(chart: Path, as_name: bool, flagged: bool) -> None:
    result = audit_chart(
        chart,
        ValuesInput(set_json=[f"asName={str(as_name).lower()}"]),
        RenderOptions(validate=False),
        profile="production",
    )
    found = [f.values_path for f in result.findings if f.rule == "credential-in-values"]
    assert found == (["auth.jwtSecret"] if flagged else [])


def test_without_a_chart_the_key_decides(chart: Path) -> None:
    found = audit_files([chart / "values.yaml"], profile="production").findings
    assert [f.values_path for f in found if f.rule == "credential-in-values"] == ["auth.jwtSecret"]
