"""SOPS dotenv files (``.env``): ``KEY=value`` lines, the metadata flattened into ``sops_*`` keys.

Read and written as sops' dotenv store does (SOPS.md §9.3): one ``KEY=value`` per line, split
at the first ``=``; a line ends at a newline only, so a carriage return before it belongs to
the value or comment (measured with sops 3.11, which refuses a line holding only one); a line
starting with ``#`` is a comment (encrypted like a YAML comment, written back as
``#ENC[...]``); empty lines are dropped; a newline in a value is written ``\\n`` and every
``\\n`` read back is a newline. Every value is a string. The ``sops``
block is flattened into ``sops_``-prefixed keys sorted by name (``sops_age__list_0__map_enc``,
``sops_key_groups__list_1__map_age__list_0__map_recipient``), empty lists left out, the
threshold and ``mac_only_encrypted`` written as text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

from chartsafe._errors import SopsFormatError
from chartsafe.store.sops_comments import CommentTable, detach
from chartsafe.store.sops_values import Comment

__all__ = ["dump_dotenv", "load_dotenv"]

_PREFIX: Final = "sops_"
_SEGMENT: Final = re.compile(r"^(list_(\d+)|map_(.*))$", re.DOTALL)


def load_dotenv(text: str, source: str = "<input>") -> tuple[dict[str, Any], CommentTable]:
    """The plain mapping of a dotenv file (``sops_*`` keys folded back into ``sops``) and
    its comments, anchored as ``sops_comments`` anchors YAML's."""
    tree: dict[Any, Any] = {}
    meta: dict[str, Any] = {}
    for number, line in enumerate(text.split("\n"), 1):
        if not line:
            continue
        if line.startswith("#"):
            tree[Comment(line[1:])] = None
            continue
        key, sep, value = line.partition("=")
        if not sep:
            raise SopsFormatError(
                f"{source}: line {number} is not KEY=VALUE (nor a # comment)", file=source
            )
        value = value.replace("\\n", "\n")
        if key.startswith(_PREFIX):
            _put(meta, key[len(_PREFIX) :].split("__"), value, source)
        elif key in tree:
            raise SopsFormatError(f"{source}: line {number}: duplicate key {key!r}", file=source)
        else:
            tree[key] = value
    if meta:
        threshold = meta.get("shamir_threshold")
        if isinstance(threshold, str) and threshold.isdigit():
            meta["shamir_threshold"] = int(threshold)
        if "mac_only_encrypted" in meta:
            meta["mac_only_encrypted"] = meta["mac_only_encrypted"] == "true"
        tree["sops"] = meta
    table: CommentTable = {}
    document: dict[str, Any] = detach(tree, table)
    return document, table


def _put(root: dict[str, Any], path: list[str], value: str, source: str) -> None:
    node: Any = root
    key: str | int = path[0]
    for segment in path[1:]:
        match = _SEGMENT.match(segment)
        if match is None:
            raise SopsFormatError(f"{source}: malformed sops metadata key", file=source)
        child: str | int = int(match.group(2)) if match.group(2) is not None else match.group(3)
        empty: Any = [] if isinstance(child, int) else {}
        node = _slot(node, key, empty, source)
        key = child
    _slot(node, key, value, source, replace=True)


def _slot(node: Any, key: str | int, value: Any, source: str, *, replace: bool = False) -> Any:
    """``node[key]``, set to ``value`` when absent (or always with ``replace``)."""
    if isinstance(node, list) and isinstance(key, int):
        while len(node) <= key:
            node.append(None)
        if node[key] is None or replace:
            node[key] = value
        return node[key]
    if isinstance(node, dict) and isinstance(key, str):
        if key not in node or replace:
            node[key] = value
        return node[key]
    raise SopsFormatError(f"{source}: malformed sops metadata key", file=source)


def _flatten(prefix: str, value: Any, out: dict[str, str]) -> None:
    """sops' ``stores.Flatten``: ``__map_KEY`` and ``__list_N`` segments, empty lists dropped."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            _flatten(f"{prefix}__map_{key}", item, out)
    elif isinstance(value, list | tuple):
        for number, item in enumerate(value):
            _flatten(f"{prefix}__list_{number}", item, out)
    elif value is not None:
        out[prefix] = ("true" if value else "false") if isinstance(value, bool) else str(value)


def _metadata_lines(meta: Mapping[str, Any]) -> list[str]:
    flat: dict[str, str] = {}
    for key, value in meta.items():
        _flatten(key, value, flat)
    return [f"{_PREFIX}{key}={_text(flat[key])}" for key in sorted(flat)]


def dump_dotenv(trees: Sequence[Mapping[Any, Any]]) -> str:
    """One sops tree as dotenv text (its ``sops`` mapping, if any, flattened at the end)."""
    if len(trees) != 1:
        raise SopsFormatError("a dotenv file holds exactly one document")
    lines: list[str] = []
    meta: Mapping[str, Any] | None = None
    for key, value in trees[0].items():
        if isinstance(key, Comment):
            lines.append(f"#{key.text}")
        elif key == "sops" and isinstance(value, Mapping):
            meta = value
        elif isinstance(value, Mapping | list | tuple):
            raise SopsFormatError(f"key {key!r} holds a mapping or a list; dotenv holds text only")
        else:
            lines.append(f"{key}={_text(value)}")
    if meta is not None:
        lines += _metadata_lines(meta)
    return "".join(line + "\n" for line in lines)


def _text(value: Any) -> str:
    if value is None:
        text = ""
    elif isinstance(value, bool):
        text = "true" if value else "false"
    else:
        text = str(value)
    return text.replace("\n", "\\n")
