"""The secret store on top of the SOPS layer: layout, interop with sops, tamper, fill, rotate."""

from __future__ import annotations

import base64
import re
import stat
from pathlib import Path

import pytest
import yaml
from store_helpers import AgeKey, SopsRunner

from chartsafe._errors import InputError, IntegrityError, StoreError
from chartsafe.generate import GeneratorError, parse_spec
from chartsafe.store.secret_fill import Wanted, fill
from chartsafe.store.secret_store import SecretStore


def _new_store(path: Path, key: AgeKey) -> SecretStore:
    store = SecretStore.create(path, recipients=key.recipient)
    store.set("tc", "tc-secrets", "serviceKey", "v-service", format="hex:32", generator="hex:32")
    store.set("tc", "tc-pg", "password", "v-pg-pass")
    store.save()
    return store


def test_store_written_by_us_opens_with_sops(
    tmp_path: Path, age_key: AgeKey, sops: SopsRunner
) -> None:
    path = tmp_path / "store.yaml"
    _new_store(path, age_key)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text()
    assert "v-service" not in text and "v-pg-pass" not in text
    assert "encrypted_regex: ^(secrets|previous|parts)$" in text
    plain = yaml.safe_load(sops("-d", str(path), key_file=age_key.path).stdout)
    assert plain["secrets"] == {
        "tc": {"tc-secrets": {"serviceKey": "v-service"}, "tc-pg": {"password": "v-pg-pass"}}
    }
    assert plain["meta"]["tc"]["tc-secrets"]["serviceKey"]["format"] == "hex:32"
    assert plain["chartsafe"] == {"version": 1}


def test_store_written_by_sops_is_read_and_updated(
    tmp_path: Path, age_key: AgeKey, sops: SopsRunner
) -> None:
    plain = tmp_path / "store.yaml"
    plain.write_text("secrets:\n  tc:\n    tc-pg:\n      password: from-sops\n")
    encrypted = sops("-e", "--age", age_key.recipient, str(plain)).stdout
    plain.write_text(encrypted)
    store = SecretStore.open(plain, identities=age_key.identities)
    assert store.get("tc", "tc-pg", "password") == "from-sops"
    store.set("tc", "tc-pg", "username", "app")
    store.save()
    again = yaml.safe_load(sops("-d", str(plain), key_file=age_key.path).stdout)
    assert again["secrets"]["tc"]["tc-pg"] == {"password": "from-sops", "username": "app"}
    with pytest.raises(StoreError, match="would be stored in clear"):
        store.set("tc", "tc-pg", "token_unencrypted", "x")


def test_unchanged_values_keep_their_ciphertext(tmp_path: Path, age_key: AgeKey) -> None:
    path = tmp_path / "store.yaml"
    _new_store(path, age_key)
    before = re.search(r"serviceKey: (ENC\[.*\])", path.read_text())
    store = SecretStore.open(path, identities=age_key.identities)
    assert store.set("tc", "tc-secrets", "serviceKey", "v-service") is False
    assert store.save() is False  # nothing changed, nothing written
    store.set("tc", "tc-secrets", "signingSecret", "v-signing")
    store.save()
    after = re.search(r"serviceKey: (ENC\[.*\])", path.read_text())
    assert before is not None and after is not None and before.group(1) == after.group(1)


def test_rotate_keeps_the_previous_value(tmp_path: Path, age_key: AgeKey) -> None:
    path = tmp_path / "store.yaml"
    _new_store(path, age_key)
    store = SecretStore.open(path, identities=age_key.identities)
    store.rotate("tc", "tc-pg", "password", "v-new")
    store.save()
    reopened = SecretStore.open(path, identities=age_key.identities)
    assert reopened.get("tc", "tc-pg", "password") == "v-new"
    assert reopened.previous("tc", "tc-pg", "password") == "v-pg-pass"
    infos = reopened.keys()
    info = next(i for i in infos if i.key == "password")
    assert info.rotated is not None and info.has_previous


