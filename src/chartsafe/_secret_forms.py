"""Every form a chart may print a secret in, so masking finds the secret wherever it lands.

chartsafe masks known secret text in two places: ``SecretValues.redact`` (values from SOPS
files and references, in ``template``, bundles, reports) and ``_release_errors.scrub`` (the
strings a release's Secrets carry, in dry runs, diffs and release errors). A chart rarely
prints a value as it is: it runs it through ``urlquery`` to put a password into a
connection URL, ``quote`` or ``toJson`` to write it into YAML, ``b64enc`` for a Secret's
``data``; then chartsafe itself prints the object again as YAML (a diff) or JSON
(``-o json``), escaping it once more. A mask that looks for the raw text only misses all of
these, so both maskers take their needles from :func:`needles`, and mask the same forms.

A form is one of the chart functions below applied to the whole value, then written inside
up to two string literals (a chart's ``toJson`` inside a ``quote``, a ``quote`` re-escaped
by ``-o json``):

- chart functions: none, ``urlquery`` (Go's ``url.QueryEscape``), ``html`` and ``js`` (Go
  text/template's escapers), ``b64enc``, ``b32enc``, and ``lower``/``upper`` for text of
  :data:`CASE_FOLD_FROM` characters or more (the case forms of a short value would hide
  ordinary words);
- string literals: none, a YAML single-quoted scalar, a YAML double-quoted one as PyYAML
  writes it (with and without ``allow_unicode``), Go's ``%q`` (sprig's ``quote``), and JSON
  as Python and Go (Helm's ``toJson``) write it.

The lines of a multi-line value (a PEM key under ``indent``) are forms too, when long enough
to mean nothing else. Out of scope: truncations (``trunc``, ``substr``, ``abbrev``) and
free rewrites (``replace``, ``split``). Any piece of a secret could be printed, and a short
piece cannot be told from ordinary text: looking for every one would mask the manifest.

Standard library only, and no chartsafe import: both maskers load it on their hot paths.
The forms of each secret are cached in memory (where the secret already is), because the
same secrets are searched for in every document and message of a command.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Final

__all__ = ["CASE_FOLD_FROM", "MIN_LENGTH", "forms", "needles", "replace_all"]

MIN_LENGTH: Final = 4
"""Shorter text is never searched for: a 2-character search hides unrelated text, and the
value is too short to be guessed from context."""

CASE_FOLD_FROM: Final = 8
"""Only text at least this long is also masked in lower and upper case."""

_YAML_WORDS: Final = frozenset({"true", "false", "null"})
"""Never searched for either, in any case: a Secret's ``use-tls: "true"`` is a flag, and
masking every ``true`` hid ``enableServiceLinks: true`` and every other boolean of an
``install --dry-run`` manifest without hiding anything."""

_LINE_FROM: Final = 8
"""A line of a multi-line secret is masked on its own when at least this long."""

Escape = Callable[[str], str]


def _utf8(text: str) -> bytes:
    # A lone surrogate cannot reach Helm as such; encode it rather than fail to mask.
    return text.encode("utf-8", "surrogatepass")


def _b64enc(text: str) -> str:
    return base64.b64encode(_utf8(text)).decode("ascii")


def _b32enc(text: str) -> str:
    return base64.b32encode(_utf8(text)).decode("ascii")


_URL_KEPT: Final = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")


def _urlquery(text: str) -> str:
    """Go's ``url.QueryEscape``: all but ``A-Za-z0-9-_.~`` as %XX of UTF-8, space as +.

    Written out: ``urllib.parse`` would add 2 ms to every command's start."""
    return "".join(
        chr(byte) if byte in _URL_KEPT else "+" if byte == 0x20 else f"%{byte:02X}"
        for byte in _utf8(text)
    )


_HTML: Final = str.maketrans(
    {'"': "&#34;", "'": "&#39;", "&": "&amp;", "<": "&lt;", ">": "&gt;", "\0": "\ufffd"}
)


def _html(text: str) -> str:
    """Go's ``template.HTMLEscapeString`` (the ``html`` function)."""
    return text.translate(_HTML)


_JS: Final = str.maketrans(
    {
        **{chr(c): f"\\u{c:04X}" for c in range(0x20)},
        "\\": "\\\\", "'": "\\'", '"': '\\"',
        "<": "\\u003C", ">": "\\u003E", "&": "\\u0026", "=": "\\u003D",
    }
)  # fmt: skip


def _not_printable(escape: Callable[[int], str]) -> Escape:
    """An escaper of the non-ASCII characters that are not printable (Go's ``IsPrint``,
    which is Python's ``isprintable``: no control, format or separator but ASCII space)."""

    def escaped(text: str) -> str:
        if text.isascii():
            return text
        return "".join(
            char if char.isascii() or char.isprintable() else escape(ord(char)) for char in text
        )

    return escaped


_js_unicode: Final = _not_printable(lambda code: f"\\u{code:04X}")


def _js(text: str) -> str:
    """Go's ``template.JSEscapeString`` (the ``js`` function)."""
    return _js_unicode(text.translate(_JS))


