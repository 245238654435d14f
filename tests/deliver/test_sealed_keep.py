"""A value sealed again unchanged keeps last run's ciphertext, and only then.

Each case seals a Secret once, changes one thing, seals again with the first result as
``previous``, and names the keys whose ciphertext must come back unchanged. Whatever is kept,
the result must open to the current values with the controller's key.
"""

from __future__ import annotations

import base64
import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
from sealed_helpers import private_key, public_key

from chartsafe.deliver.sealed import seal_secret, secret_items
from chartsafe.deliver.sealed_crypto import Scope
from chartsafe.deliver.sealed_keep import PROOFS_ANNOTATION, keep_unchanged
from chartsafe.deliver.sealed_open import unseal

PROOF_KEY = b"k" * 32
VALUES = {"password": "first-Passw0rd-value", "token": "tok-9f8e7d6c5b4a"}


def _secret(name: str = "app", **values: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name, "namespace": "ns"},
            "type": "Opaque", "stringData": values or dict(VALUES)}  # fmt: skip


def _seal(
    secret: dict[str, Any],
    previous: list[dict[str, Any]],
    *,
    cert: str = "rsa2048",
    scope: Scope = Scope.strict,
    proof_key: bytes = PROOF_KEY,
) -> dict[str, Any]:
    sealed = seal_secret(secret, public_key(cert), scope=scope)
    items = secret_items(secret, where="Secret")
    return keep_unchanged(sealed, items, previous, public_key(cert), proof_key)


def _tamper_proofs(sealed: dict[str, Any]) -> None:
    sealed["metadata"]["annotations"][PROOFS_ANNOTATION] = "not json {"


def _swap_ciphertexts(sealed: dict[str, Any]) -> None:
    data = sealed["spec"]["encryptedData"]
    data["password"], data["token"] = data["token"], data["password"]


def _drop_proofs(sealed: dict[str, Any]) -> None:
    del sealed["metadata"]["annotations"][PROOFS_ANNOTATION]


# (case, the Secret sealed the second time, seal options, change to the first result, kept keys)
CASES: list[tuple[str, dict[str, Any], dict[str, Any], Callable[[dict[str, Any]], None] | None,
                  set[str]]] = [
    ("nothing changed", _secret(), {}, None, {"password", "token"}),
    ("one value rotated", _secret(password="second-Passw0rd-value", token=VALUES["token"]), {},
     None, {"token"}),
    ("a key added", _secret(**VALUES, extra="new-value-1234"), {}, None, {"password", "token"}),
    ("another store's proof key", _secret(), {"proof_key": b"o" * 32}, None, set()),
    ("a new controller certificate", _secret(), {"cert": "rsa4096"}, None, set()),
    ("another scope", _secret(), {"scope": Scope.namespace_wide}, None, set()),
    ("another name", _secret("other"), {}, None, set()),
    ("proofs edited into garbage", _secret(), {}, _tamper_proofs, set()),
    ("proofs removed", _secret(), {}, _drop_proofs, set()),
    ("ciphertexts swapped between keys", _secret(), {}, _swap_ciphertexts, set()),
]  # fmt: skip


@pytest.mark.parametrize(
    ("secret", "options", "change", "kept"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_only_a_proven_unchanged_value_keeps_its_ciphertext(
    secret: dict[str, Any],
    options: dict[str, Any],
    change: Callable[[dict[str, Any]], None] | None,
    kept: set[str],
) -> None:
    first = _seal(_secret(), [])
    previous = copy.deepcopy(first)
    if change is not None:
        change(previous)
    second = _seal(secret, [previous], **options)
    old = previous["spec"]["encryptedData"]
    new = second["spec"]["encryptedData"]
    assert {key for key in new if new[key] == old.get(key)} == kept
    key = private_key(options.get("cert", "rsa2048"))
    opened = unseal(second, [key])
    assert {k: base64.b64decode(v).decode() for k, v in opened["data"].items()} == (
        secret["stringData"]
    )


def test_the_proofs_are_per_key_and_hold_no_value() -> None:
    sealed = _seal(_secret(), [])
    text = sealed["metadata"]["annotations"][PROOFS_ANNOTATION]
    proofs = json.loads(text)
    assert set(proofs) == set(VALUES) and len(set(proofs.values())) == len(VALUES)
    for value in VALUES.values():
        assert value not in text and base64.b64encode(value.encode()).decode() not in text
    # the proofs sit on the SealedSecret, not on the Secret the controller makes from it
    assert PROOFS_ANNOTATION not in json.dumps(sealed["spec"]["template"])


def test_the_previous_object_is_matched_by_name_among_others() -> None:
    others = [_seal(_secret("a"), []), {"kind": "ConfigMap", "metadata": {"name": "app"}}]
    first = _seal(_secret(), [])
    second = _seal(_secret(), [*others, first])
    assert second["spec"]["encryptedData"] == first["spec"]["encryptedData"]
