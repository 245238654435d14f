"""seal_secret builds what kubeseal builds, and what it seals opens only where it should."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest
import yaml
from sealed_helpers import DATA, GENERATED, private_key, public_key

from chartsafe.deliver.sealed import seal_secret, sealed_secret_yaml
from chartsafe.deliver.sealed_crypto import (
    CLUSTER_WIDE_ANNOTATION,
    NAMESPACE_WIDE_ANNOTATION,
    Scope,
    SealingError,
    UnsealError,
)
from chartsafe.deliver.sealed_open import reseal, unrendered_note, unseal

FULL = yaml.safe_load((DATA / "secret-full.yaml").read_text())
WANT = {"dbPassword": b"string-data-wins", "userAuthSecret": b"s3cr3t-string-data"}


def _values(secret: dict[str, Any]) -> dict[str, bytes]:
    return {k: base64.b64decode(v) for k, v in secret["data"].items()}


def _moved(sealed: dict[str, Any], **metadata: str) -> dict[str, Any]:
    return sealed | {"metadata": sealed["metadata"] | metadata}


# (scope, annotation on the SealedSecret, placements that must still open)
SCOPES = [
    (Scope.strict, None, []),
    (Scope.namespace_wide, NAMESPACE_WIDE_ANNOTATION, [{"name": "renamed"}]),
    (Scope.cluster_wide, CLUSTER_WIDE_ANNOTATION, [{"name": "renamed"}, {"namespace": "other"}]),
]


@pytest.mark.parametrize("key", ["rsa2048", "rsa4096"])
@pytest.mark.parametrize(("scope", "annotation", "still_opens"), SCOPES, ids=str)
def test_each_scope_round_trips_and_binds(
    key: str, scope: Scope, annotation: str | None, still_opens: list[dict[str, str]]
) -> None:
    sealed = seal_secret(FULL, public_key(key), scope=scope)
    annotations = sealed["metadata"].get("annotations", {})
    assert annotations == ({annotation: "true"} if annotation else {})
    assert sealed["spec"]["template"]["metadata"]["annotations"].get(annotation or "x") == (
        "true" if annotation else None
    )
    prefix = {"rsa2048": "AQ", "rsa4096": "Ag"}[key]
    assert all(v.startswith(prefix) for v in sealed["spec"]["encryptedData"].values())
    assert _values(unseal(sealed, [private_key(key)])) == WANT
    for placement in ({"name": "renamed"}, {"namespace": "other"}):
        moved = _moved(sealed, **placement)
        if placement in still_opens:
            assert _values(unseal(moved, [private_key(key)])) == WANT
        else:
            with pytest.raises(UnsealError, match="no private key opens"):
                unseal(moved, [private_key(key)])


def test_template_carries_metadata_type_and_immutable() -> None:
    sealed = seal_secret(FULL, public_key("rsa2048"))
    assert sealed["apiVersion"] == "bitnami.com/v1alpha1"
    assert sealed["kind"] == "SealedSecret"
    assert sealed["metadata"] == {"name": "tracecat-secrets", "namespace": "tracecat"}
    template = sealed["spec"]["template"]
    assert template["type"] == "Opaque"
    assert template["immutable"] is True
    assert template["metadata"] == {
        "name": "tracecat-secrets",
        "namespace": "tracecat",
        "labels": {"app.kubernetes.io/name": "tracecat"},
        "annotations": {"reloader.stakater.com/match": "true"},
    }
    assert sorted(sealed["spec"]["encryptedData"]) == ["dbPassword", "userAuthSecret"]


def test_every_value_gets_a_fresh_session_key() -> None:
    one = seal_secret(FULL, public_key("rsa2048"))["spec"]["encryptedData"]
    two = seal_secret(FULL, public_key("rsa2048"))["spec"]["encryptedData"]
    assert one["dbPassword"] != two["dbPassword"]


def test_output_matches_the_kubeseal_example_but_for_ciphertext() -> None:
    secret = yaml.safe_load((GENERATED / "input-secret.yaml").read_text())
    text = sealed_secret_yaml(seal_secret(secret, public_key("rsa2048")))
    example = (GENERATED / "sealedsecret.kubeseal-format-yaml.yaml").read_text()
    mask = re.compile(r"(?<=: )A[QgA][A-Za-z0-9+/]{300,}={0,2}")
    assert mask.sub("SEALED", text) == mask.sub("SEALED", example)


@pytest.mark.parametrize(
    ("metadata", "namespace", "want"),
    [
        ({"name": "a"}, None, "default"),
        ({"name": "a"}, "prod", "prod"),
        ({"name": "a", "namespace": "prod"}, None, "prod"),
        ({"name": "a", "namespace": "prod"}, "prod", "prod"),
    ],
)
def test_namespace_is_filled_where_missing(
    metadata: dict[str, str], namespace: str | None, want: str
) -> None:
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": metadata, "stringData": {"k": "v"}}
    sealed = seal_secret(secret, public_key("rsa2048"), namespace=namespace)
    assert sealed["metadata"]["namespace"] == want
    assert unseal(sealed, [private_key("rsa2048")])["data"] == {"k": "dg=="}


def test_cluster_wide_without_namespace_stays_without() -> None:
    secret = {"metadata": {"name": "a"}, "stringData": {"k": "v"}}
    sealed = seal_secret(secret, public_key("rsa2048"), scope=Scope.cluster_wide)
    assert "namespace" not in sealed["metadata"]
    assert unseal(sealed, [private_key("rsa2048")], namespace="anywhere")["data"] == {"k": "dg=="}


@pytest.mark.parametrize(
    ("secret", "kwargs", "message"),
    [
        ({"metadata": {"name": "a", "namespace": "x"}, "stringData": {"k": "v"}},
         {"namespace": "y"}, "its namespace is x but -n says y"),
        ({"metadata": {"name": "a"}}, {}, "no data and no stringData"),
        ({"metadata": {}, "stringData": {"k": "v"}}, {}, "no metadata.name"),
        ({"metadata": {"name": "a"}, "data": {"k": "not base64!"}}, {}, "data.k is not base64"),
        ({"kind": "ConfigMap", "metadata": {"name": "a"}}, {}, "expected a v1 Secret"),
        # kubeseal decodes into a typed Secret and refuses these; str() sealed "True"
        ({"metadata": {"name": "a"}, "stringData": {"on": True}}, {},
         r"Secret a: stringData\.on: must be of type string"),
        ({"metadata": {"name": "a"}, "stringData": {"n": 8080, "d": [1]}}, {},
         r"stringData\.d: must be of type string; stringData\.n: must be"),
        ({"metadata": {"name": "a"}, "data": {"k": True}}, {}, r"data\.k: must be of type"),
        ({"metadata": {"name": "a"}, "data": "k"}, {}, "data: must be of type object"),
        ({"metadata": ["a"], "stringData": {"k": "v"}}, {}, "the Secret: metadata: must be"),
        ({"metadata": {"name": 1}, "stringData": {"k": "v"}}, {}, r"metadata\.name: must be"),
    ],
)  # fmt: skip
def test_bad_secrets_are_refused(
    secret: dict[str, Any], kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(SealingError, match=message):
        seal_secret(secret, public_key("rsa2048"), **kwargs)


def test_explicit_scope_rewrites_the_annotations() -> None:
    secret = yaml.safe_load((GENERATED / "input-secret.yaml").read_text())  # namespace-wide
    sealed = seal_secret(secret, public_key("rsa2048"), scope=Scope.strict)
    assert "annotations" not in sealed["metadata"]
    assert "annotations" not in sealed["spec"]["template"]["metadata"]
    with pytest.raises(UnsealError):
        unseal(_moved(sealed, name="renamed"), [private_key("rsa2048")])


def test_reseal_moves_values_to_the_new_key_and_keeps_labels() -> None:
    sealed = seal_secret(FULL, public_key("rsa2048"), scope=Scope.namespace_wide)
    moved = reseal(sealed, [private_key("rsa2048")], public_key("rsa4096"))
    assert moved["metadata"] == sealed["metadata"]
    assert moved["spec"]["template"] == sealed["spec"]["template"]
    assert _values(unseal(moved, [private_key("rsa4096")])) == WANT
    with pytest.raises(UnsealError):
        unseal(moved, [private_key("rsa2048")])
    with pytest.raises(UnsealError):
        reseal(sealed, [private_key("rsa4096")], public_key("rsa2048"))


def test_unseal_opens_the_items_beside_template_data_it_cannot_render() -> None:
    """The Go templates are named (``unrendered_note``), not rendered; the items still open."""
    sealed = seal_secret(FULL, public_key("rsa2048"))
    sealed["spec"]["template"]["data"] = {"config.json": '{"p": {{ toJson .dbPassword }}}'}
    assert _values(unseal(sealed, [private_key("rsa2048")])) == WANT
    assert "config.json not rendered (Go templates" in str(unrendered_note(sealed))


def test_errors_never_carry_values() -> None:
    sealed = seal_secret(FULL, public_key("rsa2048"))
    with pytest.raises(UnsealError) as caught:
        unseal(_moved(sealed, name="other"), [private_key("rsa2048")])
    for value in WANT.values():
        assert value.decode() not in str(caught.value)


def test_errors_about_value_types_never_carry_values() -> None:
    secret = {"metadata": {"name": "a"}, "stringData": {"pin": 73519, "on": True}}
    with pytest.raises(SealingError) as caught:
        seal_secret(secret, public_key("rsa2048"))
    assert "73519" not in str(caught.value) and "True" not in str(caught.value)


def test_a_null_value_seals_as_an_empty_one_as_the_api_server_reads_it() -> None:
    secret = {"metadata": {"name": "a"}, "stringData": {"s": None}, "data": {"d": None}}
    sealed = seal_secret(secret, public_key("rsa2048"))
    assert _values(unseal(sealed, [private_key("rsa2048")])) == {"s": b"", "d": b""}


def test_secret_items_names_a_value_that_is_not_text() -> None:
    """The backstop for callers that skip seal_secret (the old whole-Secret format)."""
    from chartsafe.deliver.sealed import secret_items

    with pytest.raises(SealingError, match=r"Secret s: stringData\.on is a boolean, not text"):
        secret_items({"stringData": {"on": True}}, where="Secret s")
    assert secret_items({"data": {"d": None}, "stringData": {"s": None}}, where="S") == {
        "d": b"",
        "s": b"",
    }


def test_data_wrapped_over_lines_seals_the_joined_bytes() -> None:
    """``base64`` wraps at 76 columns; kubeseal and the API server (Go's decoder) skip the
    line breaks, so the sealed value is the same as from one line."""
    value = b"x" * 100
    encoded = base64.b64encode(value).decode()
    wrapped = "\n".join(encoded[i : i + 76] for i in range(0, len(encoded), 76)) + "\n"
    secret = {"metadata": {"name": "a"}, "data": {"d": wrapped, "e": encoded}}
    sealed = seal_secret(secret, public_key("rsa2048"))
    assert _values(unseal(sealed, [private_key("rsa2048")])) == {"d": value, "e": value}
