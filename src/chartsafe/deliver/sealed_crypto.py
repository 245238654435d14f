"""The bytes of a sealed value, exactly as the sealed-secrets controller reads them.

A value is sealed with a fresh AES-256 session key (AES-GCM, 12 zero-byte nonce: safe only
because the key is used once), the session key wrapped with RSA-OAEP (SHA-256, MGF1-SHA-256)
whose *label* binds the value to where it may be unsealed (the scope)::

    uint16 BE len(R) | R = RSA-OAEP(session key, label) | AES-GCM ciphertext || 16-byte tag

and the whole is standard padded base64 on one line. The label is what makes a strict value
useless under another name or namespace, so computing it is kept here, next to the cipher.
"""

from __future__ import annotations

import base64
import binascii
import os
import struct
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from .._errors import InputError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey

__all__ = [
    "CLUSTER_WIDE_ANNOTATION",
    "NAMESPACE_WIDE_ANNOTATION",
    "Scope",
    "SealingError",
    "UnsealError",
    "hybrid_decrypt",
    "hybrid_encrypt",
    "label_for",
    "scope_annotations",
    "scope_from_annotations",
    "seal_value",
    "unseal_value",
]

NAMESPACE_WIDE_ANNOTATION = "sealedsecrets.bitnami.com/namespace-wide"
CLUSTER_WIDE_ANNOTATION = "sealedsecrets.bitnami.com/cluster-wide"
_SESSION_KEY_BYTES = 32
_NONCE = bytes(12)


class SealingError(InputError):
    """A certificate, key, SealedSecret or sealing request cannot be used as given."""


class UnsealError(SealingError):
    """No private key opens a sealed value under the label its object gives it.

    Raised instead of returning garbage: the controller would refuse the object the same way.
    """


class Scope(StrEnum):
    """Where a sealed value may be unsealed; the values are kubeseal's ``--scope`` words."""

    strict = "strict"
    namespace_wide = "namespace-wide"
    cluster_wide = "cluster-wide"


def label_for(scope: Scope, namespace: str, name: str) -> bytes:
    """The OAEP label for a scope: ``ns/name``, ``ns`` or empty (note the ``/``)."""
    if scope is Scope.cluster_wide:
        return b""
    if scope is Scope.namespace_wide:
        return namespace.encode()
    return f"{namespace}/{name}".encode()


def scope_from_annotations(annotations: Mapping[str, Any] | None) -> Scope:
    """The scope the controller derives from an object's own annotations (cluster-wide wins)."""
    annotations = annotations or {}
    if annotations.get(CLUSTER_WIDE_ANNOTATION) == "true":
        return Scope.cluster_wide
    if annotations.get(NAMESPACE_WIDE_ANNOTATION) == "true":
        return Scope.namespace_wide
    return Scope.strict


def scope_annotations(scope: Scope) -> dict[str, str]:
    """The one annotation that selects ``scope`` (none for strict)."""
    if scope is Scope.cluster_wide:
        return {CLUSTER_WIDE_ANNOTATION: "true"}
    if scope is Scope.namespace_wide:
        return {NAMESPACE_WIDE_ANNOTATION: "true"}
    return {}


def _oaep(label: bytes) -> Any:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    # cryptography treats an empty label as "no label": both hash the empty string, as Go does.
    return padding.OAEP(
        mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=label or None
    )


def hybrid_encrypt(public_key: RSAPublicKey, plaintext: bytes, label: bytes) -> bytes:
    """Seal ``plaintext`` for ``public_key`` under ``label``; a fresh session key every call."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    session_key = os.urandom(_SESSION_KEY_BYTES)
    wrapped = public_key.encrypt(session_key, _oaep(label))
    sealed = AESGCM(session_key).encrypt(_NONCE, plaintext, None)
    return struct.pack(">H", len(wrapped)) + wrapped + sealed


def hybrid_decrypt(
    private_keys: Sequence[RSAPrivateKey], data: bytes, label: bytes
) -> bytes | None:
    """Open ``data`` with the first key that works under ``label``; ``None`` if none does.

    Like the controller, every key is tried: nothing in the ciphertext says which key sealed it.
    """
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if len(data) < 2:
        return None
    (length,) = struct.unpack(">H", data[:2])
    if len(data) < 2 + length:
        return None
    wrapped, sealed = data[2 : 2 + length], data[2 + length :]
    for key in private_keys:
        if key.key_size // 8 != length:
            continue
        try:
            session_key = key.decrypt(wrapped, _oaep(label))
            return AESGCM(session_key).decrypt(_NONCE, sealed, None)
        except (ValueError, InvalidTag):
            continue
    return None


def seal_value(public_key: RSAPublicKey, plaintext: bytes, label: bytes) -> str:
    """One sealed value as the base64 text that goes into ``spec.encryptedData``."""
    return base64.b64encode(hybrid_encrypt(public_key, plaintext, label)).decode("ascii")


def unseal_value(
    private_keys: Sequence[RSAPrivateKey], text: str, label: bytes, *, where: str
) -> bytes:
    """Decode and open one sealed value; ``where`` names it in errors (never the value)."""
    try:
        data = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise UnsealError(
            f"{where}: not standard padded base64, so no controller would read it",
            hint="seal it again",
        ) from exc
    plaintext = hybrid_decrypt(private_keys, data, label)
    if plaintext is None:
        raise UnsealError(
            f"{where}: no private key opens this value under its scope label",
            hint="it was sealed for another name, namespace or scope, or with another key",
        )
    return plaintext
