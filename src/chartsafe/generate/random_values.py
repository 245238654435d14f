"""Generators of random bytes and passwords, as the seeds' ``openssl rand`` recipes make them.

All randomness comes from ``secrets`` (the OS CSPRNG). Byte counts are bytes of entropy, as in
``openssl rand -hex 32`` (64 hex digits) and ``openssl rand -base64 32`` (44 characters).
"""

from __future__ import annotations

import base64
import secrets
import string
import uuid

from chartsafe.generate._registry import Context, GeneratorError, generator, int_arg

__all__ = ["PASSWORD_CLASSES"]

_MAX_BYTES = 4096

#: Character classes for ``password:N:CLASS``; ``alnum`` (letters and digits) is the default,
#: safe in URLs, env files and shell quoting alike.
PASSWORD_CLASSES: dict[str, str] = {
    "alnum": string.ascii_letters + string.digits,
    "alpha": string.ascii_letters,
    "lower": string.ascii_lowercase + string.digits,
    "digits": string.digits,
    "hex": "0123456789abcdef",
    "urlsafe": string.ascii_letters + string.digits + "-_",
    "symbols": string.ascii_letters + string.digits + "!#%+,-.:=@^_~",
}


def _nbytes(arg: str | None, context: Context, default: int = 32) -> int:
    return int_arg(arg, default, low=1, high=_MAX_BYTES, what="the byte count", where=context.where)


@generator("hex", summary="N random bytes as 2N lowercase hex digits (openssl rand -hex N)",
           arg_help="N, default 32")  # fmt: skip
def hex_bytes(arg: str | None, context: Context) -> str:
    return secrets.token_hex(_nbytes(arg, context))


@generator("base64", summary="N random bytes, standard base64 (openssl rand -base64 N)",
           arg_help="N, default 32")  # fmt: skip
def base64_bytes(arg: str | None, context: Context) -> str:
    return base64.b64encode(secrets.token_bytes(_nbytes(arg, context))).decode()


@generator("base64url", summary="N random bytes, url-safe base64 with padding",
           arg_help="N, default 32")  # fmt: skip
def base64url_bytes(arg: str | None, context: Context) -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(_nbytes(arg, context))).decode()


@generator("fernet", summary="a Fernet key: url-safe base64 of 32 random bytes")
def fernet_key(arg: str | None, context: Context) -> str:
    if arg:
        raise GeneratorError(f"{context.where}: fernet takes no argument (a key is 32 bytes)")
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


@generator(
    "password",
    summary="a random password of N characters from a class",
    arg_help=f"N[:CLASS], default 32:alnum; classes {', '.join(PASSWORD_CLASSES)}",
)
def password(arg: str | None, context: Context) -> str:
    length_text, _, klass = (arg or "").partition(":")
    length = int_arg(length_text, 32, low=8, high=4096, what="the length", where=context.where)
    klass = klass or "alnum"
    if klass not in PASSWORD_CLASSES:
        raise GeneratorError(
            f"{context.where}: unknown password class {klass!r}",
            hint=f"one of {', '.join(PASSWORD_CLASSES)}",
        )
    alphabet = PASSWORD_CLASSES[klass]
    return "".join(secrets.choice(alphabet) for _ in range(length))


@generator("uuid", summary="a random UUID (version 4)")
def random_uuid(arg: str | None, context: Context) -> str:
    if arg:
        raise GeneratorError(f"{context.where}: uuid takes no argument")
    return str(uuid.uuid4())
