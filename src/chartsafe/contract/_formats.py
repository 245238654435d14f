"""What a key's value must look like, inferred from what the release shows.

In order of trust: the chart's declaration, the Secret type (``tls.crt`` of a
``kubernetes.io/tls`` Secret is a PEM certificate), then the key name and the
env var names it is read into. Names give a format only where the convention
is unambiguous (``*_URL``, ``*.crt``, ``tls.key``, ``password``); anything else stays
"unknown", never guessed. The vocabulary is the one of
``docs/chart-annotations.md``, which the generators understand.
"""

from __future__ import annotations

import re

from ._model import UNKNOWN_FORMAT

__all__ = ["FORMATS_HINT", "format_from_name", "format_from_type", "format_problem"]

#: The format names of the vocabulary (``docs/chart-annotations.md``), before any ``:ARG``.
FORMAT_NAMES = (
    "hex", "base64", "base64url", "fernet", "password", "url", "pem-certificate",
    "pem-private-key", "ed25519-private-key", "ed25519-public-key", "ed25519-private-key-b64",
    "ed25519-public-key-b64", "htpasswd", "uuid", "json", "dockerconfigjson", "text",
)  # fmt: skip
_SIZED = ("hex", "base64", "base64url", "password")  # NAME or NAME:N
_SCHEMES = re.compile(r"^[a-z][a-z0-9+.-]*(\|[a-z][a-z0-9+.-]*)*$")
#: The hint of an error about a format: the vocabulary, with the form of each argument.
FORMATS_HINT = (
    "valid formats: hex:N, base64:N, base64url:N, fernet, password or password:N, url or "
    "url:SCHEME|SCHEME, pem-certificate, pem-private-key, ed25519-private-key, "
    "ed25519-public-key, ed25519-private-key-b64, ed25519-public-key-b64, htpasswd, uuid, "
    "json, dockerconfigjson, text (N: a whole number above 0)"
)


def format_problem(fmt: str) -> tuple[str, str] | None:
    """Why ``fmt`` is no format of the vocabulary, and how to write one; None when it is.

    A format is checked where a person gives it (a chart's declaration, ``secrets set
    --format``): taken as it is, a typo (``fernett``, ``hex:abc``) would be a format no
    generator makes and no check knows, and the key would be left to a person for good.
    """
    family, colon, argument = fmt.partition(":")
    if family not in FORMAT_NAMES:
        return f"unknown format {fmt!r}", FORMATS_HINT
    if family in _SIZED:
        good = not colon or (argument.isdigit() and int(argument) > 0)
        unit = "characters" if family == "password" else "bytes"
        usage = f"{family} or {family}:N (N {unit}, a whole number above 0)"
    elif family == "url":
        good = not colon or bool(_SCHEMES.match(argument))
        usage = "url or url:SCHEME|SCHEME (e.g. url:postgres|postgresql)"
    else:
        good, usage = not colon, f"{family}, without an argument"
    return None if good else (f"malformed format {fmt!r}", f"write {usage}")


#: Secret type → key → format.
_TYPE_FORMATS: dict[str, dict[str, str]] = {
    "kubernetes.io/tls": {
        "tls.crt": "pem-certificate",
        "tls.key": "pem-private-key",
        "ca.crt": "pem-certificate",
    },
    "kubernetes.io/dockerconfigjson": {".dockerconfigjson": "dockerconfigjson"},
    "kubernetes.io/dockercfg": {".dockercfg": "json"},
    "kubernetes.io/basic-auth": {"username": "text", "password": "password"},
    "kubernetes.io/ssh-auth": {"ssh-privatekey": "pem-private-key"},
}

#: URL schemes by what the name says the URL points at.
_URL_SCHEMES: tuple[tuple[str, str], ...] = (
    ("redis", "url:redis|rediss"),
    ("postgres", "url:postgres|postgresql"),
    ("pg", "url:postgres|postgresql"),
    ("mysql", "url:mysql"),
    ("mongo", "url:mongodb|mongodb+srv"),
    ("amqp", "url:amqp|amqps"),
    ("rabbit", "url:amqp|amqps"),
    ("clickhouse", "url:http|https|clickhouse"),
)

