"""``--set``-style expressions applied onto values the way Helm applies them.

Helm parses every ``--set`` flag *into* the values built so far
(``strvals.ParseInto``): ``--set hosts[0].name=x`` on top of a values file
that lists hosts changes the first host's name and keeps its other fields and
the other hosts. The SDK only parses an expression into an empty map, and
merging that result as a whole would replace the list. So each assignment of
an expression is parsed on its own by Helm's parser (the value, typed as Helm
types it), its key path is read from the key, and the value is set at that path.

The split is checked against Helm's parse of the whole expression; if the two
disagree (syntax this module does not follow), the expression's result is
merged as a whole, as before.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ._errors import ValuesError

__all__ = ["apply_expression", "split_assignments"]

Key = str | int
KeyPath = tuple[Key, ...]


def _key_path(key: str) -> KeyPath | None:
    """``a.b[0].c`` → ("a", "b", 0, "c"); a backslash escapes the next character."""
    parts: list[Key] = []
    name, i = "", 0
    while i < len(key):
        char = key[i]
        if char == "\\" and i + 1 < len(key):
            name, i = name + key[i + 1], i + 2
            continue
        if char == ".":
            if name:
                parts.append(name)
            elif not parts or not isinstance(parts[-1], int):
                return None
            name = ""
        elif char == "[":
            end = key.find("]", i)
            if end < 0 or not key[i + 1 : end].isdigit():
                return None
            if name:
                parts.append(name)
            elif not parts:
                return None
            parts.append(int(key[i + 1 : end]))
            name, i = "", end + 1
            continue
        else:
            name += char
        i += 1
    if name:
        parts.append(name)
    return tuple(parts) if parts and isinstance(parts[0], str) else None


def _value_end(flag: str, expression: str, start: int) -> int | None:
    """Where the value that begins at ``start`` ends (the next separating comma or the end)."""
    if flag == "--set-json":
        try:
            return json.JSONDecoder().raw_decode(expression, start)[1]
        except ValueError:
            return None
    i = start
    if expression.startswith("{", start):  # a list literal {a,b}: its commas are its own
        i = start + 1
        while i < len(expression) and expression[i] != "}":
            i += 2 if expression[i] == "\\" else 1
        return i + 1 if i < len(expression) else None
    while i < len(expression) and expression[i] != ",":
        i += 2 if expression[i] == "\\" else 1
    return min(i, len(expression))


def split_assignments(flag: str, expression: str) -> list[tuple[str, KeyPath]] | None:
    """The ``key=value`` assignments of one expression with their key paths; None if unsure."""
    if flag == "--set-literal":  # one assignment: everything after the first '=' is the value
        key = expression.split("=", 1)[0]
        path = _key_path(key)
        return [(expression, path)] if path and "=" in expression else None
    found: list[tuple[str, KeyPath]] = []
    i = 0
    while i < len(expression):
        start = i
        while i < len(expression) and expression[i] not in "=,":
            i += 2 if expression[i] == "\\" else 1
        if i >= len(expression) or expression[i] != "=":
            return None
        path = _key_path(expression[start:i])
        end = _value_end(flag, expression, i + 1)
        if path is None or end is None or (end < len(expression) and expression[end] != ","):
            return None
        found.append((expression[start:end], path))
        i = end + 1
    return found or None


def _at(node: Any, path: KeyPath) -> tuple[bool, Any]:
    for key in path:
        if isinstance(key, int):
            if not isinstance(node, list) or key >= len(node):
                return False, None
        elif not isinstance(node, dict) or key not in node:
            return False, None
        node = node[key]
    return True, node


def _leaves(layer: Any, path: KeyPath = ()) -> list[KeyPath]:
    """What a deep merge of ``layer`` replaces: every non-map value (lists whole)."""
    if isinstance(layer, dict) and layer:
        return [p for k, v in layer.items() for p in _leaves(v, (*path, k))]
    return [path]


class _Conflict(Exception):
    """The path runs through a value that is not a map or list (Helm refuses it)."""

    def __init__(self, depth: int, found: Any, wanted: str) -> None:
        super().__init__(depth, found, wanted)
        self.depth, self.found, self.wanted = depth, found, wanted


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "a map", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), "a number"
    )


def _assign(container: Any, path: KeyPath, value: Any, depth: int = 0) -> Any:
    """A copy of ``container`` with ``value`` set at ``path``, creating maps and lists.

    As strvals does: maps and lists on the way are kept and changed, missing
    ones created, a list grows with nulls up to the index, and a list item on
    the way that is not a map is replaced by one. A map key on the way that
    holds anything but a map (or a list, for an index) is refused: Helm fails
    on it ("interface conversion"), and so do we.
    """
    head, rest = path[0], path[1:]
    if isinstance(head, str):
        data = dict(container) if isinstance(container, dict) else {}
        if not rest:
            data[head] = value
            return data
        wanted = "a list" if isinstance(rest[0], int) else "a map"
        if head in data and _type_name(data[head]) != wanted:
            raise _Conflict(depth + 1, data[head], wanted)
        data[head] = _assign(data.get(head), rest, value, depth + 1)
        return data
    items = list(container) if isinstance(container, list) else []
    items.extend([None] * (head + 1 - len(items)))
    if (
        rest
        and isinstance(rest[0], int)
        and items[head] is not None
        and not isinstance(items[head], list)
    ):
        raise _Conflict(depth + 1, items[head], "a list")
    items[head] = _assign(items[head], rest, value, depth + 1) if rest else value
    return items


def _dotted(path: KeyPath) -> str:
    out = ""
    for key in path:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else key)
    return out


#: Hints for the flags whose mistakes are not --set's syntax (the parser's own hint is).
_HINTS = {
    "--set-json": "write key=<JSON>, e.g. a='{\"b\":1}', a='[1,2]', or a='\"text\"' for a string",
    "--set-file": "write key=PATH with PATH a readable file; its content becomes the value",
}


def _parsed(parse: Callable[[str, str], dict[str, Any]], flag: str, text: str) -> dict[str, Any]:
    """``parse(flag, text)``, its error hinted for ``flag`` (the parser hints --set syntax)."""
    try:
        return parse(flag, text)
    except ValuesError as exc:
        exc.hint = _HINTS.get(flag, exc.hint)
        raise


def apply_expression(
    values: dict[str, Any],
    flag: str,
    expression: str,
    parse: Callable[[str, str], dict[str, Any]],
    merge: Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]],
    *,
    shown_as: str | None = None,
) -> tuple[dict[str, Any], list[KeyPath]]:
    """``values`` with one expression applied as Helm does, and the paths it set.

    ``parse`` is Helm's parser for the flag (it raises for a malformed
    expression); ``merge`` the deep merge used when the split is not trusted.
    ``shown_as`` is the flag the user gave, when the expression is applied as another
    (a ``--set-file`` URL's content goes in as ``--set-literal``).
    """
    whole = _parsed(parse, flag, expression)
    assignments = split_assignments(flag, expression)
    steps: list[tuple[KeyPath, Any]] = []
    check: dict[str, Any] = {}
    try:
        for text, path in assignments or []:
            ok, value = _at(_parsed(parse, flag, text), path)
            if not ok:
                break
            steps.append((path, value))
            check = _assign(check, path, value)
    except _Conflict:
        assignments = None  # Helm accepted what we would refuse: trust Helm's whole result
    if not assignments or len(steps) != len(assignments) or check != whole:
        return merge(values, whole), _leaves(whole)
    for path, value in steps:
        try:
            values = _assign(values, path, value)
        except _Conflict as exc:
            raise ValuesError(
                f"{shown_as or flag} {_dotted(path)}=...: {_dotted(path[: exc.depth])} is "
                f"{_type_name(exc.found)} in the values so far, not {exc.wanted}",
                hint="Helm refuses this too: set the whole value, or change the values file",
            ) from None
    return values, [path for path, _ in steps]
