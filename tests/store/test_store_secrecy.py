"""No value leaks through a repr, a log record, an exception or a file mode; writes are atomic."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from store_helpers import AgeKey

from chartsafe._errors import SopsFormatError
from chartsafe.store import (
    decrypt_file,
    encrypt,
    encrypt_file,
    open_document,
    open_file,
    update,
    write_file,
)

SECRET = "correct-horse-battery-staple"


def test_document_repr_shows_no_value_and_no_key(age_key: AgeKey) -> None:
    document = open_document(
        encrypt({"pw": SECRET}, [age_key.recipient]), identities=age_key.identities
    )
    shown = repr(document) + repr(document.metadata)
    assert SECRET not in shown
    assert "ENC[" not in shown and "AGE ENCRYPTED" not in shown
    assert age_key.recipient in shown


def test_nothing_is_logged(age_key: AgeKey, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    text = encrypt({"pw": SECRET}, [age_key.recipient])
    update(text, {"pw": SECRET + "2"}, identities=age_key.identities)
    assert caplog.records == []


def test_unsupported_value_error_names_the_path_not_the_value(age_key: AgeKey) -> None:
    with pytest.raises(SopsFormatError, match=r"value at db\.pw has type set") as caught:
        encrypt({"db": {"pw": {SECRET}}}, [age_key.recipient])
    assert SECRET not in str(caught.value)


def test_plaintext_yaml_error_shows_no_line(age_key: AgeKey, tmp_path: Path) -> None:
    path = tmp_path / "store.yaml"
    path.write_text(f"pw: '{SECRET}\n")
    with pytest.raises(SopsFormatError) as caught:
        open_file(path, identities=age_key.identities)
    assert SECRET not in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_writes_are_0600_and_atomic(age_key: AgeKey, tmp_path: Path) -> None:
    path = tmp_path / "store.yaml"
    path.write_text("old")
    os.chmod(path, 0o644)
    write_file(path, encrypt({"pw": SECRET}, [age_key.recipient]))
    assert path.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "keys", "store.yaml", "work"]
    assert decrypt_file(path, identities=age_key.identities) == {"pw": SECRET}


def test_a_failed_write_leaves_the_old_file(
    age_key: AgeKey, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "store.yaml"
    write_file(path, encrypt({"pw": SECRET}, [age_key.recipient]))
    before = path.read_bytes()

    def broken_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(Exception, match="No space left"):
        write_file(path, encrypt({"pw": "new"}, [age_key.recipient]))
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".store")] == []


def test_encrypt_file_then_key_file_flag(age_key: AgeKey, tmp_path: Path) -> None:
    path = tmp_path / "store.json"
    encrypt_file(path, {"pw": SECRET}, recipients=age_key.recipient)
    assert path.read_text().startswith("{\n\t")
    assert decrypt_file(path, key_file=age_key.path) == {"pw": SECRET}
