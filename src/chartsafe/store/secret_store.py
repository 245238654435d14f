"""The secret store: the true values of a release's Secrets in one SOPS file (``docs/store.md``).

Layout of the plain data (``sops -d`` shows exactly this)::

    chartsafe: {version: 1}
    secrets:   {NAMESPACE: {SECRET: {KEY: value}}}             encrypted
    previous:  {NAMESPACE: {SECRET: {KEY: value}}}             encrypted; the value before the
                                                               last rotation, for rollback
    parts:     {NAMESPACE: {SECRET: {KEY: {PART: value}}}}     encrypted; what a generator made
                                                               besides the key's own value (the
                                                               other half of a key pair, ...)
    meta:      {NAMESPACE: {SECRET: {KEY: {format, generator, created, rotated}}}}   clear

New stores are written with the SOPS selector ``encrypted_regex: ^(secrets|previous|parts)$``
so that ``list`` information stays readable in ``git diff`` while every value is encrypted; the
MAC still covers the whole tree, so altering the metadata is detected too. A store written by
``sops`` with another selector is read and updated under its own selector, and a value that
selector would leave in clear is refused. Namespace and Secret names are DNS names, so the
layout's own keys can never collide with them.

No method prints, logs or raises with a value; the repr shows counts only.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from chartsafe._errors import InputError, StoreError
from chartsafe.store.age_keys import Identities, find_identities
from chartsafe.store.sops_config import creation_rule_for
from chartsafe.store.sops_document import SopsDocument
from chartsafe.store.sops_files import format_for_path, open_file, write_file
from chartsafe.store.sops_metadata import Metadata, Selector, wrap_data_key

__all__ = ["STORE_SELECTOR", "STORE_VERSION", "KeyInfo", "SecretStore", "validate_names"]

STORE_VERSION: Final = 1
#: Which leaves a new store encrypts: every value, previous value and part; not ``meta``.
STORE_SELECTOR: Final = Selector("encrypted_regex", "^(secrets|previous|parts)$")
_VALUE_TREES: Final = ("secrets", "previous", "parts")
_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
_DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_SECRET_KEY = re.compile(r"^[-._a-zA-Z0-9]+$")

Clock = Callable[[], dt.datetime]


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def validate_names(namespace: str, secret: str, key: str | None = None) -> None:
    """Kubernetes' rules for a namespace, a Secret name and a Secret key; one-line errors."""
    if not _DNS_LABEL.match(namespace):
        raise InputError(
            f"namespace {namespace!r} is not a DNS label (lowercase letters, digits, '-')"
        )
    if len(secret) > 253 or not _DNS_SUBDOMAIN.match(secret):
        raise InputError(
            f"Secret name {secret!r} is not a DNS subdomain (lowercase letters, digits, '-', '.')",
            secret=secret,
        )
    if key is not None and (len(key) > 253 or not _SECRET_KEY.match(key) or key in (".", "..")):
        raise InputError(
            f"key {key!r} of Secret {secret} is not a valid Secret key (letters, digits, '-._')",
            secret=secret,
            key=key,
        )


@dataclass(frozen=True)
class KeyInfo:
    """What ``list`` shows for one key: never its value."""

    namespace: str
    secret: str
    key: str
    format: str
    generator: str | None
    created: str | None
    rotated: str | None
    has_previous: bool
    parts: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "namespace": self.namespace,
            "secret": self.secret,
            "key": self.key,
            "format": self.format,
            "generator": self.generator,
            "created": self.created,
            "rotated": self.rotated,
            "previous": self.has_previous,
            "parts": list(self.parts),
        }


