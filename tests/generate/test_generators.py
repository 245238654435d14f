"""Every generator makes values of its format; specs parse; bad specs get one clear line."""

from __future__ import annotations

import base64
import json
import re
import uuid
from collections.abc import Callable

import bcrypt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import NameOID

from chartsafe.generate import (
    GENERATORS,
    Context,
    GeneratorError,
    generate,
    parse_spec,
    spec_for_format,
)


def _b64_bytes(value: str, *, urlsafe: bool = False) -> bytes:
    if urlsafe:
        assert re.fullmatch(r"[A-Za-z0-9_-]+=*", value)
        return base64.urlsafe_b64decode(value)
    return base64.b64decode(value, validate=True)


def _is_ca(pem: str) -> bool:
    extensions = x509.load_pem_x509_certificate(pem.encode()).extensions
    return bool(extensions.get_extension_for_class(x509.BasicConstraints).value.ca)


# (spec, check of one value)
SINGLE: list[tuple[str, Callable[[str], bool]]] = [
    ("hex:32", lambda v: re.fullmatch(r"[0-9a-f]{64}", v) is not None),
    ("hex:16", lambda v: re.fullmatch(r"[0-9a-f]{32}", v) is not None),
    ("hex", lambda v: len(v) == 64),
    ("base64:32", lambda v: len(_b64_bytes(v)) == 32 and len(v) == 44),
    ("base64:48", lambda v: len(_b64_bytes(v)) == 48),
    ("base64url:32", lambda v: len(_b64_bytes(v, urlsafe=True)) == 32 and v.endswith("=")),
    ("fernet", lambda v: len(_b64_bytes(v, urlsafe=True)) == 32),
    ("password", lambda v: re.fullmatch(r"[A-Za-z0-9]{32}", v) is not None),
    ("password:12", lambda v: re.fullmatch(r"[A-Za-z0-9]{12}", v) is not None),
    ("password:40:digits", lambda v: re.fullmatch(r"[0-9]{40}", v) is not None),
    ("password:64:urlsafe", lambda v: re.fullmatch(r"[A-Za-z0-9_-]{64}", v) is not None),
    ("uuid", lambda v: uuid.UUID(v).version == 4),
    ("ed25519", lambda v: len(_b64_bytes(v)) == 32),
    ("ed25519:public", lambda v: len(_b64_bytes(v)) == 32 and len(v) == 44),
    ("ed25519:private-pem", lambda v: isinstance(
        serialization.load_pem_private_key(v.encode(), None), ed25519.Ed25519PrivateKey)),
    ("rsa:2048", lambda v: serialization.load_pem_private_key(v.encode(), None).key_size == 2048),
    ("rsa:2048:public", lambda v: isinstance(
        serialization.load_pem_public_key(v.encode()), rsa.RSAPublicKey)),
    ("htpasswd-bcrypt:ops", lambda v: re.fullmatch(r"ops:\$2y\$12\$[./A-Za-z0-9]{53}", v)
     is not None),
    ("url:redis://:{password}@redis:6379", lambda v: re.fullmatch(
        r"redis://:[A-Za-z0-9]{32}@redis:6379", v) is not None),
    ("url:postgres://app:{hex:8}@db:5432/app", lambda v: re.fullmatch(
        r"postgres://app:[0-9a-f]{16}@db:5432/app", v) is not None),
    ("tls-ca", lambda v: _is_ca(v)),
]  # fmt: skip


@pytest.mark.parametrize(("spec", "check"), SINGLE, ids=[s for s, _ in SINGLE])
def test_generator_makes_its_format(spec: str, check: Callable[[str], bool]) -> None:
    first, second = generate(spec), generate(spec)
    assert check(first) and check(second)
    assert first != second  # random each time: nothing is a constant


def test_ed25519_halves_belong_together() -> None:
    gen = GENERATORS["ed25519"]
    parts = gen.make(None, Context())
    private = ed25519.Ed25519PrivateKey.from_private_bytes(base64.b64decode(parts["private"]))
    public = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    assert base64.b64encode(public).decode() == parts["public"]
    signature = private.sign(b"pcs")
    loaded = serialization.load_pem_public_key(parts["public-pem"].encode())
    assert isinstance(loaded, ed25519.Ed25519PublicKey)
    loaded.verify(signature, b"pcs")


@pytest.mark.parametrize("stored", ["private", "private-pem"])
def test_ed25519_public_derived_from_the_stored_private(stored: str) -> None:
    first = GENERATORS["ed25519"].make(None, Context())
    again = GENERATORS["ed25519"].make(None, Context(existing={stored: first[stored]}))
    assert again == first


