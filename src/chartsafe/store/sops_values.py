"""One SOPS value: its plaintext encoding, and the ``ENC[AES256_GCM,...]`` string around it.

SOPS encrypts each leaf of a document separately with AES-256-GCM under the file's data key,
a 32-byte nonce and the leaf's key path as additional data (SOPS.md §2-§3). The bytes that are
encrypted, and that feed the MAC, depend on the leaf's type: ``True``/``False`` for booleans,
Go's shortest positional formatting for floats (``chartsafe._go_format``), RFC 3339 for
timestamps. This module owns those encodings, Go's JSON float rule, and the value cipher.

Nothing here logs or raises with a plaintext in the message.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import math
import os
import re
from typing import Any, Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from chartsafe._errors import IntegrityError, SopsFormatError
from chartsafe._go_format import format_float_e, format_float_f

__all__ = [
    "IV_SIZE",
    "Comment",
    "bytes_as_text",
    "decode_plaintext",
    "decrypt_value",
    "encode_plaintext",
    "encrypt_value",
    "format_float_json",
    "format_time",
    "is_encrypted_value",
    "parse_time",
    "text_as_bytes",
]

IV_SIZE: Final = 32
_ENC_RE: Final = re.compile(r"^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]")
_INT64_MIN: Final = -(2**63)
_INT64_MAX: Final = 2**63 - 1
_TRUE: Final = frozenset({"1", "t", "T", "TRUE", "true", "True"})
_FALSE: Final = frozenset({"0", "f", "F", "FALSE", "false", "False"})


class Comment:
    """A YAML comment in a SOPS tree: ``text`` is what follows the ``#``.

    sops keeps comments as tree entries (SOPS.md §5.3): a mapping holds them as keys with no
    value, a list as elements, in document order. Equality is identity, so two equal comments
    can sit in one mapping. The repr shows no text: sops encrypts comments, they may be secret.
    """

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"<Comment, {len(self.text)} characters>"


# -- Go encoding/json floats ('f', 'e' and 'g' are in chartsafe._go_format) ----------------------


def format_float_json(x: float) -> str:
    """Go ``encoding/json`` float64: positional unless ``|x| < 1e-6`` or ``|x| >= 1e21``."""
    if math.isnan(x) or math.isinf(x):
        raise SopsFormatError("JSON cannot hold NaN or infinite numbers")
    if x != 0 and (abs(x) < 1e-6 or abs(x) >= 1e21):
        text = format_float_e(x)
        return re.sub(r"e-0(\d)$", r"e-\1", text)
    return format_float_f(x)


# -- timestamps ----------------------------------------------------------------------------------


def format_time(value: dt.datetime | dt.date) -> str:
    """Go ``time.MarshalText`` (RFC 3339, nanosecond fraction without trailing zeros)."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    if value.microsecond:
        text += "." + f"{value.microsecond:06d}".rstrip("0")
    offset = value.utcoffset() or dt.timedelta(0)
    if not offset:
        return text + "Z"
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"{text}{sign}{hours:02d}:{mins:02d}"


_TIME_RE: Final = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:([Tt ])(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?)?$"
)


def parse_time(text: str) -> dt.datetime | None:
    """The yaml.v3 timestamp forms (``2024-1-2``, ``2024-01-02T03:04:05Z``, ``2024-1-2 3:4:5``).

    Returns ``None`` when ``text`` is not one of them.
    """
    match = _TIME_RE.match(text)
    if match is None:
        return None
    year, month, day, sep, hour, minute, second, frac, zone = match.groups()
    if sep is not None and ((sep in "Tt") != (zone is not None)):
        return None
    tz: dt.tzinfo = dt.UTC
    if zone and zone != "Z":
        sign = -1 if zone[0] == "-" else 1
        tz = dt.timezone(sign * dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6])))
    micro = int((frac or "0")[:6].ljust(6, "0"))
    try:
        return dt.datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            micro,
            tzinfo=tz,
        )
    except ValueError:
        return None


# -- plaintext encoding --------------------------------------------------------------------------


def bytes_as_text(raw: bytes) -> str:
    """Any bytes as a ``str`` that gives them back (``text_as_bytes``): UTF-8, each byte that
    is not (``0xff``) as a lone surrogate (Python's ``surrogateescape``).

    Why: sops, in Go, holds a binary file's content in a string, which takes any bytes;
    strict UTF-8 would refuse such a file, and a text read would change its line ends.
    """
    return raw.decode("utf-8", "surrogateescape")


def text_as_bytes(text: str) -> bytes:
    """The bytes ``bytes_as_text`` made ``text`` from (UTF-8 for any other text)."""
    return text.encode("utf-8", "surrogateescape")