def _as_text(value: Any) -> str:
    """A stored scalar as the string a Secret would hold (YAML written by hand may hold ints)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else str(value)


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
        for tree in (*_VALUE_TREES, "meta"):
            if not isinstance(data.get(tree, {}), Mapping):
                raise StoreError(f"{path}: '{tree}' is not a mapping", file=str(path))
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
        document = open_file(path, identities=identities, key_file=key_file)
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
        if path.exists():
            raise StoreError(f"{path} already exists; not replacing it", file=str(path))
        fmt = format_for_path(path)
        rule = creation_rule_for(
            path, recipients=recipients, config=config, start=path.parent, fmt=fmt
        )
        data_key = os.urandom(32)
        groups, threshold = wrap_data_key(data_key, rule.key_groups, rule.shamir_threshold)
        metadata = Metadata(
            groups=groups,
            lastmodified="",
            mac="",
            selector=STORE_SELECTOR,
            shamir_threshold=threshold,
        )
        document = SopsDocument(
            [{"chartsafe": {"version": STORE_VERSION}}], metadata, data_key, fmt=fmt,
            source=str(path),
        )  # fmt: skip
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
        """Open ``path`` if it exists, else create it (not written until ``save()``)."""
        if Path(path).exists():
            return cls.open(path, key_file=key_file, clock=clock)
        return cls.create(path, recipients=recipients, clock=clock)

    # -- reading -------------------------------------------------------------------------------

    @property
    def recipients(self) -> list[str]:
        """Every age recipient the data key is encrypted to."""
        return [r for group in self._document.metadata.recipients for r in group]

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
        return None if value is None or isinstance(value, Mapping | list) else _as_text(value)

    def previous(self, namespace: str, secret: str, key: str) -> str | None:
        """The value before the last rotation, or ``None``."""
        value = self._leaf("previous", namespace, secret).get(key)
        return None if value is None else _as_text(value)

    def parts(self, namespace: str, secret: str, key: str) -> dict[str, str]:
        """The generator's other parts kept with ``key`` (e.g. ``public``), by part name."""
        found = self._leaf("parts", namespace, secret).get(key)
        if not isinstance(found, Mapping):
            return {}
        return {str(name): _as_text(value) for name, value in found.items()}

    def info(self, namespace: str, secret: str, key: str) -> Mapping[str, Any]:
        found = self._leaf("meta", namespace, secret).get(key)
        return found if isinstance(found, Mapping) else {}

    def secret(self, namespace: str, secret: str) -> dict[str, str]:
        """Every key of one Secret with its value (for rendering a manifest)."""
        return {
            str(key): _as_text(value)
            for key, value in self._leaf("secrets", namespace, secret).items()
            if not isinstance(value, Mapping | list)
        }

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
                    generator=_opt(meta.get("generator")),
                    created=_opt(meta.get("created")),
                    rotated=_opt(meta.get("rotated")),
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
        values kept with the key.
        """
        validate_names(namespace, secret, key)
        if not isinstance(value, str) or value == "":
            raise InputError(
                f"the value for key {key} of Secret {namespace}/{secret} is empty",
                secret=secret,
                key=key,
            )
        self._check_encrypted("secrets", namespace, secret, key)
        if self.get(namespace, secret, key) == value and not parts:
            return False
        now = _stamp(self._clock())
        self._put("secrets", namespace, secret, key, value)
        meta = dict(self.info(namespace, secret, key))
        meta.setdefault("created", now)
        if format:
            meta["format"] = format
        meta["generator"] = generator or "set"  # "set": the value came from a person
        self._put("meta", namespace, secret, key, _ordered(meta))
        if parts:
            self._check_encrypted("parts", namespace, secret, key)
            self._put("parts", namespace, secret, key, dict(sorted(parts.items())))
        self.dirty = True
        return True

    def rotate(
        self,
        namespace: str,
        secret: str,
        key: str,
        value: str,
        *,
        parts: Mapping[str, str] | None = None,
    ) -> None:
        """Replace the value, keeping the old one in ``previous`` (one level of rollback)."""
        old = self.get(namespace, secret, key)
        if old is None:
            raise InputError(
                f"key {key} of Secret {namespace}/{secret} is not in {self.path}: nothing to "
                "rotate",
                secret=secret,
                key=key,
            )
        self._check_encrypted("previous", namespace, secret, key)
        meta = dict(self.info(namespace, secret, key))
        self._put("previous", namespace, secret, key, old)
        self._put("secrets", namespace, secret, key, value)
        if parts is not None:
            self._put("parts", namespace, secret, key, dict(sorted(parts.items())))
        meta["rotated"] = _stamp(self._clock())
        self._put("meta", namespace, secret, key, _ordered(meta))
        self.dirty = True

    def delete(self, namespace: str, secret: str, key: str) -> bool:
        """Remove a key with its previous value, parts and metadata; ``False`` if absent."""
        present = False
        for tree in (*_VALUE_TREES, "meta"):
            node = self._document.data.get(tree, {}).get(namespace, {}).get(secret)
            if isinstance(node, dict) and key in node:
                del node[key]
                present = True
        self.dirty = self.dirty or present
        return present

    def derive_key(self, label: bytes) -> bytes:
        """A key derived from the store's data key for ``label`` (e.g. rollout digests)."""
        return self._document.derive_key(label)

    def rekey(self, recipients: str | Sequence[str] | None = None) -> list[str]:
        """Encrypt the data key to ``recipients`` (default: the ``.sops.yaml`` rule's), like
        ``sops updatekeys``; values unchanged. Returns the new recipients."""
        rule = creation_rule_for(
            self.path, recipients=recipients, start=self.path.parent, fmt=self._document.fmt
        )
        self._document.rekey(key_groups=rule.key_groups, shamir_threshold=rule.shamir_threshold)
        self.dirty = True
        return rule.recipients

    def save(self) -> bool:
        """Write the store atomically (0600) if anything changed; ``True`` if written."""
        if not self.dirty:
            return False
        data = _pruned(self._document.data)
        data.setdefault("chartsafe", {"version": STORE_VERSION})
        ordered = {name: data[name] for name in _ORDER if name in data}
        ordered.update({k: v for k, v in data.items() if k not in ordered})
        text = self._document.dump(ordered)
        write_file(self.path, text)
        self.created = self.dirty = False
        return True


_ORDER: Final = ("chartsafe", "secrets", "previous", "parts", "meta")
_META_ORDER: Final = ("format", "generator", "created", "rotated")


def _ordered(meta: Mapping[str, Any]) -> dict[str, Any]:
    first = {k: meta[k] for k in _META_ORDER if k in meta}
    return {**first, **{k: v for k, v in meta.items() if k not in first}}


def _opt(value: Any) -> str | None:
    return None if value is None else _as_text(value)


def _pruned(node: Any) -> Any:
    """The tree without empty mappings (sops would keep writing ``{}``)."""
    if not isinstance(node, Mapping):
        return node
    result = {}
    for key, value in node.items():
        value = _pruned(value)
        if isinstance(value, Mapping) and not value:
            continue
        result[key] = value
    return result


def default_identities(key_file: Path | str | None) -> Identities:
    """The identities a store command uses: ``--age-key-file`` or those sops would find."""
    return find_identities(key_file)
