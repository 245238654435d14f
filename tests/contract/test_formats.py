"""Format inference from names and Secret types: a format only where the name is unambiguous."""

from __future__ import annotations

import pytest

from chartsafe.contract._formats import format_from_name, format_from_type, infer

NAMES = [
    ("DATABASE_URL", "url"),
    ("REDIS_URL", "url:redis|rediss"),
    ("LLMTRACE_POSTGRES_URL", "url:postgres|postgresql"),
    ("postgresUrl", "url:postgres|postgresql"),
    ("mongoUri", "url:mongodb|mongodb+srv"),
    ("SENTRY_DSN", "url"),
    ("tls.crt", "pem-certificate"),
    ("ca.pem", "pem-certificate"),
    ("server-key.pem", "pem-private-key"),
    ("tls.key", "pem-private-key"),
    (".dockerconfigjson", "dockerconfigjson"),
    ("config.json", "json"),
    ("password", "password"),
    ("DB_PASSWORD", "password"),
    ("redisPassword", "password"),
    ("fernetKey", "fernet"),
    ("htpasswd", "htpasswd"),
    # no convention: never guessed
    ("api_key", None),
    ("API_KEY", None),
    ("token", None),
    ("username", None),
    ("bypass", None),
    ("URLS_ALLOWED", None),
]


@pytest.mark.parametrize(("name", "expected"), NAMES)
def test_format_from_name(name: str, expected: str | None) -> None:
    assert format_from_name(name) == expected


@pytest.mark.parametrize(
    ("secret_type", "key", "expected"),
    [
        ("kubernetes.io/tls", "tls.crt", "pem-certificate"),
        ("kubernetes.io/tls", "tls.key", "pem-private-key"),
        ("kubernetes.io/dockerconfigjson", ".dockerconfigjson", "dockerconfigjson"),
        ("kubernetes.io/basic-auth", "password", "password"),
        ("Opaque", "tls.crt", None),
        (None, "password", None),
    ],
)
def test_format_from_type(secret_type: str | None, key: str, expected: str | None) -> None:
    assert format_from_type(secret_type, key) == expected


def test_type_wins_over_name_and_env_names_are_last() -> None:
    assert infer("tls.key", [], "kubernetes.io/tls") == ("pem-private-key", "secret-type")
    assert infer("value", ["REDIS_URL"], None) == ("url:redis|rediss", "env-name")
    assert infer("value", ["SOMETHING"], None) == ("unknown", None)


@pytest.mark.parametrize(
    ("a", "b", "similar"),
    [
        ("db-credentials", "db-credential", True),  # deletion
        ("db-credentials", "db-credentiels", True),  # substitution
        ("postgres", "postgress", True),  # insertion
        ("worker-1", "worker-2", False),  # numbered series
        ("worker-1", "worker-12", False),
        ("ab", "ba", False),  # transposition is two edits
        ("cache", "queue", False),
        ("same", "same", False),
    ],
)
def test_one_typo_apart(a: str, b: str, similar: bool) -> None:
    from chartsafe.contract._hazards import _one_typo_apart

    assert _one_typo_apart(a, b) is similar
    assert _one_typo_apart(b, a) is similar
