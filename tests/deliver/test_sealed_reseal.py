"""reseal and unseal as the controller reads an object: the deprecated ``spec.data`` format's
type and metadata come from the sealed Secret, and a live object comes back fit to apply."""

from __future__ import annotations

import base64
import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from sealed_helpers import GENERATED, private_key, public_key

from chartsafe.cli import main
from chartsafe.deliver.sealed import seal_secret
from chartsafe.deliver.sealed_crypto import (
    CLUSTER_WIDE_ANNOTATION,
    NAMESPACE_WIDE_ANNOTATION,
    Scope,
    UnsealError,
    hybrid_encrypt,
    label_for,
    scope_annotations,
)
from chartsafe.deliver.sealed_open import reseal, unseal
from chartsafe.deliver.sealed_verify import check_placement

#: The Secret a deprecated v1 SealedSecret holds as one blob: a TLS Secret with metadata.
INNER: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "Secret",
    "metadata": {
        "name": "web-tls",
        "namespace": "prod",
        "labels": {"app": "web"},
        "annotations": {
            "team": "edge",
            "kubectl.kubernetes.io/last-applied-configuration": '{"kind":"Secret"}',
        },
        "uid": "1d7f",
        "resourceVersion": "12",
    },
    "type": "kubernetes.io/tls",
    "immutable": True,
    "data": {"tls.crt": base64.b64encode(b"CERT").decode()},
    "stringData": {"tls.key": "KEY"},
}
VALUES = {"tls.crt": b"CERT", "tls.key": b"KEY"}


def _v1(scope: Scope) -> dict[str, Any]:
    """``INNER`` sealed whole into ``spec.data`` for ``scope``, as sealed-secrets < 0.7 did."""
    blob = hybrid_encrypt(
        public_key("rsa2048"), json.dumps(INNER).encode(), label_for(scope, "prod", "web-tls")
    )
    metadata: dict[str, Any] = {"name": "web-tls", "namespace": "prod"}
    if scope is not Scope.strict:
        metadata["annotations"] = scope_annotations(scope)
    return {
        "apiVersion": "bitnami.com/v1alpha1",
        "kind": "SealedSecret",
        "metadata": metadata,
        "spec": {"data": base64.b64encode(blob).decode()},
    }


def _values(secret: dict[str, Any]) -> dict[str, bytes]:
    return {key: base64.b64decode(value) for key, value in secret["data"].items()}


@pytest.mark.parametrize("scope", list(Scope), ids=str)
def test_unseal_of_the_v1_format_gives_the_sealed_secrets_type_and_metadata(scope: Scope) -> None:
    secret = unseal(_v1(scope), [private_key("rsa2048")])
    assert secret["type"] == "kubernetes.io/tls"
    assert secret["immutable"] is True
    assert secret["metadata"]["labels"] == {"app": "web"}
    assert secret["metadata"]["annotations"] == {"team": "edge"}  # last-applied dropped
    assert "uid" not in secret["metadata"]
    assert _values(secret) == VALUES


@pytest.mark.parametrize("scope", list(Scope), ids=str)
def test_reseal_of_the_v1_format_writes_type_and_metadata_into_the_template(
    scope: Scope,
) -> None:
    moved = reseal(_v1(scope), [private_key("rsa2048")], public_key("rsa4096"))
    assert "data" not in moved["spec"]
    template = moved["spec"]["template"]
    assert template["type"] == "kubernetes.io/tls"
    assert template["immutable"] is True
    assert template["metadata"] == {
        "name": "web-tls",
        "namespace": "prod",
        "labels": {"app": "web"},
        "annotations": {"team": "edge", **scope_annotations(scope)},
    }
    # the controller makes the same Secret of it, and finds nothing misplaced
    secret = unseal(moved, [private_key("rsa4096")])
    assert (secret["type"], secret["metadata"]["labels"]) == ("kubernetes.io/tls", {"app": "web"})
    assert _values(secret) == VALUES
    result = check_placement(moved, private_keys=[private_key("rsa4096")])
    assert result.ok, result.problems


def test_reseal_of_the_v1_format_takes_scope_from_the_sealedsecret_not_the_inner_secret() -> None:
    """The label comes from the SealedSecret's own annotations; an inner Secret that says
    another scope must not leave a template that contradicts them."""
    sealed = _v1(Scope.namespace_wide)
    inner = copy.deepcopy(INNER)
    inner["metadata"]["annotations"][CLUSTER_WIDE_ANNOTATION] = "true"
    blob = hybrid_encrypt(public_key("rsa2048"), json.dumps(inner).encode(), b"prod")
    sealed["spec"]["data"] = base64.b64encode(blob).decode()
    template = reseal(sealed, [private_key("rsa2048")], public_key("rsa2048"))["spec"]["template"]
    annotations = template["metadata"]["annotations"]
    assert annotations.get(NAMESPACE_WIDE_ANNOTATION) == "true"
    assert CLUSTER_WIDE_ANNOTATION not in annotations


