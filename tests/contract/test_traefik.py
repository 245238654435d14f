"""Secrets Traefik's custom resources name: the TLS Secrets of TCP routes, the default
certificate of a TLS store, client certificates for backends and forward auth."""

from __future__ import annotations

from pathlib import Path

import pytest
from chart_files import write_chart
from contract_cases import derive

from chartsafe import Contract

_OBJECTS = """apiVersion: traefik.io/v1alpha1
kind: IngressRouteTCP
metadata: {name: db}
spec:
  entryPoints: [postgres]
  routes: [{match: "HostSNI(`db.example.com`)", services: [{name: db, port: 5432}]}]
  tls: {secretName: db-tls}
---
apiVersion: traefik.io/v1alpha1
kind: TLSStore
metadata: {name: default}
spec:
  defaultCertificate: {secretName: default-cert}
---
apiVersion: traefik.io/v1alpha1
kind: ServersTransport
metadata: {name: mtls}
spec:
  certificatesSecrets: [backend-client-a, backend-client-b]
---
apiVersion: traefik.io/v1alpha1
kind: ServersTransportTCP
metadata: {name: mtls-tcp}
spec:
  tls: {certificatesSecrets: [tcp-client]}
---
apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata: {name: auth}
spec:
  forwardAuth:
    address: https://auth.example.com/verify
    tls: {certSecret: auth-client, caSecret: auth-ca}
"""

# (Secret, the reader's field)
READS = [
    ("db-tls", "IngressRouteTCP/db spec.tls.secretName"),
    ("default-cert", "TLSStore/default spec.defaultCertificate.secretName"),
    ("backend-client-a", "ServersTransport/mtls spec.certificatesSecrets[]"),
    ("backend-client-b", "ServersTransport/mtls spec.certificatesSecrets[]"),
    ("tcp-client", "ServersTransportTCP/mtls-tcp spec.tls.certificatesSecrets[]"),
    ("auth-client", "Middleware/auth spec.forwardAuth.tls.certSecret"),
]


@pytest.fixture(scope="module")
def contract(tmp_path_factory: pytest.TempPathFactory) -> Contract:
    root = tmp_path_factory.mktemp("traefik") / "edge"
    return derive(write_chart(Path(root), {"objects.yaml": _OBJECTS}))


@pytest.mark.parametrize(("secret", "reader"), READS, ids=[r[0] for r in READS])
def test_traefik_tls_secrets_are_read(contract: Contract, secret: str, reader: str) -> None:
    found = contract.get(secret, "ns")
    assert found is not None and found.required
    formats = {name: key.format for name, key in found.keys.items()}
    assert formats == {"tls.crt": "pem-certificate", "tls.key": "pem-private-key"}
    assert {r.describe() for r in found.readers} == {reader}


def test_a_ca_secret_of_two_possible_shapes_is_not_claimed(contract: Contract) -> None:
    """Traefik takes a CA from key tls.ca or ca.crt: naming one would fail the other."""
    assert contract.get("auth-ca", "ns") is None
