"""Where sops puts each comment of a YAML text: its mapping or list, and the entry it precedes.

sops reads comments with go-yaml v3 and makes each line an entry of the tree (SOPS.md §5.3);
which collection holds it also decides its AAD. ``comment_tables`` gives the same placement
for the layouts people and sops write:

* a comment after a value goes above that value's key or list item (sops 3.11 moves it there;
  3.13 would keep it inline); after a flow collection, into it, first;
* a comment on its own line goes above the next key or item, into the deepest collection whose
  indentation it reaches. Indented deeper than the next key or item, it ends the block before
  (go-yaml's foot comment): the first such line goes to the end of the innermost collection,
  the next lines to the end of the collection whose indentation they reach (or stay with the
  line before when not less indented), and after a blank line above the next key again;
* at the end of a document, to the end of the deepest collection whose indentation it reaches;
* ``#ENC[...]`` above ``- key:`` belongs to the item's mapping (sops writes list comments as
  ``- ENC[...]`` elements), a clear comment there to the list;
* an alias (a merge key's too) is a copy of its anchor's nodes, the comments inside them
  included (``yaml_comment_aliases``); a comment after the anchor's value stays there.

go-yaml differs in rarer layouts (lines indented between two levels at the end of a file, a
comment between ``- `` and a mapping on the next line): the comment may land one level off, in
the same order; it is kept, and written where it is read back the same.
"""

from __future__ import annotations

import base64
import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, TypeGuard

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from chartsafe.store.sops_comments import Anchor, CommentTable, PathKey
from chartsafe.store.yaml_comment_aliases import Places, Span, alias_places, copy_to_aliases

__all__ = ["comment_tables"]

_BREAK_RE: Final = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_ENC_PREFIX: Final = "ENC[AES256_GCM,"
_TokenLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, eq=False)
class _Coll:
    path: tuple[PathKey, ...]
    indent: int
    parent: _Entry | None


@dataclass(frozen=True, eq=False)
class _Entry:
    pos: tuple[int, int]
    lead: int
    coll: _Coll
    anchor: PathKey
    value: Node

    def chain(self) -> list[_Entry]:
        """This entry and the entries holding it, innermost first."""
        out: list[_Entry] = [self]
        while out[-1].coll.parent is not None:
            out.append(out[-1].coll.parent)
        return out


@dataclass(frozen=True)
class _Line:
    doc: int
    pos: tuple[int, int]
    text: str
    inline: bool


def _key_text(node: Node) -> str | None:
    if not isinstance(node, ScalarNode):
        return None
    if node.tag == "tag:yaml.org,2002:binary":
        try:
            return base64.b64decode("".join(node.value.split())).decode()
        except ValueError:
            return None
    return str(node.value)


def _mark(node: Node, end: bool = False) -> tuple[int, int]:
    mark = node.end_mark if end else node.start_mark
    return mark.line, mark.column


def _span(node: Node) -> Span:
    return _mark(node), _mark(node, end=True)


