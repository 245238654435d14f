"""Writing YAML byte for byte as sops does (go.yaml.in/yaml/v3 encoder, SOPS.md §9.1).

Block layout with indent 4 by default: a nested collection or block scalar goes to the next
multiple of the indent after its key's column; ``- `` items of a sequence in a sequence, and
maps inside items, align two columns after the dash. Scalar styles follow yaml.v3: plain when
the text reads back as the same string, ``"double"`` when it would read as another type (or
holds characters plain and single quotes cannot carry), ``'single'`` when plain is
syntactically impossible, ``|`` blocks for multi-line text. No line is ever folded.

Comments (``Comment`` keys and list elements of the sops tree) are written as go-yaml writes
sops's: ``#text`` lines above the key or item they precede at its indent, end comments at the
collection's indent, and those above the first key of a mapping that starts on a ``- `` line
above that line. Inline comments are not written inline (sops 3.11 moves them above).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

from chartsafe._errors import SopsFormatError
from chartsafe._go_format import format_float_g
from chartsafe.store.sops_values import Comment, format_time
from chartsafe.store.sops_yaml import STR_TAG, resolve_plain

__all__ = ["dump_yaml"]

_BASE60_RE: Final = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
_SIMPLE_RE: Final = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./+=,:\[\]-]*(?<!:)\Z")
_OLD_BOOL: Final = frozenset(
    "y Y yes Yes YES on On ON n N no No NO off Off OFF".split()  # noqa: SIM905
)


def _printable(ch: str) -> bool:
    o = ord(ch)
    return (
        o == 0x0A
        or 0x20 <= o <= 0x7E
        or 0xA0 <= o <= 0xD7FF
        or (0xE000 <= o <= 0xFFFD and o != 0xFEFF)
    )


_BREAKS: Final = "\r\n\x85\u2028\u2029"
_ESCAPES: Final = {
    "\0": "0",
    "\a": "a",
    "\b": "b",
    "\t": "t",
    "\n": "n",
    "\v": "v",
    "\f": "f",
    "\r": "r",
    "\x1b": "e",
    '"': '"',
    "\\": "\\",
    "\x85": "N",
    "\u2028": "L",
    "\u2029": "P",
}


def _analyze(s: str) -> tuple[bool, bool, bool]:
    """libyaml's scalar analysis: (block plain allowed, single quotes allowed, block allowed)."""
    if not s:
        return True, True, False
    block_ind = s.startswith(("---", "..."))
    lead_space = s[0] == " " or s[0] in _BREAKS
    trail_space = s[-1] == " "
    trail_break = s[-1] in _BREAKS
    line_breaks = special = tabs = break_space = space_break = False
    prev_space = prev_break = False
    preceded_by_ws = True
    for i, ch in enumerate(s):
        followed_by_ws = i + 1 >= len(s) or s[i + 1] in " \t" or s[i + 1] in _BREAKS
        if i == 0:
            if ch in "#,[]{}&*!|>'\"%@`" or (ch in "?:-" and followed_by_ws):
                block_ind = True
        elif (ch == ":" and followed_by_ws) or (ch == "#" and preceded_by_ws):
            block_ind = True
        if ch == "\t":
            tabs = True
        elif not _printable(ch):
            special = True
        if ch == " ":
            break_space = break_space or prev_break
            prev_space, prev_break = True, False
        elif ch in _BREAKS:
            line_breaks = True
            space_break = space_break or prev_space
            prev_space, prev_break = False, True
        else:
            prev_space = prev_break = False
        preceded_by_ws = ch in " \t" or ch in _BREAKS
    plain = not (lead_space or trail_space or trail_break or line_breaks or block_ind)
    single = not (break_space or space_break or tabs or special)
    plain = plain and single
    block = not (trail_space or space_break or special)
    return plain, single, block


def _double_quoted(s: str) -> str:
    out = []
    for ch in s:
        o = ord(ch)
        if ch in _ESCAPES:
            out.append("\\" + _ESCAPES[ch])
        elif _printable(ch) and ch not in _BREAKS:
            out.append(ch)
        elif o <= 0xFF:
            out.append(f"\\x{o:02X}")
        elif o <= 0xFFFF:
            out.append(f"\\u{o:04X}")
        else:
            out.append(f"\\U{o:08X}")
    return '"' + "".join(out) + '"'


def _string(s: str, *, key: bool, indent: int, step: int) -> list[str]:
    """A string as yaml.v3 writes it; more than one line only for a ``|`` block."""
    if s == "<<" and key:
        # a merge key, which sops keeps as the key "<<" and writes so (3.11, measured); Helm
        # merges it, as it does the plain file's. (sops writes a value "<<" so too; ours is
        # "<<", which reads back the same everywhere.)
        return ["!!merge <<"]
    can_plain = resolve_plain(s)[0] == STR_TAG and not _BASE60_RE.match(s) and s not in _OLD_BOOL
    if can_plain and _SIMPLE_RE.match(s):
        return [s]  # fast path (every ENC[...] value): nothing _analyze could object to
    plain_ok, single_ok, block_ok = _analyze(s)
    if "\n" in s and not key and block_ok and not any(b in s for b in "\r\x85\u2028\u2029"):
        header = "|" + (str(step) if s[0] in " \n" else "")
        if not s.endswith("\n"):
            header += "-"
        elif s == "\n" or s.endswith("\n\n"):
            header += "+"
        body = s[:-1].split("\n") if s.endswith("\n") else s.split("\n")
        return [header] + [(" " * indent + line) if line else "" for line in body]
    if "\n" not in s and can_plain:
        if plain_ok:
            return [s]
        if single_ok and not any(b in s for b in _BREAKS):
            return ["'" + s.replace("'", "''") + "'"]
    return [_double_quoted(s)]


