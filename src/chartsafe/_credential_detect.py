"""Is this key a credential, is this string one, or is it a reference to one?

Shared by every audit rule that looks for plaintext credentials, and by the masker of Helm's
messages (``_helm_messages``): every render uses it, so it lives outside ``chartsafe.audit``,
whose rules a render does not need (importing that package cost ~20 ms of each ``template``).
Key names are split into words (``PCS_HMAC_KEY`` → pcs hmac key, ``existingSecret`` →
existing secret) and judged by their last words, so ``TOKEN_RATE`` and
``existingSecretPasswordKey`` are not credentials while ``METRICS_PASS`` is.
Values can say more than keys: ``secretKey: AWS_SECRET_ACCESS_KEY`` names a key in a Secret
while ``secretKey: wJalr...`` is the key itself, and every value under bitnami's
``existingSecret: {name, keyMapping: {password: db-pass}}`` is a key's name
(``secret_key_name``, ``key_mapping_key``, ``key_names_key``).
Every pattern is linear-time and strings are capped before matching.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

__all__ = [
    "credential_key",
    "credential_shape",
    "embedded_assignments",
    "flag_values",
    "is_placeholder",
    "is_reference_value",
    "key_mapping_key",
    "key_names_key",
    "looks_secret",
    "reference_key",
    "secret_key_name",
    "secret_or_key_name",
    "shannon_entropy",
]

_MAX = 65536  # longest string we look into

_CREDENTIAL_LAST = frozenset(
    {"password", "passwd", "pass", "pwd", "passphrase", "secret", "token", "apikey", "credential",
     "credentials", "privatekey", "dsn"}
)  # fmt: skip
_CREDENTIAL_PAIRS = frozenset(
    {("api", "key"), ("access", "key"), ("secret", "key"), ("private", "key"), ("hmac", "key"),
     ("signing", "key"), ("encryption", "key"), ("fernet", "key"), ("master", "key"),
     ("client", "secret"), ("auth", "token"), ("priv", "b64"), ("session", "key"),
     ("service", "key"), ("license", "key"), ("webhook", "secret"), ("jwt", "secret"),
     ("secret", "access"), ("connection", "string")}
)  # fmt: skip
#: Last words that make a key a pointer to a credential, not the credential.
_REFERENCE_LAST = frozenset(
    {"name", "names", "ref", "arn", "file", "path", "enabled", "create", "id", "ids", "user",
     "username", "mount", "dir", "type", "annotations", "labels", "length", "rate", "ttl",
     "header", "field", "prefix", "suffix", "version", "provider", "store", "kind", "mode",
     "selector", "policy", "source", "format", "env", "duration", "expiry", "issuer", "scope",
     "scopes", "url", "endpoint", "uri", "host", "port", "email", "audience", "algorithm", "alg"}
)  # fmt: skip
_KEY_NAME_WORDS = frozenset({"password", "token", "user", "username", "secret", "data"})
_TLS_WORDS = frozenset({"tls", "ssl", "cert", "certs", "certificate", "certificates", "ca"})

_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


@lru_cache(maxsize=8192)
def _words(key: str) -> tuple[str, ...]:
    """``existingSecretKey`` → existing, secret, key. Cached: a release repeats its keys
    (the same env names in every container, the same data keys in every Secret)."""
    return tuple(w.lower() for w in _WORDS.findall(key))


@lru_cache(maxsize=8192)
def reference_key(key: str) -> bool:
    """A key whose value names where a credential lives (``existingSecret``, ``secretArn``).
    Cached, as :func:`_words` is: every env value of a release asks it of its name."""
    words = _words(key)
    if not words:
        return False
    if "existing" in words or words[-1] in _REFERENCE_LAST:
        return True
    # tlsSecret, caSecret: TLS material is a pair of PEM files, never one string: a name
    if len(words) >= 2 and words[-1] == "secret" and words[-2] in _TLS_WORDS:
        return True
    # passwordKey, existingSecretUserKey: the name of a key inside a Secret
    return len(words) >= 2 and words[-1] == "key" and words[-2] in _KEY_NAME_WORDS


def secret_or_key_name(key: str) -> bool:
    """``secretKey``, ``jwtSecretKey``, ``SECRET_KEY``: the name of a key in a Secret
    (``{secretName: s3, secretKey: AWS_SECRET_ACCESS_KEY}``) or a secret key itself (Django's
    ``SECRET_KEY``); ``reference_key`` says reference, only the value can tell."""
    words = _words(key)
    return words[-2:] == ("secret", "key") and "existing" not in words


def key_names_key(key: str) -> bool:
    """A key whose value may be the name of a key in a Secret rather than the credential:
    its last word is key (``passwordKey``, ``secretKey``, ``apiKey``, ``accessKey``)."""
    words = _words(key)
    return bool(words) and words[-1] in ("key", "keys")


_KEY_MAPPING_LAST = frozenset({"mapping", "mappings", "map", "names"})


def key_mapping_key(key: str) -> bool:
    """A map whose entries name keys in a Secret that exists: anything under
    ``existingSecret`` (bitnami's ``existingSecret: {name, keyMapping: {...}}``),
    ``keyMapping``, ``secretKeys``, ``existingSecretKeys``, ``keyNames``."""
    words = _words(key)
    if not words:
        return False
    if "existing" in words:
        return True
    if words[-1] in _KEY_MAPPING_LAST and ("key" in words or "keys" in words):
        return True
    return len(words) >= 2 and words[-1] == "keys" and words[-2] == "secret"


#: Words of letters, each ending in at most three digits, joined by - _ or . (the characters
#: of a Secret's keys); random strings mix digits into the letters.
_NAME_TOKEN = r"[A-Za-z]+[0-9]{0,3}(?:[-._][A-Za-z]+[0-9]{0,3})*"
#: Words that say what a key holds (``db-pass``, ``AWS_ACCESS_KEY_ID``, ``client_secret``).
_HELD_WORDS = _CREDENTIAL_LAST | {"key", "keys", "user", "username", "id", "cert", "crt", "pem"}


def secret_key_name(value: str, *, named: bool = False) -> bool:
    """``value`` reads as the name of a key in a Secret (``db-pass``, ``postgres-password``,
    ``AWS_SECRET_ACCESS_KEY``), not as a credential: short words of letters (see
    ``_NAME_TOKEN``), and not a long run of random-looking letters.

    ``named``: one of its words must also say what the key holds (``pass``, ``token``,
    ``key``, ``id``), as where the key alone could hold the credential (``apiKey: api-key``
    is a name, ``apiKey: minio123`` is not).
    """
    text = value.strip()
    if not text or len(text) > 63 or not re.fullmatch(_NAME_TOKEN, text):
        return False
    if any(word in _HELD_WORDS for word in _words(text)):
        return True
    return not named and (len(text) < 16 or shannon_entropy(text) < 3.5)


@lru_cache(maxsize=8192)
def credential_key(key: str) -> bool:
    """A key (values key, env var name, data key) that holds a credential when set."""
    if reference_key(key):
        return False
    words = _words(key)
    if not words:
        return False
    if words[-1] in _CREDENTIAL_LAST:
        return True
    return len(words) >= 2 and (words[-2], words[-1]) in _CREDENTIAL_PAIRS


_REFERENCE_VALUE = re.compile(
    r"^(?:ENC\[[A-Z0-9_]+,data:.*\]|ref\+[a-z0-9]+://.*|\$\{[^}]*\}|\$\([^)]*\)|\{\{.*\}\}"
    r"|__[A-Za-z0-9_]+__|\$[A-Za-z_][A-Za-z0-9_]*|%\([a-z_]+\)s"
    r"|arn:aws[a-z-]*:secretsmanager:.*|projects/[^/]+/secrets/.*|vault:.*|"
    r"(?:https://)?[a-z0-9-]+\.vault\.azure\.net/.*)$",
    re.DOTALL,
)


def is_reference_value(value: str) -> bool:
    """SOPS ``ENC[...]``, ``ref+...://``, env/template/substitution placeholders
    (``${VAR}``, ``$VAR``, ``__NAME__`` filled in at start-up), vault ARNs and paths."""
    return bool(_REFERENCE_VALUE.match(value.strip()[:_MAX]))


_PLACEHOLDERS = frozenset(
    {"changeme", "change-me", "change_me", "changeit", "s3cret", "secret", "password",
     "passw0rd", "p@ssw0rd", "admin", "admin123", "test", "example", "placeholder", "dummy",
     "todo", "tbd", "replaceme", "replace-me", "replace_me", "default", "123456", "12345678",
     "your-secret-key-here", "strong-password-here", "supersecret", "secret123", "letmein"}
)  # fmt: skip
_PLACEHOLDER_SHAPE = (
    r"(?i)^(?:your[-_ ].*[-_ ]here|<[^>]{1,80}>|x{3,}|\*{3,}|\.{3,}|(?:change|replace)[-_ ]?me.*"
    r"|my[-_ ]?(?:secret|password|token).*|.*[-_]here)$"
)


def is_placeholder(value: str) -> bool:
    """A value from the seeds' examples that stands for a credential nobody chose."""
    text = value.strip()
    return text.lower() in _PLACEHOLDERS or bool(re.match(_PLACEHOLDER_SHAPE, text[:200]))


#: (what it is, literals, pattern) for strings that are credentials whatever their key.
#: A pattern runs only on a string holding one of its literals: most values hold none,
#: ``in`` tells faster than any regular expression, and audit reads every value of a
#: release (a 2,000-object one has 15,000 env values, many with "gh" in a word).
#: The patterns are strings, compiled by ``re`` (and kept in its cache) on first use: most
#: releases hold none of the literals, and compiling them all was ~1 ms of every run.
_SHAPES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("private key", ("PRIVATE KEY",), r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"),
    ("URL with a password", ("://",), r"\b[a-zA-Z][a-zA-Z0-9+.-]{1,20}://[^\s/:@]*:([^\s/@]+)@"),
    ("AWS access key id", ("AKIA", "ASIA"), r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    ("JWT", ("eyJ",), r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),
    ("GitHub token", ("gh", "github_pat_"),
     r"\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{40,})"),
    ("Slack token", ("xox",), r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
    ("API key", ("sk-",), r"\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}"),
    ("Google API key", ("AIza",), r"\bAIza[0-9A-Za-z_-]{35}\b"),
    ("Stripe key", ("k_live_",), r"\b[rs]k_live_[0-9A-Za-z]{16,}"),
)  # fmt: skip
#: Any of the literals, found in one pass: asking ``in`` of each literal in turn was a third
#: of the time of the commonest rule (credential-in-env) on a 2,000-object release.
_ANY_LITERAL = re.compile("|".join(re.escape(lit) for _, lits, _ in _SHAPES for lit in lits))


def credential_shape(value: str) -> str | None:
    """What kind of credential ``value`` contains by its shape alone, or None."""
    text = value[:_MAX]
    if _ANY_LITERAL.search(text) is None:
        return None
    for label, literals, pattern in _SHAPES:
        for literal in literals:  # a loop, not any(): a generator per shape doubled the time
            if literal in text:
                break
        else:
            continue
        match = re.search(pattern, text)
        if match is None:
            continue
        if label == "URL with a password":
            password = match.group(1)
            if is_reference_value(password) or is_placeholder(password) or password.startswith("$"):
                continue
        return label
    return None


def shannon_entropy(text: str) -> float:
    """Bits per character; random keys score above 3.5, words and names below 3."""
    if not text:
        return 0.0
    counts = Counter(text)
    total = len(text)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


_ASSIGNMENT = re.compile(
    r"^[ \t]*[\"']?([A-Za-z0-9_.-]{1,80})[\"']?[ \t]*[:=][ \t]*[\"']?([^\s\"'#]{1,512})",
    re.MULTILINE,
)


def embedded_assignments(text: str) -> list[tuple[str, str]]:
    """``key: value`` / ``KEY=value`` lines inside a multi-line string (config files)."""
    if "\n" not in text:
        return []
    return [(m.group(1), m.group(2)) for m in _ASSIGNMENT.finditer(text[:_MAX])]


def flag_values(words: list[str]) -> list[tuple[int, str, str]]:
    """(index of the word holding the value, flag name, value) for each ``--flag=value``
    and ``--flag value`` in a command line. A word may be a whole shell line
    (``sh -c "app --password=x"``): it is split on white space first, and the index
    names the word the value came from."""
    tokens = [(index, token) for index, word in enumerate(words) for token in word.split()]
    found = []
    for at, (index, token) in enumerate(tokens):
        if not token.startswith("--") or len(token) < 4:
            continue
        name, sep, value = token[2:].partition("=")
        if not sep and at + 1 < len(tokens) and not tokens[at + 1][1].startswith("-"):
            index, value = tokens[at + 1]
        if value:
            found.append((index, name, value.strip("\"'")))
    return found


def looks_secret(key: str, value: str) -> bool:
    """A credential key holding a value that is plausibly the credential itself.

    Keys that are only sometimes credentials (``secret``, ``token``) need a
    value that is not a plain word: 8+ characters and some entropy.
    """
    text = value.strip()
    if not text or is_reference_value(text) or is_placeholder(text):
        return False
    words = _words(key)
    if words and words[-1] in ("secret", "token", "credentials", "credential") and len(words) == 1:
        return len(text) >= 8 and shannon_entropy(text) >= 3.0
    return True
