"""Resolving references in a values tree, in memory, through a small registry of schemes.

A scheme is one function ``(reference, context, where) -> value`` in :data:`RESOLVERS`; adding
a backend is adding one entry. ``ResolveContext`` carries what several references share within
one load (the age identities, each decrypted file, each fetched secret), so a values file with
ten ``ref+sops://`` keys into one file decrypts it once. Nothing resolved is written anywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._errors import ValuesError
from .reference import Reference, ValuesPath, format_path, is_reference, parse_reference

if TYPE_CHECKING:
    from ..store import Identities

__all__ = [
    "RESOLVERS",
    "ResolveContext",
    "Resolver",
    "leaf_paths",
    "resolve_references",
]


class ResolveContext:
    """What the references of one values load share: keys, and each source read once.

    ``age_key_file`` replaces sops's usual identity lookup (``SOPS_AGE_KEY_FILE`` and the rest);
    ``base_dir`` is where relative ``ref+sops://`` paths start (the current directory, as vals);
    ``store`` is the chartsafe store location for ``ref+chartsafe://`` (its default otherwise).
    """

    def __init__(
        self,
        *,
        age_key_file: Path | str | None = None,
        base_dir: Path | str | None = None,
        store: Path | str | None = None,
    ) -> None:
        self.age_key_file = Path(age_key_file) if age_key_file is not None else None
        self.base_dir = Path(base_dir) if base_dir is not None else None
        self.store = Path(store) if store is not None else None
        self.cache: dict[tuple[str, str], Any] = {}
        self._identities: Identities | None = None

    def __repr__(self) -> str:
        return f"<ResolveContext: {len(self.cache)} source(s) read>"

    def identities(self) -> Identities:
        """The age identities, looked up once (like sops, or only ``age_key_file``)."""
        if self._identities is None:
            from ..store import find_identities

            self._identities = find_identities(self.age_key_file)
        return self._identities

    def path(self, target: str) -> Path:
        """A file named by a reference, relative to ``base_dir`` (default: the current dir)."""
        path = Path(target).expanduser()
        if self.base_dir is not None and not path.is_absolute():
            return self.base_dir / path
        return path

    def cached(self, kind: str, key: str, load: Callable[[], Any]) -> Any:
        """``load()`` once per (kind, key) in this context."""
        if (kind, key) not in self.cache:
            self.cache[(kind, key)] = load()
        return self.cache[(kind, key)]


Resolver = Callable[[Reference, ResolveContext, str], Any]
"""Resolve one reference; ``where`` is the values path, for error messages."""


def _sops(reference: Reference, context: ResolveContext, where: str) -> Any:
    from .backends import resolve_sops

    return resolve_sops(reference, context, where)


def _awssecrets(reference: Reference, context: ResolveContext, where: str) -> Any:
    from .backends import resolve_awssecrets

    return resolve_awssecrets(reference, context, where)


def _chartsafe(reference: Reference, context: ResolveContext, where: str) -> Any:
    from .store_ref import resolve_chartsafe

    return resolve_chartsafe(reference, context, where)


#: Scheme → resolver. Backends import their libraries (boto3, the store) only when used.
RESOLVERS: dict[str, Resolver] = {
    "sops": _sops,
    "awssecrets": _awssecrets,
    "chartsafe": _chartsafe,
}


def leaf_paths(value: Any, path: ValuesPath = ()) -> list[ValuesPath]:
    """The path of every leaf under ``value`` (``value`` itself if it is a leaf)."""
    if isinstance(value, Mapping) and value:
        return [p for k, v in value.items() for p in leaf_paths(v, (*path, str(k)))]
    if isinstance(value, list) and value:
        return [p for i, v in enumerate(value) for p in leaf_paths(v, (*path, i))]
    return [path]


def resolve_one(text: str, context: ResolveContext, where: str) -> Any:
    """The value a single reference string stands for."""
    reference = parse_reference(text, where)
    resolver = RESOLVERS.get(reference.scheme)
    if resolver is None:
        known = ", ".join(f"ref+{name}://" for name in sorted(RESOLVERS))
        raise ValuesError(
            f"{where}: unknown reference scheme ref+{reference.scheme}:// (known: {known})",
            values_path=where,
        )
    return resolver(reference, context, where)


def resolve_references(
    values: Any, context: ResolveContext, path: ValuesPath = ()
) -> tuple[Any, list[ValuesPath]]:
    """``values`` with every reference replaced by its value, and the paths that now hold one.

    The input is not changed. A resolved map or list marks every leaf below it.
    """
    if isinstance(values, Mapping):
        out: dict[str, Any] = {}
        found: list[ValuesPath] = []
        for key, value in values.items():
            out[key], more = resolve_references(value, context, (*path, str(key)))
            found += more
        return out, found
    if isinstance(values, list):
        items: list[Any] = []
        found = []
        for index, value in enumerate(values):
            item, more = resolve_references(value, context, (*path, index))
            items.append(item)
            found += more
        return items, found
    if is_reference(values):
        resolved = resolve_one(values, context, format_path(path))
        return resolved, leaf_paths(resolved, path)
    return values, []
