"""Manifest documents read as Helm and Kubernetes read them, quickly where that is provably so.

Helm (and kubectl) read YAML with go-yaml v2 through sigs.k8s.io/yaml, and the engine hands
each document back as JSON: YAML 1.1 scalars (``yes``/``on``/``y`` are booleans, ``0777``
is octal), keys turned into strings, every number a float64 (so ``1.0`` arrives as ``1``),
keys in sorted order. Reading a 2,000-object manifest (5.5 MB) that way took 0.6 to 0.8 s
on two threads, most of ``audit --files``; yaml-rs (Rust, YAML 1.2) with the checks below
takes about 0.3 s, but YAML 1.2 differs from go-yaml exactly on those points.

So each document is read by yaml-rs only when nothing in it can read differently, and by
Helm's parser otherwise. "Nothing can differ" is checked twice, conservatively:

* in the text: characters YAML 1.1 treats differently (NEL, line and paragraph separators,
  controls, tabs, CR), numbers written with a leading zero or underscore, tags, anchors,
  aliases, directives, document ends, the ``\\/`` escape, and flow collections holding
  anything past plain words and quoted strings;
* in what yaml-rs returned: a string Go reads as a boolean (``yes``, ``off``...; quoted
  ones too, as the text is not looked at again), line breaks alone (what yaml-rs 0.1 makes
  of an empty block scalar at the end), a key that is not a string or is ``<<``, a float,
  an integer a float64 cannot hold.

A document that passes both gets the same value, key order included (the tests compare the
two readers on every chart's render and on tables of the cases above). Any other document,
and any yaml-rs error, goes to Helm's parser, so errors are Helm's words too.
"""

from __future__ import annotations

import bisect
import gc
import re
from collections.abc import Iterator, Sequence
from typing import Any

from ._striped import run_striped

__all__ = ["read_documents"]

