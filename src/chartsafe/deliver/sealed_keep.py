"""Sealing a value that has not changed gives back the ciphertext of the last run.

Why: every seal is random (a fresh session key, wrapped with randomised RSA-OAEP), so sealing
the same Secret twice gives different bytes. A deploy bundle or a ``secrets render --out`` file
kept in git would then change on every run, all keys at once, with nothing changed: noise in
every review, a rollout of the SealedSecret for nothing, and no way to see in the diff which
value was really rotated. kubeseal leaves this to the user (``--merge-into``); chartsafe keeps
what it wrote last time, per key, when it can prove the old ciphertext holds the current value.

The proof: each SealedSecret carries :data:`PROOFS_ANNOTATION`, a JSON object giving, per key,
an HMAC over (certificate key, OAEP label, key name, value, ciphertext), keyed with a key derived
from the store's data key. Only a holder of the store can make or check one; it says nothing
about the value to anyone else. An old ciphertext is kept when its proof checks against the
value the store holds now, for the same certificate and the same name, namespace and scope;
otherwise the value is sealed anew. A file edited by hand, a rotated value, a new controller
certificate or another scope all lead to a fresh seal, never to a wrong one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .._podspec import dict_at
from .sealed_crypto import SealingError, label_for
from .sealed_open import placement

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

__all__ = ["PROOFS_ANNOTATION", "PROOF_KEY_LABEL", "keep_unchanged"]

PROOFS_ANNOTATION = "chartsafe.io/sealed-proofs"

#: The label the proof key is derived with from the store's data key (``derive_key``).
PROOF_KEY_LABEL = b"chartsafe sealed-secret proofs v1"

_PROOF_BYTES = 16


def _key_id(public_key: RSAPublicKey) -> bytes:
    from cryptography.hazmat.primitives import serialization

    der = public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(der).digest()


def _proof(secret: bytes, key_id: bytes, label: bytes, key: str, value: bytes, sealed: str) -> str:
    # Length-prefixed parts: no two different inputs make the same message.
    parts = (b"1", key_id, label, key.encode(), value, sealed.encode())
    message = b"".join(len(part).to_bytes(8, "big") + part for part in parts)
    digest = hmac.new(secret, message, hashlib.sha256).digest()[:_PROOF_BYTES]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _where(sealed: Mapping[str, Any]) -> tuple[str, str, bytes] | None:
    """Name, namespace and the OAEP label its values are sealed under; None for an object
    that is no SealedSecret the controller could place."""
    try:
        name, namespace, scope = placement(sealed, None)
    except SealingError:
        return None
    return name, namespace, label_for(scope, namespace, name)


def _proofs(sealed: Mapping[str, Any]) -> dict[str, str]:
    text = dict_at(dict_at(sealed.get("metadata")).get("annotations")).get(PROOFS_ANNOTATION)
    try:
        proofs = json.loads(text) if isinstance(text, str) else {}
    except (ValueError, RecursionError):
        return {}
    if not isinstance(proofs, dict):
        return {}
    return {str(key): proof for key, proof in proofs.items() if isinstance(proof, str)}


def keep_unchanged(
    sealed: dict[str, Any],
    items: Mapping[str, bytes],
    previous: Sequence[Mapping[str, Any]],
    public_key: RSAPublicKey,
    secret: bytes,
) -> dict[str, Any]:
    """``sealed`` (just made from ``items``) with each unchanged key's old ciphertext put back
    from the SealedSecret of the same name, namespace and scope in ``previous``, and the
    proofs of all its keys in :data:`PROOFS_ANNOTATION`. ``secret`` is the proof key."""
    name, namespace, scope = placement(sealed, None)  # made by seal_secret: always placed
    label = label_for(scope, namespace, name)
    key_id = _key_id(public_key)
    old_data: Mapping[str, Any] = {}
    old_proofs: dict[str, str] = {}
    for candidate in previous:
        if _where(candidate) == (name, namespace, label):
            old_data = dict_at(dict_at(candidate.get("spec")).get("encryptedData"))
            old_proofs = _proofs(candidate)
            break
    encrypted: dict[str, str] = sealed["spec"]["encryptedData"]
    proofs = {}
    for key, value in items.items():
        old = old_data.get(key)
        if (
            isinstance(old, str)
            and key in old_proofs
            and hmac.compare_digest(old_proofs[key], _proof(secret, key_id, label, key, value, old))
        ):
            encrypted[key] = old
        proofs[key] = _proof(secret, key_id, label, key, value, encrypted[key])
    annotations = sealed["metadata"].setdefault("annotations", {})
    annotations[PROOFS_ANNOTATION] = json.dumps(proofs, sort_keys=True, separators=(",", ":"))
    return sealed
