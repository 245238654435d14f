"""Two commands changing one store take turns: neither drops the other's keys.

Before the store's edit lock, eight concurrent ``secrets set`` of eight different keys left
five: each wrote back the file it had read plus its own key. Here an edit is held open (read,
changed, not yet saved) while another one runs; the other must wait for it and then build on
it. Without the lock the other finishes first and the held edit's save drops its change.
"""

from __future__ import annotations

import errno
import fcntl
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from store_helpers import AgeKey

from chartsafe._errors import StoreError
from chartsafe.cli import main
from chartsafe.store import _store_lock
from chartsafe.store._store_lock import store_lock
from chartsafe.store.secret_ops import rekey_store, rotate_keys, set_value
from chartsafe.store.secret_store import SecretStore

HEX = "ab" * 32


def _store(tmp_path: Path, key: AgeKey) -> Path:
    store = tmp_path / "stores" / "s.sops.yaml"
    store.parent.mkdir()
    set_value(store, "default", "app", "k0", HEX, format="hex:32",
              recipients=[key.recipient], key_file=key.path)  # fmt: skip
    return store


# (an edit run while another is held, what it must have left in the store)
Edit = Callable[[Path, AgeKey, AgeKey], None]
Left = Callable[[SecretStore, AgeKey], bool]
EDITS: list[tuple[str, Edit, Left]] = [
    (
        "secrets set",
        lambda store, key, _: set_value(store, "default", "app", "k1", "v1", key_file=key.path),
        lambda opened, _: opened.get("default", "app", "k1") == "v1",
    ),
    (
        "secrets rotate",
        lambda store, key, _: rotate_keys(store, "default", "app", "k0", key_file=key.path),
        lambda opened, _: opened.get("default", "app", "k0") not in (None, HEX),
    ),
    (
        "secrets rekey",
        lambda store, key, other: rekey_store(
            store, recipients=[key.recipient, other.recipient], key_file=key.path
        ),
        lambda opened, other: other.recipient in opened.recipients,
    ),
]


@pytest.mark.parametrize(("edit", "left"), [e[1:] for e in EDITS], ids=[e[0] for e in EDITS])
def test_an_edit_waits_for_the_one_in_progress_and_keeps_it(
    tmp_path: Path, new_key: Callable[[str], AgeKey], edit: Edit, left: Left
) -> None:
    key, other = new_key("main"), new_key("other")
    store = _store(tmp_path, key)
    failures: list[BaseException] = []

    def run() -> None:
        try:
            edit(store, key, other)
        except BaseException as exc:  # reported by the assertion below
            failures.append(exc)

    with SecretStore.editing(store, key_file=key.path) as held:
        held.set("default", "app", "held", "kept")
        waiting = threading.Thread(target=run)
        waiting.start()
        waiting.join(0.5)
        assert waiting.is_alive(), "the second edit did not wait for the first"
        held.save()
    waiting.join(20)
    assert not waiting.is_alive() and not failures
    final = SecretStore.open(store, key_file=key.path)
    assert final.get("default", "app", "held") == "kept"  # the first edit survived
    assert left(final, other)  # and the second one was made on top of it


@contextmanager
def _held_elsewhere(store: Path) -> Iterator[None]:
    """The lock as another process holds it: its own open file description."""
    fd = os.open(store.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def test_a_lock_held_too_long_is_one_clear_error(tmp_path: Path, age_key: AgeKey) -> None:
    store = _store(tmp_path, age_key)
    with _held_elsewhere(store), pytest.raises(StoreError) as caught, store_lock(store, wait=0.2):
        pytest.fail("the lock was taken while held")
    message = str(caught.value)
    assert str(store) in message and "nothing written" in message
    assert "another chartsafe command" in message
    with store_lock(store, wait=0.2):  # released with its holder
        pass


def test_a_file_system_without_directory_locks_edits_unlocked(
    tmp_path: Path, age_key: AgeKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _store(tmp_path, age_key)

    def unsupported(fd: int, operation: int) -> None:
        raise OSError(errno.EOPNOTSUPP, "Operation not supported")

    monkeypatch.setattr(fcntl, "flock", unsupported)
    set_value(store, "default", "app", "k1", "v1", key_file=age_key.path)
    assert SecretStore.open(store, key_file=age_key.path).get("default", "app", "k1") == "v1"


def test_a_store_in_a_missing_folder_fails_as_before(tmp_path: Path, age_key: AgeKey) -> None:
    with pytest.raises(StoreError) as caught:
        set_value(tmp_path / "no" / "s.sops.yaml", "default", "app", "k", "v",
                  recipients=[age_key.recipient], key_file=age_key.path)  # fmt: skip
    assert "cannot write it" in str(caught.value)


def _chart(root: Path) -> Path:
    (root / "templates").mkdir(parents=True)
    (root / "Chart.yaml").write_text("apiVersion: v2\nname: app\nversion: 0.1.0\n")
    (root / "templates" / "deploy.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n"
        "  selector:\n    matchLabels: {app: a}\n  template:\n    metadata:\n"
        "      labels: {app: a}\n    spec:\n      containers:\n        - name: app\n"
        "          image: example/app:1.0\n          env:\n            - name: DB_PASSWORD\n"
        "              valueFrom:\n                secretKeyRef: {name: app-db, key: password}\n"
    )
    return root


# (command line after the program name; {store} {key} {recipient} {chart} {out} filled in)
COMMANDS = [
    ["secrets", "set", "app", "k1", "--from-literal", "v1", "--store", "{store}",
     "--age-key-file", "{key}"],
    ["secrets", "rotate", "app", "k0", "--store", "{store}", "--age-key-file", "{key}"],
    ["secrets", "rekey", "--store", "{store}", "--age", "{recipient}", "--age-key-file", "{key}"],
    ["secrets", "init", "r", "{chart}", "--store", "{store}", "--age-key-file", "{key}"],
    ["up", "r", "{chart}", "--out", "{out}", "--store", "{store}", "--age-key-file", "{key}",
     "--skip-check"],
    ["sops", "edit", "{store}", "--age-key-file", "{key}"],  # saves under the lock too
]  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c[:2]) for c in COMMANDS])
def test_every_command_that_writes_the_store_takes_its_lock(
    tmp_path: Path,
    age_key: AgeKey,
    command: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store = _store(tmp_path, age_key)
    before = store.read_bytes()
    fill = {"{store}": str(store), "{key}": str(age_key.path), "{recipient}": age_key.recipient,
            "{chart}": str(_chart(tmp_path / "chart")), "{out}": str(tmp_path / "out")}  # fmt: skip
    monkeypatch.setattr(_store_lock, "STORE_LOCK_WAIT", 0.2)
    editor = tmp_path / "editor.sh"  # for `sops edit`: a change, so that it saves
    editor.write_text('#!/bin/sh\nprintf "edited: yes\\n" >> "$1"\n')
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    capsys.readouterr()
    with _held_elsewhere(store):
        code = main([fill.get(word, word) for word in command])
    err = capsys.readouterr().err
    assert code == 2, err
    *progress, last = err.splitlines()  # `up` reports its steps before the failing one
    assert last.startswith("chartsafe: error: ") and "another chartsafe command" in last
    assert str(store) in last and "Traceback" not in err
    assert all(line.startswith("==> ") for line in progress)
    assert store.read_bytes() == before
    assert not (tmp_path / "out").exists()
    assert HEX not in err
