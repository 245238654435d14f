"""Filling a store with generated values, and rotating them: never touching a present value.

``fill`` makes only what is missing. Keys of one Secret whose specs differ only in the part
(``ed25519:private`` and ``ed25519:public``, a certificate and its key) are made together, and
when one of them is already stored the generator derives the others from it. Values composed
from others (``url``, ``dockerconfigjson``) are made last, so they can use what was just made.
``rotate`` makes a group anew and keeps each old value in the store's ``previous`` slot.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from chartsafe.generate import Context, Spec
from chartsafe.store.secret_store import SecretStore

__all__ = ["FillResult", "Wanted", "fill", "rotate"]

_COMPOSED = ("url", "dockerconfigjson")
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Wanted:
    """A key the release needs, and how to make it (``spec`` None: a person must supply it)."""

    namespace: str
    secret: str
    key: str
    format: str = "unknown"
    spec: Spec | None = None
    description: str = ""
    optional: bool = False  # the release starts without it (see SecretRef.key_optional)


@dataclass
class FillResult:
    """Names only: which keys were added, which were already there, which need a person,
    and which optional ones no generator makes were left unset (the release starts without
    them, so nothing waits for them)."""

    added: list[Wanted] = field(default_factory=list)
    kept: list[Wanted] = field(default_factory=list)
    missing: list[Wanted] = field(default_factory=list)
    optional_unset: list[Wanted] = field(default_factory=list)


def _context(store: SecretStore, first: Wanted, existing: dict[str, str]) -> Context:
    def put(ns: str, secret: str, key: str, value: str, spec: str) -> None:
        store.set(ns, secret, key, value, generator=spec, format=_PUT_FORMATS.get(key))

    return Context(
        namespace=first.namespace,
        secret=first.secret,
        key=first.key,
        siblings=store.secret(first.namespace, first.secret),
        existing=existing,
        lookup=store.get,
        put=put,
    )


_PUT_FORMATS = {"ca.crt": "pem-certificate", "ca.key": "pem-private-key"}


def _group_key(item: Wanted) -> tuple[object, ...]:
    """Keys made together: the parts of one multi-part generator (a key pair, a certificate and
    its key) in one Secret. A single-part generator makes every key on its own, or two
    ``hex:32`` keys of one Secret would get the same value."""
    assert item.spec is not None
    if item.spec.generator.parts:
        return (item.namespace, item.secret, *item.spec.group)
    return (item.namespace, item.secret, item.key)


def _groups(wanted: Sequence[Wanted]) -> list[list[Wanted]]:
    groups: dict[tuple[object, ...], list[Wanted]] = {}
    for item in wanted:
        groups.setdefault(_group_key(item), []).append(item)
    return sorted(
        groups.values(), key=lambda g: g[0].spec is not None and g[0].spec.name in _COMPOSED
    )


def _existing_parts(store: SecretStore, group: Sequence[Wanted]) -> dict[str, str]:
    found: dict[str, str] = {}
    for item in group:
        value = store.get(item.namespace, item.secret, item.key)
        if value is not None and item.spec is not None:
            found.update(store.parts(item.namespace, item.secret, item.key))
            found[item.spec.part] = value
    return found


def _store_group(
    store: SecretStore, group: Sequence[Wanted], made: dict[str, str], *, rotating: bool
) -> None:
    for item in group:
        assert item.spec is not None
        value = made[item.spec.part]
        parts = {name: v for name, v in made.items() if name not in (item.spec.part, "value")}
        if rotating:
            store.rotate(item.namespace, item.secret, item.key, value, parts=parts,
                         generator=str(item.spec))  # fmt: skip
        else:
            store.set(item.namespace, item.secret, item.key, value, format=item.format,
                      generator=str(item.spec), parts=parts or None)  # fmt: skip


def fill(
    store: SecretStore, wanted: Sequence[Wanted], *, progress: Progress | None = None
) -> FillResult:
    """Generate every missing key of ``wanted`` that has a spec; keep every present value."""
    result = FillResult()
    to_make: list[Wanted] = []
    for item in wanted:
        if store.get(item.namespace, item.secret, item.key) is not None:
            result.kept.append(item)
        elif item.spec is None:
            (result.optional_unset if item.optional else result.missing).append(item)
        else:
            to_make.append(item)
    done = 0
    for group in _groups(to_make):
        first = group[0]
        assert first.spec is not None
        members = [w for w in wanted if w.spec is not None and _group_key(w) == _group_key(first)]
        existing = _existing_parts(store, members)
        made = first.spec.generator.make(first.spec.arg, _context(store, first, existing))
        _store_group(store, group, made, rotating=False)
        result.added.extend(group)
        done += len(group)
        if progress is not None:
            progress(done, len(to_make))
    return result


def rotate(store: SecretStore, items: Sequence[Wanted]) -> list[Wanted]:
    """Make every item anew (groups together), keeping the old values in ``previous``."""
    for group in _groups([item for item in items if item.spec is not None]):
        first = group[0]
        assert first.spec is not None
        made = first.spec.generator.make(first.spec.arg, _context(store, first, {}))
        _store_group(store, group, made, rotating=True)
    return [item for item in items if item.spec is not None]
