"""Values paths as dotted strings, with Helm's escapes: ``files.admin\\.env.secretName``.

A values path names a place in the values tree the way ``--set`` does, so a fix line can
paste it (``--set files.admin\\.env.secretName=NAME``). A map key may itself contain a dot
(agentapi-proxy's ``roleEnvFiles.files["admin.env"]``): joining keys with bare dots and
splitting on every dot later would turn that one key into two levels. Here a dot, a
backslash and the other ``--set`` separators inside a key are escaped with a backslash, as
Helm's strvals parser reads them, and :func:`split_path` undoes exactly that.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

__all__ = ["escape_key", "join_path", "parent_path", "split_path"]

_SPECIAL: Final = frozenset("\\.[],=")


def escape_key(key: str) -> str:
    """One map key as a path segment: ``admin.env`` → ``admin\\.env``."""
    return "".join(f"\\{char}" if char in _SPECIAL else char for char in key)


def join_path(parts: Iterable[str]) -> str:
    """The dotted path of map keys ``parts`` (each escaped)."""
    return ".".join(escape_key(str(part)) for part in parts)


def split_path(dotted: str) -> list[str]:
    """The map keys of ``dotted``: split on unescaped dots, escapes removed."""
    parts: list[str] = []
    current: list[str] = []
    chars = iter(dotted)
    for char in chars:
        if char == "\\":
            current.append(next(chars, "\\"))
        elif char == ".":
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def parent_path(dotted: str) -> str:
    """``a.b\\.c.d`` → ``a.b\\.c``; the empty string for a top-level key."""
    return join_path(split_path(dotted)[:-1])