@pytest.mark.parametrize(
    "target",
    [
        r"(serviceKey: ENC\[AES256_GCM,data:)(.)",  # a value
        r"(format: )(h)",  # clear metadata, covered by the MAC
        r"(mac: ENC\[AES256_GCM,data:)(.)",  # the MAC
        r"(-----BEGIN AGE ENCRYPTED FILE-----\n\s+YWdl\S{20})(.)",  # the data key
    ],
    ids=["value", "metadata", "mac", "data-key"],
)
def test_tampering_is_refused(tmp_path: Path, age_key: AgeKey, target: str) -> None:
    path = tmp_path / "store.yaml"
    _new_store(path, age_key)
    text = path.read_text()

    def flip(match: re.Match[str]) -> str:
        char = match.group(2)
        return match.group(1) + ("B" if char != "B" else "C")

    changed = re.sub(target, flip, text, count=1)
    assert changed != text
    path.write_text(changed)
    with pytest.raises(IntegrityError):
        SecretStore.open(path, identities=age_key.identities)


def test_rekey_adds_a_recipient_values_unchanged(
    tmp_path: Path, new_key: object, age_key: AgeKey
) -> None:
    other: AgeKey = new_key("other")  # type: ignore[operator]
    path = tmp_path / "store.yaml"
    _new_store(path, age_key)
    value_before = re.search(r"password: (ENC\[.*\])", path.read_text())
    store = SecretStore.open(path, identities=age_key.identities)
    assert store.rekey([age_key.recipient, other.recipient]) == [
        age_key.recipient,
        other.recipient,
    ]
    store.save()
    value_after = re.search(r"password: (ENC\[.*\])", path.read_text())
    assert value_before and value_after and value_before.group(1) == value_after.group(1)
    assert SecretStore.open(path, identities=other.identities).get("tc", "tc-pg", "password")


def test_create_takes_recipients_from_sops_yaml(tmp_path: Path, age_key: AgeKey) -> None:
    (tmp_path / ".sops.yaml").write_text(
        f"creation_rules:\n  - path_regex: secrets/.*\\.yaml$\n    age: {age_key.recipient}\n"
        "    encrypted_regex: ^(data|stringData)$\n"
    )
    (tmp_path / "secrets").mkdir()
    store = SecretStore.create(tmp_path / "secrets" / "s.yaml")
    store.set("tc", "x", "k", "v-k")
    store.save()
    text = (tmp_path / "secrets" / "s.yaml").read_text()
    assert age_key.recipient in text and "v-k" not in text  # the rule's selector is not used


@pytest.mark.parametrize(
    ("ns", "secret", "key"),
    [("Bad_NS", "x", "k"), ("ns", "UPPER", "k"), ("ns", "x", "bad key"), ("ns", "x", "..")],
)
def test_names_follow_kubernetes_rules(
    tmp_path: Path, age_key: AgeKey, ns: str, secret: str, key: str
) -> None:
    store = SecretStore.create(tmp_path / "s.yaml", recipients=age_key.recipient)
    with pytest.raises(InputError):
        store.set(ns, secret, key, "v")


def _tracecat_wanted() -> list[Wanted]:
    core = [("dbEncryptionKey", "fernet"), ("serviceKey", "hex:32"),
            ("signingSecret", "hex:32"), ("userAuthSecret", "hex:32")]  # fmt: skip
    wanted = [Wanted("tc", "tc-secrets", k, f, parse_spec(f)) for k, f in core]
    wanted += [
        Wanted("tc", "tc-pg", "username", "text"),
        Wanted("tc", "tc-pg", "password", "password", parse_spec("password")),
        Wanted("tc", "redis", "password", "password", parse_spec("password")),
        Wanted("tc", "redis", "url", "url", parse_spec("url:redis://:{password}@redis:6379")),
        Wanted("tc", "sign", "priv", "base64:32", parse_spec("ed25519:private")),
        Wanted("tc", "sign", "pub", "base64:32", parse_spec("ed25519:public")),
    ]
    return wanted