#: Plain scalars go-yaml v2 reads as booleans and YAML 1.2 as strings.
_YAML11_BOOLEANS = frozenset(
    "y Y yes Yes YES n N no No NO on On ON off Off OFF".split()  # noqa: SIM905
)
#: Strings yaml-rs can give where go-yaml gives another: booleans to Go, and line breaks
#: alone, which yaml-rs 0.1 makes of an empty block scalar at the end of a document ("").
_SUSPECT_STRINGS = _YAML11_BOOLEANS | {"\n" * n for n in range(1, 17)}
#: float64 holds every integer up to this exactly; the engine's JSON carries float64.
_EXACT_INTEGER = 2**53
#: The only characters an ASCII document may hold (tab and CR go to Helm's parser).
_ASCII_PRINTABLE = bytes(range(0x20, 0x7F)) + b"\n"
#: Characters outside these go to Helm's parser: YAML 1.1 has more line breaks (NEL,
#: U+2028, U+2029) and a BOM mid-text; C0/C1 controls are errors to go-yaml. A pattern
#: compiled on first use (``re``'s cache): compiling its wide ranges takes ~6 ms, a tenth
#: of an ``audit --files`` run, and an ASCII document never needs it.
_UNSAFE_CHARACTER = (
    "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
#: Characters that begin a tag, an anchor, an alias, a directive, or (``_1``, read by yaml-rs
#: as 1) a number Go does not read, where a scalar begins: after a space or a line break.
_RARE_STARTS = "!&*%_"
#: A number with a leading zero (0777, octal to Go, decimal to yaml-rs), found by its
#: literal ``0`` and then checked for a scalar's start before it and its end after it
#: (``01ba47...``, a digest, is a string to both).
_LEADING_ZERO = re.compile("0[0-9_]+")
#: Lines looked back over for a block scalar's header: a long script with a hazard on every
#: line would otherwise be walked once per hazard.
_BLOCK_LOOKBACK = 200
#: A line that opens a block scalar (``key: |``, ``- >-``): the lines under it are its text.
_BLOCK_HEADER = r"(?:^|: |- )[|>][-+1-9]{0,2} *(?:#.*)?$"
#: A line that starts a flow collection: after its indentation and any ``- ``, a ``[`` or
#: ``{``, or a key (plain or quoted) and then one. A ``[`` anywhere else is inside a scalar.
_FLOW_START = re.compile(
    r" *(?:- +)*(?:[\[{]|[^\s\"'\\#:\[{][^:]*: +[\[{]|\"[^\"]*\": +[\[{]|'[^']*': +[\[{])"
)
#: In a line that starts a flow collection: what follows ``[``, ``{`` or ``,`` that the two
#: readers take differently (indicators, 0777, _1, a lone ``-``).
_FLOW_HAZARD = re.compile(r"[\[{,:] *(?:[?|>:!&*%@`]|[-+]?0[0-9_]|[-+]?_|-(?:[ ,\]}]|$))")


def read_documents(
    text: str, pieces: Sequence[tuple[int, str]]
) -> list[dict[str, Any] | ValueError]:
    """Each of ``pieces`` (offset in ``text``, document) read as Helm's ``values_from_yaml``
    reads it: its mapping, or the ``ValueError`` Helm's parser gives."""
    unsafe = _unsafe_pieces(text, [offset for offset, _ in pieces])
    results: list[dict[str, Any] | ValueError | None] = [None] * len(pieces)
    quick = [i for i in range(len(pieces)) if i not in unsafe]
    # The collector would walk the new objects again and again as they are made, and
    # there is no cycle among them: reading the 2,000-object manifest, 250 ms against 350.
    collecting = gc.isenabled()
    gc.disable()
    try:
        _read_quick(pieces, quick, results)
    finally:
        if collecting:
            gc.enable()
    rest = [i for i, result in enumerate(results) if result is None]
    if rest:
        from ._helm_parse import values_from_yaml_each  # here: it loads Helm's engine

        helm_read = values_from_yaml_each([pieces[i][1] for i in rest])
        for i, result in zip(rest, helm_read, strict=True):
            results[i] = result
    return [result for result in results if result is not None]  # none is left None


def _unsafe_pieces(text: str, offsets: list[int]) -> set[int]:
    """Indexes of the pieces whose text holds a hazard (see the module's docstring)."""
    found: list[int] = []  # offsets in "\n" + text
    lined = "\n" + text
    if lined.isascii():
        if lined.encode("ascii").translate(None, _ASCII_PRINTABLE):
            found.extend(m.start() for m in re.finditer("[^\n\x20-\x7e]", lined))
    else:
        found.extend(m.start() for m in re.finditer(_UNSAFE_CHARACTER, lined))
    candidates = [at for char in _RARE_STARTS for at in _at_scalar_start(lined, char)]
    for at in _scalar_starts(lined, "0"):
        match = _LEADING_ZERO.match(lined, at)
        end = match.end() if match else at
        if match and (end == len(lined) or lined[end] in " \n,]}:"):
            candidates.append(at)
    candidates.extend(_escaped_slashes(lined))
    candidates.extend(_flow_hazards(lined))
    found.extend(at for at in candidates if not _in_block_scalar(lined, at))
    at = lined.find("\n...")
    if at != -1:
        found.append(at)  # a document end marker, or a plain scalar's continuation: rare
    return {max(bisect.bisect_right(offsets, at - 1) - 1, 0) for at in found}


def _positions(text: str, needle: str) -> Iterator[int]:
    """Every place ``needle`` stands in ``text`` (found by ``str.find``: fast on rare ones)."""
    at = text.find(needle)
    while at != -1:
        yield at
        at = text.find(needle, at + 1)


def _starts_scalar(text: str, at: int) -> bool:
    """Whether a scalar can begin at ``at``: after a space or a line break, maybe after a
    sign (``-0777``, ``-_1``)."""
    before = text[at - 1]
    return before in " \n" or (before in "+-" and text[at - 2] in " \n")


#: ``_`` and ``0`` stand inside most words and numbers: the places one may begin a scalar
#: are found by the regular expression engine (the character, then a look back at the one
#: before it), not by asking of each in Python (25 ms of 40 on a 5.5 MB manifest).
_STARTING = {char: re.compile(f"{char}(?<=[ \n+-]{char})") for char in "_0"}


def _scalar_starts(text: str, char: str) -> list[int]:
    """Every place ``char`` begins a scalar (see :func:`_starts_scalar`)."""
    pattern = _STARTING.get(char)
    found = (m.start() for m in pattern.finditer(text)) if pattern else _positions(text, char)
    return [at for at in found if _starts_scalar(text, at)]


def _at_scalar_start(text: str, char: str) -> list[int]:
    """Where ``char`` begins a scalar (see :func:`_scalar_starts`), not in a comment."""
    found = []
    for at in _scalar_starts(text, char):
        line = text[text.rfind("\n", 0, at) + 1 : at]
        comment = line.find(" #") if not line.lstrip(" ").startswith("#") else 0
        if comment == -1 or "'" in line[:comment] or '"' in line[:comment]:
            found.append(at)
    return found


def _in_block_scalar(text: str, at: int) -> bool:
    """Whether ``at`` is in the text of a block scalar (``|`` or ``>``): the lines above it,
    each less indented than the last, reach a block scalar's header within
    ``_BLOCK_LOOKBACK`` lines."""
    start = text.rfind("\n", 0, at) + 1
    line = text[start : text.find("\n", start) % (len(text) + 1)]
    indent = len(line) - len(line.lstrip(" "))
    for _ in range(_BLOCK_LOOKBACK):
        if start <= 1 or indent == 0:
            return False
        end = start - 1
        start = text.rfind("\n", 0, end) + 1
        above = text[start:end]
        content = above.lstrip(" ")
        if not content:
            continue  # an empty line belongs to whatever goes on
        if len(above) - len(content) < indent:
            if re.search(_BLOCK_HEADER, above):
                return True
            indent = len(above) - len(content)
    return False  # too far to look: counted as outside, so Helm's parser reads it


def _escaped_slashes(text: str) -> list[int]:
    """Where ``\\/`` is an escape (an odd run of backslashes before ``/``): YAML 1.2 has it,
    go-yaml does not. Outside double quotes it is two plain characters to both readers."""
    found = []
    for at in _positions(text, "\\/"):
        start = at
        while start > 0 and text[start - 1] == "\\":
            start -= 1
        if (at + 1 - start) % 2:
            found.append(at)
    return found


def _flow_hazards(text: str) -> list[int]:
    """Lines that start a flow collection holding a flow hazard or a ``?``, or going on over
    lines (more openers than closers: left to Helm's parser whole)."""
    found = []
    end = -1
    for at in sorted([*_positions(text, "["), *_positions(text, "{")]):
        if at < end:
            continue  # this line is checked
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        end = len(text) if end == -1 else end
        line = text[start:end]
        if not _FLOW_START.match(line):
            continue
        opens = line.count("[") + line.count("{")
        if "?" in line or opens > line.count("]") + line.count("}") or _FLOW_HAZARD.search(line):
            found.append(start)
    return found


def _read_quick(
    pieces: Sequence[tuple[int, str]],
    chosen: list[int],
    results: list[dict[str, Any] | ValueError | None],
) -> None:
    """yaml-rs over the chosen pieces, then the check of each value against Helm's.

    In two passes: yaml-rs lets go of the GIL while it parses, so two threads parse side by
    side (when there is enough text), and the check, all Python, runs after them on this
    thread. Checking inside the threads had each wait for the GIL the other held for its
    check: on the 2,000-object release no faster than one thread (342 ms against 330);
    in two passes, 309.
    """
    import yaml_rs

    unread = object()  # what yaml-rs failed on stays so: Helm's parser words the error
    loaded: list[Any] = [unread] * len(pieces)

    def load(indexes: Sequence[int]) -> None:
        for i in indexes:
            try:
                loaded[i] = yaml_rs.loads(pieces[i][1], parse_datetime=False)
            except Exception:  # any yaml-rs failure
                continue

    run_striped(load, chosen, size=sum(len(pieces[i][1]) for i in chosen), most=2)
    for i in chosen:
        data, loaded[i] = loaded[i], None  # its mappings are copied sorted: free them
        if data is None:
            results[i] = {}
        elif type(data) is dict:
            try:
                results[i] = _same_as_helm(data)
            except (_Differs, TypeError, RecursionError):
                continue


class _Differs(Exception):
    """yaml-rs's value is not the one Helm's parser would give."""


def _same_as_helm(node: dict[Any, Any]) -> dict[str, Any]:
    """``node`` with every mapping's keys sorted, as the engine's JSON gives them; raises
    :class:`_Differs` where go-yaml would read the text into another value. Scalars are
    checked in place and only collections recursed into: most of a manifest is leaves, and
    a call for each leaf was most of the walk."""
    "".join(node)  # TypeError unless every key is a string (go-yaml would stringify it)
    if not _YAML11_BOOLEANS.isdisjoint(node) or "<<" in node:
        raise _Differs
    out = dict(sorted(node.items()))
    for key, value in out.items():
        kind = type(value)
        if kind is str:
            if value in _SUSPECT_STRINGS:
                raise _Differs
        elif kind is dict:
            out[key] = _same_as_helm(value)  # the key is there: its place stays
        elif kind is list:
            _same_list(value)
        else:
            _same_scalar(value)
    return out


def _same_list(items: list[Any]) -> None:
    """A list as :func:`_same_as_helm` gives it, checked and changed in place."""
    for index, value in enumerate(items):
        kind = type(value)
        if kind is str:
            if value in _SUSPECT_STRINGS:
                raise _Differs
        elif kind is dict:
            items[index] = _same_as_helm(value)
        elif kind is list:
            _same_list(value)
        else:
            _same_scalar(value)


def _same_scalar(value: Any) -> None:
    """Raises :class:`_Differs` unless ``value`` (not a string) reads the same to go-yaml."""
    if type(value) is int:
        if not -_EXACT_INTEGER <= value <= _EXACT_INTEGER:
            raise _Differs
    elif type(value) is not bool and value is not None:
        raise _Differs  # floats: go-yaml's float64 comes back whole as an int
