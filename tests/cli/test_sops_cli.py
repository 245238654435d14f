"""``chartsafe sops encrypt|decrypt|edit``: interoperable with the real sops, edit leaves nothing.

The editor is a small shell script: it records the path it was given (so the test can check
that the plaintext file is gone afterwards) and then edits, fails, or interrupts chartsafe.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from sops_runner import run_sops, sops_binary

from chartsafe.cli import main
from chartsafe.store import create_identity_file, decrypt_file

PLAIN = {
    "db": {"password": "hunter2-very-secret", "port": 5432, "user_unencrypted": "app"},
    "data": {"token": "tok-abc"},
    "hosts": ["a.example", "b.example"],
}


@pytest.fixture
def key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    for name in ("SOPS_AGE_KEY", "SOPS_AGE_RECIPIENTS", "SOPS_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "keys.txt"
    recipient = create_identity_file(path)
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(path))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return path, recipient


@pytest.fixture(scope="session")
def sops_bin() -> str:
    return sops_binary()


def _sops(sops_bin: str, key: Path, *args: str) -> str:
    result = run_sops(sops_bin, *args, key_file=key, cwd=Path.cwd())
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_our_encrypt_opens_with_sops_and_theirs_with_our_decrypt(
    key: tuple[Path, str], sops_bin: str, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    key_file, recipient = key
    plain = Path(f"values{suffix}")
    load = yaml.safe_load if suffix == ".yaml" else json.loads
    plain.write_text(yaml.safe_dump(PLAIN) if suffix == ".yaml" else json.dumps(PLAIN))

    assert main(["sops", "encrypt", "--age", recipient, str(plain)]) == 0
    ours = capsys.readouterr().out
    assert "hunter2" not in ours and "ENC[AES256_GCM" in ours
    mine = Path(f"ours{suffix}")
    mine.write_text(ours)
    assert load(_sops(sops_bin, key_file, "-d", str(mine))) == PLAIN

    theirs = Path(f"theirs{suffix}")
    theirs.write_text(_sops(sops_bin, key_file, "-e", "--age", recipient, str(plain)))
    assert main(["sops", "decrypt", str(theirs)]) == 0
    assert load(capsys.readouterr().out) == PLAIN


def test_sops_yaml_creation_rules_choose_recipients_and_selector(
    key: tuple[Path, str], sops_bin: str, capsys: pytest.CaptureFixture[str]
) -> None:
    key_file, recipient = key
    Path(".sops.yaml").write_text(
        "creation_rules:\n"
        f"  - path_regex: secret\\.yaml$\n    encrypted_regex: ^(data|password)$\n"
        f"    age: {recipient}\n"
        f"  - age: {recipient}\n    unencrypted_suffix: _clear\n"
    )
    Path("secret.yaml").write_text(yaml.safe_dump(PLAIN))
    Path("other.yaml").write_text(yaml.safe_dump({"a_clear": "shown", "b": "hidden-value"}))

    assert main(["sops", "encrypt", "--in-place", "secret.yaml"]) == 0
    encrypted = yaml.safe_load(Path("secret.yaml").read_text())
    assert encrypted["db"]["port"] == 5432 and encrypted["hosts"] == PLAIN["hosts"]
    assert encrypted["db"]["password"].startswith("ENC[")
    assert encrypted["data"]["token"].startswith("ENC[")
    assert encrypted["sops"]["encrypted_regex"] == "^(data|password)$"
    assert stat.S_IMODE(Path("secret.yaml").stat().st_mode) == 0o600

    assert main(["sops", "encrypt", "-i", "other.yaml"]) == 0
    other = yaml.safe_load(Path("other.yaml").read_text())
    assert other["a_clear"] == "shown" and other["b"].startswith("ENC[")
    assert other["sops"]["unencrypted_suffix"] == "_clear"

    for name in ("secret.yaml", "other.yaml"):  # sops agrees on both
        assert "ENC[" not in _sops(sops_bin, key_file, "-d", name)
    capsys.readouterr()


def test_selector_flags_override_the_config(key: tuple[Path, str]) -> None:
    _, recipient = key
    Path("v.yaml").write_text(yaml.safe_dump(PLAIN))
    assert main(["sops", "encrypt", "-i", "--age", recipient, "--encrypted-regex", "^port$",
                 "v.yaml"]) == 0  # fmt: skip
    data = yaml.safe_load(Path("v.yaml").read_text())
    assert data["db"]["password"] == PLAIN["db"]["password"]
    assert str(data["db"]["port"]).startswith("ENC[")
    assert decrypt_file("v.yaml") == PLAIN


# -- edit ---------------------------------------------------------------------------------------


def _editor(tmp_path: Path, body: str) -> tuple[str, Path]:
    """An EDITOR script; it writes the path it was given to ``seen``."""
    seen = tmp_path / "seen-path"
    script = tmp_path / "editor.sh"
    script.write_text(f'#!/bin/sh\necho "$1" > {seen}\n{body}\n')
    script.chmod(0o755)
    return str(script), seen


def _encrypted(recipient: str) -> Path:
    Path("plain.yaml").write_text(yaml.safe_dump(PLAIN))
    assert main(["sops", "encrypt", "--age", recipient, "-i", "plain.yaml"]) == 0
    return Path("plain.yaml")


def _check_gone(seen: Path) -> None:
    scratch = Path(seen.read_text().strip())
    assert scratch.name.startswith("plain")
    assert not scratch.exists() and not scratch.parent.exists()


def test_edit_saves_a_change_and_removes_the_plaintext(
    key: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, recipient = key
    target = _encrypted(recipient)
    before = yaml.safe_load(target.read_text())
    editor, seen = _editor(
        tmp_path,
        f'stat -c %a "$1" > {tmp_path}/mode\nsed -i "s/tok-abc/tok-new/" "$1"',
    )
    monkeypatch.setenv("EDITOR", editor)
    assert main(["sops", "edit", str(target)]) == 0
    _check_gone(seen)
    assert (tmp_path / "mode").read_text().strip() == "600"
    after = yaml.safe_load(target.read_text())
    assert decrypt_file(target)["data"]["token"] == "tok-new"
    # values that did not change keep their ciphertext byte for byte
    assert after["db"]["password"] == before["db"]["password"]
    assert after["data"]["token"] != before["data"]["token"]


def test_edit_without_a_change_rewrites_nothing(
    key: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, recipient = key
    target = _encrypted(recipient)
    before = target.read_bytes()
    editor, seen = _editor(tmp_path, "true")
    monkeypatch.setenv("EDITOR", editor)
    assert main(["sops", "edit", str(target)]) == 0
    _check_gone(seen)
    assert target.read_bytes() == before


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("exit 3", ["editor exited with status 3", "not changed"]),
        ('printf "a: [unclosed\\n" > "$1"', ["not valid YAML", "not changed"]),
    ],
    ids=["editor fails", "content does not parse"],
)
def test_edit_failure_leaves_file_and_no_plaintext(
    key: tuple[Path, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    body: str,
    words: list[str],
) -> None:
    _, recipient = key
    target = _encrypted(recipient)
    before = target.read_bytes()
    editor, seen = _editor(tmp_path, body)
    monkeypatch.setenv("EDITOR", editor)
    assert main(["sops", "edit", str(target)]) == 2
    err = capsys.readouterr().err
    assert all(word in err for word in words) and err.count("\n") == 1
    assert "hunter2" not in err
    _check_gone(seen)
    assert target.read_bytes() == before


@pytest.mark.parametrize("signal_name", ["INT", "TERM"])
def test_edit_interrupted_removes_the_plaintext(
    key: tuple[Path, str], tmp_path: Path, signal_name: str
) -> None:
    """Ctrl-C (SIGINT) or SIGTERM sent to chartsafe while the editor runs."""
    key_file, recipient = key
    target = _encrypted(recipient)
    before = target.read_bytes()
    editor, seen = _editor(tmp_path, f"kill -{signal_name} $PPID\nexec sleep 30")
    env = {**os.environ, "EDITOR": editor, "SOPS_AGE_KEY_FILE": str(key_file)}
    command = [sys.executable, "-m", "chartsafe", "sops", "edit", str(target)]
    result = subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert result.returncode == 130, result.stderr
    _check_gone(seen)
    assert target.read_bytes() == before


def test_edit_creates_a_new_encrypted_file(
    key: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, recipient = key
    editor, seen = _editor(tmp_path, 'printf "api:\\n  key: new-secret-value\\n" > "$1"')
    monkeypatch.setenv("EDITOR", editor)
    assert main(["sops", "edit", "--age", recipient, "fresh.yaml"]) == 0
    _check_gone(seen)
    assert "new-secret-value" not in Path("fresh.yaml").read_text()
    assert decrypt_file("fresh.yaml") == {"api": {"key": "new-secret-value"}}


# (what another writer does to the file while the editor is open; what is then on disk)
MEANWHILE = [
    ("rewritten", 'cp other.yaml "{target}"', True),
    ("removed", 'rm "{target}"', False),
]


@pytest.mark.parametrize(
    ("meanwhile", "left"), [m[1:] for m in MEANWHILE], ids=[m[0] for m in MEANWHILE]
)
def test_edit_does_not_save_over_a_file_changed_meanwhile(
    key: tuple[Path, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    meanwhile: str,
    left: bool,
) -> None:
    """A `chartsafe up` that saved the store while the editor was open keeps its save."""
    _, recipient = key
    target = _encrypted(recipient)
    original = target.read_bytes()
    Path("other.yaml").write_text(yaml.safe_dump({"db": {"password": "theirs-saved-meanwhile"}}))
    assert main(["sops", "encrypt", "--age", recipient, "-i", "other.yaml"]) == 0
    theirs = Path("other.yaml").read_bytes()
    editor, seen = _editor(
        tmp_path, f'sed -i "s/tok-abc/tok-mine/" "$1"\n{meanwhile.format(target=target.resolve())}'
    )
    monkeypatch.setenv("EDITOR", editor)
    capsys.readouterr()
    assert main(["sops", "edit", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "changed while it was open in the editor" in err
    assert "tok-mine" not in err and "hunter2" not in err
    _check_gone(seen)
    assert target.exists() is left
    if left:
        assert target.read_bytes() == theirs  # their save stands
    kept = Path("plain.conflict.yaml")
    assert str(kept) in err
    assert "tok-mine" not in kept.read_text()  # kept encrypted
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert decrypt_file(kept)["data"]["token"] == "tok-mine"
    # a second conflict does not overwrite the first one's kept edit
    target.write_bytes(original)
    assert main(["sops", "edit", "plain.yaml"]) == 2
    assert Path("plain.conflict-2.yaml").exists() and kept.exists()
