"""sops's binary and dotenv files, both ways with the real sops 3.11 binary.

sops reads a file's format from its name: ``.env`` is dotenv, and anything but ``.yaml``,
``.yml``, ``.json``, ``.env`` and ``.ini`` is binary: the whole content is one encrypted leaf
``data`` in a JSON envelope, and ``sops -d`` prints the content as it was. ``chartsafe sops``
must read what sops writes, write what sops reads, and edit without changing the format.
"""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from store_helpers import FLUX, AgeKey, SopsRunner

from chartsafe.cli import main
from chartsafe.store import find_identities, open_file

# (file name, content): the names sops takes for binary files, the contents that could be
# mistaken for something else (JSON, YAML, an empty file)
BINARY = [
    ("key.txt", "tls-key-material hunter2\n"),
    ("tls.pem", "-----BEGIN PRIVATE KEY-----\nMC4CAQAw\n-----END PRIVATE KEY-----\n"),
    ("id.key", "no newline at the end <&>"),
    ("secret", "a: 1\nb: [2]\n"),
    ("config.txt", '{"a": 1, "sops": "not metadata"}\n'),
    ("empty.txt", ""),
    ("values.YAML", "upper-case suffix: binary for sops too\n"),
]

DOTENV = (
    "# the database\nDB_PASSWORD=hunter2\nMULTI=one\\ntwo\n#tail\nNOTE_unencrypted=clear\\nx\n"
    "EMPTY=\n"
)


@pytest.fixture
def own(age_key: AgeKey, monkeypatch: pytest.MonkeyPatch) -> AgeKey:
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(age_key.path))
    return age_key


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    assert main(list(args)) == 0, capsys.readouterr().err
    return capsys.readouterr().out


def _editor(tmp_path: Path, old: str, new: str) -> str:
    script = tmp_path / "ed.sh"
    script.write_text(f"#!/bin/sh\nsed -i 's/{old}/{new}/' \"$1\"\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


@pytest.mark.parametrize(("name", "content"), BINARY, ids=[b[0] for b in BINARY])
def test_binary_files_both_ways(
    tmp_path: Path,
    own: AgeKey,
    sops: SopsRunner,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: str,
) -> None:
    plain = tmp_path / name
    plain.write_text(content)
    theirs = tmp_path / f"theirs-{name}"
    theirs.write_text(sops("encrypt", "--age", own.recipient, str(plain)).stdout)
    assert _run(capsys, "sops", "decrypt", str(theirs)) == content

    ours = tmp_path / f"ours-{name}"
    ours.write_text(_run(capsys, "sops", "encrypt", "--age", own.recipient, str(plain)))
    envelope = json.loads(ours.read_text())
    assert list(envelope) == ["data", "sops"]
    assert "unencrypted_suffix" not in envelope["sops"]  # sops writes no selector there
    assert sops("decrypt", str(ours), key_file=own.path).stdout == content


def test_editing_a_binary_file_keeps_the_envelope_sops_reads(
    tmp_path: Path,
    own: AgeKey,
    sops: SopsRunner,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    plain = tmp_path / "key.txt"
    plain.write_text("tls-key-material hunter2\n")
    target = tmp_path / "k2.txt"
    target.write_text(sops("encrypt", "--age", own.recipient, str(plain)).stdout)
    monkeypatch.setenv("EDITOR", _editor(tmp_path, "hunter2", "hunter3"))
    _run(capsys, "sops", "edit", str(target))
    assert json.loads(target.read_text())["data"].startswith("ENC[AES256_GCM,")
    assert sops("decrypt", str(target), key_file=own.path).stdout == "tls-key-material hunter3\n"

    created = tmp_path / "new.pem"  # a new file: the editor writes the content itself
    monkeypatch.setenv("EDITOR", 'sh -c \'printf "fresh\\n" > "$1"\' -')
    _run(capsys, "sops", "edit", "--age", own.recipient, str(created))
    assert sops("decrypt", str(created), key_file=own.path).stdout == "fresh\n"


def test_flux_binary_vector() -> None:
    document = open_file(FLUX / "files_file.txt", identities=find_identities(FLUX / "keys_age.txt"))
    assert document.data == {"data": "value"}


def test_dotenv_both_ways(
    tmp_path: Path, own: AgeKey, sops: SopsRunner, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = tmp_path / "a.env"
    plain.write_text(DOTENV)
    theirs = tmp_path / "theirs.env"
    theirs.write_text(sops("encrypt", "--age", own.recipient, str(plain)).stdout)
    assert sops("decrypt", str(theirs), key_file=own.path).stdout == DOTENV  # the oracle
    assert _run(capsys, "sops", "decrypt", str(theirs)) == DOTENV

    ours = tmp_path / "ours.env"
    ours.write_text(_run(capsys, "sops", "encrypt", "--age", own.recipient, str(plain)))
    text = ours.read_text()
    assert "DB_PASSWORD=ENC[AES256_GCM," in text and "#ENC[AES256_GCM," in text
    assert "NOTE_unencrypted=clear\\nx\n" in text and "sops_age__list_0__map_recipient=" in text
    assert sops("decrypt", str(ours), key_file=own.path).stdout == DOTENV


def test_editing_a_dotenv_file(
    tmp_path: Path,
    own: AgeKey,
    sops: SopsRunner,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    plain = tmp_path / "a.env"
    plain.write_text(DOTENV)
    target = tmp_path / "b.env"
    target.write_text(sops("encrypt", "--age", own.recipient, str(plain)).stdout)
    monkeypatch.setenv("EDITOR", _editor(tmp_path, "hunter2", "hunter3"))
    _run(capsys, "sops", "edit", str(target))
    expected = DOTENV.replace("hunter2", "hunter3")
    assert sops("decrypt", str(target), key_file=own.path).stdout == expected


def test_dotenv_with_key_groups_and_mac_only_encrypted(
    tmp_path: Path,
    new_key: Callable[[str], AgeKey],
    sops: SopsRunner,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The metadata sops flattens most: key groups, a threshold, ``mac_only_encrypted``."""
    first, second = new_key("first"), new_key("second")
    both = tmp_path / "both.txt"
    both.write_text(first.path.read_text() + second.path.read_text())
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(both))
    work = tmp_path / "kg"
    work.mkdir()
    (work / ".sops.yaml").write_text(
        "creation_rules:\n  - shamir_threshold: 2\n    mac_only_encrypted: true\n"
        f"    key_groups:\n      - age: [{first.recipient}]\n      - age: [{second.recipient}]\n"
    )
    (work / "a.env").write_text(DOTENV)
    monkeypatch.chdir(work)
    ours = work / "ours.env"
    ours.write_text(_run(capsys, "sops", "encrypt", "a.env"))
    text = ours.read_text()
    assert "sops_shamir_threshold=2\n" in text and "sops_mac_only_encrypted=true\n" in text
    assert "sops_key_groups__list_1__map_age__list_0__map_recipient=" in text
    assert sops("decrypt", str(ours), key_file=both, cwd=work).stdout == DOTENV

    theirs = work / "theirs.env"
    theirs.write_text(sops("encrypt", "a.env", cwd=work).stdout)
    assert _run(capsys, "sops", "decrypt", str(theirs)) == DOTENV
