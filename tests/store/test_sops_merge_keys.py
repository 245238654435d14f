"""YAML merge keys (``<<``) in SOPS files, as the real sops 3.11 handles them.

sops keeps ``<<`` as an ordinary key (yaml.v3's node tree): ``x: {<<: *d, pw: override}`` is
encrypted as ``x: {!!merge <<: {image: ENC, pw: ENC}, pw: ENC}``, the merged values under the
path ``x:<<:image:``. chartsafe used to apply the merge while reading: an override was a
"duplicate key" (and ``-f`` then read the encrypted file as plain values, ``ENC[...]`` strings
and all), a merge without one did not authenticate. Each document below goes both ways
through the real sops, and into the values Helm gets, which must be what Helm makes of the
plain file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from store_helpers import AgeKey, SopsRunner

from chartsafe._errors import SopsFormatError, StoreError, ValuesError
from chartsafe._helm_parse import values_from_yaml
from chartsafe._sops_tool import sops_decrypt, sops_encrypt
from chartsafe._values import ValuesInput, load_values, load_values_file
from chartsafe.cli import main
from chartsafe.store import is_sops_document, open_document, write_file
from chartsafe.store.sops_yaml import load_yaml

CHART = Path(__file__).resolve().parents[1] / "data" / "sops-merge" / "chart"
OVERRIDE = (
    "defaults: &d\n  image: nginx\n  pw: secret1\n"
    "existingSecret: s1\nx:\n  <<: *d\n  pw: override\n"
)

# (id, plain YAML); sops 3.11 encrypts and decrypts each
DOCS = [
    ("a later key overrides the merge", OVERRIDE),
    ("no override", "defaults: &d\n  image: nginx\n  pw: secret1\nx:\n  <<: *d\n"),
    ("a key before the merge", "d: &d {image: nginx, pw: secret1}\nx:\n  pw: first\n  <<: *d\n"),
    ("a list of merged mappings", "a: &a {k: 1}\nb: &b {k: 2, j: 3}\nx: {<<: [*a, *b], z: 9}\n"),
    ("a mapping merged in place", "x: {<<: {k: 1}, k: 2}\n"),
    ("an explicit !!merge tag", "x: {!!merge <<: {k: 1}, k: 2}\n"),
    ("a quoted '<<' key, which sops writes as a merge key", 'x: {"<<": {k: 1}, k: 2}\n'),
    ("at the top level", "d: &d {k: 1, j: 2}\n<<: *d\nk: 5\n"),
    ("merges of merges", "d: &d {k: 1}\nx: &x {<<: *d, j: 2}\nv: {<<: *x, k: 3}\nz: *x\n"),
    ("empty merges", "x: {<<: {}, a: 1}\nv: {<<: [], a: 1}\n"),
    ("under an unencrypted suffix", "d: &d {a: 1}\nx_unencrypted: {<<: *d, b: 2}\n"),
    ("comments in the anchor and around the merge",
     "d: &d\n  # head\n  a: 1\n  b:\n    # deep\n    c: 2\n  # foot\nx:\n  # above\n  <<: *d\n"
     "  # after\n  f: 3\nl:\n  - *d\nv: &v\n  <<: *d\n  g: 4\nw:\n  <<: *v\n"),
]  # fmt: skip
IDS = [doc[0] for doc in DOCS]
TEXTS = [doc[1] for doc in DOCS]


def _data_part(encrypted: str) -> str:
    """The data of an encrypted YAML file, each ``ENC[...]`` cut to its type."""
    data = encrypted.split("sops:\n")[0]
    return re.sub(r"ENC\[AES256_GCM,[^\]]*type:(\w+)\]", r"ENC[\1]", data)


def _sops_encrypted(sops: SopsRunner, key: AgeKey, folder: Path, text: str) -> Path:
    plain = folder / "plain.yaml"
    plain.write_text(text)
    path = folder / "theirs.yaml"
    path.write_text(sops("encrypt", "--age", key.recipient, str(plain)).stdout)
    return path


@pytest.mark.parametrize("text", TEXTS, ids=IDS)
def test_we_decrypt_what_sops_encrypts_as_sops_does(
    text: str, sops: SopsRunner, age_key: AgeKey, tmp_path: Path
) -> None:
    theirs = _sops_encrypted(sops, age_key, tmp_path, text)
    expected = sops("decrypt", str(theirs), key_file=age_key.path).stdout
    assert sops_decrypt(theirs, key_file=age_key.path) == expected


@pytest.mark.parametrize("text", TEXTS, ids=IDS)
def test_sops_decrypts_what_we_encrypt_as_it_decrypts_its_own(
    text: str, sops: SopsRunner, age_key: AgeKey, tmp_path: Path
) -> None:
    theirs = _sops_encrypted(sops, age_key, tmp_path, text)
    ours = tmp_path / "ours.yaml"
    write_file(ours, sops_encrypt(tmp_path / "plain.yaml", recipients=age_key.recipient))
    assert _data_part(ours.read_text()) == _data_part(theirs.read_text())  # paths, comments
    decrypted = sops("decrypt", str(ours), key_file=age_key.path).stdout
    assert decrypted == sops("decrypt", str(theirs), key_file=age_key.path).stdout


def test_a_rewrite_keeps_sops_bytes_and_edits_under_the_merge_key_go_both_ways(
    sops: SopsRunner, age_key: AgeKey, tmp_path: Path
) -> None:
    theirs = _sops_encrypted(sops, age_key, tmp_path, OVERRIDE)
    document = open_document(theirs.read_text(), identities=age_key.identities)
    unchanged = document.dump(now=document.metadata.lastmodified)
    assert unchanged.split("sops:\n")[0] == theirs.read_text().split("sops:\n")[0]
    document.data["x"]["<<"]["pw"] = "edited-by-us"  # as `chartsafe sops edit` does
    ours = tmp_path / "ours.yaml"
    write_file(ours, document.dump())
    extract = sops("decrypt", "--extract", '["x"]["<<"]["pw"]', str(ours), key_file=age_key.path)
    assert extract.stdout == "edited-by-us"
    sops("set", str(ours), '["x"]["<<"]["image"]', '"set-by-sops"', key_file=age_key.path)
    data = open_document(ours.read_text(), identities=age_key.identities).data
    assert data["x"] == {"<<": {"image": "set-by-sops", "pw": "edited-by-us"}, "pw": "override"}


def _leaves(data: Any, path: tuple[Any, ...] = ()) -> set[tuple[Any, ...]]:
    if isinstance(data, dict):
        return {p for k, v in data.items() for p in _leaves(v, (*path, k))}
    if isinstance(data, list):
        return {p for i, v in enumerate(data) for p in _leaves(v, (*path, i))}
    return {path}


@pytest.mark.parametrize("text", TEXTS, ids=IDS)
def test_helm_gets_the_values_it_gets_from_the_plain_file_all_of_them_secret(
    text: str, sops: SopsRunner, age_key: AgeKey, tmp_path: Path
) -> None:
    theirs = _sops_encrypted(sops, age_key, tmp_path, text)
    values = load_values(ValuesInput(files=[theirs], age_key_file=age_key.path))
    if text.startswith('x: {"<<"'):  # a key for Helm in the plain file, a merge once decrypted
        assert dict(values) == {"x": {"k": 2}}
    else:
        assert dict(values) == values_from_yaml(text)
    encrypted = {p for p in _leaves(dict(values)) if not p[0].endswith("_unencrypted")}
    assert values.secrets.paths == encrypted


def test_template_renders_the_override_and_the_merged_value(
    sops: SopsRunner, age_key: AgeKey, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The report's case: before, ``-f`` read this file as plain values and exited 0."""
    theirs = _sops_encrypted(sops, age_key, tmp_path, OVERRIDE)
    args = ["template", "r", str(CHART), "-f", str(theirs), "--age-key-file", str(age_key.path)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert 'pw: "8"' in out and 'image: "5"' in out  # len("override"), len("nginx")


# .sops.yaml is read as yaml.v3 decodes into Go values: the merge applied, own keys first,
# then the first merged mapping's (id, text, data)
CONFIG = [
    ("an override", OVERRIDE, [{"defaults": {"image": "nginx", "pw": "secret1"},
     "existingSecret": "s1", "x": {"image": "nginx", "pw": "override"}}]),
    ("a key before the merge wins too", "d: &d {k: 1, j: 2}\nx: {k: 0, <<: *d}\n",
     [{"d": {"k": 1, "j": 2}, "x": {"k": 0, "j": 2}}]),
    ("the first of a list wins", "x: {<<: [{k: 1}, {k: 2, j: 3}]}\n", [{"x": {"k": 1, "j": 3}}]),
    ("merges of merges", "a: &a {k: 1, j: 1}\nb: &b {<<: *a, j: 2}\nc: {<<: *b}\n",
     [{"a": {"k": 1, "j": 1}, "b": {"k": 1, "j": 2}, "c": {"k": 1, "j": 2}}]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "data"), [c[1:] for c in CONFIG], ids=[c[0] for c in CONFIG])
def test_a_configuration_file_applies_merge_keys_as_yaml_v3(
    text: str, data: list[dict[str, Any]]
) -> None:
    assert load_yaml(text) == data


# (id, text, words): sops encrypt refuses these too ("mapping key ... already defined")
REFUSED = [
    ("two merge keys", "d: &d {k: 1}\nx: {<<: *d, <<: {k: 3}}\n", "line 2: duplicate key '<<'"),
    ("a quoted and a plain merge key", "d: &d {k: 1}\nx: {<<: *d, '<<': 2}\n",
     "line 2: duplicate key '<<'"),
    ("a key twice beside a merge", "d: &d {k: 1}\nx: {<<: *d, pw: a, pw: b}\n",
     "line 2: duplicate key 'pw'"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "words"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_duplicate_keys_are_refused_as_sops_refuses_them(
    text: str, words: str, sops: SopsRunner, age_key: AgeKey, tmp_path: Path
) -> None:
    plain = tmp_path / "plain.yaml"
    plain.write_text(text)
    with pytest.raises(SopsFormatError, match=re.escape(words)):
        sops_encrypt(plain, recipients=age_key.recipient)
    result = sops("encrypt", "--age", age_key.recipient, str(plain), check=False)
    assert result.returncode != 0 and "already defined" in result.stderr


SOPS_TAIL = "sops:\n    lastmodified: '2026-01-01T00:00:00Z'\n    mac: ENC[AES256_GCM,data:x]\n"
# (id, text, format, is it a SOPS file); a SOPS file is never read as plain data
RECOGNISED = [
    ("parses, with a MAC", f"a: 1\n{SOPS_TAIL}", "yaml", True),
    ("parses, with lastmodified only", "a: 1\nsops:\n    lastmodified: x\n", "yaml", True),
    ("does not parse, but has the metadata", f"a: 1\na: 2\n{SOPS_TAIL}", "yaml", True),
    ("JSON that does not parse", '{"a": 1, "a": 2,\n "sops": {"mac": "ENC[..]"}}', "json", True),
    ("does not parse, mentions sops and mac", "a: [1\n# sops mac lastmodified\n", "yaml", False),
    ("a plain sops key", "sops:\n    enabled: true\n", "yaml", False),
    ("a plain file", "mac: 1\nsops: 2\nlastmodified: 3\n", "yaml", False),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "fmt", "expected"), [r[1:] for r in RECOGNISED], ids=[r[0] for r in RECOGNISED]
)
def test_a_sops_file_is_recognised_even_when_it_does_not_parse(
    text: str, fmt: Any, expected: bool
) -> None:
    assert is_sops_document(text, fmt) is expected


# (id, an encrypted values file chartsafe cannot read, words of the error)
UNREADABLE = [
    ("a duplicate key", f"password: hunter2-enc\npassword: again\n{SOPS_TAIL}",
     "line 2: duplicate key 'password'"),
    ("no MAC", "password: hunter2-enc\nsops:\n    lastmodified: '2026-01-01T00:00:00Z'\n",
     "sops.mac is missing"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "words"), [u[1:] for u in UNREADABLE], ids=[u[0] for u in UNREADABLE]
)
def test_an_encrypted_values_file_we_cannot_read_is_an_error_not_plain_values(
    text: str, words: str, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(text)
    with pytest.raises(StoreError) as refused:
        load_values_file(broken)
    assert refused.value.message.startswith(f"{broken}: ")
    assert words in refused.value.message and "hunter2" not in refused.value.message


def test_a_plain_values_file_with_a_syntax_error_keeps_its_values_error(tmp_path: Path) -> None:
    plain = tmp_path / "plain.yaml"  # mentions sops, but is no SOPS file
    plain.write_text("password: [hunter2\n# sops mac lastmodified\n")
    with pytest.raises(ValuesError, match=r"YAML syntax error at line \d+, column \d+"):
        load_values_file(plain)
