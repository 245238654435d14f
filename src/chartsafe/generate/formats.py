"""From a contract format (``docs/chart-annotations.md``) to the generator spec that makes it.

Formats that no generator can honour alone (``text``, ``json``, ``url`` without a template,
``dockerconfigjson`` without a registry, a lone ``pem-private-key``) map to ``None``: the value
must come from the user (``chartsafe secrets set``) or from ``--generator KEY=SPEC``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from chartsafe.generate._registry import Spec, parse_spec

__all__ = ["spec_for_format"]

_SAME_NAME = re.compile(r"^(hex|base64|base64url|password)(:\d+)?$|^(fernet|uuid)$")


def spec_for_format(
    fmt: str,
    key: str,
    *,
    secret_formats: Mapping[str, str] | None = None,
    hosts: Sequence[str] = (),
) -> Spec | None:
    """The spec that makes a value of ``fmt`` for ``key``, or ``None`` when none can.

    ``secret_formats`` (every key's format in the same Secret) tells a TLS pair, whose
    certificate, key and CA are made together, from a lone PEM key nobody can guess the
    use of. ``hosts`` are the names the pair's certificate is served for (an Ingress's
    TLS hosts): its subject alternative names, the first its common name. Without them
    it names the Secret, which no client checking the host name accepts.
    """
    fmt = fmt.strip()
    if _SAME_NAME.match(fmt):
        return parse_spec(fmt, where=key)
    if fmt == "ed25519-private-key":
        return parse_spec("ed25519:private-pem", where=key)
    if fmt == "ed25519-public-key":
        return parse_spec("ed25519:public-pem", where=key)
    if fmt == "ed25519-private-key-b64":
        return parse_spec("ed25519:private", where=key)
    if fmt == "ed25519-public-key-b64":
        return parse_spec("ed25519:public", where=key)
    if fmt == "htpasswd":
        return parse_spec("htpasswd-bcrypt", where=key)
    formats = secret_formats or {}
    is_tls_pair = "pem-certificate" in formats.values() and "pem-private-key" in formats.values()
    names = ",".join([f"cn={hosts[0]}", *(f"dns={host}" for host in hosts)] if hosts else [])
    generator = f"tls-cert:{names}" if names else "tls-cert"
    if fmt == "pem-certificate" and is_tls_pair:
        return parse_spec(f"{generator}:{'ca' if key == 'ca.crt' else 'cert'}", where=key)
    if fmt == "pem-private-key" and is_tls_pair:
        return parse_spec(f"{generator}:key", where=key)
    return None
