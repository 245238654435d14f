"""YAML the way sops reads and writes it (go.yaml.in/yaml/v3 semantics, SOPS.md §5.3, §9.1).

Reading: PyYAML's parser with a resolver that follows yaml.v3 instead of YAML 1.1, because the
type of a plain scalar decides its SOPS ``type`` and its MAC bytes: ``yes``/``on`` are strings,
``0o17``/``0x1F``/``1_000`` are ints, ``1e20`` is a float, ``2024-01-02`` is a timestamp,
``12:30`` is a string. Duplicate keys, non-string keys and top-level lists are refused.

Writing: a small emitter that reproduces yaml.v3's block layout (indent 4 by default, sequences
indented under their key, ``- `` items with maps aligned after the dash) and its scalar styles
(plain when the text reads back as the same string, ``"double"`` when it would read as another
type, ``'single'`` when plain is syntactically impossible, ``|`` blocks for multi-line text).

YAML comments are not kept: SOPS encrypts them but leaves them out of the MAC, so dropping them
changes no value. Parse errors report a line and column, never the offending text.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Final

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from chartsafe._errors import SopsFormatError
from chartsafe.store.sops_values import format_float_g, format_time, parse_time

__all__ = ["dump_yaml", "load_yaml", "resolve_plain"]

_STR: Final = "tag:yaml.org,2002:str"
_INT: Final = "tag:yaml.org,2002:int"
_FLOAT: Final = "tag:yaml.org,2002:float"
_BOOL: Final = "tag:yaml.org,2002:bool"
_NULL: Final = "tag:yaml.org,2002:null"
_TIME: Final = "tag:yaml.org,2002:timestamp"
_MERGE: Final = "tag:yaml.org,2002:merge"
_SEQ: Final = "tag:yaml.org,2002:seq"
_MAP: Final = "tag:yaml.org,2002:map"

_SPECIAL: Final[dict[str, tuple[str, Any]]] = {
    **{s: (_BOOL, True) for s in ("true", "True", "TRUE")},
    **{s: (_BOOL, False) for s in ("false", "False", "FALSE")},
    **{s: (_NULL, None) for s in ("", "~", "null", "Null", "NULL")},
    **{s: (_FLOAT, math.nan) for s in (".nan", ".NaN", ".NAN")},
    **{s: (_FLOAT, math.inf) for s in (".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF")},
    **{s: (_FLOAT, -math.inf) for s in ("-.inf", "-.Inf", "-.INF")},
    "<<": (_MERGE, "<<"),
}
_INT_RE: Final = re.compile(
    r"^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$"
)
_FLOAT_RE: Final = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_DOT_FLOAT_RE: Final = re.compile(r"^\.[0-9]+([eE][-+]?[0-9]+)?$")
_BASE60_RE: Final = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
_OLD_BOOL: Final = frozenset(
    "y Y yes Yes YES on On ON n N no No NO off Off OFF".split()  # noqa: SIM905
)
_UINT64_MAX: Final = 2**64 - 1


def _go_int(text: str) -> int | None:
    """Go ``strconv.ParseInt(text, 0, 64)`` then ``ParseUint``; ``None`` if neither accepts it."""
    match = _INT_RE.match(text)
    if match is None:
        return None
    sign, body = match.groups()
    lower = body.lower()
    if lower.startswith(("0x", "0o", "0b")):
        value = int(body[2:], {"x": 16, "o": 8, "b": 2}[lower[1]])
    elif len(body) > 1 and body.startswith("0"):
        value = int(body, 8)
    else:
        value = int(body)
    value = -value if sign == "-" else value
    return value if -(2**63) <= value <= _UINT64_MAX else None


def _go_float(text: str) -> float | None:
    value = float(text)
    return None if math.isinf(value) else value


def resolve_plain(text: str) -> tuple[str, Any]:
    """The tag and value yaml.v3 gives an unquoted scalar."""
    if text in _SPECIAL:
        return _SPECIAL[text]
    hint = text[0]
    if hint == ".":
        if _DOT_FLOAT_RE.match(text):
            value = _go_float(text)
            if value is not None:
                return _FLOAT, value
    elif hint in "+-0123456789":
        stamp = parse_time(text) if hint.isdigit() else None
        if stamp is not None:
            return _TIME, stamp
        plain = text.replace("_", "")
        number = _go_int(plain)
        if number is not None:
            return _INT, number
        if _FLOAT_RE.match(plain):
            value = _go_float(plain)
            if value is not None:
                return _FLOAT, value
    return _STR, text


# -- loading -------------------------------------------------------------------------------------

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """PyYAML loader with yaml.v3 scalar resolution and strict mappings."""

    def resolve(self, kind: type[Node], value: str, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            return resolve_plain(value)[0] if implicit[0] else _STR
        return _SEQ if kind is SequenceNode else _MAP

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        self.flatten_mapping(node)
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                raise SopsFormatError(f"line {line}: mapping key is not a string")
            if key in mapping:
                raise SopsFormatError(f"line {line}: duplicate key {key!r}")
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


def _scalar(loader: _Loader, node: ScalarNode) -> str:
    return str(loader.construct_scalar(node))


def _construct_int(loader: _Loader, node: ScalarNode) -> int:
    number = _go_int(_scalar(loader, node).replace("_", ""))
    if number is None:
        raise SopsFormatError(f"line {node.start_mark.line + 1}: not an integer")
    return number


def _construct_float(loader: _Loader, node: ScalarNode) -> float:
    text = _scalar(loader, node)
    if text in _SPECIAL and _SPECIAL[text][0] == _FLOAT:
        return float(_SPECIAL[text][1])
    try:
        return float(text.replace("_", ""))
    except ValueError:
        raise SopsFormatError(f"line {node.start_mark.line + 1}: not a number") from None


def _construct_time(loader: _Loader, node: ScalarNode) -> dt.datetime:
    stamp = parse_time(_scalar(loader, node))
    if stamp is None:
        raise SopsFormatError(f"line {node.start_mark.line + 1}: not a timestamp")
    return stamp


def _construct_bool(loader: _Loader, node: ScalarNode) -> bool:
    return _scalar(loader, node) in ("true", "True", "TRUE")


def _construct_binary(loader: _Loader, node: ScalarNode) -> str:
    try:
        return base64.b64decode("".join(_scalar(loader, node).split()), validate=True).decode()
    except (binascii.Error, ValueError):
        raise SopsFormatError(
            f"line {node.start_mark.line + 1}: !!binary value is not base64 of UTF-8 text"
        ) from None


def _construct_other(loader: _Loader, suffix: str, node: Node) -> Any:
    """Unknown tags (``!Ref``, ``!!python/...``): keep the content, drop the tag."""
    if isinstance(node, ScalarNode):
        return _scalar(loader, node)
    if isinstance(node, SequenceNode):
        return loader.construct_sequence(node, deep=True)
    assert isinstance(node, MappingNode)
    return loader.construct_mapping(node, deep=True)


for _tag, _fn in (
    (_INT, _construct_int),
    (_FLOAT, _construct_float),
    (_TIME, _construct_time),
    (_BOOL, _construct_bool),
    ("tag:yaml.org,2002:binary", _construct_binary),
):
    _Loader.add_constructor(_tag, _fn)
_Loader.add_multi_constructor("", _construct_other)


def load_yaml(text: str, source: str = "<input>") -> list[dict[str, Any]]:
    """Parse a YAML stream into one mapping per document (``---`` alone is an empty mapping)."""
    try:
        documents = list(yaml.load_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "somewhere"
        raise SopsFormatError(
            f"{source}: not valid YAML at {where}: {exc.problem or exc.context}", file=source
        ) from None
    except yaml.YAMLError:
        raise SopsFormatError(f"{source}: not valid YAML", file=source) from None
    except SopsFormatError as exc:
        raise SopsFormatError(f"{source}: {exc.message}", file=source) from None
    if not documents:
        raise SopsFormatError(f"{source}: the file is empty", file=source)
    result: list[dict[str, Any]] = []
    for number, doc in enumerate(documents, 1):
        if doc is None:
            doc = {}
        if not isinstance(doc, dict):
            raise SopsFormatError(
                f"{source}: document {number} is a {type(doc).__name__}, not a mapping",
                file=source,
            )
        result.append(doc)
    return result


# -- emitting ------------------------------------------------------------------------------------


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
    can_plain = resolve_plain(s)[0] == _STR and not _BASE60_RE.match(s) and s not in _OLD_BOOL
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
        text = format_float_g(value)
        return [{"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}.get(text, text)]
    if isinstance(value, dt.date):
        return [format_time(value)]
    if isinstance(value, str):
        return _string(value, key=key, indent=indent, step=step)
    raise SopsFormatError(f"cannot write a {type(value).__name__} to YAML")


def _next_indent(indent: int, step: int) -> int:
    return step * ((indent + step) // step)


def _emit_mapping(
    mapping: Mapping[str, Any], indent: int, step: int, inline_first: bool
) -> Iterator[str]:
    for number, (key, value) in enumerate(mapping.items()):
        pad = "" if (number == 0 and inline_first) else " " * indent
        (key_text,) = _scalar_lines(key, key=True, indent=indent, step=step)
        yield from _emit_value(f"{pad}{key_text}:", value, _next_indent(indent, step), step)


def _emit_sequence(
    items: Sequence[Any], indent: int, step: int, inline_first: bool
) -> Iterator[str]:
    for number, item in enumerate(items):
        pad = "" if (number == 0 and inline_first) else " " * indent
        yield from _emit_value(f"{pad}-", item, indent + 2, step, in_sequence=True)


def _emit_value(
    prefix: str, value: Any, child: int, step: int, *, in_sequence: bool = False
) -> Iterator[str]:
    """``prefix`` is ``key:`` or ``-``; ``child`` is where nested content is indented."""
    if isinstance(value, Mapping) and value:
        if in_sequence:
            lines = _emit_mapping(value, child, step, inline_first=True)
            yield f"{prefix} {next(lines)}"
            yield from lines
        else:
            yield prefix
            yield from _emit_mapping(value, child, step, inline_first=False)
    elif isinstance(value, list | tuple) and value:
        if in_sequence:
            lines = _emit_sequence(value, child, step, inline_first=True)
            yield f"{prefix} {next(lines)}"
            yield from lines
        else:
            yield prefix
            yield from _emit_sequence(value, child, step, inline_first=False)
    elif isinstance(value, Mapping):
        yield f"{prefix} {{}}"
    elif isinstance(value, list | tuple):
        yield f"{prefix} []"
    else:
        first, *rest = _scalar_lines(value, key=False, indent=child, step=step)
        yield f"{prefix} {first}"
        yield from rest


def dump_yaml(documents: Sequence[Mapping[str, Any]], indent: int = 4) -> str:
    """Write documents the way sops does: block style, ``---`` between documents."""
    if indent < 1:
        raise SopsFormatError("YAML indent must be at least 1")
    parts = []
    for doc in documents:
        lines = list(_emit_mapping(doc, 0, indent, inline_first=False)) if doc else ["{}"]
        parts.append("\n".join(lines) + "\n")
    return "---\n".join(parts)
