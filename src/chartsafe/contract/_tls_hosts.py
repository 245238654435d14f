"""The host names a TLS Secret is served for, as the object serving it states them.

A certificate made for a Secret that a proxy serves must name the hosts clients reach it
by, or every client checking the host name refuses it. Each source says them its own way:

- an Ingress: ``spec.tls[].hosts`` (read in :mod:`._reads`);
- a Gateway API ``Gateway``: the ``hostname`` of each listener whose ``tls.certificateRefs``
  name the Secret. A listener without one matches every host: there is no name to put in a
  certificate, so it adds none;
- a Traefik ``IngressRoute`` or ``IngressRouteTCP``: ``spec.tls.domains[]`` (``main``, then
  ``sans``), then the ``Host``/``HostHeader`` (HTTP) and ``HostSNI`` (TCP) matchers of its
  routes' ``match`` rules. A regular expression (``HostRegexp``, ``HostSNIRegexp``) names no
  host, ``HostSNI(`*`)`` matches any, and a negated matcher (``!Host(...)``) is a host the
  route does *not* serve.

Only DNS names are kept, lowercased (host matching is case-insensitive): a leftmost ``*.``
label is allowed (a certificate may carry that wildcard name), an IP address, a bare ``*``
or anything else a DNS name cannot be is dropped, so none can reach the generator's spec.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from .._dns_names import is_dns_name
from .._podspec import dict_at, dicts_in, strings_in

__all__ = ["dns_names", "listener_hosts", "rule_hosts", "traefik_route_hosts"]


def dns_names(candidates: Iterable[object]) -> tuple[str, ...]:
    """The DNS names among ``candidates``, lowercased, each once, in order."""
    found = (str(c).strip().lower() for c in candidates if isinstance(c, str))
    return tuple(dict.fromkeys(h for h in found if is_dns_name(h)))


def listener_hosts(listener: dict[str, Any]) -> tuple[str, ...]:
    """A Gateway listener's ``hostname``; none when it has none (it serves any host)."""
    return dns_names([listener.get("hostname")])


#: Traefik matchers whose arguments are host names: ``Host`` and ``HostHeader`` for HTTP
#: routers (v2 takes several per matcher, v3 one), ``HostSNI`` for TCP routers.
_HOST_MATCHERS = frozenset({"Host", "HostHeader", "HostSNI"})

#: One token of a rule: space, an operator or bracket, a string in backticks or double quotes,
#: a matcher name, or any other character. No alternative fails after scanning far: a string
#: left open runs to the end of the rule (and names nothing) rather than failing and being
#: scanned again from every later quote. Linear in the rule, which is the chart's input.
_TOKEN = re.compile(
    r"""\s+|(?P<op>&&|\|\||[!(),])|(?P<str>`[^`]*(?P<tick>`)?|"(?:[^"\\]|\\.)*(?P<quote>")?)"""
    r"|(?P<name>[A-Za-z][A-Za-z0-9]*)|(?P<other>.)",
    re.DOTALL,
)


def rule_hosts(rule: str) -> list[str]:
    """The strings given to host matchers in a Traefik rule that are not negated.

    ``!`` negates the matcher or bracketed group after it, and a group's negation carries
    to everything inside it. A malformed rule is read as far as it makes sense, never
    refused: Traefik refuses it, which is not for the contract to report.
    """
    hosts: list[str] = []
    negated = [False]  # per open group
    pending = False  # a `!` waits for its operand
    matcher: str | None = None  # the name just read, if its `(` may follow
    args_of: tuple[str, bool] | None = None  # inside a matcher's arguments: (name, negated)
    for token in _TOKEN.finditer(rule):
        op, text, name = token.group("op"), token.group("str"), token.group("name")
        if token.lastgroup is None:
            continue  # space
        called, matcher = matcher, None
        if text is not None:
            closed = token.group("tick") or token.group("quote")
            if closed and args_of and args_of[0] in _HOST_MATCHERS and not args_of[1]:
                hosts.append(re.sub(r"\\(.)", r"\1", text[1:-1]))
        elif name is not None:
            matcher = name
        elif op == "!":
            pending = not pending
        elif op == "(" and called is not None:
            args_of, pending = (called, negated[-1] ^ pending), False
        elif op == "(":
            negated.append(negated[-1] ^ pending)
            pending = False
        elif op == ")" and args_of is not None:
            args_of = None
        elif op == ")" and len(negated) > 1:
            negated.pop()
    return hosts


def traefik_route_hosts(spec: dict[str, Any]) -> tuple[str, ...]:
    """The hosts an IngressRoute or IngressRouteTCP serves its ``spec.tls`` for: the TLS
    domains it states first (``main`` is the one a certificate is made for), then its routes'.
    """
    stated: list[object] = []
    for domain in dicts_in(dict_at(spec.get("tls")).get("domains")):
        stated += [domain.get("main"), *strings_in(domain.get("sans"))]
    for route in dicts_in(spec.get("routes")):
        match = route.get("match")
        if isinstance(match, str):
            stated += rule_hosts(match)
    return dns_names(stated)