def test_rsa_public_derived_from_the_stored_private() -> None:
    first = GENERATORS["rsa"].make("2048", Context())
    again = GENERATORS["rsa"].make("2048", Context(existing={"private": first["private"]}))
    assert again["public"] == first["public"]


@pytest.mark.parametrize(
    ("name", "arg", "stored"),
    [("ed25519", None, "public"), ("ed25519", None, "public-pem"), ("rsa", "2048", "public")],
)
def test_a_public_half_alone_is_never_completed_with_a_new_pair(
    name: str, arg: str | None, stored: str
) -> None:
    # a new pair would leave the stored public key matching no private key
    first = GENERATORS[name].make(arg, Context())
    with pytest.raises(GeneratorError) as caught:
        GENERATORS[name].make(arg, Context(existing={stored: first[stored]}))
    assert "no private key in the store" in str(caught.value)
    assert first[stored] not in str(caught.value)


def test_htpasswd_line_verifies_its_password() -> None:
    parts = GENERATORS["htpasswd-bcrypt"].make("ops", Context())
    user, hashed = parts["line"].split(":", 1)
    assert user == "ops"
    assert bcrypt.checkpw(parts["password"].encode(), ("$2b$" + hashed[4:]).encode())
    kept = GENERATORS["htpasswd-bcrypt"].make(
        "ops", Context(existing={"password": parts["password"]})
    )
    assert kept["password"] == parts["password"]


class _Store:
    """A dict standing in for the store's lookup/put."""

    def __init__(self) -> None:
        self.values: dict[tuple[str, str, str], str] = {}

    def lookup(self, ns: str, secret: str, key: str) -> str | None:
        return self.values.get((ns, secret, key))

    def put(self, ns: str, secret: str, key: str, value: str, _spec: str) -> None:
        self.values[(ns, secret, key)] = value


def test_tls_leaves_share_the_namespace_ca_and_verify() -> None:
    store = _Store()

    def leaf(secret: str, arg: str) -> dict[str, str]:
        context = Context(namespace="tc", secret=secret, key="tls.crt",
                          lookup=store.lookup, put=store.put)  # fmt: skip
        return GENERATORS["tls-cert"].make(arg, context)

    server = leaf("api-tls", "cn=api.tc.svc,dns=api.tc.svc,dns=api,ip=10.0.0.1")
    client = leaf("worker-tls", "")
    assert server["ca"] == client["ca"] == store.values[("tc", "chartsafe-ca", "ca.crt")]
    ca = x509.load_pem_x509_certificate(server["ca"].encode())
    for parts, cn in ((server, "api.tc.svc"), (client, "worker-tls")):
        cert = x509.load_pem_x509_certificate(parts["cert"].encode())
        cert.verify_directly_issued_by(ca)
        assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == cn
        key = serialization.load_pem_private_key(parts["key"].encode(), None)
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        assert key.public_key().public_numbers() == cert.public_key().public_numbers()
    san = x509.load_pem_x509_certificate(server["cert"].encode()).extensions
    names = san.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.DNSName) == ["api.tc.svc", "api"]
    # a missing certificate is made for the stored key, not a new key
    context = Context(namespace="tc", secret="api-tls", key="tls.crt", lookup=store.lookup,
                      put=store.put, existing={"key": server["key"]})  # fmt: skip
    remade = GENERATORS["tls-cert"].make("cn=api.tc.svc", context)
    assert remade["key"] == server["key"]
    assert remade["cert"] != server["cert"]


def test_a_secret_name_too_long_for_a_common_name_leaves_the_subject_empty() -> None:
    """Kubernetes allows Secret names of 253 characters, X.509 common names of 64: the
    certificate names the Secret in its (then critical) alternative names alone."""
    store = _Store()
    secret = "a" * 40 + "." + "b" * 40
    context = Context(namespace="tc", secret=secret, key="tls.crt",
                      lookup=store.lookup, put=store.put)  # fmt: skip
    made = GENERATORS["tls-cert"].make("", context)
    cert = x509.load_pem_x509_certificate(made["cert"].encode())
    cert.verify_directly_issued_by(x509.load_pem_x509_certificate(made["ca"].encode()))
    assert list(cert.subject) == []
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    assert san.critical
    assert san.value.get_values_for_type(x509.DNSName) == [secret]


