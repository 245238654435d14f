"""The SOPS tree walk: encrypt and decrypt every leaf, compute and check the MAC.

The model (SOPS.md §1): every leaf value is replaced by an ``ENC[AES256_GCM,...]`` string under
one random 32-byte data key, with the leaf's map-key path as additional data; map keys stay
clear; a SHA-512 over all leaf values in document order (the MAC) is stored encrypted with
``lastmodified`` as additional data; the data key is encrypted to each age recipient
(``sops_metadata``). ``sops_document`` builds the store's working object on top of this.

YAML comments ride along (``sops_comments``): the walk runs over the sops tree, where a comment
is a ``Comment`` key of its mapping or an element of its list, encrypted with the mapping's path
as AAD and never hashed. An encrypted comment in a list is written as a list element
``- ENC[...,type:comment]``, in a mapping as a ``#ENC[...]`` line, as sops does. A comment that
does not decrypt stays as written, as sops leaves it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final, Literal

from chartsafe._errors import IntegrityError, SopsFormatError
from chartsafe.store.age_keys import Identities
from chartsafe.store.sops_binary import dump_binary, load_binary
from chartsafe.store.sops_comments import CommentTable, Documents, attach, detach, settle
from chartsafe.store.sops_dotenv import dump_dotenv, load_dotenv
from chartsafe.store.sops_json import dump_json, load_json
from chartsafe.store.sops_metadata import (
    SOPS_VERSION,
    Metadata,
    recover_data_key,
)
from chartsafe.store.sops_values import (
    Comment,
    bytes_as_text,
    decode_plaintext,
    decrypt_value,
    encode_plaintext,
    encrypt_value,
    format_time,
    is_encrypted_value,
)
from chartsafe.store.sops_yaml import load_yaml_commented
from chartsafe.store.yaml_emit import dump_yaml

__all__ = [
    "Documents",
    "Format",
    "Stash",
    "decrypt_documents",
    "dump_documents",
    "encrypt_documents",
    "is_sops_document",
    "looks_like_sops",
    "parse_documents",
    "read_text",
]

Format = Literal["yaml", "json", "dotenv", "binary"]
"""sops's stores but INI: ``sops_dotenv`` and ``sops_binary`` say how the last two look."""
Stash = dict[tuple[str, bytes], bytes]
"""IV of each value by (AAD, plaintext), to re-encrypt unchanged values identically."""
_MAC_ONLY_ENCRYPTED_INIT = hashlib.sha256(b"sops").digest()


def read_text(data: bytes, fmt: Format) -> str:
    """A file's bytes as the text ``parse_documents`` takes, read as sops reads them.

    A binary file's content is taken whole, whatever its bytes (``bytes_as_text``). sops splits
    dotenv lines at ``\\n`` only, so a ``\\r`` stays at the end of its value or comment
    (measured with sops 3.11: ``A=1\\r\\n`` decrypts to ``A=1\\r\\n``). YAML and JSON get
    ``\\n`` line ends, which changes nothing their parsers see. Raises ``UnicodeDecodeError``
    for YAML, JSON or dotenv that is not UTF-8.
    """
    if fmt == "binary":
        return bytes_as_text(data)
    text = data.decode("utf-8")
    if fmt == "dotenv":
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_documents(text: str, fmt: Format, source: str = "<input>") -> Documents:
    """The documents of a YAML stream, a JSON, dotenv or binary file, unencrypted and unverified.

    YAML and dotenv comments come along in ``.comments`` (one table per document). A binary
    file is its JSON envelope when it has one, else plain content as the leaf ``data``.
    """
    if fmt == "json":
        return Documents(load_json(text, source))
    if fmt == "yaml":
        documents, tables = load_yaml_commented(text, source)
        return Documents(documents, tables)
    if fmt == "dotenv":
        document, table = load_dotenv(text, source)
        return Documents([document], [table])
    if fmt == "binary":
        return Documents(load_binary(text, source))
    raise SopsFormatError(f"unknown format {fmt!r} (yaml, json, dotenv or binary)")


def _tables(documents: Sequence[Mapping[str, Any]]) -> list[CommentTable]:
    if isinstance(documents, Documents):
        return [documents.table(number) for number in range(len(documents))]
    return [{} for _ in documents]


def dump_documents(
    documents: Sequence[Mapping[str, Any]],
    fmt: Format,
    indent: int | None,
    source: str = "<input>",
) -> str:
    """Plain documents as text; YAML and dotenv with their comments when they are
    ``Documents``; a binary file's content as it was."""
    if fmt == "json":
        return dump_json(documents, indent)
    if fmt == "binary":
        return dump_binary(documents, source)
    trees = [attach(doc, table) for doc, table in zip(documents, _tables(documents), strict=True)]
    if fmt == "dotenv":
        return dump_dotenv(trees)
    return dump_yaml([settle(tree) for tree in trees], 4 if indent is None else indent)