class _Layout:
    """The entries (keys, list items) of one document and where its leaf nodes end."""

    def __init__(self, root: Node | None, places: Places) -> None:
        self.places = places
        self.entries: list[_Entry] = []
        self.ends: list[tuple[tuple[int, int], Anchor]] = []
        self._seen: dict[int, tuple[PathKey, ...]] = {}
        self._ended: set[int] = set()
        self.aliases: list[tuple[tuple[PathKey, ...], tuple[PathKey, ...]]] = []
        """(path of an alias, path of its anchor), in document order."""
        if isinstance(root, MappingNode):
            self._walk(root, (), None)
        self.ends.sort(key=lambda item: item[0])
        self._starts = [entry.pos for entry in self.entries]
        self._end_marks = [pos for pos, _ in self.ends]

    def _leaf_anchor(self, node: Node, path: tuple[PathKey, ...], own: Anchor) -> Anchor:
        """A comment after a flow collection value goes first into it, as sops reads it."""
        if isinstance(node, SequenceNode) and node.value:
            return path, 0
        if isinstance(node, MappingNode) and node.value:
            first = _key_text(node.value[0][0])
            if first is not None:
                return path, first
        return own

    def _first_visit(
        self, node: Node, path: tuple[PathKey, ...]
    ) -> TypeGuard[MappingNode | SequenceNode]:
        """Whether ``node`` is a collection written here; an alias of one is noted, for its
        anchor's comments to be copied to it."""
        if not isinstance(node, MappingNode | SequenceNode):
            return False
        if id(node) in self._seen:
            self.aliases.append((path, self._seen[id(node)]))
            return False
        self._seen[id(node)] = path
        return True

    def _walk_flow(self, node: Node, path: tuple[PathKey, ...]) -> None:
        """A flow collection has no comment of its own inside, but may hold aliases."""
        items: list[tuple[PathKey | None, Node]] = (
            [(_key_text(key), value) for key, value in node.value]
            if isinstance(node, MappingNode)
            else list(enumerate(node.value))
        )
        for key, value in items:
            if key is not None and self._first_visit(value, (*path, key)):
                self._walk_flow(value, (*path, key))

    def _walk(self, node: Node, path: tuple[PathKey, ...], parent: _Entry | None) -> None:
        if not self._first_visit(node, path):
            return
        if node.flow_style:
            self._walk_flow(node, path)
            return
        coll = _Coll(path, node.start_mark.column, parent)
        if isinstance(node, MappingNode):
            for number, (key_node, value) in enumerate(node.value):
                key = _key_text(key_node)
                if key is None:
                    continue
                start, end = self.places.get((id(node), 2 * number), _span(key_node))
                entry = _Entry(start, start[1], coll, key, value)
                self.entries.append(entry)
                self.ends.append((end, (path, key)))
                self._alias_end((id(node), 2 * number + 1), (path, key))
                self._leaf(value, (*path, key), (path, key))
                self._walk(value, (*path, key), entry)
        elif isinstance(node, SequenceNode):
            for number, item in enumerate(node.value):
                start = self.places.get((id(node), number), _span(item))[0]
                entry = _Entry(start, coll.indent, coll, number, item)
                self.entries.append(entry)
                self._alias_end((id(node), number), (path, number))
                self._leaf(item, (*path, number), (path, number), own_only=True)
                self._walk(item, (*path, number), entry)

    def _alias_end(self, place: tuple[int, int], anchor: Anchor) -> None:
        """A comment after an alias goes above its key or item, as after any value."""
        if place in self.places:
            self.ends.append((self.places[place][1], anchor))

    def _leaf(
        self, node: Node, path: tuple[PathKey, ...], own: Anchor, own_only: bool = False
    ) -> None:
        if id(node) in self._ended:
            return  # an alias: a comment after the anchor's value stays there, as in sops
        self._ended.add(id(node))
        if isinstance(node, ScalarNode):
            self.ends.append((_mark(node, end=True), own))
        elif getattr(node, "flow_style", False):
            anchor = own if own_only else self._leaf_anchor(node, path, own)
            self.ends.append((_mark(node, end=True), anchor))

    def inline(self, pos: tuple[int, int]) -> Anchor | None:
        """The anchor of a comment after a value: above the key or item that value belongs to."""
        index = bisect.bisect_right(self._end_marks, pos) - 1
        if index >= 0 and self._end_marks[index][0] == pos[0]:
            return self.ends[index][1]
        # after a bare "- ": the item's first key, as go-yaml reads it
        inner = self.around(pos)[2]
        return (inner.coll.path, inner.anchor) if inner is not None else None

    def around(self, pos: tuple[int, int]) -> tuple[_Entry | None, _Entry | None, _Entry | None]:
        """The last entry before ``pos``, and the outermost and innermost entry starting next."""
        before = bisect.bisect_left(self._starts, pos)
        prev = self.entries[before - 1] if before else None
        if before == len(self.entries):
            return prev, None, None
        after = before
        while after + 1 < len(self.entries) and self._starts[after + 1] == self._starts[before]:
            after += 1
        return prev, self.entries[before], self.entries[after]


