"""``secrets init`` for ``ref+chartsafe://`` references: the store entries the values point at.

A values file or ``--set`` may say ``ref+chartsafe://NAMESPACE/SECRET/KEY`` instead of holding a
password. On a new store the entry is not there yet, and resolving the reference would fail, so
``secrets init`` looks at the values *before* references are resolved and fills what is missing,
exactly as it fills the contract's Secrets: a present entry is never touched.

The format of each entry, in order of trust:

1. ``--generator KEY=SPEC`` (or ``SECRET/KEY=SPEC``), as for every other key;
2. the chart's declaration (``chartsafe.io/secrets`` in ``Chart.yaml``) of that Secret's key,
   the Secret matched by name or by the values path holding its name, as the contract does;
   else the format the chart declares for a key of that name when all such declarations agree;
3. what the key name says (``password``, ``*_URL``), else what the values key holding the
   reference says (``postgresql.auth.password``).

A format no generator can honour alone (a URL needs a host and a user) is reported as missing,
with the ``secrets set`` line and the ``--generator`` form that supply it; nothing is invented.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from chartsafe._refs import Reference, ValuesPath, find_references, format_path, parse_reference
from chartsafe._refs.store_ref import SCHEME, store_key
from chartsafe.store.secret_fill import Progress, Wanted, fill
from chartsafe.store.secret_init import spec_for_key
from chartsafe.store.secret_store import SecretStore

__all__ = [
    "RefEntry",
    "RefFillResult",
    "fill_references",
    "references_to_fill",
    "store_references",
    "wanted_for_refs",
]

UNKNOWN = "unknown"


@dataclass(frozen=True)
class RefEntry:
    """One store entry a reference needs: where the reference sits, and the key to make."""

    values_path: str
    reference: str
    wanted: Wanted


@dataclass
class RefFillResult:
    """Names only: which referenced entries were made, already there, or need a person."""

    added: list[RefEntry] = field(default_factory=list)
    kept: list[RefEntry] = field(default_factory=list)
    missing: list[RefEntry] = field(default_factory=list)


def store_references(values: Mapping[str, Any]) -> list[tuple[ValuesPath, Reference]]:
    """Every ``ref+chartsafe://`` reference in unresolved values, with its values path."""
    found = []
    for path, text in find_references(values):
        reference = parse_reference(text, format_path(path))
        if reference.scheme == SCHEME:
            store_key(reference, format_path(path))  # malformed: one line naming the path
            found.append((path, reference))
    return found


def _declared_format(
    declarations: Iterable[Any], values: Mapping[str, Any], secret: str, key: str
) -> str | None:
    declarations = list(declarations)
    for entry in declarations:
        declared = entry.keys.get(key)
        if declared is not None and declared.format and entry.matches(secret, values) is not None:
            return str(declared.format)
    by_name = {
        str(entry.keys[key].format)
        for entry in declarations
        if key in entry.keys and entry.keys[key].format
    }
    return by_name.pop() if len(by_name) == 1 else None


def _named_format(key: str, path: ValuesPath) -> str:
    from chartsafe.contract._formats import format_from_name

    last = next((p for p in reversed(path) if isinstance(p, str)), "")
    return format_from_name(key) or (format_from_name(last) if last else None) or UNKNOWN


def wanted_for_refs(
    references: Iterable[tuple[ValuesPath, Reference]],
    *,
    declarations: Iterable[Any] = (),
    values: Mapping[str, Any] | None = None,
    overrides: Mapping[str, str] | None = None,
) -> list[RefEntry]:
    """The store entry of each reference (one per entry), with the spec that makes it."""
    declarations = list(declarations)
    entries: list[RefEntry] = []
    seen: set[tuple[str, str, str]] = set()
    for path, reference in references:
        where = format_path(path)
        namespace, secret, key = store_key(reference, where)
        if (namespace, secret, key) in seen:
            continue
        seen.add((namespace, secret, key))
        fmt = _declared_format(declarations, values or {}, secret, key) or _named_format(key, path)
        spec = spec_for_key(overrides or {}, secret, key, fmt, {key: fmt})
        wanted = Wanted(namespace, secret, key, fmt, spec, f"referenced at {where}")
        entries.append(RefEntry(where, str(reference), wanted))
    return entries


def references_to_fill(rendered: Any, overrides: Mapping[str, str] | None = None) -> list[RefEntry]:
    """The store entries that the references of an unresolved render point at.

    ``rendered`` is a ``RenderResult`` of values read with ``resolve_refs`` off: the
    references are still there to be found, and the chart's declarations say their formats.
    """
    from chartsafe.contract._declared import read_declarations

    return wanted_for_refs(
        store_references(rendered.user_values),
        declarations=read_declarations(
            rendered.chart, rendered.chart_metadata, rendered.subchart_metadata
        ),
        values=rendered.values,
        overrides=overrides,
    )


def fill_references(
    store: SecretStore,
    entries: list[RefEntry],
    *,
    progress: Progress | None = None,
    made_now: Iterable[Wanted] = (),
) -> RefFillResult:
    """Generate every referenced entry missing from ``store``; present values are kept.

    ``made_now``: the keys this run's contract fill just made. A reference to one of them
    finds it present, but it was not "already in" the store: it counts as added.
    """
    by_wanted = {id(e.wanted): e for e in entries}
    filled = fill(store, [e.wanted for e in entries], progress=progress)
    made = {_names(w) for w in made_now}
    present = [by_wanted[id(w)] for w in filled.kept]
    return RefFillResult(
        added=[by_wanted[id(w)] for w in filled.added]
        + [e for e in present if _names(e.wanted) in made],
        kept=[e for e in present if _names(e.wanted) not in made],
        missing=[by_wanted[id(w)] for w in filled.missing],
    )


def _names(wanted: Wanted) -> tuple[str, str, str]:
    return (wanted.namespace, wanted.secret, wanted.key)
