"""Format plausibility and placeholders, value by value; whatever chartsafe generates passes."""

from __future__ import annotations

import pytest
import yaml
from check_helpers import DATA

from chartsafe.check import implausible
from chartsafe.generate import generate

CASES = yaml.safe_load((DATA / "plausibility.yaml").read_text())


@pytest.mark.parametrize(
    ("fmt", "value", "words"), CASES, ids=[f"{c[0]} {c[1][:16]!r}" for c in CASES]
)
def test_value_against_format(fmt: str, value: str, words: str | None) -> None:
    reason = implausible(fmt, value)
    if words is None:
        assert reason is None
    else:
        assert reason is not None and words in reason
        assert value.strip() not in reason  # a reason never quotes the value


# (format, the generator spec that makes it): every value chartsafe makes is plausible.
GENERATED = [
    ("hex:32", "hex:32"),
    ("base64:32", "base64:32"),
    ("base64url:32", "base64url:32"),
    ("fernet", "fernet"),
    ("password:32", "password:32"),
    ("uuid", "uuid"),
    ("pem-certificate", "tls-ca:cert"),
    ("pem-private-key", "tls-ca:key"),
    ("pem-private-key", "rsa:private"),
    ("ed25519-private-key", "ed25519:private-pem"),
    ("ed25519-public-key", "ed25519:public-pem"),
    ("htpasswd", "htpasswd-bcrypt"),
    ("dockerconfigjson", "dockerconfigjson:server=registry.example.com,user=ci"),
    ("url:redis|rediss", "url:redis://:{password:32}@cache.example.com:6379"),
]


@pytest.mark.parametrize(("fmt", "spec"), GENERATED, ids=[g[1] for g in GENERATED])
def test_generated_values_are_plausible(fmt: str, spec: str) -> None:
    assert implausible(fmt, generate(spec)) is None


@pytest.mark.parametrize(
    ("fmt", "spec", "words"),
    [
        ("ed25519-private-key", "tls-ca:key", "not Ed25519"),
        ("ed25519-public-key", "rsa:public", "not Ed25519"),
        ("pem-certificate", "tls-ca:key", "no BEGIN CERTIFICATE"),
        ("pem-private-key", "tls-ca:cert", "no BEGIN ... PRIVATE KEY"),
    ],
)
def test_a_real_value_of_another_format_is_caught(fmt: str, spec: str, words: str) -> None:
    reason = implausible(fmt, generate(spec))
    assert reason is not None and words in reason


def test_an_encrypted_private_key_is_named_so() -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"passphrase"),
    ).decode()
    reason = implausible("pem-private-key", pem)
    assert reason is not None and "encrypted" in reason
