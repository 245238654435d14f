"""An Ingress's TLS hosts pass the same DNS-name check as a Gateway's or a Traefik route's.

The API server refuses anything else in ``spec.tls[].hosts``, but a chart rendered offline
can hold anything, and a host becomes part of a generator spec (``dns=HOST``): one holding a
comma would add options of its own (``ca=`` another CA) to the certificate made.
"""

from __future__ import annotations

from typing import Any

import pytest
from served_hosts import reader_hosts, render


def _ingress(*hosts: str) -> Any:
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {"name": "web"},
        "spec": {"tls": [{"secretName": "web-tls", "hosts": list(hosts)}]},
    }


# (case, the Ingress's TLS hosts, the hosts of its reader of web-tls)
CASES: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    ("names and a wildcard, each once", ("a.example.com", "*.example.com", "a.example.com"),
     ("a.example.com", "*.example.com")),
    ("a comma cannot add generator options", ("a.example.com,ca=other-ca", "b.example.com"),
     ("b.example.com",)),
    ("an IP address or an empty host is no DNS name", ("10.0.0.1", "", "c.example.com"),
     ("c.example.com",)),
]  # fmt: skip


@pytest.mark.parametrize(("case", "hosts", "expected"), CASES, ids=[c[0] for c in CASES])
def test_ingress_tls_hosts_are_dns_names(
    case: str, hosts: tuple[str, ...], expected: tuple[str, ...]
) -> None:
    assert reader_hosts(render(_ingress(*hosts))) == {"ns/web-tls": [expected]}
