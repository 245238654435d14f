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
from itertools import pairwise
from typing import Any

from ._objects import K8sObject
from ._output import MASK
from ._secret_types import decode_data

__all__ = ["MASK", "is_secret_like_key", "mask_values", "release_secret_strings"]

_WORD = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
_SECRET_WORDS = frozenset(
    {"password", "passwd", "pwd", "secret", "secrets", "token", "tokens", "apikey",
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


def release_secret_strings(objects: list[K8sObject]) -> set[str]:
    """Values carried by the release's Secrets (decoded), for masking values that repeat them."""
    found: set[str] = set()
    for obj in objects:
        if obj.kind != "Secret":
            continue
        string_data = obj.body.get("stringData")
        if isinstance(string_data, dict):
            found.update(str(v) for v in string_data.values())
        data = obj.body.get("data")
        if isinstance(data, dict):
            for encoded in data.values():
                try:
                    found.add(decode_data(str(encoded)).decode("utf-8"))
                except ValueError:  # not base64, or not text (UnicodeDecodeError is one too)
                    continue
    return {s for s in found if s}
