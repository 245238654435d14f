"""Which values look secret: key names, value shapes, and what a release's Secrets carry.

Helm keeps the user values of every revision in its release record, and the
charts copy them into ConfigMaps, env literals and notes. Wherever chartsafe
prints such values without knowing which of them the user meant as secret
(``get values``, a release's summary, a diff), it masks by these rules: values
under a secret-like key (``password``, ``apiKey``, ``clientSecret``...), values
the release's own Secrets carry, URLs with a password in them, and PEM private
keys. A key that names a secret rather than holds one (``existingSecret``,
``secretName``) is not secret-like.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

from ._objects import K8sObject
from ._output import MASK
from ._secret_types import decode_data

__all__ = [
    "MASK",
    "credential_strings",
    "is_secret_like_key",
    "mask_values",
    "release_secret_strings",
]

_WORD = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
_SECRET_WORDS = frozenset(
    {"password", "passwd", "pwd", "pw", "secret", "secrets", "token", "tokens", "apikey",
     "credential", "credentials", "passphrase", "privatekey", "dsn", "htpasswd", "jwt"}
)  # fmt: skip
_SECRET_PAIRS = frozenset(
    {("api", "key"), ("private", "key"), ("access", "key"), ("signing", "key"),
     ("encryption", "key"), ("master", "key"), ("fernet", "key"), ("auth", "key"),
     ("client", "secret"), ("webhook", "secret"), ("database", "url"), ("db", "url"),
     ("redis", "url"), ("connection", "string")}
)  # fmt: skip
# Keys that name a secret rather than hold one (existingSecret: my-db, secretName: x).
_NAMING_PREFIX = ("existing",)
_NAMING_SUFFIX = frozenset({"name", "names", "ref", "enabled", "create", "file", "path", "mount"})
_URL_WITH_PASSWORD = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^/@:\s]*:[^/@\s]+@")
_PEM_PRIVATE = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")
#: Booleans and null as YAML writes them (and no value at all): no credential, everywhere.
_YAML_WORDS = frozenset({"", "true", "false", "yes", "no", "on", "off", "null", "~"})


def _words(key: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(key)]


def is_secret_like_key(key: str) -> bool:
    """Whether a values key (one path element) usually holds a credential."""
    words = _words(key)
    if not words or words[0] in _NAMING_PREFIX or words[-1] in _NAMING_SUFFIX:
        return False
    if any(w in _SECRET_WORDS for w in words):
        return True
    singular = [w[:-1] if w in ("keys", "urls", "secrets", "strings") else w for w in words]
    return any(pair in _SECRET_PAIRS for pair in pairwise(singular))


def _looks_secret(value: str) -> bool:
    return bool(_URL_WITH_PASSWORD.match(value) or _PEM_PRIVATE.search(value))


def mask_values(
    values: Any, known_secrets: set[str], path: str = "", under_secret: bool = False
) -> tuple[Any, list[str]]:
    """``values`` with secret-like leaves replaced by :data:`MASK`, and their dotted paths."""
    if isinstance(values, dict):
        out: dict[str, Any] = {}
        paths: list[str] = []
        for key, item in values.items():
            child = f"{path}.{key}" if path else str(key)
            masked, found = mask_values(
                item, known_secrets, child, under_secret or is_secret_like_key(str(key))
            )
            out[key] = masked
            paths.extend(found)
        return out, paths
    if isinstance(values, list):
        items: list[Any] = []
        paths = []
        for index, item in enumerate(values):
            masked, found = mask_values(item, known_secrets, f"{path}[{index}]", under_secret)
            items.append(masked)
            paths.extend(found)
        return items, paths
    if isinstance(values, bool) or values is None:
        return values, []
    text = str(values)
    if under_secret or text in known_secrets or _looks_secret(text):
        return MASK, [path]
    return values, []


def _secret_entries(objects: list[K8sObject]) -> Iterator[tuple[str, str]]:
    """(key, value) of each value the Secrets among ``objects`` carry, ``data`` decoded; a
    value that is not base64 of UTF-8 text is skipped (no text to find elsewhere)."""
    for obj in objects:
        if obj.kind != "Secret":
            continue
        string_data = obj.body.get("stringData")
        if isinstance(string_data, dict):
            yield from ((str(k), str(v)) for k, v in string_data.items())
        data = obj.body.get("data")
        if isinstance(data, dict):
            for key, encoded in data.items():
                try:
                    yield str(key), decode_data(str(encoded)).decode("utf-8")
                except ValueError:  # not base64, or not text (UnicodeDecodeError is one too)
                    continue


def release_secret_strings(objects: list[K8sObject]) -> set[str]:
    """Values carried by the release's Secrets (decoded), for masking values that repeat them."""
    return {value for _, value in _secret_entries(objects) if value}


def credential_strings(objects: list[K8sObject]) -> set[str]:
    """The values of the Secrets among ``objects`` that are credentials: under a secret-like
    key (``password``, ``api-token``, ``pw``) or shaped like one (a URL with a password, a PEM
    private key), for masking where a chart copies them (a ConfigMap, an env literal).

    Not every Secret value: a Secret also carries a user name, a host or a port, which the
    chart rightly prints elsewhere (``port: 5432`` in a Service, ``rel-postgres`` as a name);
    masking those would hide the manifest without hiding a credential. Nor a flag under a
    secret-like key (``use-token: "true"``): masking every ``true`` hides the manifest too.
    """
    return {
        value
        for key, value in _secret_entries(objects)
        if value.lower() not in _YAML_WORDS and (is_secret_like_key(key) or _looks_secret(value))
    }