def test_fill_makes_what_is_missing_and_never_changes_a_value(
    tmp_path: Path, age_key: AgeKey
) -> None:
    path = tmp_path / "store.yaml"
    store = SecretStore.create(path, recipients=age_key.recipient)
    result = fill(store, _tracecat_wanted())
    store.save()
    assert [w.key for w in result.missing] == ["username"]
    assert len(result.added) == 9
    assert re.fullmatch(r"[0-9a-f]{64}", store.get("tc", "tc-secrets", "serviceKey") or "")
    fernet = base64.urlsafe_b64decode(store.get("tc", "tc-secrets", "dbEncryptionKey") or "")
    assert len(fernet) == 32
    redis_pw = store.get("tc", "redis", "password")
    assert store.get("tc", "redis", "url") == f"redis://:{redis_pw}@redis:6379"
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    private = Ed25519PrivateKey.from_private_bytes(
        base64.b64decode(store.get("tc", "sign", "priv") or "")
    )
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    assert base64.b64encode(public).decode() == store.get("tc", "sign", "pub")
    before = path.read_bytes()
    for _ in range(3):
        again = SecretStore.open(path, identities=age_key.identities)
        second = fill(again, _tracecat_wanted())
        assert not second.added and len(second.kept) == 9
        assert again.save() is False
    assert path.read_bytes() == before


def test_fill_derives_a_missing_half_from_the_stored_one(tmp_path: Path, age_key: AgeKey) -> None:
    store = SecretStore.create(tmp_path / "s.yaml", recipients=age_key.recipient)
    wanted = _tracecat_wanted()[-2:]
    fill(store, wanted[:1])
    private = store.get("tc", "sign", "priv")
    fill(store, wanted)
    assert store.get("tc", "sign", "priv") == private
    assert store.get("tc", "sign", "pub") == store.parts("tc", "sign", "priv")["public"]


def test_set_by_hand_drops_the_old_values_parts(tmp_path: Path, age_key: AgeKey) -> None:
    store = SecretStore.create(tmp_path / "s.yaml", recipients=age_key.recipient)
    fill(store, _tracecat_wanted()[-2:])
    private = store.get("tc", "sign", "priv")
    assert store.parts("tc", "sign", "pub")["private"] == private
    assert store.set("tc", "sign", "pub", store.get("tc", "sign", "pub") or "") is False
    assert store.parts("tc", "sign", "pub")["private"] == private  # same value: still its parts
    store.set("tc", "sign", "pub", "aGFuZC1zZXQtcHVibGljLWtleS0zMi1ieXRlcyE=")
    assert store.parts("tc", "sign", "pub") == {}  # the old pair's private key is not this one's
    assert store.parts("tc", "sign", "priv")["private-pem"]  # the other half keeps its own
    store.save()
    reopened = SecretStore.open(tmp_path / "s.yaml", identities=age_key.identities)
    assert reopened.parts("tc", "sign", "pub") == {}


def test_fill_never_pairs_a_hand_set_public_key_with_an_old_private_one(
    tmp_path: Path, age_key: AgeKey
) -> None:
    store = SecretStore.create(tmp_path / "s.yaml", recipients=age_key.recipient)
    wanted = _tracecat_wanted()[-2:]
    fill(store, wanted)
    store.set("tc", "sign", "pub", "aGFuZC1zZXQtcHVibGljLWtleS0zMi1ieXRlcyE=")
    store.delete("tc", "sign", "priv")
    with pytest.raises(GeneratorError) as caught:  # it used to take the old pair's private key
        fill(store, wanted)
    assert "no private key in the store" in str(caught.value)
    assert store.get("tc", "sign", "priv") is None


def test_repr_and_errors_carry_no_value(tmp_path: Path, age_key: AgeKey) -> None:
    store = _new_store(tmp_path / "s.yaml", age_key)
    assert "v-service" not in repr(store)
    with pytest.raises(InputError) as caught:
        store.rotate("tc", "tc-pg", "nope", "v-secret-new")
    assert "v-secret-new" not in str(caught.value)