def is_sops_document(text: str, fmt: Format = "yaml") -> bool:
    """Whether ``text`` is a SOPS file: its first document has a ``sops`` mapping holding a
    ``mac`` or a ``lastmodified``.

    Text that does not parse is one when it plainly looks like one (``looks_like_sops``):
    callers take False for "read it as plain data", and an encrypted file chartsafe cannot
    read must not be read as plain values, its ``ENC[...]`` strings passed on as the values.
    Opening it then reports why it cannot be read.
    """
    try:
        first = parse_documents(text, fmt)[0]
    except SopsFormatError:
        return looks_like_sops(text, fmt)
    meta = first.get("sops")
    return isinstance(meta, Mapping) and ("mac" in meta or "lastmodified" in meta)


_YAML_LOOKS: Final = (  # a top-level "sops:" as sops writes it, an indented mac or lastmodified
    re.compile(r"^sops[ \t]*:", re.MULTILINE),
    re.compile(r"^[ \t]+(?:mac|lastmodified)[ \t]*:", re.MULTILINE),
)
_JSON_LOOKS: Final = (re.compile(r'"sops"\s*:\s*\{'), re.compile(r'"(?:mac|lastmodified)"\s*:'))
_LOOKS: Final[dict[str, tuple[tuple[re.Pattern[str], ...], ...]]] = {
    "yaml": (_YAML_LOOKS, _JSON_LOOKS),  # JSON is YAML too
    "json": (_JSON_LOOKS,),
    "binary": (_JSON_LOOKS,),
    "dotenv": ((re.compile(r"^sops_(?:mac|lastmodified)=", re.MULTILINE),),),
}


def looks_like_sops(text: str, fmt: Format = "yaml") -> bool:
    """Whether ``text`` has the lines of a SOPS file's metadata, parsed or not: a cheap check
    for a file that may not parse."""
    return any(all(p.search(text) for p in patterns) for patterns in _LOOKS[fmt])


def _walk(node: Any, path: tuple[str, ...], leaf: Callable[[Any, tuple[str, ...]], Any]) -> Any:
    """Rebuild a sops tree depth-first in document order, passing every non-null leaf and
    every comment to ``leaf`` (a comment of a mapping stays a key, wrapped if need be)."""
    if isinstance(node, Mapping):
        out: dict[Any, Any] = {}
        for key, value in node.items():
            if isinstance(key, Comment):
                done = leaf(key, path)
                out[done if isinstance(done, Comment) else Comment(done)] = None
                continue
            if not isinstance(key, str):
                raise SopsFormatError(f"key {key!r} under {_where(path)} is not a string")
            out[key] = _walk(value, (*path, key), leaf)
        return out
    if isinstance(node, list | tuple):
        return [_walk(item, path, leaf) for item in node]
    if node is None:
        return None
    return leaf(node, path)


def _where(path: Sequence[str]) -> str:
    return ".".join(path) if path else "the top level"


def _aad(path: Sequence[str]) -> str:
    """The path joined with ``:`` plus a trailing ``:``; a top-level comment's is ``:``."""
    return ":".join(path) + ":"


def _trees(documents: Sequence[Mapping[str, Any]], fmt: Format) -> list[dict[Any, Any]]:
    """The sops trees of ``documents`` without their ``sops`` keys (YAML and dotenv comments
    kept)."""
    tables = _tables(documents) if fmt in ("yaml", "dotenv") else [{} for _ in documents]
    trees = [attach(doc, table) for doc, table in zip(documents, tables, strict=True)]
    return [{k: v for k, v in tree.items() if k != "sops"} for tree in trees]


def _emit(trees: Sequence[Mapping[Any, Any]], fmt: Format, indent: int | None) -> str:
    if fmt in ("json", "binary"):
        return dump_json(trees, indent)
    if fmt == "dotenv":
        return dump_dotenv(trees)
    return dump_yaml(trees, 4 if indent is None else indent)


def _now() -> str:
    return format_time(dt.datetime.now(dt.UTC).replace(microsecond=0))


