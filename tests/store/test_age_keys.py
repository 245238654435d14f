"""Identity lookup like sops, key-file creation, recipients, and the "where I looked" error."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from store_helpers import SOPS_311, AgeKey

from chartsafe._errors import AgeKeyError, DecryptionError
from chartsafe.store import (
    create_identity_file,
    decrypt,
    default_key_file,
    encrypt,
    find_identities,
    parse_recipients,
)

MOCK_RECIPIENT = "age1lzd99uklcjnc0e7d860axevet2cz99ce9pq6tzuzd05l5nr28ams36nvun"
MOCK_IDENTITY = "AGE-SECRET-KEY-1G0Q5K9TV4REQ3ZSQRMTMG8NSWQGYT0T7TZ33RAZEE0GZYVZN0APSU24RK7"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"HOME": "/h", "XDG_CONFIG_HOME": "/x"}, "/x/sops/age/keys.txt"),
        ({"HOME": "/h", "XDG_CONFIG_HOME": ""}, "/h/.config/sops/age/keys.txt"),
        ({"HOME": "/h"}, "/h/.config/sops/age/keys.txt"),
    ],
)
@pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="Linux default location")
def test_default_key_file(env: dict[str, str], expected: str) -> None:
    assert default_key_file(env) == Path(expected)


def test_default_location_is_used(isolated_home: Path) -> None:
    path = isolated_home / ".config" / "sops" / "age" / "keys.txt"
    path.parent.mkdir(parents=True)
    path.write_text(f"# a comment\n\n{MOCK_IDENTITY}\n")
    found = find_identities()
    assert found.recipients == [MOCK_RECIPIENT]
    assert f"{path} (1 identity)" in found.looked_in


def test_env_sources_are_combined(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key_file = tmp_path / "k.txt"
    key_file.write_text((SOPS_311 / "age-identities.txt").read_text())
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(key_file))
    monkeypatch.setenv("SOPS_AGE_KEY", MOCK_IDENTITY)
    found = find_identities()
    assert len(found) == 3
    assert found.looked_in[:2] == (
        "SOPS_AGE_KEY (1 identity)",
        f"SOPS_AGE_KEY_FILE={key_file} (2 identities)",
    )


def test_explicit_key_file_replaces_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOPS_AGE_KEY", MOCK_IDENTITY)
    found = find_identities(SOPS_311 / "age-identities.txt")
    assert len(found) == 2
    assert [s.place for s in found.sources] == [str(SOPS_311 / "age-identities.txt")]


def test_missing_key_says_where_it_looked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_home: Path
) -> None:
    text = encrypt({"password": "hunter2"}, [MOCK_RECIPIENT])
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(tmp_path / "nowhere.txt"))
    with pytest.raises(DecryptionError) as caught:
        decrypt(text, source="store.yaml")
    error = caught.value
    message = str(error)
    assert "\n" not in message
    assert message.startswith("store.yaml: no age identity opens the data key")
    assert MOCK_RECIPIENT in message
    assert "SOPS_AGE_KEY (not set)" in message
    assert f"SOPS_AGE_KEY_FILE={tmp_path / 'nowhere.txt'} (not found)" in message
    default = isolated_home / ".config" / "sops" / "age" / "keys.txt"
    assert f"{default} (not found)" in message
    assert error.looked_in and error.file == "store.yaml"
    assert "hunter2" not in message


def test_wrong_key_names_the_key_file(age_key: AgeKey) -> None:
    text = encrypt({"password": "hunter2"}, [MOCK_RECIPIENT])
    with pytest.raises(DecryptionError, match=r"\(1 identity\)") as caught:
        decrypt(text, identities=age_key.identities)
    assert str(age_key.path) in str(caught.value)


def test_create_identity_file(tmp_path: Path, isolated_home: Path) -> None:
    recipient = create_identity_file()
    path = isolated_home / ".config" / "sops" / "age" / "keys.txt"
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    text = path.read_text()
    assert recipient.startswith("age1") and f"# public key: {recipient}" in text
    assert "AGE-SECRET-KEY-1" in text and "AGE-SECRET-KEY" not in recipient
    assert find_identities().recipients == [recipient]
    assert not [p for p in path.parent.iterdir() if p.name != "keys.txt"]  # no temp file left
    # never overwritten; exist_ok returns the existing recipient
    with pytest.raises(AgeKeyError, match="already exists"):
        create_identity_file()
    assert create_identity_file(exist_ok=True) == recipient
    assert path.read_text() == text


def test_create_identity_file_honours_sops_age_key_file_path(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "er" / "keys.txt"
    recipient = create_identity_file(target)
    assert find_identities(target).recipients == [recipient]
    assert oct(target.stat().st_mode & 0o777) == oct(0o600)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not-a-key\n", "line 1 is not an age identity"),
        ("# ok\nAGE-SECRET-KEY-1XYZ\n", "line 2 is a malformed age identity"),
    ],
)
def test_malformed_key_file_names_the_line_not_the_content(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(text)
    with pytest.raises(AgeKeyError, match=message) as caught:
        find_identities(path)
    assert "XYZ" not in str(caught.value) and "not-a-key" not in str(caught.value)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (MOCK_RECIPIENT, [MOCK_RECIPIENT]),
        (f" {MOCK_RECIPIENT} ,, {MOCK_RECIPIENT}", [MOCK_RECIPIENT]),
        ([MOCK_RECIPIENT, ""], [MOCK_RECIPIENT]),
    ],
)
def test_parse_recipients(given: str | list[str], expected: list[str]) -> None:
    assert parse_recipients(given) == expected


def test_bad_recipient() -> None:
    with pytest.raises(AgeKeyError, match="is not an age recipient"):
        parse_recipients("age1nope")


def test_reprs_hold_no_key(age_key: AgeKey) -> None:
    secret = [line for line in age_key.path.read_text().splitlines() if line.startswith("AGE-")]
    identities = age_key.identities
    assert secret and secret[0] not in repr(identities)
    assert "AGE-SECRET" not in repr(identities.keys)
    assert os.fspath(age_key.path) in repr(identities)
