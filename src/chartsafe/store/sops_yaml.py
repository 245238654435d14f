"""Reading YAML the way sops does (go.yaml.in/yaml/v3 semantics, SOPS.md §5.3).

Reading: PyYAML's parser with a resolver that follows yaml.v3 instead of YAML 1.1, because the
type of a plain scalar decides its SOPS ``type`` and its MAC bytes: ``yes``/``on`` are strings,
``0o17``/``0x1F``/``1_000`` are ints, ``1e20`` is a float, ``2024-01-02`` is a timestamp,
``12:30`` is a string. Duplicate keys, non-string keys and top-level lists are refused.

Merge keys (``<<``) are read two ways. sops builds a document's tree from yaml.v3's node tree,
where ``<<`` is an ordinary key: ``x: {<<: *d, pw: b}`` stays ``{"<<": {...d...}, "pw": "b"}``,
the alias expanded under ``<<``, whose values sops encrypts with ``x:<<:...`` as their path
(measured with sops 3.11, which writes the key back as ``!!merge <<``). So
``load_yaml_commented``, the document reader, keeps ``<<`` as a key. ``load_yaml`` reads as
yaml.v3 decodes into Go values (how sops reads ``.sops.yaml``): the merge is applied, the
mapping's own keys first, then each merged mapping's keys not yet there, in order.

Comments are read by ``load_yaml_commented`` into one table per document (``sops_comments``
says where each goes); sops encrypts them but leaves them out of the MAC. Parse errors report a
line and column, never the offending text.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import math
import re
from typing import Any, Final

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from chartsafe._errors import TOO_DEEP, SopsFormatError
from chartsafe.store.sops_comments import CommentTable
from chartsafe.store.sops_values import parse_time
from chartsafe.store.yaml_aliases import alias_problem
from chartsafe.store.yaml_comments import comment_tables

__all__ = ["STR_TAG", "load_yaml", "load_yaml_commented", "resolve_plain"]

STR_TAG: Final = "tag:yaml.org,2002:str"
_STR: Final = STR_TAG
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
    """PyYAML loader with yaml.v3 scalar resolution and strict mappings; ``<<`` is a key.

    Duplicates are judged on the keys as written, as yaml.v3 judges them: ``<<`` twice is
    one, a key that overrides a merged one is not.
    """

    merges = False
    """Apply merge keys (``_MergingLoader``) instead of keeping ``<<`` as a key."""

    def resolve(self, kind: type[Node], value: str, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            return resolve_plain(value)[0] if implicit[0] else _STR
        return _SEQ if kind is SequenceNode else _MAP

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        return {key: self.construct_object(value, deep=deep) for key, value in self._pairs(node)}

    def _pairs(self, node: MappingNode) -> list[tuple[str, Node]]:
        """The keys of ``node`` and the nodes of their values, merged ones last.

        On nodes, not on what is built from them: PyYAML builds an anchored mapping lazily,
        so one built before it is merged may still be empty then.
        """
        pairs: list[tuple[str, Node]] = []
        seen: set[str] = set()
        merged: Node | None = None
        for key_node, value_node in node.value:
            key = self.construct_object(key_node)
            line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                raise SopsFormatError(f"line {line}: mapping key is not a string")
            if key in seen:
                raise SopsFormatError(f"line {line}: duplicate key {key!r}")
            seen.add(key)
            if self.merges and key_node.tag == _MERGE and key_node.value == "<<":
                merged = value_node
            else:
                pairs.append((key, value_node))
        for source in _merge_sources(merged):
            for key, value_node in self._pairs(source):
                if key not in seen:
                    seen.add(key)
                    pairs.append((key, value_node))
        return pairs


class _MergingLoader(_Loader):
    """``_Loader`` that applies merge keys, as yaml.v3 does when it decodes into Go values."""

    merges = True


def _merge_sources(node: Node | None) -> list[MappingNode]:
    """The mappings a merge key's value merges, first one first (yaml.v3: the first wins)."""
    if node is None:
        return []
    items = node.value if isinstance(node, SequenceNode) else [node]
    if not all(isinstance(item, MappingNode) for item in items):
        raise SopsFormatError(
            f"line {node.start_mark.line + 1}: a merge key (<<) needs a mapping or a list of "
            "mappings as its value"
        )
    return list(items)


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
    """Parse a YAML stream into one mapping per document (``---`` alone is an empty mapping),
    merge keys applied: a configuration file, as sops reads ``.sops.yaml``."""
    return _load(text, source, _MergingLoader, comments=False)[0]


def load_yaml_commented(
    text: str, source: str = "<input>"
) -> tuple[list[dict[str, Any]], list[CommentTable]]:
    """A SOPS document as sops reads it (``<<`` kept as a key) and the comments of each
    document, placed where sops puts them."""
    return _load(text, source, _Loader, comments=True)


def _load(
    text: str, source: str, loader_class: type[_Loader], *, comments: bool
) -> tuple[list[dict[str, Any]], list[CommentTable]]:
    loader = loader_class(text)
    try:
        roots: list[Node] = []
        while loader.check_node():
            root = loader.get_node()
            problem = alias_problem(root) if root is not None else None
            if problem is not None:  # before anything expands it (see yaml_aliases)
                raise SopsFormatError(f"document {len(roots) + 1}: {problem}")
            roots.append(root)
        tables = comment_tables(text, roots) if comments else [{} for _ in roots]
        documents = [loader.construct_document(root) for root in roots]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "somewhere"
        raise SopsFormatError(
            f"{source}: not valid YAML at {where}: {exc.problem or exc.context}", file=source
        ) from None
    except yaml.YAMLError:
        raise SopsFormatError(f"{source}: not valid YAML", file=source) from None
    except RecursionError:
        raise SopsFormatError(f"{source}: {TOO_DEEP}", file=source) from None
    except SopsFormatError as exc:
        raise SopsFormatError(f"{source}: {exc.message}", file=source) from None
    finally:
        loader.dispose()
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
    return result, tables
