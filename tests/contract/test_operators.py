"""A release whose database and Kafka user are made by operators (tests/data/contract/operators).

CloudNativePG makes ``NAME-app`` for a ``Cluster``, Strimzi a Secret per ``KafkaUser`` and a
``Kafka`` cluster's CA certificates: the Deployment reading them needs nothing before
install. The Secrets a ``Cluster`` or ``KafkaUser`` names itself (the user's own superuser,
backup credentials, a chosen SCRAM password) are reads like any pod's.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from contract_cases import derive

from chartsafe.cli import main

CHART = Path(__file__).resolve().parents[1] / "data" / "contract" / "operators"
_BASIC_AUTH = "kubernetes.io/basic-auth"


def test_the_operators_secrets_are_made_by_the_release(tmp_path: Path) -> None:
    contract = derive(CHART)
    made = {s.name: [c.ref for c in s.creators] for s in contract.secrets}
    assert made == {
        "rel-pg-app": ["Cluster/rel-pg"],
        "app-user": ["KafkaUser/app-user"],
        "kafka-cluster-ca-cert": ["Kafka/kafka"],
    }
    assert all(s.created_by and s.created_by.is_operator for s in contract.secrets)
    assert main(["check", "rel", str(CHART), "-n", "ns", "--against", str(tmp_path)]) == 0


def test_a_ca_of_the_users_own_must_exist_before_install(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    own_ca = {"clusterCa": {"generateCertificateAuthority": False}}
    command = ["check", "rel", str(CHART), "-n", "ns", "--against", str(tmp_path),
               "--set-json", f"kafka.spec={json.dumps(own_ca)}"]  # fmt: skip
    assert main(command) == 1
    assert "GAP Secret ns/kafka-cluster-ca-cert: MISSING" in capsys.readouterr().out


_S3 = "spec.backup.barmanObjectStore.s3Credentials"
_PG_SPEC: dict[str, Any] = {
    "instances": 1,
    "enableSuperuserAccess": True,
    "superuserSecret": {"name": "pg-root"},
    "bootstrap": {"initdb": {"database": "app", "owner": "app", "secret": {"name": "pg-owner"}}},
    "managed": {"roles": [{"name": "reader", "passwordSecret": {"name": "pg-reader"}}]},
    "certificates": {"serverTLSSecret": "pg-tls", "serverCASecret": "pg-ca-own"},
    "backup": {"barmanObjectStore": {"destinationPath": "s3://backups/", "s3Credentials": {
        "accessKeyId": {"name": "backup", "key": "ACCESS_KEY_ID"},
        "secretAccessKey": {"name": "backup", "key": "ACCESS_SECRET_KEY"}}}},
    "externalClusters": [{"name": "old", "password": {"name": "old-db", "key": "password"}}],
}  # fmt: skip
_KAFKA_USER_SPEC = {"authentication": {"type": "scram-sha-512", "password": {"valueFrom": {
    "secretKeyRef": {"name": "kafka-pw", "key": "pw"}}}}}  # fmt: skip

# (Secret, {key: format}, type, field path of the reader)
READS = [
    ("pg-root", {"password": "password", "username": "text"}, _BASIC_AUTH,
     "Cluster/rel-pg spec.superuserSecret"),
    ("pg-owner", {"password": "password", "username": "text"}, _BASIC_AUTH,
     "Cluster/rel-pg spec.bootstrap.initdb.secret"),
    ("pg-reader", {"password": "password", "username": "text"}, _BASIC_AUTH,
     "Cluster/rel-pg spec.managed.roles[].passwordSecret"),
    ("pg-tls", {"tls.crt": "pem-certificate", "tls.key": "pem-private-key"}, None,
     "Cluster/rel-pg spec.certificates.serverTLSSecret"),
    ("pg-ca-own", {"ca.crt": "pem-certificate"}, None,
     "Cluster/rel-pg spec.certificates.serverCASecret"),
    ("backup", {"ACCESS_KEY_ID": "unknown", "ACCESS_SECRET_KEY": "unknown"}, None,
     f"Cluster/rel-pg {_S3}.accessKeyId"),
    ("old-db", {"password": "password"}, None, "Cluster/rel-pg spec.externalClusters[].password"),
    ("kafka-pw", {"pw": "unknown"}, None,
     "KafkaUser/app-user spec.authentication.password.valueFrom.secretKeyRef"),
]  # fmt: skip


@pytest.mark.parametrize(("secret", "formats", "kind_type", "reader"), READS,
                         ids=[r[0] for r in READS])  # fmt: skip
def test_what_the_operators_resources_read(
    secret: str, formats: dict[str, str], kind_type: str | None, reader: str
) -> None:
    contract = derive(CHART, {"postgres": {"spec": _PG_SPEC},
                              "kafkaUser": {"spec": _KAFKA_USER_SPEC}})  # fmt: skip
    found = contract.get(secret, "ns")
    assert found is not None and found.required
    assert {name: key.format for name, key in found.keys.items()} == formats
    assert found.type == kind_type
    assert reader in {r.describe().split(": ")[-1] for r in found.readers}
    made = {s.name for s in contract.secrets if not s.required}
    assert "rel-pg-app" not in made and "rel-pg-superuser" not in made  # the user's own
