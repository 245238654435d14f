"""What the store refuses or honours in its input: generator specs, formats, links, key files.

A spec is kept in clear in the store's metadata, so a literal password in it is refused; a
recorded format must be a known one that the value fits; a store that is a symbolic link is
written through; ``keys init`` writes where sops looks first.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from store_helpers import AgeKey

from chartsafe._errors import DecryptionError, InputError
from chartsafe.store.secret_init import check_generator_spec, parse_generator_spec
from chartsafe.store.secret_ops import init_keys, set_value
from chartsafe.store.secret_store import SecretStore

LITERAL = "LiteralRedisPw-8080"

# (spec, the placeholder form the hint shows)
REFUSED_SPECS = [
    (f"url:redis://:{LITERAL}@redis:6379", "url:redis://:{password:32}@redis:6379"),
    (f"url:postgres://app:{LITERAL}@db:5432/app", "url:postgres://app:{password:32}@db:5432/app"),
    (f"url:postgres://{{db/user}}:{{password}}{LITERAL}@{{db/host}}:5432",
     "url:postgres://{db/user}:{password:32}@{db/host}:5432"),
    (f"dockerconfigjson:server=r.io,user=bot,password={LITERAL}", "password={password:32}"),
]  # fmt: skip
ACCEPTED_SPECS = [
    "url:redis://:{password:32}@redis:6379",
    "url:postgres://{user}:{password}@db:5432/app",
    "url:postgres://{db/user}:{db/password}@{db/host}:5432/{db/name}",
    "url:https://example.com/a:b@c",  # '@' in the path, no password
    "dockerconfigjson:server=r.io,user=bot",
    "dockerconfigjson:server=r.io,user=bot,password={password:24}",
    "hex:32",
]


@pytest.mark.parametrize(("spec", "placeholder"), REFUSED_SPECS)
def test_a_spec_with_a_literal_password_is_refused(spec: str, placeholder: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_generator_spec(spec, where="--generator url=...")
    message = str(caught.value)
    assert "--generator url=..." in message and "literally" in message
    assert placeholder in message
    assert LITERAL not in message


@pytest.mark.parametrize("spec", ACCEPTED_SPECS)
def test_placeholder_specs_are_accepted(spec: str) -> None:
    check_generator_spec(spec)
    parse_generator_spec(spec)


# (format, value, words of the error); None: accepted
FORMATS: list[tuple[str, str, list[str] | None]] = [
    ("bogusformat", "abc", ["--format 'bogusformat'", "not a known format", "hex"]),
    ("hex:32", "abc", ["--format hex:32", "does not fit", "64 expected"]),
    ("hex:x", "ab", ["--format 'hex:x'", "malformed", "hex:N"]),
    ("uuid:4", "ab", ["--format 'uuid:4'", "malformed"]),
    ("url:redis|rediss", "postgres://db:5432", ["does not fit", "redis://"]),
    ("url:no spaces", "redis://r:6379", ["malformed"]),
    ("base64:16", "bm90LWJhc2U2NA", ["does not fit", "not base64"]),
    ("hex:2", "abcd", None),
    ("url:redis|rediss", "redis://:pw-x1@r:6379", None),
    ("text", "tracecat", None),
    ("password:24", "pw-not-checked", None),
    ("ed25519-public-key-b64", "anything", None),
]


@pytest.mark.parametrize(("fmt", "value", "words"), FORMATS)
def test_set_checks_the_format_and_the_value(
    tmp_path: Path, age_key: AgeKey, fmt: str, value: str, words: list[str] | None
) -> None:
    store = tmp_path / "s.sops.yaml"
    if words is None:
        set_value(store, "ns", "s", "k", value, format=fmt, recipients=[age_key.recipient])
        opened = SecretStore.open(store, key_file=age_key.path)
        assert opened.info("ns", "s", "k")["format"] == fmt
        return
    with pytest.raises(InputError) as caught:
        set_value(store, "ns", "s", "k", value, format=fmt, recipients=[age_key.recipient])
    message = str(caught.value)
    assert all(word in message for word in words), message
    assert value not in message
    assert not store.exists()


def test_a_store_that_is_a_link_is_written_through(tmp_path: Path, age_key: AgeKey) -> None:
    target = tmp_path / "m2.sops.yaml"
    link = tmp_path / "link.sops.yaml"
    set_value(target, "m", "s", "k", "v-one", recipients=[age_key.recipient])
    link.symlink_to(target.name)
    set_value(link, "m", "s", "k2", "v-two", key_file=age_key.path)
    assert link.is_symlink() and link.readlink() == Path(target.name)
    opened = SecretStore.open(target, key_file=age_key.path)
    assert opened.get("m", "s", "k2") == "v-two"
    assert oct(target.stat().st_mode & 0o777) == oct(0o600)
    assert sorted(p.name for p in tmp_path.iterdir() if "sops" in p.name) == [
        "link.sops.yaml",
        "m2.sops.yaml",
    ]  # no temporary file left beside either


def test_keys_init_writes_where_sops_age_key_file_points(
    tmp_path: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wanted = tmp_path / "env" / "keys.txt"
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(wanted))
    result = init_keys()
    assert result.path == wanted and result.created and wanted.is_file()
    assert not (isolated_home / ".config" / "sops" / "age" / "keys.txt").exists()
    explicit = tmp_path / "flag.txt"
    assert init_keys(explicit).path == explicit  # --key-file still wins


@pytest.mark.parametrize(
    ("given", "hint"),
    [(True, "give --age-key-file the key file"), (False, "point SOPS_AGE_KEY_FILE at")],
)
def test_the_hint_names_the_key_source_in_use(
    tmp_path: Path,
    new_key: Callable[[str], AgeKey],
    monkeypatch: pytest.MonkeyPatch,
    given: bool,
    hint: str,
) -> None:
    owner, other = new_key("owner"), new_key("other")
    store = tmp_path / "s.sops.yaml"
    set_value(store, "m", "s", "k", "v-one", recipients=[owner.recipient])
    if not given:
        monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(other.path))
    with pytest.raises(DecryptionError) as caught:
        SecretStore.open(store, key_file=other.path if given else None)
    assert hint in str(caught.value)


# (id, the store's plain tree as a hand edit left it, the error's path or None: usable)
LAYOUTS = [
    ("a namespace left empty", {"secrets": {"ns": None}}, None),
    ("a Secret left empty", {"secrets": {"ns": {"s": None}}, "meta": {"ns": {"s": None}}}, None),
    ("a tree left empty", {"secrets": None, "meta": None}, None),
    ("a namespace that is a list", {"secrets": {"ns": ["s"]}}, "'secrets.ns' is not a mapping"),
    ("a Secret that is text", {"previous": {"ns": {"s": "v"}}},
     "'previous.ns.s' is not a mapping"),
    ("metadata of a Secret that is a number", {"meta": {"ns": {"s": 5}}},
     "'meta.ns.s' is not a mapping"),
]  # fmt: skip


@pytest.mark.parametrize(("tree", "error"), [x[1:] for x in LAYOUTS], ids=[x[0] for x in LAYOUTS])
def test_a_hand_edited_layout_is_used_or_refused_by_name(
    tmp_path: Path, age_key: AgeKey, tree: dict[str, object], error: str | None
) -> None:
    """Setting a key into a store a hand edit left odd crashed (an internal error) before."""
    from chartsafe._errors import StoreError
    from chartsafe.store import encrypt

    store = tmp_path / "s.sops.yaml"
    store.write_text(encrypt({"chartsafe": {"version": 1}, **tree}, age_key.recipient))
    if error is not None:
        with pytest.raises(StoreError, match=error):
            SecretStore.open(store, key_file=age_key.path)
        return
    set_value(store, "ns", "s", "k", "v", key_file=age_key.path)
    assert SecretStore.open(store, key_file=age_key.path).secret("ns", "s") == {"k": "v"}
