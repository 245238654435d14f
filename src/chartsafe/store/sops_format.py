"""Encrypt, decrypt, update and rekey SOPS documents (YAML or JSON, age recipients).

The model (SOPS.md §1): every leaf value is replaced by an ``ENC[AES256_GCM,...]`` string under
one random 32-byte data key, with the leaf's map-key path as additional data; map keys stay
clear; a SHA-512 over all leaf values in document order (the MAC) is stored encrypted with
``lastmodified`` as additional data; the data key is encrypted to each age recipient.

``open_document`` decrypts and verifies the MAC; the returned ``SopsDocument`` holds the plain
data and writes it back with ``dump()``, reusing each unchanged value's IV so its ciphertext
stays byte for byte the same (as ``sops edit``/``sops set`` do), and re-MACs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

from chartsafe._errors import IntegrityError, SopsFormatError
from chartsafe.store.age_keys import Identities, find_identities, parse_recipients
from chartsafe.store.sops_json import dump_json, load_json
from chartsafe.store.sops_metadata import (
    DEFAULT_SELECTOR,
    SOPS_VERSION,
    Metadata,
    Selector,
    recover_data_key,
    wrap_data_key,
)
from chartsafe.store.sops_values import (
    Comment,
    decode_plaintext,
    decrypt_value,
    encode_plaintext,
    encrypt_value,
    format_time,
    is_encrypted_value,
)
from chartsafe.store.sops_yaml import dump_yaml, load_yaml

__all__ = [
    "Format",
    "SopsDocument",
    "decrypt",
    "encrypt",
    "is_sops_document",
    "open_document",
    "parse_documents",
    "rekey",
    "update",
]

Format = Literal["yaml", "json"]
_Stash = dict[tuple[str, bytes], bytes]
_MAC_ONLY_ENCRYPTED_INIT = hashlib.sha256(b"sops").digest()


def parse_documents(text: str, fmt: Format, source: str = "<input>") -> list[dict[str, Any]]:
    """The documents of a YAML stream or a JSON file, unencrypted and unverified."""
    if fmt == "json":
        return load_json(text, source)
    if fmt == "yaml":
        return load_yaml(text, source)
    raise SopsFormatError(f"unknown format {fmt!r} (yaml or json)")


def _dump(documents: Sequence[Mapping[str, Any]], fmt: Format, indent: int | None) -> str:
    if fmt == "json":
        return dump_json(documents, indent)
    return dump_yaml(documents, 4 if indent is None else indent)


def is_sops_document(text: str, fmt: Format = "yaml") -> bool:
    """Whether ``text`` parses and its first document has a ``sops`` block with a MAC."""
    try:
        first = parse_documents(text, fmt)[0]
    except SopsFormatError:
        return False
    meta = first.get("sops")
    return isinstance(meta, Mapping) and "mac" in meta and "lastmodified" in meta


def _walk(node: Any, path: tuple[str, ...], leaf: Callable[[Any, tuple[str, ...]], Any]) -> Any:
    """Rebuild ``node`` depth-first in document order, passing every non-null leaf to ``leaf``."""
    if isinstance(node, Mapping):
        out = {}
        for key, value in node.items():
            if not isinstance(key, str):
                raise SopsFormatError(f"key {key!r} under {_where(path)} is not a string")
            out[key] = _walk(value, (*path, key), leaf)
        return out
    if isinstance(node, list | tuple):
        items = [_walk(item, path, leaf) for item in node]
        return [item for item in items if not isinstance(item, Comment)]
    if node is None:
        return None
    return leaf(node, path)


def _where(path: Sequence[str]) -> str:
    return ".".join(path) if path else "the top level"


def _aad(path: Sequence[str]) -> str:
    return "".join(f"{key}:" for key in path)


def _strip_metadata(documents: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in doc.items() if k != "sops"} for doc in documents]


def _now() -> str:
    return format_time(dt.datetime.now(dt.UTC).replace(microsecond=0))


class SopsDocument:
    """A decrypted SOPS document: plain data plus what it takes to write it back.

    ``documents`` holds one plain mapping per YAML document (JSON: exactly one); change it in
    place or pass new data to ``dump()``. The repr shows no value and no key.
    """

    def __init__(
        self,
        documents: list[dict[str, Any]],
        metadata: Metadata,
        data_key: bytes,
        *,
        fmt: Format,
        source: str = "<input>",
        stash: _Stash | None = None,
    ) -> None:
        self.documents = documents
        self.metadata = metadata
        self.fmt: Format = fmt
        self.source = source
        self._data_key = data_key
        self._stash: _Stash = stash if stash is not None else {}

    def __repr__(self) -> str:
        recipients = [r for group in self.metadata.recipients for r in group]
        return (
            f"<SopsDocument {self.source} ({self.fmt}, {len(self.documents)} document(s), "
            f"recipients {', '.join(recipients) or 'none'})>"
        )

    @property
    def data(self) -> dict[str, Any]:
        """The plain data of a single-document file."""
        if len(self.documents) != 1:
            raise SopsFormatError(
                f"{self.source} holds {len(self.documents)} YAML documents; use .documents",
                file=self.source,
            )
        return self.documents[0]

    def dump(
        self,
        data: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None,
        *,
        indent: int | None = None,
        now: str | None = None,
    ) -> str:
        """Encrypt the (possibly changed) data again under the same data key and recipients.

        Unchanged values keep their IV, so their ciphertext is byte for byte the same; changed
        and new values get fresh IVs; ``lastmodified`` and the MAC are renewed.
        """
        if data is not None:
            self.documents = _as_documents(data)
        if self.metadata.selector.uses_comments:
            raise SopsFormatError(
                f"{self.source}: files using {self.metadata.selector.kind} cannot be rewritten "
                "by chartsafe (YAML comments are not kept)",
                file=self.source,
            )
        return _encrypt_documents(
            self.documents,
            self._data_key,
            self.metadata,
            self.fmt,
            stash=self._stash,
            indent=indent,
            now=now,
        )

    def rekey(
        self,
        recipients: str | Sequence[str] | None = None,
        *,
        key_groups: Sequence[Sequence[str]] | None = None,
        shamir_threshold: int | None = None,
        rotate_data_key: bool = False,
        indent: int | None = None,
        now: str | None = None,
    ) -> str:
        """Encrypt the data key to new recipients (like ``sops updatekeys``); values unchanged.

        With ``rotate_data_key`` a new data key is made and every value re-encrypted (like
        ``sops rotate``); master keys chartsafe cannot use (pgp, kms, …) are then refused.
        """
        groups = _groups(recipients, key_groups)
        keeps_others = len(groups) == 1 and len(self.metadata.groups) == 1 and not rotate_data_key
        if self.metadata.has_other_keys and not keeps_others:
            raise SopsFormatError(
                f"{self.source} also has non-age master keys (pgp, kms, …), which could not "
                "be given the new data key or shares",
                file=self.source,
            )
        if rotate_data_key:
            self._data_key, self._stash = os.urandom(32), {}
        wrapped, threshold = wrap_data_key(self._data_key, groups, shamir_threshold)
        others = self.metadata.other_keys if keeps_others else ()
        self.metadata = self.metadata.with_changes(
            groups=wrapped, shamir_threshold=threshold, other_keys=others
        )
        return self.dump(indent=indent, now=now)


def _as_documents(data: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    documents = [data] if isinstance(data, Mapping) else list(data)
    if not documents or not all(isinstance(doc, Mapping) for doc in documents):
        raise SopsFormatError("data to encrypt must be a mapping or a list of mappings")
    if "sops" in documents[0]:
        raise SopsFormatError("the data already has a top-level 'sops' key")
    return [dict(doc) for doc in documents]


def _groups(
    recipients: str | Sequence[str] | None, key_groups: Sequence[Sequence[str]] | None
) -> list[list[str]]:
    if (recipients is None) == (key_groups is None):
        raise SopsFormatError("give either age recipients or key groups")
    if key_groups is not None:
        return [parse_recipients(group) for group in key_groups]
    assert recipients is not None
    return [parse_recipients(recipients)]


def _encrypt_documents(
    documents: Sequence[Mapping[str, Any]],
    data_key: bytes,
    metadata: Metadata,
    fmt: Format,
    *,
    stash: _Stash,
    indent: int | None,
    now: str | None,
) -> str:
    if fmt == "json" and len(documents) != 1:
        raise SopsFormatError("a JSON file holds exactly one document")
    selector, mac_only = metadata.selector, metadata.mac_only_encrypted
    digest = hashlib.sha512(_MAC_ONLY_ENCRYPTED_INIT if mac_only else b"")

    def leaf(value: Any, path: tuple[str, ...]) -> Any:
        kind, raw = encode_plaintext(value, _where(path))
        encrypted = selector.encrypts(path)
        if kind != "comment" and (encrypted or not mac_only):
            digest.update(raw)
        if not encrypted or (kind == "str" and not raw):
            return value
        aad = _aad(path)
        return encrypt_value(data_key, raw, kind, aad, stash.get((aad, raw)))

    encrypted_docs = [_walk(doc, (), leaf) for doc in _strip_metadata(documents)]
    lastmodified = now or _now()
    mac_hex = digest.hexdigest().upper().encode()
    mac = encrypt_value(data_key, mac_hex, "str", lastmodified, stash.get((lastmodified, mac_hex)))
    meta = metadata.with_changes(lastmodified=lastmodified, mac=mac, version=SOPS_VERSION)
    tree = meta.to_tree()
    return _dump([{**doc, "sops": tree} for doc in encrypted_docs], fmt, indent)


def encrypt(
    data: Mapping[str, Any] | Sequence[Mapping[str, Any]],
    recipients: str | Sequence[str] | None = None,
    *,
    key_groups: Sequence[Sequence[str]] | None = None,
    shamir_threshold: int | None = None,
    fmt: Format = "yaml",
    selector: Selector | None = None,
    mac_only_encrypted: bool = False,
    indent: int | None = None,
    now: str | None = None,
) -> str:
    """A new SOPS document holding ``data`` (a mapping, or a list of them for a YAML stream).

    ``recipients`` (``age1…``, a list or a comma-separated string) all get the whole data key;
    ``key_groups`` (a list of recipient lists) get Shamir shares instead, any
    ``shamir_threshold`` groups (default: all) being needed. ``selector`` picks the encrypted
    leaves (default: all but those under a key ending in ``_unencrypted``).
    """
    documents = _as_documents(data)
    selector = selector or DEFAULT_SELECTOR
    if selector.uses_comments:
        raise SopsFormatError(f"{selector.kind} is not supported (YAML comments are not kept)")
    data_key = os.urandom(32)
    groups, threshold = wrap_data_key(data_key, _groups(recipients, key_groups), shamir_threshold)
    metadata = Metadata(
        groups=groups,
        lastmodified="",
        mac="",
        selector=selector,
        mac_only_encrypted=mac_only_encrypted,
        shamir_threshold=threshold,
    )
    return _encrypt_documents(documents, data_key, metadata, fmt, stash={}, indent=indent, now=now)


def open_document(
    text: str,
    *,
    fmt: Format = "yaml",
    identities: Identities | None = None,
    source: str = "<input>",
) -> SopsDocument:
    """Decrypt a SOPS document and verify its MAC.

    ``identities`` default to those sops would find (``find_identities()``). Raises
    ``DecryptionError`` (no identity opens the data key; the message says where it looked),
    ``IntegrityError`` (a value, the MAC or the data key was altered) or ``SopsFormatError``.
    """
    raw_docs = parse_documents(text, fmt, source)
    metadata = Metadata.from_tree(raw_docs[0].get("sops"), source)
    if identities is None:
        identities = find_identities()
    data_key = recover_data_key(metadata, identities, source)
    selector, mac_only = metadata.selector, metadata.mac_only_encrypted
    digest = hashlib.sha512(_MAC_ONLY_ENCRYPTED_INIT if mac_only else b"")
    stash: _Stash = {}

    def leaf(value: Any, path: tuple[str, ...]) -> Any:
        where = f"{source}: {_where(path)}"
        if selector.uses_comments:
            encrypted = is_encrypted_value(value)
        else:
            encrypted = selector.encrypts(path) and value != ""
        if not encrypted:
            if not mac_only:
                digest.update(encode_plaintext(value, where)[1])
            return value
        if not is_encrypted_value(value):
            raise SopsFormatError(
                f"{where}: the value is not encrypted although the file's rules say it is",
                file=source,
            )
        aad = _aad(path)
        kind, raw, iv = decrypt_value(data_key, value, aad, where)
        stash[(aad, raw)] = iv
        plain = decode_plaintext(kind, raw, where)
        if kind != "comment":
            digest.update(encode_plaintext(plain, where)[1])
        return plain

    documents = [_walk(doc, (), leaf) for doc in _strip_metadata(raw_docs)]
    _verify_mac(metadata, data_key, digest.hexdigest().upper(), source, stash)
    return SopsDocument(documents, metadata, data_key, fmt=fmt, source=source, stash=stash)


def _verify_mac(meta: Metadata, data_key: bytes, computed: str, source: str, stash: _Stash) -> None:
    if not meta.mac:
        raise IntegrityError(f"{source}: the file has no MAC", file=source)
    where = f"{source}: sops.mac"
    _kind, raw, iv = decrypt_value(data_key, meta.mac, meta.lastmodified, where)
    stored = raw.decode(errors="replace").upper()
    if not hmac.compare_digest(stored.encode(), computed.encode()):
        raise IntegrityError(
            f"{source}: MAC mismatch: the values or their order differ from what was encrypted",
            file=source,
        )
    stash[(meta.lastmodified, raw)] = iv


def decrypt(
    text: str,
    *,
    fmt: Format = "yaml",
    identities: Identities | None = None,
    source: str = "<input>",
) -> dict[str, Any]:
    """The plain data of a single-document SOPS file (see ``open_document``)."""
    return open_document(text, fmt=fmt, identities=identities, source=source).data


def update(
    text: str,
    data: Mapping[str, Any] | Sequence[Mapping[str, Any]],
    *,
    fmt: Format = "yaml",
    identities: Identities | None = None,
    source: str = "<input>",
    now: str | None = None,
) -> str:
    """``text`` with its plain data replaced by ``data``; unchanged values keep their bytes."""
    document = open_document(text, fmt=fmt, identities=identities, source=source)
    return document.dump(data, now=now)


def rekey(
    text: str,
    recipients: str | Sequence[str] | None = None,
    *,
    key_groups: Sequence[Sequence[str]] | None = None,
    shamir_threshold: int | None = None,
    rotate_data_key: bool = False,
    fmt: Format = "yaml",
    identities: Identities | None = None,
    source: str = "<input>",
    now: str | None = None,
) -> str:
    """``text`` with its data key encrypted to new recipients (see ``SopsDocument.rekey``)."""
    document = open_document(text, fmt=fmt, identities=identities, source=source)
    return document.rekey(
        recipients,
        key_groups=key_groups,
        shamir_threshold=shamir_threshold,
        rotate_data_key=rotate_data_key,
        now=now,
    )
