"""Values that name keys in a Secret are not credentials: bitnami's
``existingSecret: {name, keyMapping: {password: db-pass}}``, ``secretKeys``,
``existingSecretPasswordKey``, ``{secretName, secretKey: AWS_SECRET_ACCESS_KEY}``.
A credential-looking value stays a finding, under such a map or not."""

from __future__ import annotations

from functools import cache

import pytest
from audit_helpers import DATA

from chartsafe import RenderOptions, ValuesInput
from chartsafe._credential_detect import key_mapping_key, secret_key_name
from chartsafe.audit import AuditResult, audit_chart, audit_files

KEY_NAMES = DATA / "key-names"
RULE = "credential-in-values"

# (values path in values-key-names.yaml, is it a credential-in-values finding)
PATHS: list[tuple[str, bool]] = [
    ("postgresql.auth.existingSecret.name", False),
    ("postgresql.auth.existingSecret.keyMapping.password", False),
    ("postgresql.auth.existingSecret.keyMapping.admin-password", False),
    ("postgresql.auth.existingSecret.keyMapping.replication-password", False),
    ("postgresql.auth.secretKeys.adminPasswordKey", False),
    ("postgresql.auth.secretKeys.userPasswordKey", False),
    ("mysql.auth.existingSecretPasswordKey", False),
    ("mysql.auth.existingSecretRootPasswordKey", False),
    ("redis.auth.existingSecretKeys.password", False),
    ("grafana.admin.passwordKey", False),
    ("grafana.admin.passwordKeyRef", False),
    ("s3.accessKey", False),
    ("s3.secretKey", False),
    ("oidc.clientSecret.secretKey", False),
    # an unrelated map: a password, even one that reads like a key's name
    ("app.db.password", True),
    ("app.cache.password", True),
    # random-looking: no key's name, even under keyMapping
    ("legacy.existingSecret.keyMapping.password", True),
    # a key ending in Key that holds the key itself
    ("minio.secretKey", True),
    ("minio.apiKey", True),
]


@cache
def _found() -> frozenset[str]:
    result = audit_files([KEY_NAMES / "values-key-names.yaml"])
    return frozenset(f.values_path or "" for f in result.findings if f.rule == RULE)


@pytest.mark.parametrize(("path", "credential"), PATHS, ids=[p for p, _ in PATHS])
def test_values_path(path: str, credential: bool) -> None:
    assert (path in _found()) is credential


def test_no_other_finding_in_the_file() -> None:
    assert _found() == {path for path, credential in PATHS if credential}


@pytest.mark.parametrize(
    ("path", "flagged"),
    [("keycloak.auth.existingSecret.keyMapping.password", False), ("app.queue.password", True)],
)
def test_a_key_named_like_a_placeholder_is_no_placeholder(path: str, flagged: bool) -> None:
    result = audit_files([KEY_NAMES / "values-key-names.yaml"], profile="production")
    found = {f.values_path for f in result.findings if f.rule == "placeholder-credential"}
    assert (path in found) is flagged


def test_bitnami_key_mapping_alone_passes() -> None:
    """QA's file: exit 0, no finding at all."""
    result = audit_files([KEY_NAMES / "bitnami-existing-secret.yaml"], profile="production")
    assert result.findings == []
    assert not result.failed


@pytest.mark.parametrize(
    ("value", "named", "expected"),
    [
        ("db-pass", False, True),
        ("postgres-password", False, True),
        ("AWS_SECRET_ACCESS_KEY", True, True),
        ("client_secret", True, True),
        ("tls.crt", True, True),
        ("pgpass", False, True),  # a short name under a map of names
        ("pgpass", True, False),  # says nothing of what it holds
        ("minio123", True, False),
        ("Zk3q9TqLw8vX2mN4pR7s", False, False),
        ("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", False, False),
        ("hunter2!", False, False),
        ("", False, False),
        ("a-" * 40 + "key", True, False),  # too long for a name
    ],
)
def test_secret_key_name(value: str, named: bool, expected: bool) -> None:
    assert secret_key_name(value, named=named) is expected


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("keyMapping", True),
        ("secretKeys", True),
        ("existingSecret", True),
        ("existingSecretKeys", True),
        ("keyNames", True),
        ("auth", False),
        ("keys", False),
        ("db", False),
        ("mapping", False),
    ],
)
def test_key_mapping_key(key: str, expected: bool) -> None:
    assert key_mapping_key(key) is expected


@cache
def _datastore(existing: str) -> AuditResult:
    # any chart: datastore-empty-password reads the merged values only
    return audit_chart(
        DATA / "placeholders",
        ValuesInput(
            files=[KEY_NAMES / "bitnami-existing-secret.yaml"],
            set=[f"postgresql.auth.existingSecret.name={existing}", "postgresql.auth.password="],
        ),
        RenderOptions(validate=False),
        profile="production",
    )


@pytest.mark.parametrize(("existing", "flagged"), [("pg", False), ("", True)])
def test_existing_secret_given_as_a_map_counts_for_an_empty_password(
    existing: str, flagged: bool
) -> None:
    """``existingSecret: {name: pg}`` names the Secret as ``existingSecret: pg`` does."""
    found = [f for f in _datastore(existing).findings if f.rule == "datastore-empty-password"]
    assert [f.values_path for f in found] == (["postgresql.auth.password"] if flagged else [])


@pytest.mark.parametrize(
    ("key", "value", "named_by_key", "credential"),
    [
        # Django's SECRET_KEY in an env value or a Secret: the key itself
        ("SECRET_KEY", "x8Jq2LmZp4Vw7Rt9Yb3N", True, True),
        ("jwtSecretKey", "3f9a1c7e5b2d8f4a6c0e9b1d", True, True),
        # the name of a key, or too plain to tell
        ("SECRET_KEY", "AWS_SECRET_ACCESS_KEY", True, False),
        ("secretKey", "password", True, False),
        ("secretKey", "minio123", True, False),
        # an ExternalSecret-style {key: remote/path} under a credential's name
        ("IMPERSONATION_JWT_SECRET_key", "incidentfox/prod/config-service", False, False),
    ],
)
def test_secret_key_is_judged_by_its_value(
    key: str, value: str, named_by_key: bool, credential: bool
) -> None:
    from chartsafe.audit._values_scan import credential_reason

    found = credential_reason(key, value, named_by_key=named_by_key)
    assert (found is not None) is credential
