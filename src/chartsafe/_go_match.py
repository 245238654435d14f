"""Go's ``path/filepath.Match`` (on a system whose separator is ``/``), for Helm's globs.

Helm matches ``--show-only`` patterns with ``filepath.Match``, whose globs differ from
Python's ``fnmatch``: ``*`` and ``?`` never cross ``/`` (``templates/*.yaml`` does not
match ``templates/tests/test.yaml``), a class is negated with ``^`` (``!`` is a plain
character), ``\\`` escapes the next character, and a malformed pattern (``[a``, ``[]``,
``a\\``) matches nothing, as Helm ignores ``filepath.Match``'s error.
"""

from __future__ import annotations

import re
from functools import cache

__all__ = ["go_match"]


class _BadPattern(ValueError):
    pass


def _escaped(pattern: str, i: int) -> tuple[str, int]:
    """One class character at ``i`` (Go's ``getEsc``): the character and the next index."""
    if i >= len(pattern) or pattern[i] in "-]":
        raise _BadPattern
    if pattern[i] == "\\":
        i += 1
        if i >= len(pattern):
            raise _BadPattern
    if i + 1 >= len(pattern):  # a class must be closed
        raise _BadPattern
    return pattern[i], i + 1


def _class(pattern: str, i: int) -> tuple[str, int]:
    """The regex of the class starting after ``[`` at ``i``, and the index after its ``]``."""
    negated = i < len(pattern) and pattern[i] == "^"
    i += negated
    ranges: list[str] = []
    count = 0
    while True:
        if i < len(pattern) and pattern[i] == "]" and count:
            i += 1
            break
        lo, i = _escaped(pattern, i)
        hi = lo
        if pattern[i] == "-":
            hi, i = _escaped(pattern, i + 1)
        if lo <= hi:  # Go's lo > hi range matches nothing, and is no error
            ranges.append(re.escape(lo) + ("-" + re.escape(hi) if hi != lo else ""))
        count += 1
    if not ranges:
        return ("[\\s\\S]" if negated else "(?!)"), i
    return "[" + ("^" if negated else "") + "".join(ranges) + "]", i


@cache
def _compiled(pattern: str) -> re.Pattern[str] | None:
    parts: list[str] = []
    i = 0
    try:
        while i < len(pattern):
            char = pattern[i]
            if char == "*":
                parts.append("[^/]*")
            elif char == "?":
                parts.append("[^/]")
            elif char == "[":
                text, i = _class(pattern, i + 1)
                parts.append(text)
                continue
            elif char == "\\":
                i += 1
                if i >= len(pattern):
                    raise _BadPattern
                parts.append(re.escape(pattern[i]))
            else:
                parts.append(re.escape(char))
            i += 1
    except _BadPattern:
        return None
    return re.compile("".join(parts), re.DOTALL)


def go_match(pattern: str, name: str) -> bool:
    """Whether ``name`` matches ``pattern`` as Go's ``filepath.Match`` says (an error: no)."""
    compiled = _compiled(pattern)
    return compiled is not None and compiled.fullmatch(name) is not None