def encode_plaintext(value: Any, where: str = "", *, binary: bool = False) -> tuple[str, bytes]:
    """The SOPS ``type`` name and plaintext bytes of a leaf value (SOPS.md §2.3).

    ``binary``: a string is a binary file's content, any bytes (see ``bytes_as_text``).
    """
    if isinstance(value, Comment):
        return "comment", value.text.encode()
    if isinstance(value, bool):
        return "bool", b"True" if value else b"False"
    if isinstance(value, int):
        if not _INT64_MIN <= value <= _INT64_MAX:
            raise SopsFormatError(f"integer at {where or 'a leaf'} does not fit in 64 bits")
        return "int", str(value).encode()
    if isinstance(value, float):
        return "float", format_float_f(value).encode()
    if isinstance(value, str):
        return "str", text_as_bytes(value) if binary else value.encode()
    if isinstance(value, dt.date):
        return "time", format_time(value).encode()
    if isinstance(value, bytes):
        return "bytes", value
    raise SopsFormatError(
        f"value at {where or 'a leaf'} has type {type(value).__name__}, which SOPS cannot store"
    )


def decode_plaintext(kind: str, raw: bytes, where: str, *, binary: bool = False) -> Any:
    """The value of a decrypted leaf from its ``type`` name and plaintext bytes.

    ``binary``: the leaf is a binary file's content, which need not be UTF-8
    (``bytes_as_text``); elsewhere a value that is not UTF-8 is refused.
    """
    try:
        if kind == "bytes":
            return raw
        text = bytes_as_text(raw) if binary else raw.decode()
        if kind == "str":
            return text
        if kind == "comment":
            return Comment(text)
        if kind == "int":
            return int(text)
        if kind == "float":
            return float(text)
        if kind == "bool":
            if text in _TRUE:
                return True
            if text in _FALSE:
                return False
            raise ValueError
        if kind == "time":
            parsed = parse_time(text)
            if parsed is None:
                raise ValueError
            return parsed
    except UnicodeDecodeError:
        raise SopsFormatError(
            f"{where}: the decrypted value is not UTF-8 text, which chartsafe does not handle"
        ) from None
    except ValueError:
        raise SopsFormatError(f"{where}: decrypted value is not a valid {kind}") from None
    raise SopsFormatError(f"{where}: unknown value type {kind!r}")


# -- the value cipher ----------------------------------------------------------------------------


def is_encrypted_value(value: object) -> bool:
    """Whether ``value`` looks like an ``ENC[AES256_GCM,...]`` string."""
    return isinstance(value, str) and _ENC_RE.match(value) is not None


def _b64(text: str, field: str, where: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise SopsFormatError(
            f"{where}: the {field} of the encrypted value is not base64"
        ) from None


def encrypt_value(
    key: bytes, plaintext: bytes, kind: str, aad: str, iv: bytes | None = None
) -> str:
    """``ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]`` for ``plaintext`` under ``key``.

    ``iv`` is fresh random unless given; reuse one only for the same plaintext and AAD.
    """
    nonce = iv if iv is not None else os.urandom(IV_SIZE)
    sealed = AESGCM(key).encrypt(nonce, plaintext, aad.encode())
    data, tag = sealed[:-16], sealed[-16:]

    def enc(b: bytes) -> str:
        return base64.b64encode(b).decode()

    return f"ENC[AES256_GCM,data:{enc(data)},iv:{enc(nonce)},tag:{enc(tag)},type:{kind}]"


def decrypt_value(key: bytes, value: str, aad: str, where: str) -> tuple[str, bytes, bytes]:
    """Open an ``ENC[...]`` string: returns ``(type, plaintext, iv)``.

    A wrong key, a changed byte or a value moved to another key path raise ``IntegrityError``.
    """
    match = _ENC_RE.match(value)
    if match is None:
        raise SopsFormatError(f"{where}: not an ENC[AES256_GCM,...] value")
    data = _b64(match.group(1), "data", where)
    iv = _b64(match.group(2), "iv", where)
    tag = _b64(match.group(3), "tag", where)
    kind = match.group(4)
    if len(tag) != 16 or not 8 <= len(iv) <= 128:
        raise IntegrityError(f"{where}: the encrypted value was altered (bad iv or tag length)")
    try:
        plaintext = AESGCM(key).decrypt(iv, data + tag, aad.encode())
    except InvalidTag:
        raise IntegrityError(
            f"{where}: the encrypted value does not authenticate: it was altered, moved "
            "to another key, or belongs to another data key"
        ) from None
    return kind, plaintext, iv
