"""What a key's value must look like, inferred from what the release shows.

In order of trust: the chart's declaration, the Secret type (``tls.crt`` of a
``kubernetes.io/tls`` Secret is a PEM certificate), then the key name and the
env var names it is read into. Names give a format only where the convention
is unambiguous (``*_URL``, ``*.pem``, ``password``); anything else stays
"unknown", never guessed. The vocabulary is the one of
``docs/chart-annotations.md``, which the generators understand.
"""

from __future__ import annotations

import re

from ._model import UNKNOWN_FORMAT

__all__ = ["format_from_name", "format_from_type"]

#: Secret type → key → format.
_TYPE_FORMATS: dict[str, dict[str, str]] = {
    "kubernetes.io/tls": {
        "tls.crt": "pem-certificate",
        "tls.key": "pem-private-key",
        "ca.crt": "pem-certificate",
    },
    "kubernetes.io/dockerconfigjson": {".dockerconfigjson": "dockerconfigjson"},
    "kubernetes.io/dockercfg": {".dockercfg": "json"},
    "kubernetes.io/basic-auth": {"username": "text", "password": "password"},
    "kubernetes.io/ssh-auth": {"ssh-privatekey": "pem-private-key"},
}

#: URL schemes by what the name says the URL points at.
_URL_SCHEMES: tuple[tuple[str, str], ...] = (
    ("redis", "url:redis|rediss"),
    ("postgres", "url:postgres|postgresql"),
    ("pg", "url:postgres|postgresql"),
    ("mysql", "url:mysql"),
    ("mongo", "url:mongodb|mongodb+srv"),
    ("amqp", "url:amqp|amqps"),
    ("rabbit", "url:amqp|amqps"),
    ("clickhouse", "url:http|https|clickhouse"),
)

# Words in names, split on separators and camelCase humps.
_WORD = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


def _words(name: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(name)]


def format_from_type(secret_type: str | None, key: str) -> str | None:
    if not secret_type:
        return None
    return _TYPE_FORMATS.get(secret_type, {}).get(key)


def _url_format(words: list[str]) -> str:
    for word, fmt in _URL_SCHEMES:
        if any(w.startswith(word) for w in words):
            return fmt
    return "url"


def format_from_name(name: str) -> str | None:
    """The format a key or env var name implies, or None when it implies none."""
    lowered = name.lower()
    if lowered == ".dockerconfigjson":
        return "dockerconfigjson"
    if lowered.endswith((".crt", ".pem", ".cert")) or lowered in ("ca", "cacert", "certificate"):
        return "pem-certificate" if not lowered.endswith("key.pem") else "pem-private-key"
    if lowered.endswith(".key") or lowered in ("privatekey", "private-key", "private_key"):
        return "pem-private-key"
    if lowered.endswith(".json"):
        return "json"
    if lowered == "htpasswd" or lowered.endswith(".htpasswd"):
        return "htpasswd"
    words = _words(name)
    if not words:
        return None
    last = words[-1]
    if last in ("url", "uri", "dsn") or (last == "string" and "connection" in words):
        return _url_format(words)
    if "fernet" in words:
        return "fernet"
    if last in ("password", "passwd", "pass", "pwd"):
        return "password"
    return None


def infer(name: str, env_names: list[str], secret_type: str | None) -> tuple[str, str | None]:
    """(format, where it came from) for a key, without the chart's declaration."""
    by_type = format_from_type(secret_type, name)
    if by_type:
        return by_type, "secret-type"
    by_key = format_from_name(name)
    if by_key:
        return by_key, "key-name"
    for env in env_names:
        by_env = format_from_name(env)
        if by_env:
            return by_env, "env-name"
    return UNKNOWN_FORMAT, None
