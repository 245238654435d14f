"""Which values count as secret: key names, value shapes, and scrubbing of messages."""

from __future__ import annotations

import pytest

from chartsafe._release_errors import scrub
from chartsafe._release_settings import parse_timeout
from chartsafe._secret_like import MASK, is_secret_like_key, mask_values


@pytest.mark.parametrize(
    ("key", "secret"),
    [
        ("password", True), ("adminPassword", True), ("DB_PASSWORD", True), ("apiKey", True),
        ("api_key", True), ("clientSecret", True), ("privateKey", True), ("token", True),
        ("fernetKey", True), ("databaseUrl", True), ("htpasswd", True),
        ("existingSecret", False), ("secretName", False), ("passwordSecretRef", False),
        ("tokenFile", False), ("replicas", False), ("image", False), ("keyName", False),
        ("monkey", False), ("tokenizer", False),
    ],
)  # fmt: skip
def test_secret_like_keys(key: str, secret: bool) -> None:
    assert is_secret_like_key(key) is secret


def test_mask_values_by_key_shape_and_known_secret() -> None:
    values = {
        "db": {"password": "pw-1234", "host": "db.local", "port": 5432},
        "auth": {"enabled": True, "apiKeys": ["k-1", "k-2"]},
        "redis": "redis://user:hunter22@redis:6379/0",
        "plainRedis": "redis://redis:6379/0",
        "tls": "-----BEGIN EC PRIVATE KEY-----\nMHc\n-----END EC PRIVATE KEY-----\n",
        "shared": "copied-into-a-secret",
    }
    masked, paths = mask_values(values, {"copied-into-a-secret"})
    assert masked["db"] == {"password": MASK, "host": "db.local", "port": 5432}
    assert masked["auth"] == {"enabled": True, "apiKeys": [MASK, MASK]}
    assert (masked["redis"], masked["plainRedis"]) == (MASK, "redis://redis:6379/0")
    assert (masked["tls"], masked["shared"]) == (MASK, MASK)
    assert sorted(paths) == ["auth.apiKeys[0]", "auth.apiKeys[1]", "db.password", "redis",
                             "shared", "tls"]  # fmt: skip


@pytest.mark.parametrize(
    ("message", "secrets", "expected"),
    [
        ("bad value s3cr3t-long in env", {"s3cr3t-long"}, "bad value <masked> in env"),
        ("abcd-efgh and abcd", {"abcd", "abcd-efgh"}, "<masked> and <masked>"),
        ("short ab stays", {"ab"}, "short ab stays"),
    ],
)
def test_scrub(message: str, secrets: set[str], expected: str) -> None:
    assert scrub(message, secrets) == expected


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("300", 300), ("5m", 300), ("5m0s", 300), ("1h30m", 5400), ("90s", 90), ("2h", 7200)],
)
def test_parse_timeout(text: str, seconds: int) -> None:
    assert parse_timeout(text) == seconds