# Words in names, split on separators and camelCase humps.
_WORD = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


def _words(name: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(name)]


def format_from_type(secret_type: str | None, key: str) -> str | None:
    if not secret_type:
        return None
    return _TYPE_FORMATS.get(secret_type, {}).get(key)


def _url_format(words: list[str]) -> str:
    for word, fmt in _URL_SCHEMES:
        if any(w.startswith(word) for w in words):
            return fmt
    return "url"


#: Words of a ``.pem`` file name that say it holds certificates, and words that say it
#: may hold something else (a key of either half, DH parameters): only the first, alone, do.
_CERT_WORDS = frozenset({"cert", "certs", "certificate", "certificates", "crt", "chain",
                         "fullchain", "ca", "bundle"})  # fmt: skip
_NOT_CERT_WORDS = frozenset({"key", "private", "priv", "privkey", "public", "pub", "dh",
                             "dhparam", "dhparams", "param", "params", "rsa", "ec"})  # fmt: skip


def _pem_file_format(lowered: str) -> str | None:
    """A ``.crt``/``.cert`` file holds certificates, and so does a ``.pem`` whose name says
    so (``ca.pem``, ``cert.pem``, ``fullchain.pem``); ``tls.key``, ``privkey.pem`` (Let's
    Encrypt's) and ``NAME-key.pem`` (cfssl's, beside ``NAME.pem``) hold a private key.

    Any other ``.pem`` or ``.key`` may hold a private or a public key, DH parameters or no
    PEM at all (``private.pem``, ``public.pem``, ingress-nginx's ``dhparam.pem``, a Rails
    ``master.key`` in hex): no format is guessed, as a wrong one fails a right value."""
    if lowered.endswith((".crt", ".cert")):
        return "pem-certificate"
    if lowered in ("tls.key", "privkey.pem"):
        return "pem-private-key"
    if lowered.endswith(".pem"):
        words = _words(lowered[: -len(".pem")])
        if set(words) & _CERT_WORDS and not set(words) & _NOT_CERT_WORDS:
            return "pem-certificate"
        if len(words) > 1 and words[-1] == "key" and not {"public", "pub"} & set(words):
            return "pem-private-key"  # cfssl's server-key.pem beside server.pem
    return None


def format_from_name(name: str) -> str | None:
    """The format a key or env var name implies, or None when it implies none."""
    lowered = name.lower()
    if lowered == ".dockerconfigjson":
        return "dockerconfigjson"
    if lowered.endswith((".crt", ".cert", ".pem", ".key")):
        return _pem_file_format(lowered)
    if lowered in ("ca", "cacert", "certificate"):
        return "pem-certificate"
    if lowered in ("privatekey", "private-key", "private_key"):
        return "pem-private-key"
    if lowered.endswith(".json"):
        return "json"
    if lowered == "htpasswd" or lowered.endswith(".htpasswd"):
        return "htpasswd"
    words = _words(name)
    if not words:
        return None
    last = words[-1]
    if last in ("url", "uri", "dsn") or (last == "string" and "connection" in words):
        return _url_format(words)
    if "fernet" in words:
        return "fernet"
    if last in ("password", "passwd", "pass", "pwd"):
        return "password"
    return None


def infer(name: str, env_names: list[str], secret_type: str | None) -> tuple[str, str | None]:
    """(format, where it came from) for a key, without the chart's declaration."""
    by_type = format_from_type(secret_type, name)
    if by_type:
        return by_type, "secret-type"
    by_key = format_from_name(name)
    if by_key:
        return by_key, "key-name"
    for env in env_names:
        by_env = format_from_name(env)
        if by_env:
            return by_env, "env-name"
    return UNKNOWN_FORMAT, None
