"""The plain data of a secret store file (``docs/store.md``): its trees, names and written form.

This is what ``sops -d`` shows, kept apart from :class:`~chartsafe.store.secret_store.SecretStore`
so that the file format can be read in one place and the store's operations in another::

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
MAC still covers the whole tree, so altering the metadata is detected too. Namespace and Secret
names are DNS names (``validate_names``), so the layout's own keys can never collide with them.

Nothing here holds or shows a value: ``KeyInfo`` carries the clear metadata only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from chartsafe._errors import InputError, StoreError
from chartsafe._go_format import format_float_g
from chartsafe.store.sops_metadata import Selector
from chartsafe.store.sops_values import format_time

__all__ = [
    "STORE_SELECTOR",
    "STORE_VERSION",
    "VALUE_TREES",
    "KeyInfo",
    "as_text",
    "check_layout",
    "optional_text",
    "ordered_meta",
    "stamp",
    "validate_names",
    "written_form",
]

STORE_VERSION: Final = 1
#: Which leaves a new store encrypts: every value, previous value and part; not ``meta``.
STORE_SELECTOR: Final = Selector("encrypted_regex", "^(secrets|previous|parts)$")
#: The trees holding values (all encrypted); ``meta`` is the one clear tree beside them.
VALUE_TREES: Final = ("secrets", "previous", "parts")
_TREE_ORDER: Final = ("chartsafe", "secrets", "previous", "parts", "meta")
_META_ORDER: Final = ("format", "generator", "created", "rotated")
_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
_DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_SECRET_KEY = re.compile(r"^[-._a-zA-Z0-9]+$")


def validate_names(namespace: str | None, secret: str | None, key: str | None = None) -> None:
    """Kubernetes' rules for a namespace, a Secret name and a Secret key; one-line errors.

    ``namespace`` None: none to check (a cluster-wide SealedSecret may have none);
    ``secret`` None likewise (``seal --raw`` for a namespace-wide scope names none).
    """
    if namespace is not None and not _DNS_LABEL.match(namespace):
        raise InputError(
            f"namespace {namespace!r} is not a DNS label (lowercase letters, digits, '-')"
        )
    if secret is None:
        return
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


def check_layout(path: Path, data: dict[str, Any]) -> None:
    """Refuse a file that is not a store, a store of a newer layout, and a store whose trees,
    namespaces or Secrets are not mappings (a hand edit).

    Not a store: any top-level key besides the layout's own (an ordinary SOPS values file given
    to ``--store`` would otherwise get the store's trees added to it). A file with no key at
    all is an empty store. An empty node (``ns:`` with nothing under it, as a hand edit leaves
    it) is made an empty mapping, as YAML means it.
    """
    _check_kind(path, data)
    for tree in (*VALUE_TREES, "meta"):
        if data.get(tree) is None:
            data.pop(tree, None)
            continue
        _mapping(path, tree, data[tree])
        for namespace, secrets in data[tree].items():
            secrets = data[tree][namespace] = {} if secrets is None else secrets
            _mapping(path, f"{tree}.{namespace}", secrets)
            for secret, keys in secrets.items():
                secrets[secret] = {} if keys is None else keys
                _mapping(path, f"{tree}.{namespace}.{secret}", secrets[secret])


def _check_kind(path: Path, data: Mapping[str, Any]) -> None:
    """A chartsafe store of a layout this version reads, else one line saying which it is not."""
    unknown = [str(key) for key in data if key not in _TREE_ORDER]
    if unknown:
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        plural = "s" if len(unknown) > 1 else ""
        raise StoreError(
            f"{path}: not a chartsafe store: it has top-level key{plural} "
            f"{', '.join(unknown[:5])}{more}",
            file=str(path),
            hint="give --store a store chartsafe made, or a path where none exists yet",
        )
    marker = data.get("chartsafe")
    if marker is None:
        return
    version = marker.get("version") if isinstance(marker, Mapping) else None
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise StoreError(
            f"{path}: not a chartsafe store: its 'chartsafe' key holds no layout version "
            f"number (version: {STORE_VERSION})",
            file=str(path),
        )
    if version > STORE_VERSION:
        raise StoreError(
            f"{path}: store layout version {version} is newer than this chartsafe reads "
            f"({STORE_VERSION})",
            file=str(path),
            hint="upgrade chartsafe to use this store",
        )


def _mapping(path: Path, where: str, node: Any) -> None:
    if not isinstance(node, dict):
        raise StoreError(
            f"{path}: '{where}' is not a mapping",
            file=str(path),
            hint="fix it with chartsafe sops edit: namespaces hold Secrets, Secrets keys",
        )


def as_text(value: Any) -> str:
    """A stored scalar as the string a Secret would hold, the text ``sops -d --extract`` gives.

    A store written by hand or by ``sops`` may hold other YAML types than strings: an int,
    a float (Go's shortest form: ``1.5e+20``, ``123456``), a bool (``true``) or a timestamp
    (RFC 3339 as sops encrypts it: ``2024-01-02`` is ``2024-01-02T00:00:00Z``).
    """
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        text = format_float_g(value)
        return {"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}.get(text, text)
    if isinstance(value, dt.date):
        return format_time(value)
    return str(value)


def optional_text(value: Any) -> str | None:
    """``as_text`` of a metadata field that may be absent."""
    return None if value is None else as_text(value)


def stamp(moment: dt.datetime) -> str:
    """The ``created``/``rotated`` form of a moment: UTC, to the second."""
    return moment.astimezone(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def ordered_meta(meta: Mapping[str, Any]) -> dict[str, Any]:
    """A key's metadata with its known fields first, in the documented order."""
    first = {k: meta[k] for k in _META_ORDER if k in meta}
    return {**first, **{k: v for k, v in meta.items() if k not in first}}


def written_form(data: Mapping[str, Any]) -> dict[str, Any]:
    """The plain data as a store file holds it: no empty mappings, versioned, trees in order."""
    pruned: dict[str, Any] = _pruned(data)
    pruned.setdefault("chartsafe", {"version": STORE_VERSION})
    ordered: dict[str, Any] = {name: pruned[name] for name in _TREE_ORDER if name in pruned}
    ordered.update({k: v for k, v in pruned.items() if k not in ordered})
    return ordered


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
