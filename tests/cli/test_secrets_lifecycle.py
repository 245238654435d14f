"""The store's lifecycle through the CLI: set over a value, rotate with another spec, what
``get --reveal`` prints, and the metadata every command reports the same way."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from secrets_flow import REDIS, run, tracecat_args

from chartsafe.store import create_identity_file
from chartsafe.store.secret_store import SecretStore


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A key file found through SOPS_AGE_KEY_FILE, its recipient, and a store path."""
    key_file = tmp_path / "keys.txt"
    recipient = create_identity_file(key_file)
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(key_file))
    monkeypatch.chdir(tmp_path)
    return {"recipient": recipient, "store": str(tmp_path / "store.yaml"), "key": str(key_file)}


def _set(store: str, secret: str, key: str, value: str, *more: str) -> list[str]:
    return ["secrets", "set", "-n", "tc", secret, key, "--from-literal", value,
            "--store", store, *more]  # fmt: skip


def _listing(
    capsys: pytest.CaptureFixture[str], store: str
) -> dict[tuple[str, str], dict[str, object]]:
    code, out, _ = run(capsys, "secrets", "list", "--store", store, "-o", "json")
    assert code == 0
    return {(e["secret"], e["key"]): e for e in json.loads(out)}


def test_set_over_a_value_keeps_the_previous_one(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    store = env["store"]
    assert run(capsys, *_set(store, "a", "k", "first-value-123", "--age", env["recipient"]))[0] == 0
    assert run(capsys, *_set(store, "a", "k", "second-value-456"))[0] == 0
    code, out, _ = run(capsys, "secrets", "get", "-n", "tc", "a", "k", "--previous", "--reveal",
                       "--store", store)  # fmt: skip
    assert (code, out) == (0, "first-value-123")
    entry = _listing(capsys, store)[("a", "k")]
    assert entry["previous"] is True and entry["rotated"] is not None
    # the same value again changes nothing, so the previous one stays
    assert run(capsys, *_set(store, "a", "k", "second-value-456"))[0] == 0
    assert SecretStore.open(store).previous("tc", "a", "k") == "first-value-123"


def test_rotate_with_a_generator_records_it(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    store = env["store"]
    assert run(capsys, *_set(store, "a", "k", "by-hand-value-1", "--age", env["recipient"]))[0] == 0
    assert _listing(capsys, store)[("a", "k")]["generator"] == "set"
    code, _, err = run(capsys, "secrets", "rotate", "-n", "tc", "a", "k", "--generator",
                       "hex:16", "--store", store)  # fmt: skip
    assert code == 0, err
    assert _listing(capsys, store)[("a", "k")]["generator"] == "hex:16"
    # the next plain rotate uses the recorded spec instead of refusing a value set by hand
    code, _, err = run(capsys, "secrets", "rotate", "-n", "tc", "a", "k", "--store", store)
    assert code == 0, err
    value = SecretStore.open(store).get("tc", "a", "k")
    assert value is not None and len(value) == 32 and int(value, 16) >= 0


def test_init_json_reports_stored_keys_as_list_does(
    env: dict[str, str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store = env["store"]
    user = ["tracecat-postgres-credentials", "username"]
    assert run(capsys, "secrets", "set", "-n", "tracecat", *user, "--from-literal", "tracecat",
               "--store", store, "--age", env["recipient"])[0] == 0  # fmt: skip
    args = tracecat_args(Path(store), "--generator", REDIS)
    assert run(capsys, "secrets", "init", *args)[0] == 0
    code, out, _ = run(capsys, "secrets", "init", *args, "-o", "json")
    assert code == 0
    report = json.loads(out)
    kept = {(e["secret"], e["key"]): (e["format"], e["generator"]) for e in report["kept"]}
    listed = {key: (e["format"], e["generator"]) for key, e in _listing(capsys, store).items()}
    assert kept[tuple(user)] == ("unknown", "set")
    assert kept == {key: listed[key] for key in kept}


# (id, the value, what a terminal shows)
REVEALED = [
    ("no final newline", "abc-value", "abc-value\n"),
    ("one final newline", "abc-value\n", "abc-value\n\n"),
    ("two final newlines", "abc-value\n\n", "abc-value\n\n\n"),
]


@pytest.mark.parametrize(("value", "on_terminal"), [r[1:] for r in REVEALED],
                         ids=[r[0] for r in REVEALED])  # fmt: skip
def test_get_reveal_is_unambiguous_and_round_trips(
    env: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    value: str,
    on_terminal: str,
) -> None:
    store = env["store"]
    source = tmp_path / "in.txt"
    source.write_text(value)
    assert run(capsys, "secrets", "set", "-n", "tc", "a", "k", "--from-file", str(source),
               "--store", store, "--age", env["recipient"])[0] == 0  # fmt: skip
    get = ["secrets", "get", "-n", "tc", "a", "k", "--reveal", "--store", store]
    code, out, _ = run(capsys, *get)
    assert (code, out) == (0, value)  # not a terminal: exactly the value
    (tmp_path / "out.txt").write_text(out)
    assert run(capsys, *_set(store, "a", "k2", "x")[:6], "--from-file",
               str(tmp_path / "out.txt"), "--store", store)[0] == 0  # fmt: skip
    assert SecretStore.open(store).get("tc", "a", "k2") == value
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    code, out, _ = run(capsys, *get)
    assert (code, out) == (0, on_terminal)


@pytest.mark.parametrize(
    ("own", "force"), [(True, False), (False, True)], ids=["own key kept", "--force"]
)
def test_rekey_away_from_own_key_needs_force(
    env: dict[str, str], capsys: pytest.CaptureFixture[str], tmp_path: Path, own: bool, force: bool
) -> None:
    store = env["store"]
    assert run(capsys, *_set(store, "a", "k", "value-12345", "--age", env["recipient"]))[0] == 0
    other = create_identity_file(tmp_path / "other.txt")
    age = f"{env['recipient']},{other}" if own else other
    code, _, err = run(capsys, "secrets", "rekey", "--store", store, "--age", age,
                       *(["--force"] if force else []))  # fmt: skip
    assert code == 0, err
    assert SecretStore.open(store, key_file=tmp_path / "other.txt").get("tc", "a", "k")
