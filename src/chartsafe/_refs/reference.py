"""Secret references: values that say where a secret lives instead of holding it.

The syntax is helmfile's ``vals`` where the two overlap, so values files move between the
tools unchanged::

    ref+sops://secrets/db.enc.yaml#/postgres/password      a key of a SOPS file
    ref+awssecrets://prod/llmtrace#/postgresUrl            AWS Secrets Manager (JSON key optional)
    ref+chartsafe://llmtrace/llmtrace/LLMTRACE_POSTGRES_URL  the chartsafe store

Only a whole string value is a reference; a reference is a location, not a secret, so it may
appear in messages (its resolved value never does).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Final, NamedTuple
from urllib.parse import parse_qsl

from .._errors import ValuesError

__all__ = [
    "PREFIX",
    "Reference",
    "ValuesPath",
    "find_references",
    "format_path",
    "is_reference",
    "parse_reference",
]

PREFIX: Final = "ref+"

ValuesPath = tuple[str | int, ...]
"""Where a value sits in the values tree: map keys and list indices from the top."""


def format_path(path: ValuesPath) -> str:
    """``a.b[0].c``, the way Helm's ``--set`` names the same place."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(top level)"


class Reference(NamedTuple):
    """A parsed ``ref+SCHEME://TARGET[?QUERY][#/FRAGMENT]`` string (a NamedTuple: ``audit
    --files`` imports this module, see ``audit._model``'s doc)."""

    scheme: str
    target: str
    fragment: tuple[str, ...]
    query: Mapping[str, str]
    text: str

    def __str__(self) -> str:
        return self.text


def is_reference(value: object) -> bool:
    """Whether a values leaf is a reference to resolve (a string starting ``ref+``)."""
    return isinstance(value, str) and value.startswith(PREFIX) and "://" in value


def parse_reference(text: str, where: str = "") -> Reference:
    """Split a reference into its parts; a malformed one is a ``ValuesError`` naming it."""
    place = f"{where}: " if where else ""
    body = text[len(PREFIX) :]
    scheme, sep, rest = body.partition("://")
    if not sep or not scheme or not scheme.replace("-", "").isalnum():
        raise ValuesError(
            f"{place}a value starting ref+ is not a reference: the scheme must be letters "
            "and digits (ref+SCHEME://TARGET#/key/path)",
            values_path=where or None,
        )
    rest, _, fragment = rest.partition("#")
    target, _, query = rest.partition("?")
    if not target:
        raise ValuesError(f"{place}{text}: names nothing after ://", values_path=where or None)
    keys = tuple(part for part in fragment.split("/") if part) if fragment else ()
    return Reference(
        scheme=scheme,
        target=target,
        fragment=keys,
        query=dict(parse_qsl(query, keep_blank_values=True)),
        text=text,
    )


def find_references(values: Any, path: ValuesPath = ()) -> Iterator[tuple[ValuesPath, str]]:
    """Every reference in a values tree with its path, in document order, unresolved.

    For callers that must treat references as references (``audit``) rather than resolve them.
    """
    if isinstance(values, Mapping):
        for key, value in values.items():
            yield from find_references(value, (*path, str(key)))
    elif isinstance(values, list):
        for index, value in enumerate(values):
            yield from find_references(value, (*path, index))
    elif is_reference(values):
        yield path, values


def select(
    data: Any, keys: tuple[str, ...], where: str, source: str, *, file: Path | None = None
) -> Any:
    """The value at ``#/a/b/0`` inside resolved data; the error names the missing key, and
    ``file`` (what ``source`` names, when it is one) is its ``values_file``."""
    node = data
    for depth, key in enumerate(keys):
        walked = "/".join(keys[: depth + 1])
        if isinstance(node, Mapping) and key in node:
            node = node[key]
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            raise ValuesError(
                f"{where}: {source} has no key #/{walked}",
                values_path=where,
                values_file=file,
                hint="check the #/key/path of the reference",
            )
    return node
