"""Plaintext credentials among the values of a values file: what the credential rules read.

A value is judged by its key (qualified by its parent when the key alone says nothing)
and by its shape; references are never credentials (see ``chartsafe._credential_detect``),
nor is a value the rendered release reads as a Secret's name (the contract says so, see
``secret_names``), nor the name of a key in a Secret (``values_reason``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .._credential_detect import (
    credential_key,
    credential_shape,
    embedded_assignments,
    is_placeholder,
    is_reference_value,
    key_mapping_key,
    key_names_key,
    looks_secret,
    reference_key,
    secret_key_name,
    secret_or_key_name,
    shannon_entropy,
)
from ._inputs import AuditInput, ValuesDoc, item_name, iter_leaves

__all__ = [
    "as_text",
    "credential_reason",
    "names_a_secret_key",
    "placeholder_at",
    "secret_names",
    "skipped",
    "values_credentials",
    "values_reason",
]

#: Paths never looked into: SOPS metadata, and ciphertext of SealedSecrets.
_SKIP_SEGMENTS = ("encryptedData", "encryptedValue")


def skipped(doc: ValuesDoc, path: str) -> bool:
    if doc.sops and (path == "sops" or path.startswith("sops.")):
        return True
    return any(f".{s}." in f".{path}." or f".{s}[" in f".{path}" for s in _SKIP_SEGMENTS)


#: Keys too generic to judge alone: ``hmac: {key: ...}`` is judged as ``hmac_key``.
_GENERIC_KEYS = frozenset({"key", "value", "data", "b64", "base64", "pem"})


def _qualified(path: str, key: str) -> str:
    """``signing.hmac.key`` → ``hmac_key``; other keys stay as they are."""
    if key.lower() not in _GENERIC_KEYS:
        return key
    parts = path.replace("[", ".[").split(".")
    parent = parts[-2] if len(parts) >= 2 and not parts[-2].startswith("[") else ""
    return f"{parent}_{key}" if parent else key


def credential_reason(key: str, value: str, *, named_by_key: bool = True) -> str | None:
    """Why ``key: value`` is a plaintext credential, or None.

    A reference (``ENC[...]``, ``ref+...``, ``${VAR}``) is never one; that is asked
    last, of the few values something else has flagged (``looks_secret`` asks it too).
    ``named_by_key``: ``key`` is the key as written, not made of a parent and a generic key
    (``jwtSecret: {key: prod/app}`` is a remote reference, not a ``jwtSecret_key``).
    """
    shape = credential_shape(value)
    if shape:
        return None if is_reference_value(value) else shape
    if reference_key(key):
        secret_key = named_by_key and secret_or_key_name(key)
        return "credential" if secret_key and _secret_key_value(key, value) else None
    if credential_key(key) and looks_secret(key, value):
        return "credential"
    if "\n" not in value or is_reference_value(value):
        return None
    for inner_key, inner_value in embedded_assignments(value):
        if credential_key(inner_key) and looks_secret(inner_key, inner_value):
            return f"credential ({inner_key}) inside a multi-line value"
    return None


def _secret_key_value(key: str, value: str) -> bool:
    """``secretKey: wJalr...`` holds the key itself, ``secretKey: password`` names one."""
    text = value.strip()
    return (
        not secret_key_name(text)
        and len(text) >= 8
        and shannon_entropy(text) >= 3.0
        and looks_secret(key, text)
    )


_WORD_BREAKS = r"[-_. ]+"  # compiled on first use: most runs meet no placeholder


def _fill_in(value: str) -> bool:
    """A placeholder of several words, written to be replaced (``your-secret-key-here``,
    ``strong-password-here``, ``change-me``): no key of a Secret is called so, where a
    placeholder of one word (``password``) may well be a key's name."""
    text = value.strip()
    return is_placeholder(text) and len([w for w in re.split(_WORD_BREAKS, text) if w]) > 1


def names_a_secret_key(path: str, key: str, value: str) -> bool:
    """The value at ``path`` is the name of a key in a Secret, not a credential: a name-like
    value under a map of such names (``existingSecret.keyMapping.password: db-pass``,
    ``auth.secretKeys.adminPassword: postgres-password``), or under a key ending in key
    whose value says what the key holds (``{secretName: s3, secretKey: AWS_SECRET_KEY}``)
    and is no placeholder of words (``secretKey: your-secret-key-here`` holds the key)."""
    parents = [p for p in path.replace("[", ".[").split(".")[:-1] if not p.startswith("[")]
    if any(key_mapping_key(p) for p in parents) and secret_key_name(value):
        return True
    return key_names_key(key) and secret_key_name(value, named=True) and not _fill_in(value)


def placeholder_at(path: str, key: str, value: str, *, item: bool = False) -> bool:
    """The value at ``path`` (last key ``key``) is a placeholder where a credential goes: a
    credential key, or one such as ``secretKey`` that holds a key or a key's name, set to a
    placeholder that names no key in a Secret (``passwordKey: password`` names one). ``item``:
    ``key`` is an env list item's name, whose value is what the container gets."""
    if not is_placeholder(value) or not (credential_key(key) or secret_or_key_name(key)):
        return False
    return item or not names_a_secret_key(path, key, value)


def values_reason(path: str, key: str, value: str) -> str | None:
    """``credential_reason`` for the value at ``path`` (whose last key is ``key``) of the
    values, which may name a key in a Secret; a generic key is judged with its parent."""
    judged = _qualified(path, key)
    if names_a_secret_key(path, judged, value):
        return None
    return credential_reason(judged, value, named_by_key=judged == key)


def as_text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    return value if isinstance(value, str) else str(value)


def secret_names(ctx: AuditInput) -> frozenset[tuple[str, str]]:
    """(values path, value) pairs that name a Secret the rendered release reads: references,
    whatever their key is called (``jwtSecret: app-jwt`` read through secretKeyRef)."""
    if ctx.contract is None:
        return frozenset()
    return frozenset((p, s.name) for s in ctx.contract.secrets for p in s.values_paths)


def values_credentials(
    doc: ValuesDoc, names: frozenset[tuple[str, str]] = frozenset()
) -> Iterator[tuple[str, str, str, str]]:
    """(values path, how the finding names it, why it is a credential, value) for every
    plaintext credential in a values file. The value of a ``{name, value}`` list item
    (``env: [{name: DB_PASSWORD, value: ...}]``) is judged by its name, and named by it.
    ``names``: (path, value) pairs the contract shows to be Secret names."""
    for path, key, value, parent in iter_leaves(doc.data):
        text = as_text(value)
        if text is None or skipped(doc, path) or (path, text) in names:
            continue
        name = item_name(path, key, parent)
        # an env item's value is what the container gets, never the name of a key
        what = credential_reason(name, text) if name else values_reason(path, key, text)
        if what:
            yield path, f"{path} ({name})" if name else path, what, text