def _scalar_lines(value: Any, *, key: bool, indent: int, step: int) -> list[str]:
    if value is None:
        return ["null"]
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, int):
        return [str(value)]
    if isinstance(value, float):
        if value == 0 and math.copysign(1.0, value) < 0:
            return ["-0.0"]  # sops writes -0, which reads back as the int 0 and breaks the MAC
        text = format_float_g(value)
        return [{"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}.get(text, text)]
    if isinstance(value, dt.date):
        return [format_time(value)]
    if isinstance(value, str):
        return _string(value, key=key, indent=indent, step=step)
    raise SopsFormatError(f"cannot write a {type(value).__name__} to YAML")


def _next_indent(indent: int, step: int) -> int:
    return step * ((indent + step) // step)


def _comment_lines(texts: Sequence[str], indent: int) -> list[str]:
    return [f"{' ' * indent}#{text}" for text in texts]


def _is_block(value: Any) -> bool:
    """A collection written on its own lines: it has an entry that is not a comment."""
    if isinstance(value, Mapping):
        return any(not isinstance(key, Comment) for key in value)
    return isinstance(value, list | tuple) and any(not isinstance(i, Comment) for i in value)


def _mapping(
    mapping: Mapping[Any, Any], indent: int, step: int, inline_first: bool
) -> tuple[list[str], list[str]]:
    """``(comments to write above the "- " line, lines)`` of a block mapping.

    A comment is written above the key it precedes, at the key's indent; comments after the
    last key at that indent too. When the mapping starts on a ``- `` line, comments above its
    first key go above that line (go-yaml writes them so), so they are handed to the caller.
    """
    hoisted: list[str] = []
    lines: list[str] = []
    pending: list[str] = []
    first = True
    for key, value in mapping.items():
        if isinstance(key, Comment):
            pending.append(key.text)
            continue
        if first and inline_first:
            hoisted, pad = pending, ""
        else:
            lines += _comment_lines(pending, indent)
            pad = " " * indent
        pending, first = [], False
        (key_text,) = _scalar_lines(key, key=True, indent=indent, step=step)
        lines += _value(f"{pad}{key_text}:", value, _next_indent(indent, step), step)[1]
    return hoisted, lines + _comment_lines(pending, indent)


def _sequence(
    items: Sequence[Any], indent: int, step: int, inline_first: bool
) -> tuple[list[str], list[str]]:
    """Like ``_mapping``: comments in a list go above the item they precede, at the dash."""
    hoisted: list[str] = []
    lines: list[str] = []
    pending: list[str] = []
    first = True
    for item in items:
        if isinstance(item, Comment):
            pending.append(item.text)
            continue
        inline = first and inline_first
        above, item_lines = _value("-" if inline else f"{' ' * indent}-", item, indent + 2, step,
                                   in_sequence=True)  # fmt: skip
        if inline:
            hoisted = pending + above
        else:
            lines += _comment_lines(pending + above, indent)
        lines += item_lines
        pending, first = [], False
    return hoisted, lines + _comment_lines(pending, indent)


def _value(
    prefix: str, value: Any, child: int, step: int, *, in_sequence: bool = False
) -> tuple[list[str], list[str]]:
    """``prefix`` is ``key:`` or ``-``; ``child`` is where nested content is indented.

    Returns the comments to write above the ``- `` line (in a sequence) and the lines.
    """
    if _is_block(value):
        write = _mapping if isinstance(value, Mapping) else _sequence
        hoisted, body = write(value, child, step, in_sequence)
        if in_sequence:
            return hoisted, [f"{prefix} {body[0]}", *body[1:]]
        return [], [prefix, *body]
    if isinstance(value, Mapping):
        return [], [f"{prefix} {{}}"]
    if isinstance(value, list | tuple):
        return [], [f"{prefix} []"]
    first, *rest = _scalar_lines(value, key=False, indent=child, step=step)
    return [], [f"{prefix} {first}", *rest]


def dump_yaml(documents: Sequence[Mapping[Any, Any]], indent: int = 4) -> str:
    """Write documents the way sops does: block style, ``---`` between documents.

    Documents may hold ``Comment`` keys and list elements (the sops tree, ``sops_comments``).
    """
    if indent < 1:
        raise SopsFormatError("YAML indent must be at least 1")
    parts = []
    for doc in documents:
        lines = _mapping(doc, 0, indent, inline_first=False)[1] if _is_block(doc) else ["{}"]
        parts.append("\n".join(lines) + "\n")
    return "---\n".join(parts)