def test_url_uses_sibling_and_store_values_percent_encoded() -> None:
    store = _Store()
    store.values[("db", "pg", "password")] = "p@ss/word"
    context = Context(namespace="app", secret="conn", key="url", siblings={"user": "app user"},
                      lookup=store.lookup)  # fmt: skip
    made = generate("url:postgres://{user}:{db/pg/password}@db:5432/app", context)
    assert made == "postgres://app%20user:p%40ss%2Fword@db:5432/app"


def test_dockerconfigjson_matches_kubectl_shape() -> None:
    context = Context(siblings={"password": "tok"})
    doc = json.loads(generate("dockerconfigjson:server=docker.io,user=me", context))
    auth = base64.b64encode(b"me:tok").decode()
    assert doc == {"auths": {"docker.io": {"username": "me", "password": "tok", "auth": auth}}}


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ("nope:3", ["unknown generator 'nope'", "hex"]),
        ("hex:abc", ["byte count", "'abc'"]),
        ("hex:0", ["between 1 and"]),
        ("password:4", ["between 8 and"]),
        ("password:16:emoji", ["unknown password class 'emoji'"]),
        ("rsa:1024", ["between 2048"]),
        ("url", ["needs a template"]),
        ("url:redis://:{password}@{host}:6379", ["{host}", "literal"]),
        ("url:postgres://{db/pg/password}@h/x", ["names db/pg/password", "not in the store"]),
        ("dockerconfigjson:server=x", ["server=HOST,user=NAME"]),
        ("tls-cert:colour=red", ["'colour=red'"]),
        ("tls-cert:cn=" + "b" * 65, ["cn= is 65 characters", "1 to 64"]),
        ("tls-cert:dns=\u00e9.example", ["dns=\u00e9.example", "not a DNS name"]),
        ("tls-cert:dns=a b", ["dns=a b", "not a DNS name"]),
        ("tls-cert:cn=My Service", ["cn=My Service", "no dns="]),
        ("fernet:16", ["takes no argument"]),
        ("htpasswd-bcrypt:a:b", ["one word"]),
    ],
)
def test_bad_specs_say_what_is_wrong(spec: str, words: list[str]) -> None:
    with pytest.raises(GeneratorError) as caught:
        generate(spec)
    assert all(word in str(caught.value) for word in words), str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("fmt", "key", "formats", "spec"),
    [
        ("hex:32", "serviceKey", {}, "hex:32"),
        ("fernet", "dbEncryptionKey", {}, "fernet"),
        ("base64:32", "ADMIN_TOKEN", {}, "base64:32"),
        ("password", "password", {}, "password"),
        ("password:20", "password", {}, "password:20"),
        ("uuid", "id", {}, "uuid"),
        ("htpasswd", "auth", {}, "htpasswd-bcrypt"),
        ("ed25519-private-key", "k", {}, "ed25519:private-pem"),
        ("ed25519-public-key", "k", {}, "ed25519:public-pem"),
        ("ed25519-private-key-b64", "k", {}, "ed25519"),  # private is the first part
        ("ed25519-public-key-b64", "k", {}, "ed25519:public"),
        ("pem-certificate", "tls.crt", {"tls.crt": "pem-certificate",
                                        "tls.key": "pem-private-key"}, "tls-cert"),
        ("pem-private-key", "tls.key", {"tls.crt": "pem-certificate",
                                        "tls.key": "pem-private-key"}, "tls-cert:key"),
        ("pem-certificate", "ca.crt", {"ca.crt": "pem-certificate",
                                       "tls.key": "pem-private-key"}, "tls-cert:ca"),
        ("pem-private-key", "key.pem", {"key.pem": "pem-private-key"}, None),
        ("text", "username", {}, None),
        ("url:redis|rediss", "url", {}, None),
        ("dockerconfigjson", ".dockerconfigjson", {}, None),
        ("unknown", "x", {}, None),
    ],
)  # fmt: skip
def test_format_picks_the_generator(
    fmt: str, key: str, formats: dict[str, str], spec: str | None
) -> None:
    found = spec_for_format(fmt, key, secret_formats=formats)
    assert (str(found) if found else None) == spec


def test_spec_round_trips_and_groups_parts() -> None:
    assert str(parse_spec("rsa:4096:public")) == "rsa:4096:public"
    assert parse_spec("rsa:public:4096") == parse_spec("rsa:4096:public")
    assert parse_spec("tls-cert:cert:cn=a").group == parse_spec("tls-cert:key:cn=a").group
    assert parse_spec("ed25519").part == "private"
