"""A Gateway API listener serves its certificates for its ``hostname``: the certificate made
for such a Secret names it, or every client checking the host name refuses it.

A listener with no hostname matches every host: it adds no name, and a Secret only such
listeners serve is made as before (for the Secret's name).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from served_hosts import certificate_names, reader_hosts, render

from chartsafe.contract._crd_refs import RefSpec, Served
from chartsafe.contract._tls_hosts import listener_hosts


def _gateway(*listeners: dict[str, Any], api: str = "gateway.networking.k8s.io/v1") -> Any:
    return {
        "apiVersion": api,
        "kind": "Gateway",
        "metadata": {"name": "edge"},
        "spec": {"gatewayClassName": "example", "listeners": list(listeners)},
    }


def _https(name: str, refs: list[dict[str, str]], hostname: str | None = None) -> Any:
    listener: dict[str, Any] = {"name": name, "protocol": "HTTPS", "port": 443,
                                "tls": {"mode": "Terminate", "certificateRefs": refs}}  # fmt: skip
    if hostname is not None:
        listener["hostname"] = hostname
    return listener


# (case, the rendered Gateway, NS/SECRET -> the hosts of each reader of its tls.crt)
CASES: list[tuple[str, Any, dict[str, list[tuple[str, ...]]]]] = [
    ("hostname", _gateway(_https("a", [{"name": "app-tls"}], "app.example.com")),
     {"ns/app-tls": [("app.example.com",)]}),
    ("wildcard hostname", _gateway(_https("a", [{"name": "app-tls"}], "*.example.com")),
     {"ns/app-tls": [("*.example.com",)]}),
    ("no hostname: any host, none to name", _gateway(_https("a", [{"name": "app-tls"}])),
     {"ns/app-tls": [()]}),
    ("v1beta1", _gateway(_https("a", [{"name": "app-tls"}], "app.example.com"),
                         api="gateway.networking.k8s.io/v1beta1"),
     {"ns/app-tls": [("app.example.com",)]}),
    ("two listeners of one Secret: one reader, both hosts",
     _gateway(_https("a", [{"name": "app-tls"}], "example.com"),
              _https("b", [{"name": "app-tls"}], "*.example.com"),
              _https("c", [{"name": "app-tls"}])),
     {"ns/app-tls": [("example.com", "*.example.com")]}),
    ("each Secret its own listener's host",
     _gateway(_https("x", [{"name": "x-tls"}], "x.example.com"),
              _https("y", [{"name": "y-tls"}], "y.example.com")),
     {"ns/x-tls": [("x.example.com",)], "ns/y-tls": [("y.example.com",)]}),
    ("a core Secret in another namespace",
     _gateway(_https("a", [{"kind": "Secret", "group": "", "name": "shared-tls",
                            "namespace": "certs"}], "app.example.com")),
     {"certs/shared-tls": [("app.example.com",)]}),
    ("a reference of another kind or group is no Secret",
     _gateway(_https("a", [{"kind": "ConfigMap", "name": "not-a-secret"},
                           {"kind": "Secret", "group": "vault.example.com", "name": "vaulted"}],
                     "app.example.com")),
     {}),
    ("a hostname that is no DNS name names nothing",
     _gateway(_https("a", [{"name": "app-tls"}], "10.0.0.1")), {"ns/app-tls": [()]}),
    ("a Gateway of another API group is not read",
     _gateway(_https("a", [{"name": "app-tls"}], "app.example.com"), api="example.com/v1"), {}),
]  # fmt: skip


@pytest.mark.parametrize(("case", "gateway", "expected"), CASES, ids=[c[0] for c in CASES])
def test_a_listener_serves_its_certificates_for_its_hostname(
    case: str, gateway: Any, expected: dict[str, list[tuple[str, ...]]]
) -> None:
    assert reader_hosts(render(gateway)) == expected


def test_the_certificate_made_names_the_listeners_hosts(tmp_path: Path, age_recipient: str) -> None:
    """x509 all the way: wildcard and apex listeners share app-tls, named for both with the
    apex as common name; a Secret only a hostname-less listener serves keeps its name."""
    gateway = _gateway(
        _https("wild", [{"name": "app-tls"}], "*.example.com"),
        _https("apex", [{"name": "app-tls"}], "example.com"),
        _https("any", [{"name": "fallback-tls"}]),
    )
    assert certificate_names(render(gateway), tmp_path, age_recipient) == {
        "ns/app-tls": ("example.com", ["*.example.com", "example.com"]),
        "ns/fallback-tls": ("fallback-tls", ["fallback-tls"]),
    }


def test_hosts_are_read_only_around_the_reference() -> None:
    """The hosts come from the part of the object holding the reference (its listener):
    a registry entry whose reference lies outside that part is a mistake, refused at once."""
    served = Served("spec.listeners[]", listener_hosts)
    with pytest.raises(ValueError, match=r"not under spec\.listeners\[\]"):
        RefSpec("spec.tls.certificateRefs[]", "nameref", served=served)
