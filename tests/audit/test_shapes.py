"""Credentials recognised by shape alone (``credential_shape``), one row per shape.

Tokens are assembled from parts so that no complete credential-looking string sits in
the repository for other scanners to trip over.
"""

from __future__ import annotations

import pytest

from chartsafe._credential_detect import _SHAPES, credential_shape

ALNUM = "aB3dE5fG7hJ9kL2mN4pQ6rS8tU0vW1xY3zA5bC7dE9fG"

EXAMPLES = [
    ("private key", "-----BEGIN RSA " + "PRIVATE KEY-----\nMIIEow"),
    ("private key", "-----BEGIN OPENSSH " + "PRIVATE KEY-----"),
    ("URL with a password", "postgres://app:" + "Zq8rT2vLp0@db:5432/app"),
    ("AWS access key id", "AK" + "IAABCDEFGHIJKLMNOP"),
    ("JWT", "eyJ" + "hbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abcdefghijk"),
    ("GitHub token", "gh" + "p_" + ALNUM[:36]),
    ("GitHub token", "github" + "_pat_" + ALNUM[:40]),
    ("Slack token", "xo" + "xb-1234567890-abcdef"),
    ("API key", "s" + "k-proj-" + ALNUM[:24]),
    ("Google API key", "AI" + "za" + ALNUM[:35]),
    ("Stripe key", "r" + "k_live_" + ALNUM[:24]),
]


@pytest.mark.parametrize(("label", "value"), EXAMPLES)
def test_each_shape_is_recognised(label: str, value: str) -> None:
    assert credential_shape(value) == label
    assert credential_shape(f"prefix {value} suffix") == label
    # next to words holding other shapes' literals ("gh" in "high", "sk-" in "disk-")
    assert credential_shape(f"high disk-io {value} https://host") == label


def test_every_shape_has_an_example() -> None:
    assert {label for label, *_ in _SHAPES} == {label for label, _ in EXAMPLES}


@pytest.mark.parametrize(
    "value",
    ["http://example.com/path", "postgres://db:5432/app", "github.com/org/repo", "skip-tls",
     "AKIA-not-a-key", "true", "8080", "", "postgres://app:changeme@db/app",
     "postgres://app:$(DB_PASSWORD)@db/app"],
)  # fmt: skip
def test_values_that_are_no_credential(value: str) -> None:
    assert credential_shape(value) is None
