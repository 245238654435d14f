"""Reading a plain command line without typer, for the quick paths (``_template_quick``,
``_audit_quick``).

Why one reader: both quick paths must decline exactly the same shapes of command line
(and leave them to typer, whose messages every usage error keeps), so the rules live in
one place: only the spellings in the caller's table, each spelled out (``--flag value``,
``--flag=value``, ``-f value``); no ``--``, no short flag with its value attached, no
value that starts with a dash, no switch given a value, no empty path, no format typer
would refuse. Anything else is None: typer reads it.
"""

# No ``from __future__ import annotations``: this module's NamedTuples keep real annotations
# (why: ``chartsafe/audit/_model.py``'s docstring).

from typing import NamedTuple

__all__ = ["FORMAT", "PATH", "PATHS", "SWITCH", "TEXT", "TEXTS", "Given", "given"]

#: What a flag's value is: "on" a switch, "text" one value (the last given wins),
#: "texts" repeatable, "path"/"paths" the same as paths, "format" an -o format.
SWITCH, TEXT, TEXTS, PATH, PATHS, FORMAT = "on", "text", "texts", "path", "paths", "format"


class Given(NamedTuple):
    words: list[str]  # the arguments that are not flags, in order
    one: dict[str, str]  # a flag given a value, by parameter (the last given)
    many: dict[str, list[str]]  # a repeatable flag's values, in order
    on: set[str]  # the switches given


def given(
    args: list[str], command: str, flags: dict[str, tuple[str, str]], formats: frozenset[str]
) -> Given | None:
    """``args`` (the command line after ``chartsafe``) taken apart by ``flags`` (each
    spelling: the parameter it sets, its kind) when its first word is ``command``; None
    for typer to read."""
    if not args or args[0] != command:
        return None
    found = Given([], {}, {}, set())
    rest = iter(args[1:])
    for arg in rest:
        if not arg.startswith("-") or arg == "-":  # "-": stdin, a word to typer too
            found.words.append(arg)
            continue
        flag, equals, value = arg.partition("=")
        if flag not in flags or (equals and not flag.startswith("--")):
            return None
        name, kind = flags[flag]
        if kind == SWITCH:
            if equals:
                return None
            found.on.add(name)
            continue
        if not equals:
            value = next(rest, "-")
            if value.startswith("-"):  # missing, or a value typer may read otherwise
                return None
        if (kind in (PATH, PATHS) and not value) or (kind == FORMAT and value not in formats):
            return None  # typer refuses an empty path, and any other format: its message
        if kind in (TEXTS, PATHS):
            found.many.setdefault(name, []).append(value)
        else:
            found.one[name] = value
    return found