#: What the API server and kubectl add to a SealedSecret (kubectl get -o yaml).
SERVER_METADATA = {
    "uid": "0b7c-11",
    "resourceVersion": "123",
    "generation": 3,
    "creationTimestamp": "2026-11-01T00:00:00Z",
    "selfLink": "/apis/bitnami.com/v1alpha1/namespaces/prod/sealedsecrets/db",
    "managedFields": [{"manager": "kubectl", "operation": "Update"}],
    "ownerReferences": [{"apiVersion": "v1", "kind": "ConfigMap", "name": "o", "uid": "1"}],
}
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def _live() -> dict[str, Any]:
    secret = {"metadata": {"name": "db", "namespace": "prod", "labels": {"app": "demo"}},
              "stringData": {"password": "hunter2"}}  # fmt: skip
    sealed = seal_secret(secret, public_key("rsa4096"))
    live = copy.deepcopy(sealed)
    live["metadata"] |= copy.deepcopy(SERVER_METADATA)
    live["metadata"]["labels"] = {"team": "db"}
    live["metadata"]["annotations"] = {LAST_APPLIED: json.dumps(sealed), "owner": "me"}
    live["spec"]["template"]["metadata"]["creationTimestamp"] = None  # kubeseal <= 0.31
    live["status"] = {"conditions": [{"type": "Synced", "status": "True"}]}
    return live


@pytest.mark.parametrize("field", [*SERVER_METADATA, "annotations." + LAST_APPLIED])
def test_reseal_of_a_live_object_drops_what_the_server_filled_in(field: str) -> None:
    moved = reseal(_live(), [private_key("rsa4096")], public_key("rsa2048"))
    metadata = moved["metadata"]
    if field.startswith("annotations."):
        assert field.split(".", 1)[1] not in metadata["annotations"]
    else:
        assert field not in metadata


def test_reseal_of_a_live_object_keeps_what_a_user_wrote() -> None:
    moved = reseal(_live(), [private_key("rsa4096")], public_key("rsa2048"))
    assert set(moved) == {"apiVersion", "kind", "metadata", "spec"}  # no status
    assert moved["metadata"] == {"name": "db", "namespace": "prod", "labels": {"team": "db"},
                                 "annotations": {"owner": "me"}}  # fmt: skip
    assert moved["spec"]["template"]["metadata"] == {
        "name": "db", "namespace": "prod", "labels": {"app": "demo"}
    }  # fmt: skip
    assert _values(unseal(moved, [private_key("rsa2048")])) == {"password": b"hunter2"}


def test_cli_reseal_and_unseal_of_the_v1_format_and_a_live_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The commands QA ran: ``reseal``/``unseal`` of a v1 TLS SealedSecret, ``reseal`` of
    ``kubectl get -o yaml`` output (a List of live objects)."""
    v1 = tmp_path / "v1tls.yaml"
    v1.write_text(yaml.safe_dump(_v1(Scope.strict)))
    key2048, key4096 = str(GENERATED / "rsa2048.key.pem"), str(GENERATED / "rsa4096.key.pem")
    assert main(["unseal", str(v1), "--private-key", key2048]) == 0
    shown = yaml.safe_load(capsys.readouterr().out)
    assert (shown["type"], shown["metadata"]["labels"]) == ("kubernetes.io/tls", {"app": "web"})
    out = tmp_path / "out.yaml"
    cert4096 = str(GENERATED / "rsa4096.cert.pem")
    assert main(["reseal", str(v1), "--from-key", key2048, "--cert", cert4096, "-w", str(out)]) == 0
    template = yaml.safe_load(out.read_text())["spec"]["template"]
    assert (template["type"], template["metadata"]["labels"]) == ("kubernetes.io/tls",
                                                                  {"app": "web"})  # fmt: skip
    live = tmp_path / "live.yaml"
    live.write_text(yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": [_live()]}))
    cert2048 = str(GENERATED / "rsa2048.cert.pem")
    assert main(["reseal", str(live), "--from-key", key4096, "--cert", cert2048]) == 0
    text = capsys.readouterr().out
    for word in ("uid", "resourceVersion", "managedFields", "creationTimestamp", "generation",
                 LAST_APPLIED, "status"):  # fmt: skip
        assert word not in text


@pytest.mark.parametrize("blob", [b"not json", b"[1]", b'{"metadata": 5}', b"[" * 5000])
def test_a_v1_blob_that_is_no_json_secret_is_refused(blob: bytes) -> None:
    sealed = _v1(Scope.strict)
    sealed["spec"]["data"] = base64.b64encode(
        hybrid_encrypt(public_key("rsa2048"), blob, label_for(Scope.strict, "prod", "web-tls"))
    ).decode()
    for call in (
        lambda: unseal(sealed, [private_key("rsa2048")]),
        lambda: reseal(sealed, [private_key("rsa2048")], public_key("rsa2048")),
    ):
        with pytest.raises(UnsealError, match=r"spec\.data opens but is not a JSON Secret"):
            call()
