"""JSON the way sops reads and writes it (SOPS.md §5.2, §9.2).

Reading: integers that fit in 64 bits are ints, every other number is a float (sops 3.13);
``NaN``/``Infinity`` are refused, the top level must be an object; an unpaired surrogate
escape (``"\\udc80"``) is U+FFFD, as Go reads it. Writing: Go's
``encoding/json`` + ``json.Indent`` byte for byte: a tab per level by default, ``<``, ``>``,
``&``, U+2028 and U+2029 escaped, floats in Go's shortest form, ``}`` and a newline at the end.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

from chartsafe._errors import SopsFormatError
from chartsafe.store.sops_values import format_float_json, format_time

__all__ = ["dump_json", "load_json"]

_GO_ESCAPES: Final = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def _parse_int(text: str) -> int | float:
    value = int(text)
    if text.startswith("-") and value == 0:
        return -0.0  # sops writes a clear -0.0 as -0 and hashes it as "-0"
    return value if -(2**63) <= value < 2**63 else float(text)


_SURROGATE_ESCAPE: Final = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE: Final = re.compile("[\ud800-\udfff]")


def _go_strings(node: Any) -> Any:
    """``node`` with each unpaired surrogate (Python keeps them from ``\\udXXX`` escapes)
    made U+FFFD, as Go's decoder does: sops writes a clear ``"\\udc80"`` back as U+FFFD, and a
    lone surrogate cannot be written as UTF-8 at all."""
    if isinstance(node, str):
        return _LONE_SURROGATE.sub("\ufffd", node)
    if isinstance(node, dict):
        return {_go_strings(key): _go_strings(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_go_strings(item) for item in node]
    return node


def _refuse_constant(name: str) -> Any:
    raise SopsFormatError(f"JSON number {name} is not allowed")


def load_json(text: str, source: str = "<input>") -> list[dict[str, Any]]:
    """Parse a JSON document; returned as a one-document list like ``load_yaml``."""
    try:
        doc = json.loads(text, parse_int=_parse_int, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise SopsFormatError(
            f"{source}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
            file=source,
        ) from None
    except SopsFormatError as exc:
        raise SopsFormatError(f"{source}: {exc.message}", file=source) from None
    if not isinstance(doc, dict):
        raise SopsFormatError(
            f"{source}: the top level is a {type(doc).__name__}, not an object", file=source
        )
    if _SURROGATE_ESCAPE.search(text):  # rare: only then is the tree walked again
        doc = _go_strings(doc)
    return [doc]


def _string(s: str) -> str:
    text = json.dumps(s, ensure_ascii=False)
    if any(ch in s for ch in _GO_ESCAPES):
        text = "".join(_GO_ESCAPES.get(ch, ch) for ch in text)
    return text


def _emit(value: Any, level: int, indent: str, out: list[str]) -> None:
    if isinstance(value, Mapping):
        if not value:
            out.append("{}")
            return
        out.append("{")
        for number, (key, item) in enumerate(value.items()):
            out.append(("," if number else "") + "\n" + indent * (level + 1))
            out.append(_string(str(key)) + ": ")
            _emit(item, level + 1, indent, out)
        out.append("\n" + indent * level + "}")
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        out.append("[")
        for number, item in enumerate(value):
            out.append(("," if number else "") + "\n" + indent * (level + 1))
            _emit(item, level + 1, indent, out)
        out.append("\n" + indent * level + "]")
    elif value is None:
        out.append("null")
    elif isinstance(value, bool):
        out.append("true" if value else "false")
    elif isinstance(value, int):
        out.append(str(value))
    elif isinstance(value, float):
        out.append(format_float_json(value))
    elif isinstance(value, str):
        out.append(_string(value))
    elif isinstance(value, dt.date):
        out.append(_string(format_time(value)))
    else:
        raise SopsFormatError(f"cannot write a {type(value).__name__} to JSON")


def dump_json(documents: Sequence[Mapping[str, Any]], indent: int | None = None) -> str:
    """Write one document as sops does; ``indent`` spaces per level, a tab when ``None``."""
    if len(documents) != 1:
        raise SopsFormatError("a JSON file holds exactly one document")
    out: list[str] = []
    _emit(documents[0], 0, "\t" if indent is None else " " * indent, out)
    return "".join(out) + "\n"
