"""Objects that create Secrets without being one: what each creates, with which keys."""

from __future__ import annotations

from typing import Any

import pytest

from chartsafe._objects import K8sObject
from chartsafe.contract._creators import iter_created

SPC = {
    "apiVersion": "secrets-store.csi.x-k8s.io/v1",
    "kind": "SecretProviderClass",
    "metadata": {"name": "vault-db"},
    "spec": {
        "provider": "vault",
        "secretObjects": [
            {"secretName": "db-synced", "type": "Opaque",
             "data": [{"objectName": "pw", "key": "password"},
                      {"objectName": "user", "key": "username"}]},
        ],
    },
}  # fmt: skip
SA_TOKEN = {
    "apiVersion": "v1",
    "kind": "Secret",
    "metadata": {"name": "bot", "annotations": {"kubernetes.io/service-account.name": "bot"}},
    "type": "kubernetes.io/service-account-token",
}

# (id, body, [(name, sorted keys or None, type, made by an operator)])
CASES = [
    ("Secrets Store CSI secretObjects", SPC,
     [("db-synced", ["password", "username"], "Opaque", True)]),
    ("a SecretProviderClass without secretObjects syncs nothing",
     {**SPC, "spec": {"provider": "vault"}}, []),
    ("another API group's SecretProviderClass", {**SPC, "apiVersion": "example.com/v1"}, []),
    ("a ServiceAccount token Secret, rendered empty", SA_TOKEN,
     [("bot", ["ca.crt", "namespace", "token"], "kubernetes.io/service-account-token", False)]),
]  # fmt: skip


@pytest.mark.parametrize(("body", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_created(body: dict[str, Any], expected: list[tuple[str, Any, str, bool]]) -> None:
    obj = K8sObject(text="", body=body, source="t.yaml", release_namespace="rel")
    made = [
        (c.name, sorted(c.creator.keys) if c.creator.keys is not None else None, c.type,
         c.creator.is_operator)
        for c in iter_created([obj])
    ]  # fmt: skip
    assert made == expected


# ---- Operators that make Secrets for the resources a chart renders (CloudNativePG, Strimzi)

_APP_KEYS = ["dbname", "fqdn-jdbc-uri", "fqdn-uri", "host", "jdbc-uri", "password", "pgpass",
             "port", "uri", "username"]  # fmt: skip
_TLS = ["tls.crt", "tls.key"]


def _cnpg(**spec: Any) -> dict[str, Any]:
    return {"apiVersion": "postgresql.cnpg.io/v1", "kind": "Cluster",
            "metadata": {"name": "pg"}, "spec": {"instances": 1, **spec}}  # fmt: skip


def _strimzi(kind: str, name: str, **spec: Any) -> dict[str, Any]:
    return {"apiVersion": "kafka.strimzi.io/v1beta2", "kind": kind,
            "metadata": {"name": name}, "spec": spec}  # fmt: skip


_CNPG_CERTS = [("pg-ca", ["ca.crt", "ca.key"], None, True),
               ("pg-server", _TLS, "kubernetes.io/tls", True),
               ("pg-replication", _TLS, "kubernetes.io/tls", True)]  # fmt: skip
_OWN_CERTS = {"serverCASecret": "ca", "serverTLSSecret": "srv", "replicationTLSSecret": "repl"}

OPERATOR_CASES = [
    ("CNPG: the app owner's credentials and the certificates", _cnpg(),
     [("pg-app", _APP_KEYS, "kubernetes.io/basic-auth", True), *_CNPG_CERTS]),
    ("CNPG: an initdb secret of the user's own replaces NAME-app",
     _cnpg(bootstrap={"initdb": {"database": "app", "secret": {"name": "mine"}}}), _CNPG_CERTS),
    ("CNPG: superuser access makes NAME-superuser",
     _cnpg(enableSuperuserAccess=True, certificates=_OWN_CERTS),
     [("pg-app", _APP_KEYS, "kubernetes.io/basic-auth", True),
      ("pg-superuser", _APP_KEYS, "kubernetes.io/basic-auth", True)]),
    ("CNPG: a superuserSecret of the user's own is not made",
     _cnpg(enableSuperuserAccess=True, superuserSecret={"name": "root"}, certificates=_OWN_CERTS,
           bootstrap={"recovery": {"source": "old", "secret": {"name": "mine"}}}), []),
    ("Cluster API's Cluster makes no Secret",
     {**_cnpg(), "apiVersion": "cluster.x-k8s.io/v1beta1"}, []),
    ("Strimzi: a SCRAM user's password and JAAS configuration",
     _strimzi("KafkaUser", "app", authentication={"type": "scram-sha-512"}),
     [("app", ["password", "sasl.jaas.config"], None, True)]),
    ("Strimzi: a TLS user's certificate, key and keystore",
     _strimzi("KafkaUser", "app", authentication={"type": "tls"}),
     [("app", ["ca.crt", "user.crt", "user.key", "user.p12", "user.password"], None, True)]),
    ("Strimzi: tls-external certificates are the user's",
     _strimzi("KafkaUser", "app", authentication={"type": "tls-external"}), []),
    ("Strimzi: a user without authentication has no Secret", _strimzi("KafkaUser", "app"), []),
    ("Strimzi: a Kafka cluster's public CA certificates", _strimzi("Kafka", "kafka"),
     [("kafka-cluster-ca-cert", ["ca.crt", "ca.p12", "ca.password"], None, True),
      ("kafka-clients-ca-cert", ["ca.crt", "ca.p12", "ca.password"], None, True)]),
    ("Strimzi: a CA of the user's own is not made",
     _strimzi("Kafka", "kafka", clusterCa={"generateCertificateAuthority": False}),
     [("kafka-clients-ca-cert", ["ca.crt", "ca.p12", "ca.password"], None, True)]),
    ("another group's KafkaUser", {**_strimzi("KafkaUser", "app"), "apiVersion": "x.io/v1",
                                   "spec": {"authentication": {"type": "tls"}}}, []),
]  # fmt: skip


@pytest.mark.parametrize(
    ("body", "expected"), [c[1:] for c in OPERATOR_CASES], ids=[c[0] for c in OPERATOR_CASES]
)
def test_operator_created(body: dict[str, Any], expected: list[tuple[str, Any, str, bool]]) -> None:
    test_created(body, expected)
