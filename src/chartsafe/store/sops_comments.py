"""YAML comments in SOPS documents: how they travel beside the data, and where they are written.

sops keeps comments (SOPS.md §3, §5.3): every comment line is an entry of the mapping or list
that holds it, in document order, encrypted (``type:comment``) with the key path of that mapping
as AAD and left out of the MAC. The rest of chartsafe works on plain dicts, so comments travel
beside them: ``Documents`` is a list of plain documents carrying one ``CommentTable`` each, from
an anchor (a collection's path, list indices included, and the key or index of the entry the
comments stand above, or ``None`` for after the last entry) to comment texts. ``attach`` builds
the sops tree (``Comment`` keys and list elements) from a document and its table, ``detach``
splits one back. An anchor whose entry is gone is dropped: deleting a key drops the comments
above it. ``yaml_comments`` fills the tables from YAML text.

``settle`` makes a tree safe to write: go-yaml gives the first ``#`` line after a nested block
to the innermost collection, so end comments of an outer collection are moved there when nothing
else comes first; otherwise sops (and chartsafe) would read them back into another mapping and
decrypt them with the wrong AAD.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from chartsafe.store.sops_values import Comment

__all__ = ["Anchor", "CommentTable", "Documents", "PathKey", "attach", "detach", "settle"]

PathKey = str | int
Anchor = tuple[tuple[PathKey, ...], PathKey | None]
CommentTable = dict[Anchor, list[str]]


class Documents(list[dict[str, Any]]):
    """Plain documents and their comments (``comments[i]`` belongs to document ``i``)."""

    def __init__(
        self,
        documents: Sequence[dict[str, Any]] = (),
        comments: Sequence[CommentTable] | None = None,
    ) -> None:
        super().__init__(documents)
        self.comments: list[CommentTable] = list(comments) if comments is not None else []

    def table(self, number: int) -> CommentTable:
        return self.comments[number] if number < len(self.comments) else {}


# -- tree <-> data + table -----------------------------------------------------------------------


def attach(node: Any, table: CommentTable, path: tuple[PathKey, ...] = ()) -> Any:
    """The sops tree of ``node``: its comments as ``Comment`` keys and list elements."""
    if not table:
        return node
    if isinstance(node, Mapping) and node:
        out: dict[Any, Any] = {}
        for key, value in node.items():
            out.update((Comment(text), None) for text in table.get((path, key), ()))
            out[key] = attach(value, table, (*path, key))
        out.update((Comment(text), None) for text in table.get((path, None), ()))
        return out
    if isinstance(node, list | tuple) and node:
        items: list[Any] = []
        for number, item in enumerate(node):
            items.extend(Comment(text) for text in table.get((path, number), ()))
            items.append(attach(item, table, (*path, number)))
        items.extend(Comment(text) for text in table.get((path, None), ()))
        return items
    return node


def detach(node: Any, table: CommentTable, path: tuple[PathKey, ...] = ()) -> Any:
    """``node`` without its ``Comment`` entries, which go into ``table``; lists renumbered."""
    if isinstance(node, Mapping):
        out: dict[str, Any] = {}
        pending: list[str] = []
        for key, value in node.items():
            if isinstance(key, Comment):
                pending.append(key.text)
                continue
            if pending:
                table[(path, key)], pending = pending, []
            out[key] = detach(value, table, (*path, key))
        if pending:
            table[(path, None)] = pending
        return out
    if isinstance(node, list | tuple):
        items: list[Any] = []
        pending = []
        for item in node:
            if isinstance(item, Comment):
                pending.append(item.text)
                continue
            if pending:
                table[(path, len(items))], pending = pending, []
            items.append(detach(item, table, (*path, len(items))))
        if pending:
            table[(path, None)] = pending
        return items
    return node


_Lines = Callable[[tuple[str, ...], Comment], bool]


def _never(path: tuple[str, ...], comment: Comment) -> bool:
    return False


def _written(node: Any, path: tuple[str, ...], becomes_item: _Lines) -> list[tuple[Any, bool]]:
    """The entries of a tree collection, each with whether it is written as a ``#`` line."""
    if isinstance(node, Mapping):
        return [(key, isinstance(key, Comment)) for key in node]
    return [(i, isinstance(i, Comment) and not becomes_item(path, i)) for i in node]


def _is_block(node: Any, path: tuple[str, ...], becomes_item: _Lines) -> bool:
    if not isinstance(node, Mapping | list):
        return False
    return not all(line for _, line in _written(node, path, becomes_item))


def _tail(node: Any, path: tuple[str, ...], becomes_item: _Lines) -> list[Comment]:
    tail: list[Comment] = []
    for entry, line in reversed(_written(node, path, becomes_item)):
        if not line:
            break
        tail.append(entry)
    return tail[::-1]


def settle(node: Any, becomes_item: _Lines = _never) -> Any:
    """Move end comments of nested collections to where go-yaml reads them back (in place).

    Below the top level, the first ``#`` line after a nested block belongs to the innermost
    collection for go-yaml; an outer collection's end comments go there when nothing else comes
    first. ``becomes_item(path, comment)`` says whether a list comment is written as a list
    element (encrypted) rather than a ``#`` line. Returns ``node``.
    """
    _settle(node, (), becomes_item, top=True)
    return node


def _settle(node: Any, path: tuple[str, ...], becomes_item: _Lines, *, top: bool) -> None:
    if isinstance(node, Mapping):
        for key, value in node.items():
            if not isinstance(key, Comment):
                _settle(value, (*path, key), becomes_item, top=False)
    elif isinstance(node, list):
        for item in node:
            if not isinstance(item, Comment):
                _settle(item, path, becomes_item, top=False)
    else:
        return
    tail = [] if top else _tail(node, path, becomes_item)
    if not tail:
        return
    inner, inner_path = node, path
    while True:
        written = [entry for entry, line in _written(inner, inner_path, becomes_item) if not line]
        if not written:
            break
        if isinstance(inner, Mapping):
            last, last_path = inner[written[-1]], (*inner_path, written[-1])
        else:
            last, last_path = written[-1], inner_path
        if not _is_block(last, last_path, becomes_item):
            break
        inner, inner_path = last, last_path
    if inner is node or _tail(inner, inner_path, becomes_item):
        return
    if isinstance(node, dict):
        for comment in tail:
            del node[comment]
    else:
        del node[len(node) - len(tail) :]
    if isinstance(inner, dict):
        inner.update((comment, None) for comment in tail)
    else:
        inner.extend(tail)
