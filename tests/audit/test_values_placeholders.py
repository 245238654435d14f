"""placeholder-credential finds the seeds' placeholders in a values file in production
(``secretKey: your-secret-key-here`` holds a placeholder, not the name of a key), and still
reads the names of keys in a Secret as names (``secretKey: AWS_SECRET_ACCESS_KEY``,
``passwordKey: password``, anything under ``existingSecret.keyMapping``)."""

from __future__ import annotations

import json
from functools import cache

import pytest
from audit_helpers import CASES, DATA

from chartsafe.audit import audit_files
from chartsafe.cli import main

VALUES = DATA / "placeholders-in-values.yaml"

# (values path in placeholders-in-values.yaml, the rule reporting it, or None)
PATHS: list[tuple[str, str | None]] = [
    ("secrets.secretKey", "placeholder-credential"),
    ("postgresql.auth.password", "placeholder-credential"),
    ("app.apiKey", "placeholder-credential"),
    ("app.signingKey", "placeholder-credential"),
    ("app.sessionSecret", "placeholder-credential"),
    ("app.jwt.SECRET_KEY", "placeholder-credential"),
    ("env[0].value", "placeholder-credential"),
    ("clickhouse.auth.password", "datastore-empty-password"),
    ("s3.secretName", None),
    ("s3.secretKey", None),
    ("oidc.clientSecret.secretKey", None),
    ("minio.secretKey", None),
    ("grafana.admin.passwordKey", None),
    ("keycloak.auth.existingSecret.keyMapping.password", None),
    ("keycloak.auth.existingSecret.keyMapping.secret-key", None),
]


@cache
def _found() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for finding in audit_files([VALUES], profile="production").findings:
        found.setdefault(finding.values_path or "", set()).add(finding.rule)
    return found


@pytest.mark.parametrize(("path", "rule"), PATHS, ids=[p for p, _ in PATHS])
def test_values_path(path: str, rule: str | None) -> None:
    assert _found().get(path, set()) == ({rule} if rule else set())


def test_no_credential_in_values_for_a_placeholder() -> None:
    assert not any("credential-in-values" in rules for rules in _found().values())


def test_values_bad_secret_key_with_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    """The trial's case: line 13 of values-bad.yaml, ``-o json``; no value printed."""
    argv = ["audit", "--files", str(CASES / "values-bad.yaml"), "--profile", "production"]
    main([*argv, "-o", "json"])
    out = capsys.readouterr().out
    found = [(f["rule"], f["line"]) for f in json.loads(out)["findings"]]
    assert ("placeholder-credential", 13) in found
    assert ("placeholder-credential", 11) in found
    assert "your-secret-key-here" not in out and "strong-password-here" not in out


@pytest.mark.parametrize(("profile", "messages"), [
    ("production", ["container web env SECRET_KEY is a placeholder, not a credential"]),
    ("dev", []),
])  # fmt: skip
def test_a_pods_env_secret_key_at_a_placeholder(profile: str, messages: list[str]) -> None:
    result = audit_files([DATA / "placeholders-in-env.yaml"], profile=profile)
    found = [f.message for f in result.findings if f.rule == "placeholder-credential"]
    assert found == messages
