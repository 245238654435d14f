"""A TLS Secret an Ingress serves is made for the Ingress's hosts, not for the Secret's name.

Before, ``secrets init`` made ``webapp-tls`` a certificate for ``DNS:webapp-tls``: every
client checking the host name refused it. The hosts of every Ingress TLS entry naming the
Secret are its subject alternative names now; one with no hosts keeps the old default.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID
from store_helpers import AgeKey

from chartsafe import RenderOptions, ValuesInput
from chartsafe.contract import contract_for_chart
from chartsafe.store.secret_init import fill_from_contract
from chartsafe.store.secret_store import SecretStore

_INGRESS = """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {name}
spec:
  tls: {tls}
  rules:
    - host: example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: {{service: {{name: web, port: {{number: 80}}}}}}
"""

# (case, the Ingresses' tls entries, Secret -> (common name, subject alternative names))
CASES: list[tuple[str, list[list[dict[str, object]]], dict[str, tuple[str, list[str]]]]] = [
    ("one-host", [[{"hosts": ["web.example.com"], "secretName": "web-tls"}]],
     {"web-tls": ("web.example.com", ["web.example.com"])}),
    ("wildcard-and-hosts-of-two-ingresses",
     [[{"hosts": ["a.example.com", "*.b.example.com"], "secretName": "web-tls"}],
      [{"hosts": ["c.example.com", "a.example.com"], "secretName": "web-tls"}]],
     {"web-tls": ("a.example.com", ["a.example.com", "*.b.example.com", "c.example.com"])}),
    ("no-hosts-names-the-secret", [[{"secretName": "bare-tls"}]],
     {"bare-tls": ("bare-tls", ["bare-tls"])}),
    ("each-secret-its-own-hosts",
     [[{"hosts": ["x.example.com"], "secretName": "x-tls"},
       {"hosts": ["y.example.com"], "secretName": "y-tls"}]],
     {"x-tls": ("x.example.com", ["x.example.com"]),
      "y-tls": ("y.example.com", ["y.example.com"])}),
]  # fmt: skip


def _chart(root: Path, ingresses: list[list[dict[str, object]]]) -> Path:
    import json

    (root / "templates").mkdir(parents=True)
    (root / "Chart.yaml").write_text("apiVersion: v2\nname: web\nversion: 0.1.0\n")
    for n, tls in enumerate(ingresses):
        text = _INGRESS.format(name=f"web-{n}", tls=json.dumps(tls))
        (root / "templates" / f"ingress-{n}.yaml").write_text(text)
    return root


@pytest.mark.parametrize(("case", "ingresses", "expected"), CASES, ids=[c[0] for c in CASES])
def test_the_certificate_names_the_hosts_the_ingresses_serve(
    case: str,
    ingresses: list[list[dict[str, object]]],
    expected: dict[str, tuple[str, list[str]]],
    tmp_path: Path,
    age_key: AgeKey,
) -> None:
    chart = _chart(tmp_path / "web", ingresses)
    contract, _ = contract_for_chart(
        chart, ValuesInput(), RenderOptions(namespace="web", validate=False)
    )
    path = tmp_path / "store.yaml"
    store = SecretStore.create(path, recipients=age_key.recipient)
    fill_from_contract(store, contract)
    store.save()
    for secret, (common_name, names) in expected.items():
        cert = x509.load_pem_x509_certificate((store.get("web", secret, "tls.crt") or "").encode())
        cn = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
        sans = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        assert (cn, sans.get_values_for_type(x509.DNSName)) == (common_name, names)
    before = path.read_bytes()  # made once: a second fill keeps every byte
    again = SecretStore.open(path, identities=age_key.identities)
    assert not fill_from_contract(again, contract).added and again.save() is False
    assert path.read_bytes() == before
