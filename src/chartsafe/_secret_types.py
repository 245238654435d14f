"""What a Secret or ConfigMap key may be, and keys Kubernetes itself writes into a Secret.

A key (``data``, ``stringData``, ``binaryData``) is what the API server calls a config key:
letters, digits, ``-``, ``_`` and ``.``, at most 253 characters, not ``.`` or ``..`` and
not starting with ``..`` (a volume shows each key as a file, next to the kubelet's own
``..data`` entries). ``config_key_problem`` says what is wrong with one.

A ``kubernetes.io/service-account-token`` Secret is rendered empty, with the annotation
``kubernetes.io/service-account.name``; the token controller then adds ``token``, ``ca.crt``
and ``namespace``. A pod reading ``token`` from it reads a key that exists once applied,
although the manifest does not show it: the contract and the manifest source count these
keys as the Secret's own (their values cannot be checked before it is applied).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

__all__ = [
    "CONFIG_KEY_CHARS",
    "FILLED_BY_KUBERNETES",
    "config_key_problem",
    "decode_data",
    "not_text",
    "secret_fields",
]

#: The characters of a key, as a regular expression (also to find ``MOUNT/KEY`` file names).
CONFIG_KEY_CHARS = r"[-._a-zA-Z0-9]+"
_MAX_KEY = 253


def config_key_problem(key: str) -> str | None:
    """Why ``key`` is no Secret or ConfigMap key, or None when it is one."""
    if len(key) > _MAX_KEY:
        return f"key is longer than {_MAX_KEY} characters"
    if not re.fullmatch(CONFIG_KEY_CHARS, key):  # compiled on first use
        return "key must consist of letters, digits, '-', '_' or '.'"
    if key in (".", "..") or key.startswith(".."):
        return "key must not be '.' or '..' or start with '..'"
    return None


def not_text(value: object) -> str | None:
    """What YAML made of a Secret value that Kubernetes wants as text, or None for text.

    ``enabled: true``, ``port: 8080``, ``day: 2024-01-02`` are a boolean, a number and a date
    to YAML; the API server refuses such a Secret (``data`` and ``stringData`` hold strings).
    ``str()`` of them would differ from what was meant (``True``, ``1e+20``). Null is text:
    an empty value, as the API server reads it. Never the value itself: it may be a secret.
    """
    if value is None or isinstance(value, str):
        return None
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list | dict):
        return "a list" if isinstance(value, list) else "a mapping"
    import datetime  # here: a rare answer, and the module costs every command ~2 ms to import

    return "a date" if isinstance(value, datetime.date) else "not text"


def decode_data(text: str) -> bytes:
    """The bytes of a ``data`` value as the API server decodes it; ValueError when it does not.

    Standard alphabet, padding required, and line breaks ignored, as Go's base64 does: a value
    wrapped over lines (``base64`` prints 76 columns) is accepted by ``kubectl apply`` and
    kubeseal, so every reader of a Secret's ``data`` here decodes it alike.
    """
    import base64  # here: ``audit --files`` and ``template`` import this module, rarely decode

    return base64.b64decode(text.replace("\n", "").replace("\r", ""), validate=True)


def secret_fields(body: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(field, key, text) for a Secret's ``data`` (decoded) and ``stringData`` entries;
    a ``data`` value that is not base64 is left out (the API server refuses it)."""
    data = body.get("data")
    if isinstance(data, dict):
        for key, value in data.items():
            try:
                text = decode_data(str(value)).decode("utf-8", "replace")
            except ValueError:
                continue
            yield "data", str(key), text
    string_data = body.get("stringData")
    if isinstance(string_data, dict):
        for key, value in string_data.items():
            yield "stringData", str(key), str(value)


#: Secret type → keys Kubernetes' controllers fill in.
FILLED_BY_KUBERNETES: dict[str, frozenset[str]] = {
    "kubernetes.io/service-account-token": frozenset({"token", "ca.crt", "namespace"}),
}
