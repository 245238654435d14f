"""Is a value plausible for its format?  A registry of small checks, one per format family.

Each check takes the value and the format's argument (``32`` of ``hex:32``, ``redis|rediss``
of ``url:redis|rediss``) and returns None when the value fits, else a reason. Reasons name
what is wrong with the shape (``decodes to 16 bytes, 32 expected``) and never quote the
value: they end up in reports, CI logs and exception messages.

Before any format check, the value is compared with the placeholders that READMEs and
example values files use (``changeme``, ``your-secret-key-here``...): such a value passes
most format checks (``changeme`` is a fine ``text``) and is still a gap.

Adding a format is one function decorated with ``@plausibility("name")``.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable

__all__ = ["CHECKS", "implausible", "placeholder_reason", "plausibility"]

#: format family (the part before ``:``) -> check(value, argument) -> reason or None.
Check = Callable[[str, str], str | None]
CHECKS: dict[str, Check] = {}


def plausibility(*names: str) -> Callable[[Check], Check]:
    """Register a check for the format families ``names``."""

    def register(check: Check) -> Check:
        for name in names:
            CHECKS[name] = check
        return check

    return register


# Whole values that READMEs, example values files and quick starts put where a secret goes.
# Compared case-insensitively after dropping separators, so CHANGE_ME, change-me and
# "change me" are one entry.
_PLACEHOLDER_WORDS = frozenset(
    {
        "changeme", "changeit", "changethis", "replaceme", "replacethis", "fillme", "fillmein",
        "todo", "tbd", "fixme", "placeholder", "dummy", "example",
        "secret", "s3cret", "secr3t", "mysecret", "supersecret", "topsecret", "password",
        "passw0rd", "p4ssw0rd", "p@ssw0rd", "p@ssword", "mypassword", "pass", "admin123",
        "password123", "123456", "12345678", "qwerty", "letmein", "null", "nil",
        "undefined", "redacted", "xxx", "foobar",
        "yoursecret", "yourpassword", "yourtoken", "yourkey", "yourapikey",
    }
)  # fmt: skip
_SEPARATORS = re.compile(r"[\s_\-.]+")
# "your-secret-key-here", "strong-password-here", "<your api key>", "${DB_PASSWORD}",
# "YOUR_API_KEY", "insert-token-here", "xxxxxxxx", "********".
_PLACEHOLDER_PATTERNS = (
    re.compile(r"^(your|insert|enter|put)[\s_\-]\S*", re.IGNORECASE),
    re.compile(r"[\s_\-](here|goes[\s_\-]here)$", re.IGNORECASE),
    re.compile(r"^<[^<>]*>$"),
    re.compile(r"^\$\{[^}]*\}$|^\{\{[^}]*\}\}$"),
    re.compile(r"^(change|replace)[\s_\-]?(me|it|this)[\s_\-]", re.IGNORECASE),
)


def placeholder_reason(value: str) -> str | None:
    """Why ``value`` looks like a placeholder rather than a secret, or None."""
    text = value.strip()
    if not text:
        return None
    if _SEPARATORS.sub("", text).lower() in _PLACEHOLDER_WORDS:
        return "a placeholder word, not a real value"
    if any(pattern.search(text) for pattern in _PLACEHOLDER_PATTERNS):
        return "placeholder text, not a real value"
    if len(text) >= 6 and len(set(text)) == 1:
        return "one character repeated, not a real value"
    return None


def implausible(fmt: str, value: str) -> str | None:
    """Why ``value`` cannot be a ``fmt`` value (placeholder or wrong shape), or None if it can.

    An unknown format only gets the placeholder test: nothing else is known about it.
    """
    reason = placeholder_reason(value)
    if reason:
        return reason
    family, _, argument = fmt.partition(":")
    check = CHECKS.get(family.strip())
    return check(value, argument.strip()) if check else None


def _size(argument: str) -> int | None:
    return int(argument) if argument.isdigit() else None


@plausibility("hex")
def _hex(value: str, argument: str) -> str | None:
    text = value.strip()
    if not re.fullmatch(r"[0-9a-fA-F]+", text):
        return "not hexadecimal"
    size = _size(argument)
    if size is not None and len(text) != 2 * size:
        return f"{len(text)} hex digits, {2 * size} expected ({size} bytes)"
    return None


def _decoded(value: str, *, urlsafe: bool) -> bytes | None:
    text = value.strip()
    try:
        if urlsafe:
            if not re.fullmatch(r"[A-Za-z0-9_\-]+=*", text):
                return None
            return base64.urlsafe_b64decode(text)
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None


def _base64_check(value: str, argument: str, *, urlsafe: bool) -> str | None:
    decoded = _decoded(value, urlsafe=urlsafe)
    name = "url-safe base64" if urlsafe else "base64"
    if decoded is None:
        return f"not {name}"
    size = _size(argument)
    if size is not None and len(decoded) != size:
        return f"{name} of {len(decoded)} bytes, {size} expected"
    return None


@plausibility("base64")
def _base64(value: str, argument: str) -> str | None:
    return _base64_check(value, argument, urlsafe=False)


@plausibility("base64url")
def _base64url(value: str, argument: str) -> str | None:
    return _base64_check(value, argument, urlsafe=True)


@plausibility("fernet")
def _fernet(value: str, argument: str) -> str | None:
    from cryptography.fernet import Fernet

    try:
        Fernet(value.strip().encode())
    except (ValueError, binascii.Error):
        decoded = _decoded(value, urlsafe=True)
        if decoded is None:
            return "not a Fernet key: not url-safe base64"
        return f"not a Fernet key: {len(decoded)} bytes, 32 expected"
    return None


@plausibility("url")
def _url(value: str, argument: str) -> str | None:
    from urllib.parse import unquote, urlsplit

    schemes = [s.strip().lower() for s in argument.split("|") if s.strip()]
    wanted = " or ".join(f"{s}://" for s in schemes) or "a scheme such as https://"
    text = value.strip()
    if "://" not in text:
        return f"not a URL: no scheme (expected {wanted})"
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        return "not a URL: malformed host or port"
    if schemes and parts.scheme.lower() not in schemes:
        return f"URL scheme {parts.scheme}://, expected {wanted}"
    if not parts.hostname and not parts.path.strip("/"):
        return "URL without a host"
    if any(ch.isspace() for ch in text):
        return "URL containing whitespace"
    if parts.password and placeholder_reason(unquote(parts.password)):
        return "the password in the URL is a placeholder"
    return None


@plausibility("pem-certificate")
def _pem_certificate(value: str, argument: str) -> str | None:
    from cryptography import x509

    if "-----BEGIN CERTIFICATE-----" not in value:
        return "not a PEM certificate (no BEGIN CERTIFICATE block)"
    try:
        x509.load_pem_x509_certificates(value.encode())
    except ValueError:
        return "a PEM certificate that does not parse"
    return None


def _private_key(value: str) -> tuple[object | None, str | None]:
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    if "PRIVATE KEY-----" not in value:
        return None, "not a PEM private key (no BEGIN ... PRIVATE KEY block)"
    try:
        return load_pem_private_key(value.encode(), password=None), None
    except TypeError:
        return None, "an encrypted PEM private key (the application gets no passphrase)"
    except (ValueError, UnsupportedAlgorithm):
        return None, "a PEM private key that does not parse"


@plausibility("pem-private-key")
def _pem_private_key(value: str, argument: str) -> str | None:
    return _private_key(value)[1]


@plausibility("ed25519-private-key")
def _ed25519_private(value: str, argument: str) -> str | None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key, reason = _private_key(value)
    if reason:
        return reason
    return None if isinstance(key, Ed25519PrivateKey) else "a PEM private key, but not Ed25519"


@plausibility("ed25519-public-key")
def _ed25519_public(value: str, argument: str) -> str | None:
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    if "-----BEGIN PUBLIC KEY-----" not in value:
        return "not a PEM public key (no BEGIN PUBLIC KEY block)"
    try:
        key = load_pem_public_key(value.encode())
    except (ValueError, UnsupportedAlgorithm):
        return "a PEM public key that does not parse"
    return None if isinstance(key, Ed25519PublicKey) else "a PEM public key, but not Ed25519"


_HTPASSWD_HASH = re.compile(r"^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$|^\$apr1\$|^\{SHA\}")


@plausibility("htpasswd")
def _htpasswd(value: str, argument: str) -> str | None:
    lines = [line for line in value.splitlines() if line.strip()]
    if not lines:
        return "no htpasswd line"
    for number, line in enumerate(lines, 1):
        user, sep, hashed = line.partition(":")
        if not sep or not user:
            return f"line {number} is not user:hash"
        if not _HTPASSWD_HASH.match(hashed.strip()):
            return f"line {number}: the hash is not bcrypt, apr1 or SHA"
    return None


@plausibility("uuid")
def _uuid(value: str, argument: str) -> str | None:
    import uuid

    try:
        uuid.UUID(value.strip())
    except ValueError:
        return "not a UUID"
    return None


@plausibility("json")
def _json(value: str, argument: str) -> str | None:
    try:
        json.loads(value)
    except ValueError as exc:
        return f"not JSON (line {getattr(exc, 'lineno', '?')})"
    return None


@plausibility("dockerconfigjson")
def _dockerconfigjson(value: str, argument: str) -> str | None:
    try:
        document = json.loads(value)
    except ValueError:
        return "not JSON, so not a .dockerconfigjson"
    auths = document.get("auths") if isinstance(document, dict) else None
    if not isinstance(auths, dict) or not auths:
        return "a .dockerconfigjson without an 'auths' map of registries"
    for registry, entry in auths.items():
        if not isinstance(entry, dict):
            return f"auths entry for {registry} is not a map"
        if not (entry.get("auth") or entry.get("username") or entry.get("identitytoken")):
            return f"auths entry for {registry} has no auth, username or identitytoken"
        if entry.get("auth"):
            decoded = _decoded(str(entry["auth"]), urlsafe=False)
            if decoded is None or b":" not in decoded:
                return f"auths entry for {registry}: auth is not base64 of user:password"
    return None
