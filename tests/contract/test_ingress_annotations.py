"""Secrets an Ingress names in ingress-nginx annotations: which keys, in which namespace, what
format.

ingress-nginx reads basic auth from key ``auth`` (an htpasswd file, or htdigest for
``auth-type: digest``) unless ``auth-secret-type: auth-map`` makes every key a user name;
client-certificate CAs from ``ca.crt``; backend TLS from ``tls.crt``/``tls.key``/``ca.crt``.
A Secret named ``namespace/name`` is read in that namespace.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from chart_files import write_chart
from contract_cases import derive

from chartsafe.cli import main

_INGRESS = """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations: {{ toJson .Values.annotations }}
spec:
  rules:
    - host: web.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: {service: {name: web, port: {number: 80}}}
"""

_AUTH = "nginx.ingress.kubernetes.io/auth-secret"
_VIA = "Ingress/web annotation nginx.ingress.kubernetes.io/"


@pytest.fixture
def chart(tmp_path: Path) -> Path:
    return write_chart(tmp_path / "web", {"ingress.yaml": _INGRESS}, "annotations: {}\n")


CASES: list[tuple[str, dict[str, str], dict[str, Any]]] = [
    (
        "basic auth: an htpasswd file in key auth",
        {"nginx.ingress.kubernetes.io/auth-type": "basic", _AUTH: "web-users"},
        {"ns/web-users": {"auth": "htpasswd"}},
    ),
    (
        "digest auth: an htdigest file, no generator for it",
        {"nginx.ingress.kubernetes.io/auth-type": "digest", _AUTH: "web-users"},
        {"ns/web-users": {"auth": "unknown"}},
    ),
    (
        "auth-map: one key per user, which ones is the user's choice",
        {
            "nginx.ingress.kubernetes.io/auth-type": "basic",
            _AUTH: "web-users",
            "nginx.ingress.kubernetes.io/auth-secret-type": "auth-map",
        },
        {"ns/web-users": "whole"},
    ),
    (
        "namespace/name is read in that namespace",
        {"nginx.ingress.kubernetes.io/auth-type": "basic", _AUTH: "shared/web-users"},
        {"shared/web-users": {"auth": "htpasswd"}},
    ),
    (
        "client certificate CA",
        {"nginx.ingress.kubernetes.io/auth-tls-secret": "certs/client-ca"},
        {"certs/client-ca": {"ca.crt": "pem-certificate"}},
    ),
    (
        "backend TLS",
        {"nginx.ingress.kubernetes.io/proxy-ssl-secret": "ns/backend-tls"},
        {
            "ns/backend-tls": {
                "ca.crt": "pem-certificate",
                "tls.crt": "pem-certificate",
                "tls.key": "pem-private-key",
            }
        },
    ),
]


@pytest.mark.parametrize(
    ("annotations", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_annotation_reads(
    chart: Path, annotations: dict[str, str], expected: dict[str, Any]
) -> None:
    contract = derive(chart, {"annotations": annotations})
    got: dict[str, Any] = {}
    for secret in contract.secrets:
        assert secret.required
        if secret.whole_readers and not secret.keys:
            assert [r.describe() for r in secret.whole_readers] == [f"{_VIA}auth-secret"]
            got[f"{secret.namespace}/{secret.name}"] = "whole"
        else:
            formats = {name: key.format for name, key in sorted(secret.keys.items())}
            got[f"{secret.namespace}/{secret.name}"] = formats
    assert got == expected


def test_init_generates_the_basic_auth_htpasswd_line_and_keeps_its_password(
    chart: Path, tmp_path: Path, age_recipient: str, capsys: pytest.CaptureFixture[str]
) -> None:
    import bcrypt

    store = ["--store", str(tmp_path / "s.sops.yaml")]
    annotations = {"nginx.ingress.kubernetes.io/auth-type": "basic", _AUTH: "web-users"}
    command = ["secrets", "init", "rel", str(chart), "-n", "ns", *store, "--age", age_recipient,
               "--set-json", f"annotations={json.dumps(annotations)}", "-o", "json"]  # fmt: skip
    assert main(command) == 0
    out, err = capsys.readouterr()
    assert "htpasswd-bcrypt" in out
    get = ["secrets", "get", "-n", "ns", "web-users", "auth", *store, "--reveal"]
    assert main(get) == 0
    line = capsys.readouterr().out
    assert main([*get, "--part", "password"]) == 0
    password = capsys.readouterr().out
    user, _, hashed = line.strip().partition(":")
    assert user == "admin" and hashed.startswith("$2y$12$")
    assert bcrypt.checkpw(password.encode(), ("$2b$" + hashed[4:]).encode())
    assert password not in out + err + line
