"""Tampering with one byte of any value, of the MAC or of the encrypted data key is refused.

Each case changes one thing in an otherwise valid file and expects ``IntegrityError``; the
error message must not contain any plaintext value.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from store_helpers import DERIVED, SOPS_311, AgeKey, vector_identities

from chartsafe._errors import IntegrityError
from chartsafe.store import Format, encrypt, open_document
from chartsafe.store.sops_format import dump_documents, parse_documents

KEYS = SOPS_311 / "age-identities.txt"
_ENC = re.compile(r"^ENC\[AES256_GCM,data:(.*),iv:(.*),tag:(.*),type:(.*)\]$")
SECRETS = {
    "db": {"user": "admin", "password": "s3cr3t-pa55", "port": 5432, "ratio": 0.5},
    "hosts": ["alpha.example", "beta.example"],
    "flag": True,
    "note_unencrypted": "visible-note",
}
PLAINTEXTS = ["admin", "s3cr3t-pa55", "5432", "alpha.example", "beta.example", "visible-note"]


def _leaves(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key != "sops":
                yield from _leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _leaves(value, (*path, index))
    else:
        yield path, node


def _set(doc: Any, path: tuple[Any, ...], value: Any) -> None:
    for step in path[:-1]:
        doc = doc[step]
    doc[path[-1]] = value


def _flip_b64(text: str, index: int) -> str:
    raw = bytearray(base64.b64decode(text))
    raw[index % len(raw)] ^= 0x01
    return base64.b64encode(bytes(raw)).decode()


def _flip_field(enc: str, field: int, index: int = 0) -> str:
    match = _ENC.match(enc)
    assert match is not None
    parts = list(match.groups())
    parts[field] = _flip_b64(parts[field], index)
    return f"ENC[AES256_GCM,data:{parts[0]},iv:{parts[1]},tag:{parts[2]},type:{parts[3]}]"


def _flip_armored(enc: str, offset: int) -> str:
    lines = enc.strip().split("\n")
    raw = bytearray(base64.b64decode("".join(lines[1:-1])))
    raw[offset % len(raw)] ^= 0x01
    body = base64.b64encode(bytes(raw)).decode()
    wrapped = [body[i : i + 64] for i in range(0, len(body), 64)]
    return "\n".join([lines[0], *wrapped, lines[-1]]) + "\n"


def _assert_refused(text: str, fmt: Format, identities: Any) -> None:
    with pytest.raises(IntegrityError) as caught:
        open_document(text, fmt=fmt, identities=identities, source="tampered")
    message = str(caught.value)
    for plaintext in PLAINTEXTS:
        assert plaintext not in message


def _encrypted_paths(text: str, fmt: Format) -> list[tuple[Any, ...]]:
    doc = parse_documents(text, fmt)[0]
    return [p for p, v in _leaves(doc) if isinstance(v, str) and v.startswith("ENC[")]


# -- every value of a sops-accepted vector, every field --------------------------------------

WORKED = DERIVED / "worked-example.enc.yaml"
WORKED_PATHS = _encrypted_paths(WORKED.read_text(), "yaml")


@pytest.mark.parametrize("field", [0, 1, 2], ids=["data", "iv", "tag"])
@pytest.mark.parametrize("path", WORKED_PATHS, ids=[":".join(map(str, p)) for p in WORKED_PATHS])
def test_one_byte_of_any_value_in_the_worked_example(path: tuple[Any, ...], field: int) -> None:
    docs = parse_documents(WORKED.read_text(), "yaml")
    leaf = docs[0]
    for step in path:
        leaf = leaf[step]
    _set(docs[0], path, _flip_field(leaf, field))
    _assert_refused(dump_documents(docs, "yaml", None), "yaml", vector_identities(KEYS))


# -- every value of a file we write, in both formats -----------------------------------------


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_one_byte_of_any_value_in_our_file(age_key: AgeKey, fmt: Format) -> None:
    text = encrypt(SECRETS, [age_key.recipient], fmt=fmt)
    paths = _encrypted_paths(text, fmt)
    assert len(paths) == 7  # everything but note_unencrypted
    for path in paths:
        for field, index in ((0, 0), (0, -1), (1, 5), (2, 15)):
            docs = parse_documents(text, fmt)
            leaf = docs[0]
            for step in path:
                leaf = leaf[step]
            _set(docs[0], path, _flip_field(leaf, field, index))
            _assert_refused(dump_documents(docs, fmt, None), fmt, age_key.identities)


# -- structural changes the MAC or the AAD catch ---------------------------------------------


def _swap_values(docs: list[dict[str, Any]]) -> None:
    db = docs[0]["db"]
    db["user"], db["password"] = db["password"], db["user"]


def _swap_list(docs: list[dict[str, Any]]) -> None:
    docs[0]["hosts"].reverse()


def _change_clear(docs: list[dict[str, Any]]) -> None:
    docs[0]["note_unencrypted"] = "visible-notE"


def _drop_value(docs: list[dict[str, Any]]) -> None:
    del docs[0]["flag"]


def _add_value(docs: list[dict[str, Any]]) -> None:
    docs[0]["extra_unencrypted"] = "new"


def _empty_a_value(docs: list[dict[str, Any]]) -> None:
    docs[0]["db"]["user"] = ""


CHANGES: dict[str, Callable[[list[dict[str, Any]]], None]] = {
    "values swapped between keys (AAD)": _swap_values,
    "list reordered (MAC)": _swap_list,
    "clear value changed (MAC)": _change_clear,
    "value removed (MAC)": _drop_value,
    "clear value added (MAC)": _add_value,
    "value emptied (MAC)": _empty_a_value,
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_structural_tampering(age_key: AgeKey, change: Callable[..., None]) -> None:
    text = encrypt(SECRETS, [age_key.recipient])
    docs = parse_documents(text, "yaml")
    change(docs)
    _assert_refused(dump_documents(docs, "yaml", None), "yaml", age_key.identities)


# -- the MAC itself ---------------------------------------------------------------------------


@pytest.mark.parametrize(("field", "index"), [(0, 0), (0, 64), (0, -1), (1, 0), (2, 7)], ids=str)
def test_one_byte_of_the_mac(age_key: AgeKey, field: int, index: int) -> None:
    text = encrypt(SECRETS, [age_key.recipient])
    docs = parse_documents(text, "yaml")
    docs[0]["sops"]["mac"] = _flip_field(docs[0]["sops"]["mac"], field, index)
    _assert_refused(dump_documents(docs, "yaml", None), "yaml", age_key.identities)


def test_mac_bound_to_lastmodified(age_key: AgeKey) -> None:
    text = encrypt(SECRETS, [age_key.recipient], now="2026-01-01T00:00:00Z")
    _assert_refused(
        text.replace('"2026-01-01T00:00:00Z"', '"2026-01-01T00:00:01Z"'),
        "yaml",
        age_key.identities,
    )


def test_mac_removed(age_key: AgeKey) -> None:
    docs = parse_documents(encrypt(SECRETS, [age_key.recipient]), "yaml")
    docs[0]["sops"]["mac"] = ""
    _assert_refused(dump_documents(docs, "yaml", None), "yaml", age_key.identities)


# -- the encrypted data key -------------------------------------------------------------------

# offsets into the 200-odd byte binary age file: stanza arguments and wrapped key, header MAC,
# payload nonce, payload ciphertext, payload tag
AGE_OFFSETS = [36, 70, 110, 140, -60, -40, -1]


@pytest.mark.parametrize("offset", AGE_OFFSETS)
def test_one_byte_of_the_data_key(age_key: AgeKey, offset: int) -> None:
    docs = parse_documents(encrypt(SECRETS, [age_key.recipient]), "yaml")
    entry = docs[0]["sops"]["age"][0]
    entry["enc"] = _flip_armored(entry["enc"], offset)
    _assert_refused(dump_documents(docs, "yaml", None), "yaml", age_key.identities)


@pytest.mark.parametrize("offset", AGE_OFFSETS)
def test_one_byte_of_the_data_key_of_a_sops_vector(offset: int) -> None:
    docs = parse_documents((SOPS_311 / "types-no-comments.enc.yaml").read_text(), "yaml")
    for entry in docs[0]["sops"]["age"]:
        entry["enc"] = _flip_armored(entry["enc"], offset)
    _assert_refused(dump_documents(docs, "yaml", None), "yaml", vector_identities(KEYS))
