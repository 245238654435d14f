"""Values made from other stored values (a URL embedding a password, a leaf signed by the store
CA) follow a rotation of what they are made from; ``set`` names them as stale."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

import pytest
from secrets_flow import run

from chartsafe.generate import parse_spec
from chartsafe.store import create_identity_file
from chartsafe.store.secret_fill import Wanted, fill
from chartsafe.store.secret_store import SecretStore


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A store with a password, URLs made from it, and a leaf signed by the store CA."""
    key_file = tmp_path / "keys.txt"
    recipient = create_identity_file(key_file)
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(key_file))
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "store.yaml"
    opened = SecretStore.create(path, recipients=recipient)
    specs = [
        ("db", "password", "password:24"),
        ("db", "url", "url:redis://:{password}@redis:6379"),
        ("app", "dsn", "url:http://u:{db/password}@host"),
        ("web", "tls.crt", "tls-cert:dns=web"),
        ("web", "tls.key", "tls-cert:dns=web:key"),
    ]
    fill(opened, [Wanted("tc", s, k, spec=parse_spec(spec)) for s, k, spec in specs])
    opened.save()
    return str(path)


def _quoted(value: str | None) -> str:
    assert value is not None
    return urllib.parse.quote(value, safe="")


# (id, rotate args, keys rotated because they are made from a rotated one)
CASES = [
    ("password: a sibling url and a url in another Secret", ["db", "password"],
     {("db", "url"), ("app", "dsn")}),
    ("the store CA: the leaf it signed", ["chartsafe-ca"],
     {("web", "tls.crt"), ("web", "tls.key")}),
    ("a url: nothing is made from it", ["db", "url"], set()),
]  # fmt: skip


@pytest.mark.parametrize(("args", "dependents"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rotate_makes_dependents_anew(
    store: str, capsys: pytest.CaptureFixture[str], args: list[str], dependents: set[object]
) -> None:
    before = SecretStore.open(store)
    listed = before.keys()
    old = {(i.secret, i.key): before.get("tc", i.secret, i.key) for i in listed}
    code, out, err = run(capsys, "secrets", "rotate", "-n", "tc", *args, "--store", store,
                         "-o", "json")  # fmt: skip
    assert code == 0, err
    report = json.loads(out)
    assert {(e["secret"], e["key"]) for e in report if e["dependent"]} == dependents
    after = SecretStore.open(store)
    for secret, key in dependents:
        assert after.get("tc", secret, key) != old[(secret, key)]
        assert after.previous("tc", secret, key) == old[(secret, key)]
    password = _quoted(after.get("tc", "db", "password"))
    assert f":{password}@" in (after.get("tc", "db", "url") or "")
    assert f":{password}@" in (after.get("tc", "app", "dsn") or "")
    from cryptography import x509

    leaf = x509.load_pem_x509_certificate((after.get("tc", "web", "tls.crt") or "").encode())
    ca = x509.load_pem_x509_certificate((after.get("tc", "chartsafe-ca", "ca.crt") or "").encode())
    leaf.verify_directly_issued_by(ca)  # still signed by the CA the store holds
    for value in [*old.values(), *(after.get("tc", s, k) for s, k in old)]:
        assert value is None or value not in out + err


def test_set_names_the_values_it_leaves_stale(
    store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = SecretStore.open(store)
    dsn = before.get("tc", "app", "dsn")
    code, out, err = run(capsys, "secrets", "set", "-n", "tc", "db", "password", "--from-literal",
                         "new-password-123", "--store", store)  # fmt: skip
    assert code == 0
    assert SecretStore.open(store).get("tc", "app", "dsn") == dsn  # set changes one value only
    for name in ("tc/app dsn", "tc/db url"):
        line = next(line for line in err.splitlines() if name in line)
        assert "warning" in line and "chartsafe secrets rotate -n tc" in line
    assert "new-password-123" not in out + err and (dsn or "") not in out + err


def test_set_names_the_other_half_of_a_key_pair(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    key_file = tmp_path / "keys.txt"
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(key_file))
    path = tmp_path / "store.yaml"
    opened = SecretStore.create(path, recipients=create_identity_file(key_file))
    specs = [("sign", "priv", "ed25519"), ("sign", "pub", "ed25519:public"),
             ("other", "pub", "ed25519:public"), ("sign", "token", "hex:16")]  # fmt: skip
    fill(opened, [Wanted("tc", s, k, spec=parse_spec(spec)) for s, k, spec in specs])
    opened.save()
    new = "c2V0LWJ5LWhhbmQtcHJpdmF0ZS1rZXktMzItYnl0ZXM="
    code, out, err = run(capsys, "secrets", "set", "-n", "tc", "sign", "priv", "--from-literal",
                         new, "--store", str(path), "-o", "json")  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["unmatched"] == [{"namespace": "tc", "secret": "sign", "key": "pub"}]
    code, out, err = run(capsys, "secrets", "set", "-n", "tc", "sign", "priv", "--from-literal",
                         new + "x", "--store", str(path))  # fmt: skip
    assert code == 0, err
    assert err == ""  # a value set by hand has no pair: nothing was made with it
    assert new not in out + err
    code, out, err = run(capsys, "secrets", "set", "-n", "tc", "other", "pub", "--from-literal",
                         new, "--store", str(path))  # fmt: skip
    assert code == 0 and err == ""  # its private half is only a part of its own, now dropped
    assert SecretStore.open(path).parts("tc", "other", "pub") == {}
