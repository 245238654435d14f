"""``SOPS_AGE_KEY_CMD``: identities a command prints, run as sops 3.11 runs it.

Held against the real sops on the same files and commands: once per recipient with
``SOPS_AGE_RECIPIENT`` set to it, its output read only when it succeeds, and a failing
command one source that found nothing (another may still open the file).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from bad_input import one_clear_line
from sops_runner import run_sops
from store_helpers import AgeKey, SopsRunner

from chartsafe.cli import main
from chartsafe.store.secret_ops import rekey_store, set_value

PLAIN = "db:\n    password: CmdPw-7731\n"


def _script(folder: Path, name: str, body: str) -> str:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o700)
    return str(path)


@pytest.fixture
def encrypted(tmp_path: Path, age_key: AgeKey, sops: SopsRunner) -> Path:
    """A file the real sops encrypted to ``age_key``, with no key where sops looks."""
    path = tmp_path / "values.yaml"
    path.write_text(PLAIN)
    sops("encrypt", "-i", "--age", age_key.recipient, str(path))
    return path


def _commands(key: AgeKey, folder: Path) -> dict[str, str]:
    return {
        "cat of the key file": f"cat {key.path}",
        "quoted words": f"sh -c 'cat \"{key.path}\"'",
        "only for its recipient": _script(
            folder, "for-recipient", f'test "$SOPS_AGE_RECIPIENT" = {key.recipient} && '
            f"cat {key.path}"
        ),
    }  # fmt: skip


@pytest.mark.parametrize("which", ["cat of the key file", "quoted words", "only for its recipient"])
def test_the_command_opens_what_sops_opens_with_it(
    which: str,
    encrypted: Path,
    age_key: AgeKey,
    sops_path: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    command = _commands(age_key, encrypted.parent)[which]
    theirs = run_sops(sops_path, "decrypt", str(encrypted), cwd=encrypted.parent,
                      env={"SOPS_AGE_KEY_CMD": command})  # fmt: skip
    assert theirs.returncode == 0, theirs.stderr
    monkeypatch.setenv("SOPS_AGE_KEY_CMD", command)
    assert main(["sops", "decrypt", str(encrypted)]) == 0
    assert capsys.readouterr().out == theirs.stdout == PLAIN


#: (id, the command's script body, the words the error says of it)
FAILING = [
    ("exits non-zero", "cat {key}; exit 3", ["sh exited 3"]),
    ("prints no key", "echo CmdPw-7731", ["the output of sh", "line 1 is not an age identity"]),
    ("for another recipient", 'test "$SOPS_AGE_RECIPIENT" = age1other && cat {key}',
     ["sh exited 1"]),
]  # fmt: skip


@pytest.mark.parametrize(("body", "words"), [f[1:] for f in FAILING], ids=[f[0] for f in FAILING])
def test_a_command_that_gives_no_key_is_named_and_nothing_it_printed(
    body: str,
    words: list[str],
    encrypted: Path,
    age_key: AgeKey,
    sops_path: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    command = f"sh {_script(encrypted.parent, 'cmd', body.format(key=age_key.path))}"
    theirs = run_sops(sops_path, "decrypt", str(encrypted), cwd=encrypted.parent,
                      env={"SOPS_AGE_KEY_CMD": command})  # fmt: skip
    assert theirs.returncode != 0  # sops refuses each as well
    monkeypatch.setenv("SOPS_AGE_KEY_CMD", command)
    assert main(["sops", "decrypt", str(encrypted)]) == 2
    err = capsys.readouterr().err
    one_clear_line(err, 2, ["no age identity opens", "SOPS_AGE_KEY_CMD (0 identities", *words])
    assert "CmdPw-7731" not in err and not re.search("AGE-SECRET-KEY-1[0-9A-Z]", err)


@pytest.mark.parametrize(
    ("command", "words"),
    [("'unbalanced", "cannot split it into words"), ("no-such-program-x", "cannot run"),
     ("  ", "it holds no command")],
    ids=["unbalanced quote", "no such program", "blank"],
)  # fmt: skip
def test_a_command_that_cannot_run_is_said(
    command: str,
    words: str,
    encrypted: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SOPS_AGE_KEY_CMD", command)
    assert main(["sops", "decrypt", str(encrypted)]) == 2
    one_clear_line(capsys.readouterr().err, 2, ["SOPS_AGE_KEY_CMD", words])


def test_a_failing_command_leaves_the_other_sources(
    encrypted: Path,
    age_key: AgeKey,
    sops_path: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """As sops: the command is one source among the others, not a gate before them."""
    env = {"SOPS_AGE_KEY_CMD": "false", "SOPS_AGE_KEY_FILE": str(age_key.path)}
    assert run_sops(sops_path, "decrypt", str(encrypted), cwd=encrypted.parent,
                    env=env).stdout == PLAIN  # fmt: skip
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(["sops", "decrypt", str(encrypted)]) == 0
    assert capsys.readouterr().out == PLAIN


def test_rekey_counts_the_identity_the_command_gives(
    tmp_path: Path, new_key: Callable[[str], AgeKey], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store opened through the command alone is not refused as a lock-out when rekeyed
    to recipients the command still serves."""
    own, other = new_key("own"), new_key("other")
    store = tmp_path / "st.yaml"
    set_value(store, "ns", "s", "k", "v", recipients=[own.recipient])
    monkeypatch.setenv("SOPS_AGE_KEY_CMD", f"cat {own.path}")
    done = rekey_store(store, recipients=[own.recipient, other.recipient])
    assert sorted(done.after) == sorted([own.recipient, other.recipient])
