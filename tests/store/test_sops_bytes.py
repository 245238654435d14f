"""Binary and dotenv files keep every byte, both ways with the real sops 3.11 binary.

sops (Go) holds a file's content as bytes: a binary file (``.txt``, ``.pem``, no extension…)
comes back from encrypt + decrypt byte for byte, carriage returns, NUL and bytes that are not
UTF-8 included. Its dotenv store splits lines at ``\\n`` only, so a ``\\r`` before it belongs
to the value or comment it ends, is encrypted with it and printed again (measured with sops
3.11: ``A=1\\r\\n`` decrypts to ``A=1\\r\\n``; a line that is only ``\\r`` is "invalid dotenv
input line"). Reading either as text with universal newlines changed the content or, for a
clear value, broke the MAC.

The sops output is taken as bytes here: the shared ``sops`` fixture's text mode would itself
turn ``\\r\\n`` into ``\\n``.
"""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest
from bad_input import one_clear_line
from store_helpers import AgeKey, SopsRunner

from chartsafe._errors import StoreError
from chartsafe._sops_tool import sops_decrypt
from chartsafe.cli import main
from chartsafe.store import open_file, write_file
from chartsafe.store.sops_values import text_as_bytes

# (file name: binary for sops by its name, content)
BINARY = [
    ("crlf.txt", b"line one\r\nline two\r\n"),
    ("lone-cr.txt", b"a\rb\r\rc"),
    ("nul.bin", b"\x00head\x00\x00two"),
    ("latin1.txt", b"caf\xe9 two \xff\xfe\x80\n"),
    ("no-newline.key", b"no newline at the end, two"),
    ("mixed.pem", b"-----BEGIN-----\r\n\x00\xc3\x28 two\r\n\rend\xf0\x9f\x98"),
]
IDS = [name for name, _ in BINARY]
UTF8 = [(name, content) for name, content in BINARY if content.isascii()]
NOT_UTF8 = [(name, content) for name, content in BINARY if not content.isascii()]

DOTENV = b"# head\r\nDB_PASSWORD=hunter2\r\nNOTE_unencrypted=clear\r\nLONE=a\rb\n#tail\r\n"
DOTENV_DATA = {"DB_PASSWORD": "hunter2\r", "NOTE_unencrypted": "clear\r", "LONE": "a\rb"}


@pytest.fixture
def own(age_key: AgeKey, monkeypatch: pytest.MonkeyPatch) -> AgeKey:
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(age_key.path))
    return age_key