def encrypt_documents(
    documents: Sequence[Mapping[str, Any]],
    data_key: bytes,
    metadata: Metadata,
    fmt: Format,
    *,
    stash: Stash,
    indent: int | None,
    now: str | None,
) -> str:
    """Encrypt plain documents under ``data_key`` with ``metadata``'s recipients and rules.

    A value whose (AAD, plaintext) is in ``stash`` reuses that IV; others get fresh ones.
    """
    if fmt != "yaml" and len(documents) != 1:
        raise SopsFormatError(f"a {fmt} file holds exactly one document")
    binary = fmt == "binary"
    selector, mac_only = metadata.selector, metadata.mac_only_encrypted
    digest = hashlib.sha512(_MAC_ONLY_ENCRYPTED_INIT if mac_only else b"")

    def encrypts_comment(path: tuple[str, ...], comment: Comment) -> bool:
        text = comment.text
        return selector.encrypts(path) and bool(text) and not is_encrypted_value(text)

    def leaf(value: Any, path: tuple[str, ...]) -> Any:
        aad = _aad(path)
        if isinstance(value, Comment):
            if not encrypts_comment(path, value):
                return value  # clear, empty, or one that did not decrypt: kept as written
            raw = value.text.encode()
            return encrypt_value(data_key, raw, "comment", aad, stash.get((aad, raw)))
        kind, raw = encode_plaintext(value, _where(path), binary=binary)
        encrypted = selector.encrypts(path)
        if encrypted or not mac_only:
            digest.update(raw)
        if not encrypted or (kind == "str" and not raw):
            return value
        return encrypt_value(data_key, raw, kind, aad, stash.get((aad, raw)))

    trees = [settle(tree, encrypts_comment) for tree in _trees(documents, fmt)]
    encrypted_docs = [_walk(tree, (), leaf) for tree in trees]
    lastmodified = now or _now()
    mac_hex = digest.hexdigest().upper().encode()
    mac = encrypt_value(data_key, mac_hex, "str", lastmodified, stash.get((lastmodified, mac_hex)))
    meta = metadata.with_changes(lastmodified=lastmodified, mac=mac, version=SOPS_VERSION)
    tree = meta.to_tree()
    if fmt == "binary":  # sops writes no selector there: none applies to the one leaf
        tree.pop(metadata.selector.kind, None)
    return _emit([{**doc, "sops": tree} for doc in encrypted_docs], fmt, indent)


def decrypt_documents(
    raw_docs: Sequence[Mapping[str, Any]],
    identities: Identities,
    source: str,
    *,
    binary: bool = False,
) -> tuple[list[dict[str, Any]], Metadata, bytes, Stash]:
    """Decrypt parsed documents and verify the MAC.

    Returns the plain documents (``Documents``, with their comments), the metadata, the data
    key and the IV of every value and comment (for byte-stable rewrites). ``binary``: the
    documents are a binary file's envelope, whose content may be any bytes. Raises
    ``DecryptionError``, ``IntegrityError`` or ``SopsFormatError``.
    """
    metadata = Metadata.from_tree(raw_docs[0].get("sops"), source)
    data_key = recover_data_key(metadata, identities, source)
    selector, mac_only = metadata.selector, metadata.mac_only_encrypted
    digest = hashlib.sha512(_MAC_ONLY_ENCRYPTED_INIT if mac_only else b"")
    stash: Stash = {}

    def comment(value: Comment, path: tuple[str, ...], where: str) -> Comment:
        text = value.text
        if not is_encrypted_value(text) or not (selector.uses_comments or selector.encrypts(path)):
            return value
        aad = _aad(path)
        try:
            _kind, raw, iv = decrypt_value(data_key, text, aad, where)
            plain = Comment(raw.decode())
        except (SopsFormatError, IntegrityError, UnicodeDecodeError):
            return value  # as sops: taken for a comment that was never encrypted
        stash[(aad, raw)] = iv
        return plain

    def leaf(value: Any, path: tuple[str, ...]) -> Any:
        where = f"{source}: {_where(path)}"
        if isinstance(value, Comment):
            return comment(value, path, where)
        if selector.uses_comments:
            encrypted = is_encrypted_value(value)
        else:
            encrypted = selector.encrypts(path) and value != ""
        if not encrypted:
            if not mac_only:
                digest.update(encode_plaintext(value, where, binary=binary)[1])
            return value
        if not is_encrypted_value(value):
            raise SopsFormatError(
                f"{where}: the value is not encrypted although the file's rules say it is",
                file=source,
            )
        aad = _aad(path)
        kind, raw, iv = decrypt_value(data_key, value, aad, where)
        stash[(aad, raw)] = iv
        plain = decode_plaintext(kind, raw, where, binary=binary)
        if kind != "comment":
            digest.update(encode_plaintext(plain, where, binary=binary)[1])
        return plain

    trees = [_walk(tree, (), leaf) for tree in _trees(raw_docs, "yaml")]  # JSON has none
    _verify_mac(metadata, data_key, digest.hexdigest().upper(), source, stash)
    tables: list[CommentTable] = [{} for _ in trees]
    documents = Documents(
        [detach(tree, table) for tree, table in zip(trees, tables, strict=True)], tables
    )
    return documents, metadata, data_key, stash


def _verify_mac(meta: Metadata, data_key: bytes, computed: str, source: str, stash: Stash) -> None:
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
