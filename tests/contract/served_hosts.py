"""Helpers of the tests on the hosts a TLS Secret is served for: render objects, read the
hosts each reader carries, fill a store and read back the certificates made."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from contract_cases import DATA, derive
from cryptography import x509
from cryptography.x509.oid import NameOID

from chartsafe import Contract
from chartsafe.store.secret_init import fill_from_contract
from chartsafe.store.secret_store import SecretStore

CHART = DATA / "served-hosts"


def render(*objects: dict[str, Any]) -> Contract:
    """The contract of a chart rendering ``objects`` as they are (release rel, namespace ns)."""
    return derive(CHART, {"objects": list(objects)})


def reader_hosts(contract: Contract) -> dict[str, list[tuple[str, ...]]]:
    """``NS/SECRET`` → the hosts of each reader of its certificate (key ``tls.crt``)."""
    return {
        f"{secret.namespace}/{secret.name}": [r.hosts for r in secret.keys["tls.crt"].readers]
        for secret in contract.secrets
        if "tls.crt" in secret.keys
    }


def certificate_names(
    contract: Contract, tmp_path: Path, recipient: str
) -> dict[str, tuple[str, list[str]]]:
    """Fill a new store from ``contract``: ``NS/SECRET`` → (common name, SAN DNS names) of
    each certificate made (every ``tls.crt``)."""
    store = SecretStore.create(tmp_path / "store.sops.yaml", recipients=recipient)
    fill_from_contract(store, contract)
    names: dict[str, tuple[str, list[str]]] = {}
    for secret in contract.secrets:
        pem = store.get(secret.namespace, secret.name, "tls.crt")
        if pem is None:
            continue
        cert = x509.load_pem_x509_certificate(pem.encode())
        cn = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
        sans = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        names[f"{secret.namespace}/{secret.name}"] = (
            str(cn),
            sans.get_values_for_type(x509.DNSName),
        )
    return names