def _sops_bytes(sops_path: str, *args: str, key_file: Path) -> subprocess.CompletedProcess[bytes]:
    """The real sops, its output as bytes."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ["HOME"],
        "SOPS_DISABLE_VERSION_CHECK": "1",
        "SOPS_AGE_KEY_FILE": str(key_file),
    }
    return subprocess.run([sops_path, *args], capture_output=True, env=env, timeout=60)


def _sops_encrypt(sops_path: str, key: AgeKey, plain: Path) -> bytes:
    done = _sops_bytes(sops_path, "encrypt", "--age", key.recipient, str(plain), key_file=key.path)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    assert main(list(args)) == 0, capsys.readouterr().err
    return capsys.readouterr().out


def _editor(tmp_path: Path, body: str) -> str:
    script = tmp_path / "ed.sh"
    script.write_text(f"#!/bin/sh\nLC_ALL=C\nexport LC_ALL\n{body}\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


@pytest.mark.parametrize(("name", "content"), BINARY, ids=IDS)
def test_chartsafe_decrypts_what_sops_encrypted_byte_for_byte(
    tmp_path: Path, own: AgeKey, sops: SopsRunner, name: str, content: bytes
) -> None:
    plain = tmp_path / name
    plain.write_bytes(content)
    theirs = tmp_path / f"theirs-{name}"
    theirs.write_text(sops("encrypt", "--age", own.recipient, str(plain)).stdout)
    text = sops_decrypt(theirs, binary_bytes=True)
    assert text_as_bytes(text) == content
    out = tmp_path / f"out-{name}"
    write_file(out, text)  # what --in-place writes with
    assert out.read_bytes() == content
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


@pytest.mark.parametrize(("name", "content"), UTF8, ids=[name for name, _ in UTF8])
def test_the_cli_decrypts_binary_text_in_place_byte_for_byte(
    tmp_path: Path, own: AgeKey, sops: SopsRunner, capsys: pytest.CaptureFixture[str],
    name: str, content: bytes,
) -> None:  # fmt: skip
    plain = tmp_path / name
    plain.write_bytes(content)
    theirs = tmp_path / f"theirs-{name}"
    theirs.write_text(sops("encrypt", "--age", own.recipient, str(plain)).stdout)
    _run(capsys, "sops", "decrypt", "--in-place", str(theirs))
    assert theirs.read_bytes() == content


@pytest.mark.parametrize(("name", "content"), BINARY, ids=IDS)
@pytest.mark.parametrize("in_place", [False, True], ids=["stdout", "in-place"])
def test_the_cli_decrypts_any_bytes_byte_for_byte(
    tmp_path: Path, own: AgeKey, sops: SopsRunner, capsysbinary: pytest.CaptureFixture[bytes],
    name: str, content: bytes, in_place: bool,
) -> None:  # fmt: skip
    """``chartsafe sops decrypt key.bin > key``, as ``sops decrypt``: bytes that are not
    UTF-8 included, written as bytes (a text stream would refuse them, and its error would
    quote the content)."""
    plain = tmp_path / name
    plain.write_bytes(content)
    theirs = tmp_path / f"theirs-{name}"
    theirs.write_text(sops("encrypt", "--age", own.recipient, str(plain)).stdout)
    capsysbinary.readouterr()
    assert main(["sops", "decrypt", *(["--in-place"] if in_place else []), str(theirs)]) == 0
    captured = capsysbinary.readouterr()
    assert captured.err == b""
    assert (theirs.read_bytes() if in_place else captured.out) == content


@pytest.mark.parametrize(("name", "content"), BINARY, ids=IDS)
def test_sops_decrypts_what_chartsafe_encrypted_byte_for_byte(
    tmp_path: Path, own: AgeKey, sops_path: str, capsys: pytest.CaptureFixture[str],
    name: str, content: bytes,
) -> None:  # fmt: skip
    plain = tmp_path / name
    plain.write_bytes(content)
    ours = tmp_path / f"ours-{name}"
    ours.write_text(_run(capsys, "sops", "encrypt", "--age", own.recipient, str(plain)))
    done = _sops_bytes(sops_path, "decrypt", str(ours), key_file=own.path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == content


def test_a_crlf_binary_file_decrypts_to_stdout_unchanged(
    tmp_path: Path, own: AgeKey, sops: SopsRunner, capsys: pytest.CaptureFixture[str]
) -> None:
    """``chartsafe sops decrypt key.txt > key.txt.plain``: the common way, for UTF-8 content."""
    plain = tmp_path / "crlf.txt"
    plain.write_bytes(b"one\r\ntwo\rthree\x00\n")
    theirs = tmp_path / "theirs.txt"
    theirs.write_text(sops("encrypt", "--age", own.recipient, str(plain)).stdout)
    assert _run(capsys, "sops", "decrypt", str(theirs)) == "one\r\ntwo\rthree\x00\n"


@pytest.mark.parametrize(("name", "content"), BINARY, ids=IDS)
def test_editing_a_binary_file_keeps_every_other_byte(
    tmp_path: Path, own: AgeKey, sops_path: str, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], name: str, content: bytes,
) -> None:  # fmt: skip
    """Encrypted by sops, so that only the edit itself is under test."""
    plain = tmp_path / name
    plain.write_bytes(content)
    target = tmp_path / f"edited-{name}"
    target.write_bytes(_sops_encrypt(sops_path, own, plain))
    before = target.read_bytes()

    monkeypatch.setenv("EDITOR", _editor(tmp_path, "exit 0"))  # saves nothing
    capsys.readouterr()
    assert main(["sops", "edit", str(target)]) == 0
    assert "unchanged" in capsys.readouterr().err
    assert target.read_bytes() == before

    monkeypatch.setenv("EDITOR", _editor(tmp_path, "sed -i 's/two/TWO/' \"$1\""))
    _run(capsys, "sops", "edit", str(target))
    done = _sops_bytes(sops_path, "decrypt", str(target), key_file=own.path)
    assert done.stdout == content.replace(b"two", b"TWO")


def test_dotenv_carriage_returns_stay_in_the_values_as_sops_keeps_them(
    tmp_path: Path, own: AgeKey, sops_path: str,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    plain = tmp_path / "a.env"
    plain.write_bytes(DOTENV)
    theirs = tmp_path / "theirs.env"
    theirs.write_bytes(_sops_encrypt(sops_path, own, plain))
    oracle = _sops_bytes(sops_path, "decrypt", str(theirs), key_file=own.path)
    assert oracle.stdout == DOTENV  # what sops does: every \r kept
    assert b"NOTE_unencrypted=clear\r\n" in theirs.read_bytes()  # a clear value keeps it too

    assert _run(capsys, "sops", "decrypt", str(theirs)).encode() == DOTENV
    assert open_file(theirs, identities=own.identities).data == DOTENV_DATA

    ours = tmp_path / "ours.env"
    ours.write_text(_run(capsys, "sops", "encrypt", "--age", own.recipient, str(plain)))
    assert b"NOTE_unencrypted=clear\r\n" in ours.read_bytes()
    assert _sops_bytes(sops_path, "decrypt", str(ours), key_file=own.path).stdout == DOTENV


def test_editing_a_crlf_dotenv_file_without_a_change_leaves_it_alone(
    tmp_path: Path, own: AgeKey, sops_path: str, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    plain = tmp_path / "a.env"
    plain.write_bytes(DOTENV)
    target = tmp_path / "b.env"
    target.write_bytes(_sops_encrypt(sops_path, own, plain))
    before = target.read_bytes()
    monkeypatch.setenv("EDITOR", _editor(tmp_path, "exit 0"))
    capsys.readouterr()
    assert main(["sops", "edit", str(target)]) == 0
    assert "unchanged" in capsys.readouterr().err
    assert target.read_bytes() == before


def test_a_dotenv_line_that_is_only_a_carriage_return_is_refused_as_sops_refuses_it(
    tmp_path: Path, own: AgeKey, sops: SopsRunner, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = tmp_path / "blank.env"
    plain.write_bytes(b"A=1\r\n\r\nB=2\n")
    refused = sops("encrypt", "--age", own.recipient, str(plain), check=False)
    assert refused.returncode != 0 and "invalid dotenv input line" in refused.stderr
    capsys.readouterr()
    assert main(["sops", "encrypt", "--age", own.recipient, str(plain)]) == 2
    one_clear_line(capsys.readouterr().err, 2, [str(plain), "line 2", "KEY=VALUE"])


def test_json_lone_surrogate_escapes_become_u_fffd_as_sops_writes_them(
    tmp_path: Path, own: AgeKey, sops: SopsRunner, sops_path: str,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """Go's JSON decoder reads an unpaired ``\\udc80`` as U+FFFD; so must the store, or a
    clear value would be written back as a stray byte."""
    plain = tmp_path / "s.json"
    plain.write_text('{"a_unencrypted": "x\\udc80y", "b": "\\ud800", "c": "\\ud83d\\ude00"}')
    theirs = sops("encrypt", "--age", own.recipient, str(plain)).stdout
    ours = _run(capsys, "sops", "encrypt", "--age", own.recipient, str(plain))
    clear = '"a_unencrypted": "x\ufffdy"'
    assert clear in theirs and clear in ours
    target = tmp_path / "ours.json"
    target.write_text(ours)
    expected = _sops_bytes(sops_path, "decrypt", str(target), key_file=own.path).stdout
    assert (
        expected.decode() == '{\n\t"a_unencrypted": "x\ufffdy",\n\t"b": "\ufffd",\n\t"c": "😀"\n}\n'
    )
    _run(capsys, "sops", "decrypt", "--in-place", str(target))
    assert target.read_bytes() == expected


def test_a_reference_to_binary_content_that_is_not_text_is_one_clear_error(
    tmp_path: Path, own: AgeKey, sops: SopsRunner
) -> None:
    """A ``sops://`` value must be text: bytes that are not UTF-8 are refused, not passed on."""
    plain = tmp_path / "latin1.txt"
    plain.write_bytes(b"caf\xe9 hunter2")
    theirs = tmp_path / "theirs.txt"
    theirs.write_text(sops("encrypt", "--age", own.recipient, str(plain)).stdout)
    with pytest.raises(StoreError) as caught:
        open_file(theirs, identities=own.identities)
    message = str(caught.value)
    assert "not UTF-8" in message and str(theirs) in message and "hunter2" not in message
