"""Generators of key pairs and password hashes: Ed25519, RSA, bcrypt htpasswd lines.

Each makes every part at once so the halves always match; when some part is already in the
store (``context.existing``), the others are derived from it instead of starting anew, so
filling a missing public key never replaces the private key it belongs to.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from typing import Any

from chartsafe.generate._registry import Context, GeneratorError, generator, int_arg
from chartsafe.generate.random_values import PASSWORD_CLASSES

__all__: list[str] = []


def _load_private_pem(text: str, context: Context, what: str) -> Any:
    from cryptography.hazmat.primitives import serialization

    try:
        return serialization.load_pem_private_key(text.encode(), password=None)
    except (ValueError, TypeError):
        raise GeneratorError(
            f"{context.where}: the stored {what} is not an unencrypted PEM private key, so the "
            "missing parts cannot be derived from it",
            hint="rotate the whole group, or set the missing part yourself",
        ) from None


def _refuse_public_alone(context: Context, what: str) -> None:
    """A public half stored without its private key: no private key can be derived from it,
    and a new pair would leave the stored public key matching nothing (signatures made with
    the new private key would not verify against it)."""
    if any(part in context.existing for part in ("public", "public-pem")):
        raise GeneratorError(
            f"{context.where}: the stored {what} public key has no private key in the store, "
            "and none can be derived from it",
            hint="set the matching private key with chartsafe secrets set, or rotate the public "
            "key to make a new pair",
        )


def _pem_private(key: Any) -> str:
    from cryptography.hazmat.primitives import serialization

    data: bytes = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return data.decode()


def _pem_public(key: Any) -> str:
    from cryptography.hazmat.primitives import serialization

    data: bytes = key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return data.decode()


@generator(
    "ed25519",
    summary="an Ed25519 key pair; private/public are base64 of the 32 raw bytes "
    "(PCS_ED25519_*_B64), private-pem/public-pem are PEM",
    parts=("private", "public", "private-pem", "public-pem"),
)
def ed25519(arg: str | None, context: Context) -> dict[str, str]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    if arg:
        raise GeneratorError(f"{context.where}: ed25519 takes only a part name, not {arg!r}")
    existing = context.existing
    if "private" in existing:
        try:
            raw = base64.b64decode(existing["private"], validate=True)
        except binascii.Error:
            raw = b""
        if len(raw) != 32:
            raise GeneratorError(
                f"{context.where}: the stored Ed25519 private key is not base64 of 32 bytes, "
                "so its public half cannot be derived"
            )
        key = Ed25519PrivateKey.from_private_bytes(raw)
    elif "private-pem" in existing:
        key = _load_private_pem(existing["private-pem"], context, "Ed25519 key")
        if not isinstance(key, Ed25519PrivateKey):
            raise GeneratorError(f"{context.where}: the stored private key is not Ed25519")
    else:
        _refuse_public_alone(context, "Ed25519")
        key = Ed25519PrivateKey.generate()
    raw_private = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    raw_public = key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return {
        "private": base64.b64encode(raw_private).decode(),
        "public": base64.b64encode(raw_public).decode(),
        "private-pem": _pem_private(key),
        "public-pem": _pem_public(key.public_key()),
    }


@generator(
    "rsa",
    summary="an RSA key pair as PEM (PKCS#8 private, SubjectPublicKeyInfo public)",
    arg_help="BITS, default 3072; parts private, public",
    parts=("private", "public"),
)
def rsa(arg: str | None, context: Context) -> dict[str, str]:
    from cryptography.hazmat.primitives.asymmetric import rsa as rsa_keys

    bits = int_arg(arg, 3072, low=2048, high=16384, what="the key size", where=context.where)
    if "private" in context.existing:
        key = _load_private_pem(context.existing["private"], context, "RSA key")
        if not isinstance(key, rsa_keys.RSAPrivateKey):
            raise GeneratorError(f"{context.where}: the stored private key is not RSA")
    else:
        _refuse_public_alone(context, "RSA")
        key = rsa_keys.generate_private_key(public_exponent=65537, key_size=bits)
    return {"private": _pem_private(key), "public": _pem_public(key.public_key())}


@generator(
    "htpasswd-bcrypt",
    summary="an htpasswd line USER:bcrypt-hash for basic auth, and the password it hashes",
    arg_help="USER, default admin; parts line, password",
    parts=("line", "password"),
)
def htpasswd_bcrypt(arg: str | None, context: Context) -> dict[str, str]:
    import bcrypt

    user = arg or "admin"
    if ":" in user or not user.strip() or any(c.isspace() for c in user):
        raise GeneratorError(f"{context.where}: htpasswd user {user!r} must be one word, no ':'")
    if "line" in context.existing and "password" not in context.existing:
        raise GeneratorError(
            f"{context.where}: the htpasswd line is stored without its password, so the "
            "password cannot be recovered",
            hint="rotate the key to make both anew",
        )
    pw = context.existing.get("password") or "".join(
        secrets.choice(PASSWORD_CLASSES["alnum"]) for _ in range(32)
    )
    if len(pw.encode()) > 72:
        raise GeneratorError(f"{context.where}: bcrypt uses at most 72 bytes of a password")
    hashed = bcrypt.hashpw(pw.encode(), bcrypt.gensalt(rounds=12)).decode()
    # htpasswd -B writes the $2y$ prefix; it is the same algorithm as $2b$ and what Apache,
    # nginx and Traefik all accept.
    return {"line": f"{user}:$2y${hashed[4:]}", "password": pw}
