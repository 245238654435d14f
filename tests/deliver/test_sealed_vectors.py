"""Every sealed-secrets vector opens with its key, under its label, and under no other."""

from __future__ import annotations

import base64
import json

import pytest
import yaml
from sealed_helpers import GENERATED, VECTORS, private_key

from chartsafe.deliver.sealed import sealed_secret_json, sealed_secret_yaml
from chartsafe.deliver.sealed_crypto import (
    Scope,
    UnsealError,
    hybrid_decrypt,
    label_for,
    unseal_value,
)
from chartsafe.deliver.sealed_open import unseal

RANDOM = json.loads((GENERATED / "random-values.json").read_text())
KAT = json.loads((GENERATED / "kat-deterministic-rsa2048.json").read_text())


def _key(entry: dict[str, str]) -> object:
    return private_key(entry["key"].removesuffix(".key.pem"))


@pytest.mark.parametrize(
    "entry",
    RANDOM,
    ids=[
        f"{e['key'][:7]}-{e['scope']}-{len(base64.b64decode(e['plaintext_base64']))}B"
        for e in RANDOM
    ],
)
def test_random_vector_opens_with_its_label(entry: dict[str, str]) -> None:
    scope = Scope(entry["scope"])
    label = label_for(scope, entry["namespace"], entry["name"])
    plaintext = unseal_value([_key(entry)], entry["sealed_base64"], label, where="vector")  # type: ignore[list-item]
    assert plaintext == base64.b64decode(entry["plaintext_base64"])


@pytest.mark.parametrize("entry", RANDOM[:: len(RANDOM) // 6], ids=lambda e: e["scope"])
@pytest.mark.parametrize(
    ("namespace", "name"), [("prod", "other-name"), ("staging", "db-creds"), ("", "")]
)
def test_random_vector_refuses_other_placements(
    entry: dict[str, str], namespace: str, name: str
) -> None:
    """A value opens only where its scope allows: as the controller, we refuse elsewhere."""
    scope = Scope(entry["scope"])
    label = label_for(scope, namespace, name)
    opens = label == label_for(scope, entry["namespace"], entry["name"])
    data = base64.b64decode(entry["sealed_base64"])
    assert (hybrid_decrypt([_key(entry)], data, label) is not None) is opens  # type: ignore[list-item]


@pytest.mark.parametrize("entry", KAT, ids=[e["scope"] for e in KAT])
def test_known_answer_vector(entry: dict[str, str]) -> None:
    data = base64.b64decode(entry["sealed_base64"])
    assert data[:2].hex() == entry["rsa_len_prefix_hex"]
    assert data[2:258].hex() == entry["rsa_ciphertext_hex"]
    assert data[258:].hex() == entry["aes_gcm_ciphertext_and_tag_hex"]
    label = entry["label_utf8"].encode()
    assert label == label_for(Scope(entry["scope"]), entry["namespace"], entry["name"])
    key = _key(entry)
    assert hybrid_decrypt([key], data, label) == entry["plaintext_utf8"].encode()  # type: ignore[list-item]
    for other in KAT:
        if other["label_utf8"] != entry["label_utf8"]:
            assert hybrid_decrypt([key], data, other["label_utf8"].encode()) is None  # type: ignore[list-item]


def test_npm_vector_is_namespace_wide() -> None:
    text = VECTORS / "cross-check-linode-npm" / "namespace-wide_prod_from-node-webcrypto.sealed.b64"
    sealed = text.read_text().strip()
    key = private_key("rsa2048")
    assert unseal_value([key], sealed, b"prod", where="npm") == b"from-node-webcrypto"
    with pytest.raises(UnsealError, match="no private key opens"):
        unseal_value([key], sealed, b"prod/some-name", where="npm")


def test_the_wrong_key_opens_nothing() -> None:
    entry = next(e for e in RANDOM if e["key"] == "rsa2048.key.pem")
    label = label_for(Scope(entry["scope"]), entry["namespace"], entry["name"])
    with pytest.raises(UnsealError):
        unseal_value([private_key("rsa4096")], entry["sealed_base64"], label, where="v")
    both = [private_key("rsa4096"), private_key("rsa2048")]
    assert unseal_value(both, entry["sealed_base64"], label, where="v") is not None


@pytest.mark.parametrize(
    "name", ["sealedsecret.kubeseal-format-yaml.yaml", "sealedsecret.kubeseal-format-json.json"]
)
def test_kubeseal_format_example_unseals_to_its_input(name: str) -> None:
    sealed = yaml.safe_load((GENERATED / name).read_text())
    source = yaml.safe_load((GENERATED / "input-secret.yaml").read_text())
    secret = unseal(sealed, [private_key("rsa2048")])
    want = {k: base64.b64decode(v) for k, v in source["data"].items()}
    want |= {k: v.encode() for k, v in source["stringData"].items()}
    assert {k: base64.b64decode(v) for k, v in secret["data"].items()} == want
    assert secret["metadata"]["labels"] == source["metadata"]["labels"]
    assert secret["type"] == "Opaque"


@pytest.mark.parametrize(
    ("name", "render"),
    [
        ("sealedsecret.kubeseal-format-yaml.yaml", sealed_secret_yaml),
        ("sealedsecret.kubeseal-format-json.json", sealed_secret_json),
    ],
)
def test_printing_reproduces_the_kubeseal_layout(name: str, render: object) -> None:
    text = (GENERATED / name).read_text()
    parsed = json.loads(text) if name.endswith(".json") else yaml.safe_load(text)
    assert render(parsed) == text  # type: ignore[operator]
