"""Which of the hosts a TLS Secret is served for becomes its certificate's common name.

Every host is a subject alternative name, in order; the common name is the first host that
is not a wildcard (a wildcard only when all are), and never one longer than the 64
characters X.509 allows there: then the Secret's name stands, as it does with no hosts.
"""

from __future__ import annotations

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID

from chartsafe.generate import GENERATORS, Context, spec_for_format

_PAIR = {"tls.crt": "pem-certificate", "tls.key": "pem-private-key"}
_LONG = f"{'a' * 60}.example.com"  # a valid DNS name, too long for a common name

# (case, hosts, the spec of tls.crt, the certificate's common name)
CASES: list[tuple[str, tuple[str, ...], str, str]] = [
    ("no hosts: the Secret's name", (), "tls-cert", "web-tls"),
    ("one host", ("a.example.com",), "tls-cert:cn=a.example.com,dns=a.example.com",
     "a.example.com"),
    ("a wildcard first: the first concrete host",
     ("*.example.com", "example.com"),
     "tls-cert:cn=example.com,dns=*.example.com,dns=example.com", "example.com"),
    ("only wildcards: the first of them", ("*.a.example.com", "*.b.example.com"),
     "tls-cert:cn=*.a.example.com,dns=*.a.example.com,dns=*.b.example.com", "*.a.example.com"),
    ("a host too long to be the common name is skipped", (_LONG, "b.example.com"),
     f"tls-cert:cn=b.example.com,dns={_LONG},dns=b.example.com", "b.example.com"),
    ("no host short enough: the Secret's name", (_LONG,), f"tls-cert:dns={_LONG}", "web-tls"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "hosts", "spec", "cn"), CASES, ids=[c[0] for c in CASES])
def test_the_common_name_is_a_concrete_host_that_fits(
    case: str, hosts: tuple[str, ...], spec: str, cn: str
) -> None:
    found = spec_for_format("pem-certificate", "tls.crt", secret_formats=_PAIR, hosts=hosts)
    assert found is not None and str(found) == spec
    values: dict[tuple[str, str, str], str] = {}
    context = Context(namespace="ns", secret="web-tls", key="tls.crt",
                      lookup=lambda n, s, k: values.get((n, s, k)),
                      put=lambda n, s, k, v, _spec: values.update({(n, s, k): v}))  # fmt: skip
    made = GENERATORS[found.name].make(found.arg, context)
    cert = x509.load_pem_x509_certificate(made["cert"].encode())
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == cn
    sans = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert sans.get_values_for_type(x509.DNSName) == (list(hosts) or ["web-tls"])