_GO_QUOTE: Final = str.maketrans(
    {
        **{chr(c): f"\\x{c:02x}" for c in (*range(0x20), 0x7F)},
        "\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t",
        "\v": "\\v", "\\": "\\\\", '"': '\\"',
    }
)  # fmt: skip
_go_quote_unicode: Final = _not_printable(
    lambda code: f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
)


def _go_quote(text: str) -> str:
    """The inside of Go's ``%q`` (``strconv.Quote``): sprig's ``quote``."""
    return _go_quote_unicode(text.translate(_GO_QUOTE))


def _yaml_single(text: str) -> str:
    return text.replace("'", "''")


#: PyYAML's emitter (``Emitter.ESCAPE_REPLACEMENTS``, ``write_double_quoted``).
_YAML_NAMED: Final = {
    "\0": "0", "\a": "a", "\b": "b", "\t": "t", "\n": "n", "\v": "v", "\f": "f", "\r": "r",
    "\x1b": "e", '"': '"', "\\": "\\", "\x85": "N", "\xa0": "_", "\u2028": "L", "\u2029": "P",
}  # fmt: skip
_YAML_ASCII: Final = str.maketrans(
    {
        **{chr(c): f"\\x{c:02X}" for c in (*range(0x20), 0x7F)},
        **{char: "\\" + name for char, name in _YAML_NAMED.items() if char.isascii()},
    }
)


def _yaml_double(allow_unicode: bool) -> Escape:
    """The inside of a double-quoted scalar as PyYAML writes it (unfolded: chartsafe dumps
    diffs with no line width). ``allow_unicode`` keeps the printable non-ASCII text."""

    def kept(char: str) -> bool:
        if char in "\x85\u2028\u2029\ufeff":
            return False
        return allow_unicode and ("\xa0" <= char <= "\ud7ff" or "\ue000" <= char <= "\ufffd")

    def escape(char: str) -> str:
        if char in _YAML_NAMED:
            return "\\" + _YAML_NAMED[char]
        code = ord(char)
        return f"\\x{code:02X}" if code <= 0xFF else (
            f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"
        )  # fmt: skip

    def escaped(text: str) -> str:
        text = text.translate(_YAML_ASCII)
        if text.isascii():
            return text
        return "".join(char if char.isascii() or kept(char) else escape(char) for char in text)

    return escaped


_GO_JSON: Final = (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                   ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))  # fmt: skip


def _json(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)[1:-1]


def _json_ascii(text: str) -> str:
    return json.dumps(text)[1:-1]


def _go_json(text: str) -> str:
    """As Go's encoding/json (Helm's ``toJson``), which also escapes for HTML safety."""
    out = _json(text)
    for char, escape in _GO_JSON:
        out = out.replace(char, escape)
    return out


def _same(text: str) -> str:
    return text


def _lower(text: str) -> str:
    """Go's ``strings.ToLower``: one character for one (Python's ``İ`` becomes two)."""
    if text.isascii():
        return text.lower()
    return "".join(char.lower()[0] for char in text)


def _upper(text: str) -> str:
    """Go's ``strings.ToUpper``: a character with no one-character upper case stays (Python
    writes ``ß`` as ``SS``)."""
    if text.isascii():
        return text.upper()
    return "".join(upper if len(upper := char.upper()) == 1 else char for char in text)


_FUNCTIONS: Final[tuple[Escape, ...]] = (_same, _urlquery, _html, _js, _b64enc, _b32enc)
_CASES: Final[tuple[Escape, ...]] = (_lower, _upper)
_LITERALS: Final[tuple[Escape, ...]] = (
    _same, _yaml_single, _yaml_double(False), _yaml_double(True), _go_quote,
    _json, _json_ascii, _go_json,
)  # fmt: skip


@lru_cache(maxsize=1024)
def forms(text: str) -> frozenset[str]:
    """Every form of ``text`` (see the module's docstring) of :data:`MIN_LENGTH` or more;
    none of ``true``, ``false`` or ``null``."""
    if len(text) < MIN_LENGTH or text.lower() in _YAML_WORDS:
        return frozenset()
    functions = _FUNCTIONS + (_CASES if len(text) >= CASE_FOLD_FROM else ())
    found = {function(text) for function in functions}
    for _ in range(2):  # inside up to two string literals
        found |= {literal(form) for form in found for literal in _LITERALS}
    found.update(line for line in text.splitlines() if len(line) >= _LINE_FROM)
    return frozenset(form for form in found if len(form) >= MIN_LENGTH)


@lru_cache(maxsize=64)
def _sorted(texts: frozenset[str]) -> tuple[str, ...]:
    every = {form for text in texts for form in forms(text)}
    return tuple(sorted(every, key=lambda form: (-len(form), form)))


def needles(texts: Iterable[str]) -> tuple[str, ...]:
    """The forms of all ``texts``, longest first: replaced in this order, a secret that
    contains another (or a form of it) is masked whole, and none leaks in part."""
    return _sorted(frozenset(texts))


def replace_all(text: str, found: Iterable[str], mask: str) -> str:
    """``text`` with each of ``found`` (from :func:`needles`) replaced by ``mask``, in order."""
    for needle in found:
        text = text.replace(needle, mask)
    return text
