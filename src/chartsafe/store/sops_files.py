"""SOPS files on disk: read and decrypt, encrypt with the file's creation rule, write atomically.

The format follows the name as with sops: ``.yaml``/``.yml`` YAML, ``.json`` JSON, ``.env``
dotenv, anything else binary (``sops_binary``); ``.ini`` is refused. Files are written 0600
through a temporary file and a rename, so a store is never left half-written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from chartsafe._errors import SopsFormatError, StoreError
from chartsafe.store._atomic import write_atomic
from chartsafe.store.age_keys import Identities, find_identities
from chartsafe.store.sops_binary import text_only
from chartsafe.store.sops_config import creation_rule_for
from chartsafe.store.sops_document import SopsDocument, encrypt, open_document
from chartsafe.store.sops_format import Format, read_text
from chartsafe.store.sops_values import text_as_bytes

__all__ = ["decrypt_file", "encrypt_file", "format_for_path", "open_file", "write_file"]


def format_for_path(path: Path | str) -> Format:
    """The format sops gives a file by its name (its suffix, case as written).

    INI, the one sops format chartsafe does not read or write, is refused by name rather than
    taken for another format and reported as malformed.
    """
    name = str(path)
    if name.endswith((".yaml", ".yml")):
        return "yaml"
    if name.endswith(".json"):
        return "json"
    if name.endswith(".env"):
        return "dotenv"
    if name.endswith(".ini"):
        raise SopsFormatError(
            f"{path}: INI files (sops's .ini format) are not supported; chartsafe reads and "
            "writes YAML, JSON, dotenv (.env) and binary files",
            file=name,
        )
    return "binary"


def _read(path: Path, fmt: Format) -> str:
    try:
        return read_text(path.read_bytes(), fmt)
    except FileNotFoundError:
        raise StoreError(f"{path}: no such file", file=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise StoreError(f"{path}: cannot read it: {reason}", file=str(path)) from None


def open_file(
    path: Path | str,
    *,
    identities: Identities | None = None,
    key_file: Path | str | None = None,
    fmt: Format | None = None,
) -> SopsDocument:
    """Decrypt a SOPS file (MAC checked). ``key_file`` replaces the usual identity sources.

    A binary file's content must be UTF-8 text here: what is opened this way becomes values
    (``sops://`` references, the store). ``chartsafe sops`` keeps any bytes.
    """
    path = Path(path)
    fmt = fmt or format_for_path(path)
    if identities is None:
        identities = find_identities(key_file)
    document = open_document(_read(path, fmt), fmt=fmt, identities=identities, source=str(path))
    if fmt == "binary":
        text_only(document.documents, str(path))
    return document


def decrypt_file(
    path: Path | str,
    *,
    identities: Identities | None = None,
    key_file: Path | str | None = None,
) -> dict[str, Any]:
    """The plain data of a single-document SOPS file."""
    return open_file(path, identities=identities, key_file=key_file).data


def write_file(path: Path | str, text: str) -> None:
    """Write ``text`` to ``path`` atomically, 0600.

    A binary file's decrypted content may hold bytes that are not UTF-8
    (``sops_values.bytes_as_text``): they are written back as they were.
    """
    path = Path(path)
    try:
        write_atomic(path, text_as_bytes(text), mode=0o600)
    except OSError as exc:
        raise StoreError(f"{path}: cannot write it: {exc.strerror}", file=str(path)) from None


def encrypt_file(
    path: Path | str,
    data: Mapping[str, Any] | Sequence[Mapping[str, Any]],
    *,
    recipients: str | Sequence[str] | None = None,
    config: Path | str | None = None,
    start: Path | str | None = None,
) -> list[str]:
    """Encrypt ``data`` into a new ``path`` like ``sops encrypt`` would; returns the recipients.

    Recipients are ``recipients`` if given, else those of the matching creation rule of the
    nearest ``.sops.yaml`` (searched from ``start``, default the current directory), whose
    selector, MAC mode and indent also apply.
    """
    path = Path(path)
    fmt = format_for_path(path)
    rule = creation_rule_for(path, recipients=recipients, config=config, start=start, fmt=fmt)
    text = encrypt(
        data,
        key_groups=rule.key_groups,
        shamir_threshold=rule.shamir_threshold,
        fmt=fmt,
        selector=rule.selector,
        mac_only_encrypted=rule.mac_only_encrypted,
        indent=rule.indent,
    )
    write_file(path, text)
    return rule.recipients