def _scan(text: str) -> tuple[list[_Line], list[Span]]:
    """Every comment in ``text`` with its document number (the ``#`` outside any token), and
    the span of every alias."""
    starts = [0] + [m.end() for m in _BREAK_RE.finditer(text)]

    def index(mark: Any) -> int:
        return int(starts[mark.line] + mark.column) if mark.line < len(starts) else len(text)

    found: list[_Line] = []
    aliases: list[Span] = []
    doc, started, ended, cursor = 0, False, False, 0

    def take(start: int, stop: int, header: bool = False) -> None:
        at = text.find("#", start, stop)
        while at != -1:
            line = bisect.bisect_right(starts, at) - 1
            if header and at > start and text[at - 1] not in " \t":
                at = text.find("#", at + 1, stop)
                continue
            end_match = _BREAK_RE.search(text, at)
            end = end_match.start() if end_match else len(text)
            lead = text[starts[line] : at]
            found.append(
                _Line(doc, (line, at - starts[line]), text[at + 1 : end], bool(lead.strip()))
            )
            at = text.find("#", end, stop) if not header else -1

    for token in yaml.scan(text, Loader=_TokenLoader):
        begin = index(token.start_mark)
        take(cursor, begin)
        cursor = max(cursor, index(token.end_mark))
        if isinstance(token, yaml.AliasToken):
            start, end = token.start_mark, token.end_mark
            aliases.append(((start.line, start.column), (end.line, end.column)))
        if isinstance(token, yaml.DocumentStartToken):
            doc, started, ended = doc + int(started), True, False
        elif isinstance(token, yaml.DocumentEndToken):
            ended = True
        elif not isinstance(
            token, yaml.StreamStartToken | yaml.StreamEndToken | yaml.BlockEndToken
        ):
            if ended:
                doc, ended = doc + 1, False
            started = True
            if isinstance(token, yaml.ScalarToken) and token.style in ("|", ">"):
                header_end = _BREAK_RE.search(text, begin)
                take(begin + 1, header_end.start() if header_end else len(text), header=True)
    take(cursor, len(text))
    return found, aliases


def _head(line: _Line, outer: _Entry, inner: _Entry) -> Anchor:
    """Above the next entry, in the deepest collection whose indentation the comment reaches."""
    if line.text.startswith(_ENC_PREFIX):
        # before "- key:" it is the item mapping's: sops writes list comments as elements
        return inner.coll.path, inner.anchor
    for entry in inner.chain():
        if entry.coll.indent <= line.pos[1] and entry.pos == inner.pos:
            return entry.coll.path, entry.anchor
        if entry is outer:
            break
    return inner.coll.path, inner.anchor


class _Placer:
    """Places the full-line comments of one document, remembering the block they follow."""

    def __init__(self, layout: _Layout) -> None:
        self.layout = layout
        self.prev: _Entry | None = None
        self.last: tuple[_Line, _Coll, bool] | None = None  # line, its collection, and "foot"

    def place(self, line: _Line) -> Anchor | None:
        prev, outer, inner = self.layout.around(line.pos)
        col = line.pos[1]
        scalar = prev is not None and not isinstance(prev.value, MappingNode | SequenceNode)
        if prev is not None and scalar and _mark(prev.value, end=True) > line.pos:
            return prev.coll.path, prev.anchor  # between a key and its value: above the key
        if prev is not self.prev:
            self.prev, self.last = prev, None
        last = self.last
        blank = last is not None and line.pos[0] > last[0].pos[0] + 1
        if inner is not None and outer is not None:
            head = prev is None or col <= outer.lead or (blank and last is not None and last[2])
            if head or (last is not None and not last[2]):  # a head group stays one
                self.last = (line, inner.coll, False)
                return _head(line, outer, inner)
        if prev is None:
            return None
        closing = [e.coll for e in prev.chain()]
        if inner is not None:
            open_now = {id(e.coll) for e in inner.chain()}
            closing = [c for c in closing if id(c) not in open_now]
        if inner is None:
            target = next((c for c in closing if c.indent <= col), closing[-1])
        elif last is None:
            target = prev.coll
        elif col >= last[0].pos[1]:
            target = last[1]
        else:
            fitting = [c for c in closing if c.indent <= col]
            if not fitting:
                self.last = (line, inner.coll, False)
                return _head(line, outer or inner, inner)
            target = fitting[0]
        self.last = (line, target, True)
        if target in closing:
            return target.path, None
        assert inner is not None  # an open collection holds the next entry
        holder = next(e for e in inner.chain() if e.coll is target)
        return target.path, holder.anchor


def comment_tables(text: str, roots: Sequence[Node | None]) -> list[CommentTable]:
    """Where sops puts each comment of ``text``, one table per document (``roots``)."""
    tables: list[CommentTable] = [{} for _ in roots]
    if "#" not in text or not roots:
        return tables
    lines, aliases = _scan(text)
    places = alias_places(roots, aliases) if aliases else {}
    layouts = [_Layout(root, places) for root in roots]
    placers = [_Placer(layout) for layout in layouts]
    for line in lines:
        number = min(line.doc, len(roots) - 1)
        anchor = layouts[number].inline(line.pos) if line.inline else None
        if anchor is None:
            anchor = placers[number].place(line)
        else:
            placers[number].last = None
        if anchor is not None:
            tables[number].setdefault(anchor, []).append(line.text)
    for table, layout in zip(tables, layouts, strict=True):
        copy_to_aliases(table, layout.aliases)
    return tables
