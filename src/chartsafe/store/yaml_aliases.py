"""YAML aliases as sops reads them: a bounded expansion, and no anchor inside itself.

An alias is a reference, so a few lines can stand for billions of nodes (``b: [*a, *a, ...]``
nine levels deep). PyYAML builds such a document as a small graph of shared objects; what
expands it is whatever walks the values afterwards (encrypting each one), which then runs
until memory or patience ends. A value that contains its own alias (``a: &a [*a]``) is a
cycle, and the walk ends in a RecursionError.

``sops encrypt`` refuses both while it decodes (go.yaml.in/yaml/v3): ``yaml: document
contains excessive aliasing`` and ``yaml: anchor 'a' value contains itself``.
:func:`alias_problem` gives the same verdicts on PyYAML's composed nodes, before anything is
built from them. yaml.v3 counts every node it decodes, an alias's target again at each alias
(merge keys in its own order), and the share of those decoded inside an alias; past 100
aliased and 1,000 decoded nodes that share may not exceed 99% up to 400,000 nodes, falling
evenly to 10% at 4,000,000. So an alias-heavy file (a 500-item list repeated 125 times) is
refused even when it is no bomb, and a bomb within a few thousand steps. Every store read
goes through here: a sops-written file never holds an alias, so refusing on decryption too
costs nothing (``sops decrypt`` itself does not count). The tests hold these verdicts
against the real ``sops encrypt`` at the boundary.
"""

from __future__ import annotations

from collections.abc import Iterator

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

__all__ = ["alias_problem"]

_MIN_ALIASED = 100
_MIN_DECODED = 1_000
_RATIO_FROM, _RATIO_TO = 400_000, 4_000_000
_RATIO_HIGH, _RATIO_LOW = 0.99, 0.10


def _allowed_ratio(decoded: int) -> float:
    """The share of nodes decoded inside aliases yaml.v3 allows after ``decoded`` nodes."""
    if decoded <= _RATIO_FROM:
        return _RATIO_HIGH
    if decoded >= _RATIO_TO:
        return _RATIO_LOW
    progress = (decoded - _RATIO_FROM) / (_RATIO_TO - _RATIO_FROM)
    return _RATIO_HIGH - (_RATIO_HIGH - _RATIO_LOW) * progress


_MERGE = "tag:yaml.org,2002:merge"


def _children(node: Node, merge_source: bool) -> Iterator[tuple[int, Node, bool]]:
    """What yaml.v3 decodes under ``node``, in its order: (place, node, is a merge source).

    A place names where in ``node`` the child is written, so that decoding a key twice is not
    taken for an alias. A mapping with a merge key (``<<``) decodes its other pairs, then,
    unless it is itself merged into another, each of its keys once more (yaml.v3 notes which
    the merge may not override), then the merged mappings; a list of them is not a node of
    its own there.
    """
    if isinstance(node, SequenceNode):
        yield from ((index, item, False) for index, item in enumerate(node.value))
        return
    if not isinstance(node, MappingNode):
        return
    merged: Node | None = None
    for index, (key, value) in enumerate(node.value):
        if isinstance(key, ScalarNode) and key.tag == _MERGE:
            merged = value
            continue
        yield 2 * index, key, False
        yield 2 * index + 1, value, False
    if merged is None:
        return
    if not merge_source:
        yield from ((2 * index, key, False) for index, (key, _) in enumerate(node.value))
    if isinstance(merged, SequenceNode):
        yield from ((-1 - index, item, True) for index, item in enumerate(merged.value))
    else:
        yield -1, merged, True


def alias_problem(root: Node) -> str | None:
    """Why sops would refuse the document composed as ``root``, or None.

    PyYAML's composer gives an alias the very node of its anchor. Walking in document order,
    the first way to a node is where it is written; any other way to it is an alias, whose
    target is then walked (and counted) again, as yaml.v3 decodes it again. Iterative, so that
    deep nesting is not a RecursionError here.
    """
    decoded = 2  # the document node and its root, as yaml.v3 counts them
    aliased = 0
    written_at: dict[int, tuple[int, int]] = {id(root): (0, 0)}
    open_nodes = {id(root)}  # the collections being walked: reaching one again is a cycle
    stack: list[tuple[Node, Iterator[tuple[int, Node, bool]], int]] = [
        (root, _children(root, False), 0)
    ]
    while stack:
        node, children, depth = stack[-1]
        step = next(children, None)
        if step is None:
            stack.pop()
            open_nodes.discard(id(node))
            continue
        place, child, merge_source = step
        if id(child) in open_nodes:
            return f"line {child.start_mark.line + 1}: an anchor's value contains its own alias"
        way = (id(node), place)
        inner = depth
        if written_at.setdefault(id(child), way) != way:  # an alias: one node, then its target
            decoded += 1
            aliased += depth > 0
            inner = depth + 1
        decoded += 1
        aliased += inner > 0
        if (
            aliased > _MIN_ALIASED
            and decoded > _MIN_DECODED
            and aliased / decoded > _allowed_ratio(decoded)
        ):
            return (
                "excessive aliasing: its aliases expand too far (sops encrypt refuses it "
                "too); write the repeated parts out or use fewer aliases"
            )
        if isinstance(child, MappingNode | SequenceNode):
            open_nodes.add(id(child))
            stack.append((child, _children(child, merge_source), inner))
    return None
