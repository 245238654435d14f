"""Which values count as secret: key names, value shapes, and scrubbing of messages."""

from __future__ import annotations

import base64
import textwrap

import pytest

from chartsafe._errors import InputError
from chartsafe._objects import K8sObject
from chartsafe._release_errors import scrub
from chartsafe._release_settings import parse_timeout
from chartsafe._secret_like import MASK, is_secret_like_key, mask_values, release_secret_strings


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
    [("300", 300), ("5m", 300), ("5m0s", 300), ("1h30m", 5400), ("90s", 90), ("2h", 7200),
     ("1.5m", 90), ("500ms", 1), ("1m0.5s", 61), (".5h", 1800), ("0", 0), ("0s", 0),
     ("2h45m30s", 9930), ("1500000us", 2)],
)  # fmt: skip
def test_parse_timeout_reads_go_durations_as_helm(text: str, seconds: int) -> None:
    assert parse_timeout(text) == seconds


@pytest.mark.parametrize("text", ["soon", "5 m", "1d", "-5s", "1h-2m", "m", ".s", "", "5mm"])
def test_parse_timeout_refuses_what_go_refuses(text: str) -> None:
    with pytest.raises(InputError, match="not a duration"):
        parse_timeout(text)


@pytest.mark.parametrize("wrapped", [False, True], ids=["one line", "wrapped at 76"])
def test_a_secrets_data_is_decoded_as_the_api_server_decodes_it(wrapped: bool) -> None:
    """``data`` wrapped over lines (``base64`` prints 76 columns) is valid for the API server:
    its value is still known secret, and masked where the values repeat it."""
    value = "a-long-database-password-" * 3
    encoded = base64.b64encode(value.encode()).decode()
    text = "\n".join(textwrap.wrap(encoded, 76)) if wrapped else encoded
    body = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db"},
            "data": {"password": text, "broken": "not base64!"}}  # fmt: skip
    known = release_secret_strings([K8sObject("", body, "templates/db.yaml", "apps")])
    assert known == {value}
    assert mask_values({"db": {"note": value}}, known)[0] == {"db": {"note": MASK}}
