"""What a certificate can carry as a DNS name: shared by the contract (the hosts a TLS
Secret is served for, read from the chart) and the ``tls-cert`` generator (names a person
gives with ``dns=``), so that both accept exactly the same names."""

from __future__ import annotations

import ipaddress
import re

__all__ = ["is_dns_name"]

_LABEL = re.compile(r"[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?", re.IGNORECASE)


def is_dns_name(host: str) -> bool:
    """A DNS-1123 subdomain (at most 253 characters, labels of at most 63, ASCII letters,
    digits and ``-``), maybe with a leftmost ``*.`` label, and not an IP address (which a
    certificate names as an IP address, not a DNS name)."""
    name = host.removeprefix("*.")
    if not name or len(host) > 253:
        return False
    try:
        ipaddress.ip_address(name)
        return False
    except ValueError:
        pass
    return all(_LABEL.fullmatch(label) for label in name.split("."))
