"""YAML aliases and comments, as sops reads them: an alias is a copy of its anchor's nodes.

sops (go-yaml v3) expands an alias, a merge key's too, into a copy of the anchor's nodes with
their comments (3.11, measured), so a comment inside an anchored collection is read again at
each alias. ``yaml_comments`` places comments by where nodes are written; PyYAML gives an
alias the very node of its anchor, marks included, so :func:`alias_places` finds where each
alias is written instead, and :func:`copy_to_aliases` copies the anchor's comments.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Final

from yaml.nodes import MappingNode, Node, SequenceNode

from chartsafe._errors import SopsFormatError
from chartsafe.store.sops_comments import Anchor, CommentTable, PathKey

__all__ = ["Places", "Span", "alias_places", "copy_to_aliases"]

_MAX_COPIED: Final = 1_000_000

Span = tuple[tuple[int, int], tuple[int, int]]
"""Where something starts and ends: (line, column) twice."""
Places = dict[tuple[int, int], Span]
"""Where aliases are written: (id of a collection, place in it) -> (start, end)."""


def alias_places(roots: Sequence[Node | None], spans: Sequence[Span]) -> Places:
    """Where each alias is written, given the spans of the alias tokens in the text.

    PyYAML gives an alias the very node of its anchor, whose marks are the anchor's; a list
    item or key placed there would be out of order. Walked in document order, the nodes
    reached a second time are the aliases, one per token (a place in a mapping is ``2 * i``
    for the i-th key, ``2 * i + 1`` for its value).
    """
    places: Places = {}
    tokens = iter(spans)
    seen: set[int] = set()
    for root in roots:
        if root is None:
            continue
        seen.add(id(root))
        stack: list[tuple[Node, Iterator[tuple[int, Node]]]] = [(root, _slots(root))]
        while stack:
            parent, slots = stack[-1]
            step = next(slots, None)
            if step is None:
                stack.pop()
            elif id(step[1]) in seen:
                places[(id(parent), step[0])] = next(tokens, ((-1, -1), (-1, -1)))
            else:
                seen.add(id(step[1]))
                stack.append((step[1], _slots(step[1])))
    return places


def _slots(node: Node) -> Iterator[tuple[int, Node]]:
    if isinstance(node, MappingNode):
        for number, (key, value) in enumerate(node.value):
            yield 2 * number, key
            yield 2 * number + 1, value
    elif isinstance(node, SequenceNode):
        yield from enumerate(node.value)


def copy_to_aliases(
    table: CommentTable, aliases: Sequence[tuple[tuple[PathKey, ...], tuple[PathKey, ...]]]
) -> None:
    """The comments inside an anchored collection, again at each of its aliases.

    sops expands an alias (a merge key's too) into a copy of the anchor's nodes, comments
    included (3.11, measured). In document order, so that an alias inside an anchor that is
    itself aliased later is copied before that anchor is.
    """
    within: dict[tuple[PathKey, ...], list[Anchor]] = {}  # a path -> the entries inside it

    def add(entry: Anchor, texts: list[str]) -> None:
        if entry not in table:
            for size in range(len(entry[0]) + 1):
                within.setdefault(entry[0][:size], []).append(entry)
        table.setdefault(entry, []).extend(texts)

    for entry, texts in list(table.items()):
        del table[entry]
        add(entry, texts)
    copied = 0
    for alias, anchor in aliases:  # each costs what it copies, however many aliases there are
        for path, key in list(within.get(anchor, ())):
            texts = table[(path, key)]
            copied += len(texts)
            if copied > _MAX_COPIED:  # few nodes, many comments: alias_problem lets it pass
                raise SopsFormatError(
                    f"its aliases copy more than {_MAX_COPIED:,} comment lines (sops copies an "
                    "anchor's comments to each alias); write the repeated parts out or use "
                    "fewer aliases"
                )
            add(((*alias, *path[len(anchor) :]), key), texts)
