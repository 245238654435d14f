"""A Traefik IngressRoute (or IngressRouteTCP) serves ``spec.tls.secretName`` for the TLS
domains it states and for the hosts its routes' rules match: the certificate made for the
Secret names them.

``Host``/``HostHeader`` (several names each in v2 syntax) and ``HostSNI`` name hosts;
``HostRegexp`` and ``HostSNIRegexp`` are patterns, ``HostSNI(`*`)`` any host, and a negated
matcher a host the route refuses: none of them is a name to put in a certificate.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from served_hosts import certificate_names, reader_hosts, render

from chartsafe.contract._tls_hosts import rule_hosts


def _route(*matches: str, kind: str = "IngressRoute", api: str = "traefik.io/v1alpha1",
           tls: dict[str, Any] | None = None) -> Any:  # fmt: skip
    routes = [{"match": m, "kind": "Rule", "services": [{"name": "web", "port": 80}]}
              for m in matches]  # fmt: skip
    return {
        "apiVersion": api,
        "kind": kind,
        "metadata": {"name": "web"},
        "spec": {"routes": routes, "tls": tls if tls is not None else {"secretName": "web-tls"}},
    }


_WEB = "ns/web-tls"

# (case, the rendered route, NS/SECRET -> the hosts of each reader of its tls.crt)
CASES: list[tuple[str, Any, dict[str, list[tuple[str, ...]]]]] = [
    ("Host", _route("Host(`a.example.com`)"), {_WEB: [("a.example.com",)]}),
    ("v2: several names in one Host", _route("Host(`a.example.com`, `b.example.com`)"),
     {_WEB: [("a.example.com", "b.example.com")]}),
    ("v3: Host or Host, with a path",
     _route("(Host(`a.example.com`) || Host(`b.example.com`)) && PathPrefix(`/api`)"),
     {_WEB: [("a.example.com", "b.example.com")]}),
    ("every route, each host once",
     _route("Host(`a.example.com`)", "Host(`b.example.com`) || Host(`a.example.com`)"),
     {_WEB: [("a.example.com", "b.example.com")]}),
    ("double quotes", _route('Host("q.example.com")'), {_WEB: [("q.example.com",)]}),
    ("v2 HostHeader", _route("HostHeader(`h.example.com`)"), {_WEB: [("h.example.com",)]}),
    ("host matching ignores case", _route("Host(`Web.Example.COM`)"),
     {_WEB: [("web.example.com",)]}),
    ("v2 HostRegexp is no name",
     _route("HostRegexp(`{sub:[a-z]+}.example.com`) || Host(`c.example.com`)"),
     {_WEB: [("c.example.com",)]}),
    ("v3 HostRegexp is no name", _route(r"HostRegexp(`^.+\.example\.com$`)"), {_WEB: [()]}),
    ("a HostRegexp that reads like a name is still a pattern",
     _route("HostRegexp(`api.example.com`)"), {_WEB: [()]}),
    ("a negated host is not served",
     _route("Host(`a.example.com`) && !Host(`b.example.com`)",
            "!(Host(`c.example.com`) || Host(`d.example.com`)) && Host(`e.example.com`)"),
     {_WEB: [("a.example.com", "e.example.com")]}),
    ("an IP address is no DNS name", _route("Host(`10.0.0.1`)"), {_WEB: [()]}),
    ("TLS domains first, then the routes' hosts",
     _route("Host(`www.example.com`)",
            tls={"secretName": "web-tls",
                 "domains": [{"main": "example.com", "sans": ["*.example.com"]}]}),
     {_WEB: [("example.com", "*.example.com", "www.example.com")]}),
    ("the older API group", _route("Host(`a.example.com`)", api="traefik.containo.us/v1alpha1"),
     {_WEB: [("a.example.com",)]}),
    ("an IngressRoute of another API group is not read",
     _route("Host(`a.example.com`)", api="example.com/v1"), {}),
    ("no TLS, no Secret", _route("Host(`a.example.com`)", tls={}), {}),
    ("TCP: HostSNI", _route("HostSNI(`db.example.com`)", kind="IngressRouteTCP"),
     {_WEB: [("db.example.com",)]}),
    ("TCP v2: several names in one HostSNI",
     _route("HostSNI(`a.example.com`, `b.example.com`)", kind="IngressRouteTCP"),
     {_WEB: [("a.example.com", "b.example.com")]}),
    ("TCP: HostSNI(`*`) is any host", _route("HostSNI(`*`)", kind="IngressRouteTCP"),
     {_WEB: [()]}),
    ("TCP: HostSNIRegexp is no name",
     _route(r"HostSNIRegexp(`^.+\.example\.com$`)", kind="IngressRouteTCP"), {_WEB: [()]}),
]  # fmt: skip


@pytest.mark.parametrize(("case", "route", "expected"), CASES, ids=[c[0] for c in CASES])
def test_a_route_serves_its_tls_secret_for_its_hosts(
    case: str, route: Any, expected: dict[str, list[tuple[str, ...]]]
) -> None:
    assert reader_hosts(render(route)) == expected


def test_the_certificate_made_names_the_routes_hosts(tmp_path: Path, age_recipient: str) -> None:
    """x509 all the way: the route's hosts are the SAN DNS names, the first its common name;
    the regular expression is not among them."""
    route = _route(
        "Host(`app.example.com`, `www.app.example.com`)",
        "HostRegexp(`{tenant:[a-z]+}.app.example.com`)",
    )
    assert certificate_names(render(route), tmp_path, age_recipient) == {
        _WEB: ("app.example.com", ["app.example.com", "www.app.example.com"]),
    }


#: Rules no route would hold, shaped to defeat a tokenizer that scans an open string or
#: call again from every later quote or bracket (one took 8.6 s on a fifth of the first):
#: each is read whole, in linear time (bench/scaling.py measures it, size by size).
PATHOLOGICAL_RULES = [
    ("open escaped strings", '"\\' * 100_000, []),
    ("backticks", "`" * 200_001, []),
    ("open calls", "Host(" * 100_000, []),
    ("open groups", "!(" * 100_000, []),
    ("many matchers", "Host(`a`) && " * 20_000, ["a"] * 20_000),
]


@pytest.mark.parametrize(
    ("rule", "hosts"),
    [(rule, hosts) for _, rule, hosts in PATHOLOGICAL_RULES],
    ids=[label for label, _, _ in PATHOLOGICAL_RULES],
)
def test_a_rule_of_any_shape_is_read_whole(rule: str, hosts: list[str]) -> None:
    """A rule is the chart's input: no shape of it may hang reading it, or be half read.
    These 200 to 500 kB rules are read in about 0.1 s; how that time grows with the rule's
    length is measured in bench/, not here."""
    assert rule_hosts(rule) == hosts
