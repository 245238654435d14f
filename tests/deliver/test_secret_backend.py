"""The ``secret`` backend and the delivery registry, on the typed test chart: the Secret
``type`` each set of keys needs, what the registry refuses, and a needed key the store lacks."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from chartsafe import RenderOptions, ValuesInput
from chartsafe._errors import InputError
from chartsafe.contract import contract_for_chart
from chartsafe.deliver import BACKENDS, DeliveryRequest, deliver
from chartsafe.deliver.secret import secret_type
from chartsafe.store import create_identity_file
from chartsafe.store.secret_init import fill_from_contract
from chartsafe.store.secret_store import SecretStore

TYPED = Path(__file__).resolve().parents[1] / "data" / "secrets_render" / "typed"
DOCKER = {".dockerconfigjson": "dockerconfigjson:server=registry.example.com,user=ci"}


@pytest.fixture
def typed(tmp_path: Path) -> tuple[Any, SecretStore]:
    """The typed chart's contract and a store holding every key it requires."""
    contract, _ = contract_for_chart(
        TYPED, ValuesInput(), RenderOptions(release_name="web", namespace="web", validate=False)
    )
    store = SecretStore.create(
        tmp_path / "s.yaml", recipients=create_identity_file(tmp_path / "k.txt")
    )
    result = fill_from_contract(store, contract, overrides=DOCKER)
    assert [(w.secret, w.key) for w in result.missing] == [("app-credentials", "apiToken")]
    store.set("web", "app-credentials", "apiToken", "vendor-token")
    return contract, store


def test_each_secret_gets_the_type_its_keys_need(typed: tuple[Any, SecretStore]) -> None:
    contract, store = typed
    delivery = deliver("secret", DeliveryRequest(contract, store))
    types = {m["metadata"]["name"]: m["type"] for m in delivery.manifests}
    assert types == {
        "app-credentials": "Opaque",
        "mtls": "kubernetes.io/tls",  # inferred from tls.crt + tls.key (no type in the contract)
        "regcred": "kubernetes.io/dockerconfigjson",
        "web-tls": "kubernetes.io/tls",
    }
    assert delivery.holds_values
    assert delivery.overrides == {"app": {"existingSecret": "app-credentials"}}
    regcred = next(m for m in delivery.manifests if m["metadata"]["name"] == "regcred")
    config = json.loads(base64.b64decode(regcred["data"][".dockerconfigjson"]))
    assert set(config["auths"]) == {"registry.example.com"}
    for manifest in delivery.manifests:
        name = manifest["metadata"]["name"]
        assert manifest["metadata"]["namespace"] == "web"
        assert {
            key: base64.b64decode(value).decode() for key, value in manifest["data"].items()
        } == store.secret("web", name)


@pytest.mark.parametrize(
    ("keys", "declared", "expected"),
    [
        (["tls.crt", "tls.key"], None, "kubernetes.io/tls"),
        (["tls.crt", "tls.key", "ca.crt"], None, "kubernetes.io/tls"),
        (["tls.crt"], None, "Opaque"),
        ([".dockerconfigjson"], None, "kubernetes.io/dockerconfigjson"),
        (["password", "username"], None, "Opaque"),
        (["username"], "kubernetes.io/basic-auth", "kubernetes.io/basic-auth"),
        (["tls.crt", "tls.key"], "Opaque", "Opaque"),
    ],
)
def test_secret_type(keys: list[str], declared: str | None, expected: str) -> None:
    assert secret_type(keys, declared, where="Secret x") == expected


def test_a_declared_type_without_its_keys_is_refused() -> None:
    with pytest.raises(
        InputError, match=r"Secret x: type kubernetes.io/tls needs key\(s\) tls.key"
    ):
        secret_type(["tls.crt"], "kubernetes.io/tls", where="Secret x")


@pytest.mark.parametrize(
    ("backend", "options", "words"),
    [
        ("plain", {}, "--as 'plain' is not a delivery backend"),
        ("secret", {"cert": "c.pem"}, "--cert: not used by --as secret"),
        ("sealed", {}, "no --cert, and the controller.s certificate could not be fetched"),
        ("sealed", {"cert": "c.pem", "scope": "galaxy"}, "--scope 'galaxy'"),
    ],
)
def test_the_registry_refuses_what_a_backend_cannot_use(
    backend: str, options: dict[str, Any], words: str, typed: tuple[Any, SecretStore]
) -> None:
    contract, store = typed
    with pytest.raises(InputError, match=words.replace("(", r"\(")):
        deliver(backend, DeliveryRequest(contract, store, options))


def test_a_needed_key_missing_from_the_store_names_the_set_command(
    typed: tuple[Any, SecretStore],
) -> None:
    contract, store = typed
    store.delete("web", "app-credentials", "apiToken")
    with pytest.raises(InputError) as caught:
        deliver("secret", DeliveryRequest(contract, store))
    assert "no value for key apiToken of Secret web/app-credentials" in str(caught.value)
    assert caught.value.hint == "chartsafe secrets set -n web app-credentials apiToken ..."


def test_every_registered_backend_loads() -> None:
    for backend in BACKENDS.values():
        assert callable(backend.load())
