"""The secret store: the true values of a release's Secrets in one SOPS file (``docs/store.md``).

``SecretStore`` opens or creates the file, reads and changes values in memory and saves it
atomically (0600). What the file holds (its trees, names and written form) is described in
``chartsafe.store._store_layout``, where its document comes from (the file, or a new one for
the ``.sops.yaml`` recipients) in ``chartsafe.store._store_file``; this module is what is done
with it.

A new store always encrypts every value (``STORE_SELECTOR``). A store written by ``sops`` with
another selector is read and updated under its own selector, and a value that selector would
leave in clear is refused.

No method prints, logs or raises with a value; the repr shows counts only.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from chartsafe._errors import InputError, StoreError
from chartsafe.store._store_file import (
    is_blank,
    new_store_document,
    open_store_document,
    refuse_unlisted_recipients,
    store_rule,
)
from chartsafe.store._store_layout import (
    STORE_SELECTOR,
    STORE_VERSION,
    VALUE_TREES,
    KeyInfo,
    as_text,
    check_layout,
    optional_text,
    ordered_meta,
    stamp,
    validate_names,
    written_form,
)
from chartsafe.store._store_lock import store_lock
from chartsafe.store._value_check import check_value
from chartsafe.store.age_keys import Identities
from chartsafe.store.sops_document import SopsDocument
from chartsafe.store.sops_files import write_file

__all__ = ["STORE_SELECTOR", "STORE_VERSION", "KeyInfo", "SecretStore", "validate_names"]

Clock = Callable[[], dt.datetime]


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class SecretStore:
    """An open store: read and change values in memory, then ``save()`` atomically."""

    def __init__(
        self,
        path: Path,
        document: SopsDocument,
        *,
        created: bool = False,
        clock: Clock = _utcnow,
    ) -> None:
        self.path = path
        self._document = document
        self._clock = clock
        self.created = created
        self.dirty = created
        data = document.data
        check_layout(path, data)
        data.setdefault("chartsafe", {"version": STORE_VERSION})

    def __repr__(self) -> str:
        return f"<SecretStore {self.path}: {len(self.keys())} key(s)>"

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        identities: Identities | None = None,
        key_file: Path | str | None = None,
        clock: Clock = _utcnow,
    ) -> SecretStore:
        """Decrypt an existing store (MAC checked); key lookup as sops does it."""
        path = Path(path)
        document = open_store_document(path, identities=identities, key_file=key_file)
        return cls(path, document, clock=clock)

    @classmethod
    def create(
        cls,
        path: Path | str,
        *,
        recipients: str | Sequence[str] | None = None,
        config: Path | str | None = None,
        clock: Clock = _utcnow,
    ) -> SecretStore:
        """A new, empty store for ``path`` (written by ``save()``).

        Recipients are ``recipients`` or those of the nearest ``.sops.yaml`` creation rule
        matching ``path`` (searched from its folder). The rule's selector is not used: a store
        always encrypts every value (``STORE_SELECTOR``).
        """
        path = Path(path)
        document = new_store_document(path, recipients=recipients, config=config)
        return cls(path, document, created=True, clock=clock)

    @classmethod
    def open_or_create(
        cls,
        path: Path | str,
        *,
        recipients: str | Sequence[str] | None = None,
        key_file: Path | str | None = None,
        clock: Clock = _utcnow,
    ) -> SecretStore:
        """Open ``path`` if it exists, else create it (not written until ``save()``).

        An empty file (``mktemp``) is a store not written yet. ``recipients`` (``--age``)
        are a new store's; an existing one must already be encrypted to each.
        """
        if Path(path).exists() and not is_blank(Path(path)):
            store = cls.open(path, key_file=key_file, clock=clock)
            if recipients:
                refuse_unlisted_recipients(store.path, recipients, store.recipients)
            return store
        return cls.create(path, recipients=recipients, clock=clock)

    @classmethod
    @contextlib.contextmanager
    def editing(
        cls,
        path: Path | str,
        *,
        create: bool = True,
        recipients: str | Sequence[str] | None = None,
        identities: Identities | None = None,
        key_file: Path | str | None = None,
        clock: Clock = _utcnow,
    ) -> Iterator[SecretStore]:
        """The store at ``path`` (created if missing and ``create``), for one edit.

        Every change that ends in ``save()`` goes through this: it holds the store's edit
        lock from the read to the end of the block, so that two commands changing one store
        at once take turns instead of one silently dropping the other's keys
        (``chartsafe.store._store_lock`` says why that matters).
        """
        with store_lock(path):
            if not create:
                yield cls.open(path, identities=identities, key_file=key_file, clock=clock)
            else:
                yield cls.open_or_create(
                    path, recipients=recipients, key_file=key_file, clock=clock
                )

    # -- reading -------------------------------------------------------------------------------

    @property
    def recipients(self) -> list[str]:
        """Every age recipient the data key is encrypted to."""
        return [r for group in self._document.metadata.recipients for r in group]

    @property
    def key_groups(self) -> list[list[str]]:
        """The age recipients of each key group (one group unless the data key is split)."""
        return self._document.metadata.recipients

    @property
    def groups_needed(self) -> int:
        """How many key groups open the data key: 1, or the Shamir threshold of several."""
        groups = self._document.metadata.recipients
        if len(groups) <= 1:
            return 1
        return self._document.metadata.shamir_threshold or len(groups)

    def _tree(self, name: str) -> dict[str, Any]:
        tree: dict[str, Any] = self._document.data.setdefault(name, {})
        return tree

    def _leaf(self, tree: str, namespace: str, secret: str) -> Mapping[str, Any]:
        node = self._document.data.get(tree, {}).get(namespace, {})
        found = node.get(secret, {}) if isinstance(node, Mapping) else {}
        return found if isinstance(found, Mapping) else {}

    def get(self, namespace: str, secret: str, key: str) -> str | None:
        """The value of ``key`` in Secret ``namespace/secret``, or ``None``."""
        value = self._leaf("secrets", namespace, secret).get(key)
        return None if value is None or isinstance(value, Mapping | list) else as_text(value)

    def previous(self, namespace: str, secret: str, key: str) -> str | None:
        """The value before the last rotation, or ``None``."""
        value = self._leaf("previous", namespace, secret).get(key)
        return None if value is None else as_text(value)

    def parts(self, namespace: str, secret: str, key: str) -> dict[str, str]:
        """The generator's other parts kept with ``key`` (e.g. ``public``), by part name."""
        found = self._leaf("parts", namespace, secret).get(key)
        if not isinstance(found, Mapping):
            return {}
        return {str(name): as_text(value) for name, value in found.items()}

    def info(self, namespace: str, secret: str, key: str) -> Mapping[str, Any]:
        found = self._leaf("meta", namespace, secret).get(key)
        return found if isinstance(found, Mapping) else {}

    def secret(self, namespace: str, secret: str) -> dict[str, str]:
        """Every key of one Secret with its value (for rendering a manifest)."""
        return {
            str(key): as_text(value)
            for key, value in self._leaf("secrets", namespace, secret).items()
            if not isinstance(value, Mapping | list)
        }

    def key_names(self, namespace: str, secret: str) -> list[str]:
        """The names of one Secret's keys in the store, sorted: those :meth:`secret` gives."""
        return sorted(self.secret(namespace, secret))

    def _walk(self) -> Iterator[tuple[str, str, str]]:
        for namespace, secrets in sorted(self._document.data.get("secrets", {}).items()):
            if not isinstance(secrets, Mapping):
                continue
            for secret, keys in sorted(secrets.items()):
                if isinstance(keys, Mapping):
                    for key in sorted(keys):
                        yield str(namespace), str(secret), str(key)

    def keys(self, namespace: str | None = None) -> list[KeyInfo]:
        """Every key in the store (of one namespace if given), sorted, without values."""
        found = []
        for ns, secret, key in self._walk():
            if namespace is not None and ns != namespace:
                continue
            meta = self.info(ns, secret, key)
            found.append(
                KeyInfo(
                    namespace=ns,
                    secret=secret,
                    key=key,
                    format=str(meta.get("format") or "unknown"),
                    generator=optional_text(meta.get("generator")),
                    created=optional_text(meta.get("created")),
                    rotated=optional_text(meta.get("rotated")),
                    has_previous=self.previous(ns, secret, key) is not None,
                    parts=tuple(sorted(self.parts(ns, secret, key))),
                )
            )
        return found

    # -- changing ------------------------------------------------------------------------------

    def _check_encrypted(self, tree: str, namespace: str, secret: str, key: str) -> None:
        selector = self._document.metadata.selector
        if not selector.uses_comments and not selector.encrypts((tree, namespace, secret, key)):
            raise StoreError(
                f"{self.path}: key {key} of Secret {namespace}/{secret} would be stored in clear "
                f"under this file's {selector.kind} {selector.pattern!r}",
                file=str(self.path),
                hint="rename the key or re-create the store with chartsafe",
            )

    def _put(self, tree: str, namespace: str, secret: str, key: str, value: Any) -> None:
        self._tree(tree).setdefault(namespace, {}).setdefault(secret, {})[key] = value

    def set(
        self,
        namespace: str,
        secret: str,
        key: str,
        value: str,
        *,
        format: str | None = None,
        generator: str | None = None,
        parts: Mapping[str, str] | None = None,
    ) -> bool:
        """Store ``value``; ``False`` (and nothing touched) when it is already the same.

        ``format``/``generator`` go to the key's metadata; ``parts`` are the generator's other
        values kept with the key. A different value already there moves to ``previous`` (and
        ``rotated`` is stamped), as in ``rotate``: setting a value by hand is a rotation too,
        and the old value must stay readable for a rollback. The old value's parts go: they
        belong to it (the public half of a replaced private key), and a later fill of the rest
        of its group would take them for the new value's.
        A person's value (no ``generator``) must fit ``format``, as ``secrets set`` requires.
        """
        validate_names(namespace, secret, key)
        check_value(namespace, secret, key, value, format if generator is None else None)
        self._check_encrypted("secrets", namespace, secret, key)
        old = self.get(namespace, secret, key)
        if old == value and not parts:
            return False
        now = stamp(self._clock())
        meta = dict(self.info(namespace, secret, key))
        if old is not None and old != value:
            self._keep_previous(namespace, secret, key, old, meta, now)
        self._put("secrets", namespace, secret, key, value)
        meta.setdefault("created", now)
        if format:
            meta["format"] = format
        meta["generator"] = generator or "set"  # "set": the value came from a person
        self._put("meta", namespace, secret, key, ordered_meta(meta))
        if parts:
            self._check_encrypted("parts", namespace, secret, key)
            self._put("parts", namespace, secret, key, dict(sorted(parts.items())))
        elif old != value:
            self._drop("parts", namespace, secret, key)
        self.dirty = True
        return True

    def _drop(self, tree: str, namespace: str, secret: str, key: str) -> bool:
        node = self._document.data.get(tree, {}).get(namespace, {}).get(secret)
        if isinstance(node, dict) and key in node:
            del node[key]
            return True
        return False

    def _keep_previous(
        self, namespace: str, secret: str, key: str, old: str, meta: dict[str, Any], now: str
    ) -> None:
        """The value being replaced into ``previous`` (one level of rollback), and
        ``rotated`` stamped ``now`` in ``meta``: for ``rotate``, and ``set`` over a different
        value."""
        self._check_encrypted("previous", namespace, secret, key)
        self._put("previous", namespace, secret, key, old)
        meta["rotated"] = now

    def rotate(
        self,
        namespace: str,
        secret: str,
        key: str,
        value: str,
        *,
        parts: Mapping[str, str] | None = None,
        generator: str | None = None,
    ) -> None:
        """Replace the value, keeping the old one in ``previous`` (one level of rollback).

        ``generator`` is the spec that made the new value: recorded, so ``list`` and the next
        ``rotate`` use the spec of the value stored, not of the one before it.
        """
        old = self.get(namespace, secret, key)
        check_value(namespace, secret, key, value)
        if old is None:
            raise InputError(
                f"key {key} of Secret {namespace}/{secret} is not in {self.path}: nothing to "
                "rotate",
                secret=secret,
                key=key,
            )
        meta = dict(self.info(namespace, secret, key))
        self._keep_previous(namespace, secret, key, old, meta, stamp(self._clock()))
        self._put("secrets", namespace, secret, key, value)
        if parts is not None:
            self._put("parts", namespace, secret, key, dict(sorted(parts.items())))
        if generator:
            meta["generator"] = generator
        self._put("meta", namespace, secret, key, ordered_meta(meta))
        self.dirty = True

    def delete(self, namespace: str, secret: str, key: str) -> bool:
        """Remove a key with its previous value, parts and metadata; ``False`` if absent."""
        present = False
        for tree in (*VALUE_TREES, "meta"):
            present = self._drop(tree, namespace, secret, key) or present
        self.dirty = self.dirty or present
        return present

    def derive_key(self, label: bytes) -> bytes:
        """A key derived from the store's data key for ``label`` (e.g. rollout digests)."""
        return self._document.derive_key(label)

    def rekey(self, recipients: str | Sequence[str] | None = None) -> list[str]:
        """Encrypt the data key to ``recipients`` (default: the ``.sops.yaml`` rule's), like
        ``sops updatekeys``; values unchanged. Returns the new recipients."""
        rule = store_rule(self.path, recipients=recipients, fmt=self._document.fmt)
        self._document.rekey(key_groups=rule.key_groups, shamir_threshold=rule.shamir_threshold)
        self.dirty = True
        return rule.recipients

    def save(self) -> bool:
        """Write the store atomically (0600) if anything changed; ``True`` if written."""
        if not self.dirty:
            return False
        text = self._document.dump(written_form(self._document.data))
        write_file(self.path, text)
        self.created = self.dirty = False
        return True
