"""The store's working object: a decrypted SOPS document, and the one-call helpers around it.

``open_document`` decrypts and verifies the MAC; the returned ``SopsDocument`` holds the plain
data and writes it back with ``dump()``, reusing each unchanged value's IV so its ciphertext
stays byte for byte the same (as ``sops edit``/``sops set`` do). ``rekey`` re-encrypts the data
key to new recipients (``sops updatekeys``), optionally with a new data key (``sops rotate``).

YAML comments are kept as sops keeps them: ``documents`` is a ``Documents`` whose ``comments``
hold them, anchored to the keys and list items they stand above, so data changed in place or
passed to ``dump()`` as new dicts keeps the comments of the keys that are still there.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from chartsafe._errors import SopsFormatError
from chartsafe.store.age_keys import Identities, find_identities, parse_recipients
from chartsafe.store.sops_format import (
    Documents,
    Format,
    Stash,
    decrypt_documents,
    encrypt_documents,
    parse_documents,
)
from chartsafe.store.sops_metadata import DEFAULT_SELECTOR, Metadata, Selector, wrap_data_key

__all__ = [
    "SopsDocument",
    "decrypt",
    "decrypt_dotenv",
    "encrypt",
    "open_document",
    "rekey",
    "update",
]


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
        stash: Stash | None = None,
    ) -> None:
        self.documents = documents
        self.metadata = metadata
        self.fmt: Format = fmt
        self.source = source
        self._data_key = data_key
        self._stash: Stash = stash if stash is not None else {}

    def derive_key(self, label: bytes) -> bytes:
        """A key for ``label`` derived from the data key (HMAC-SHA256): never the data key
        itself, different per label, and unknowable without an identity that opens the file."""
        import hashlib
        import hmac

        return hmac.new(self._data_key, label, hashlib.sha256).digest()

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
            self.documents = _as_documents(data, self.documents)
        if self.metadata.selector.uses_comments:
            raise SopsFormatError(
                f"{self.source}: files using {self.metadata.selector.kind} cannot be rewritten "
                "by chartsafe (choosing values by comment is not implemented)",
                file=self.source,
            )
        return encrypt_documents(
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


def _as_documents(
    data: Mapping[str, Any] | Sequence[Mapping[str, Any]],
    previous: Sequence[Mapping[str, Any]] = (),
) -> Documents:
    """``data`` as documents, with its comments if it is ``Documents`` (edited text), else with
    those of ``previous`` (the data it replaces)."""
    documents = [data] if isinstance(data, Mapping) else list(data)
    if not documents or not all(isinstance(doc, Mapping) for doc in documents):
        raise SopsFormatError("data to encrypt must be a mapping or a list of mappings")
    if "sops" in documents[0]:
        raise SopsFormatError("the data already has a top-level 'sops' key")
    carrier = data if isinstance(data, Documents) else previous
    comments = carrier.comments if isinstance(carrier, Documents) else None
    return Documents([dict(doc) for doc in documents], comments)


def _groups(
    recipients: str | Sequence[str] | None, key_groups: Sequence[Sequence[str]] | None
) -> list[list[str]]:
    if (recipients is None) == (key_groups is None):
        raise SopsFormatError("give either age recipients or key groups")
    if key_groups is not None:
        return [parse_recipients(group) for group in key_groups]
    assert recipients is not None
    return [parse_recipients(recipients)]


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
    leaves (default: all but those under a key ending in ``_unencrypted``); a binary file
    has none (its one leaf ``data`` is always encrypted, as sops does it).
    """
    documents = _as_documents(data)
    selector = DEFAULT_SELECTOR if fmt == "binary" else selector or DEFAULT_SELECTOR
    if selector.uses_comments:
        raise SopsFormatError(
            f"{selector.kind} is not supported (choosing values by comment is not implemented)"
        )
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
    return encrypt_documents(documents, data_key, metadata, fmt, stash={}, indent=indent, now=now)


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
    if identities is None:
        identities = find_identities()
    documents, metadata, data_key, stash = decrypt_documents(
        raw_docs, identities, source, binary=fmt == "binary"
    )
    return SopsDocument(documents, metadata, data_key, fmt=fmt, source=source, stash=stash)


def decrypt(
    text: str,
    *,
    fmt: Format = "yaml",
    identities: Identities | None = None,
    source: str = "<input>",
) -> dict[str, Any]:
    """The plain data of a single-document SOPS file (see ``open_document``)."""
    return open_document(text, fmt=fmt, identities=identities, source=source).data


def decrypt_dotenv(
    text: str, *, identities: Identities | None = None, source: str = "<input>"
) -> dict[str, str]:
    """The plain ``KEY: value`` pairs of a SOPS dotenv file, MAC verified."""
    data = decrypt(text, fmt="dotenv", identities=identities, source=source)
    return {key: str(value) for key, value in data.items()}


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
