"""From a contract format (``docs/chart-annotations.md``) to the generator spec that makes it.

Formats that no generator can honour alone (``text``, ``json``, ``url`` without a template,
``dockerconfigjson`` without a registry, a lone ``pem-private-key``) map to ``None``: the value
must come from the user (``chartsafe secrets set``) or from ``--generator KEY=SPEC``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from chartsafe.generate._registry import Spec, parse_spec
from chartsafe.generate.tls import CN_LIMIT

__all__ = ["spec_for_format"]

_SAME_NAME = re.compile(r"^(hex|base64|base64url|password)(:\d+)?$|^(fernet|uuid)$")


def _common_name(hosts: Sequence[str]) -> str | None:
    """The host a certificate for ``hosts`` is named after: the first that is not a wildcard.

    Clients check the subject alternative names, not the common name, when there are any
    (RFC 6125); the common name is what people and older tools read, and it must be one of
    the names (CA/Browser Forum baseline requirements), so a wildcard is allowed there and
    is taken when every host is one. A name too long for the field is skipped; with none
    left, the generator's default (the Secret's name) stands.
    """
    fits = [host for host in hosts if len(host) <= CN_LIMIT]
    return next((host for host in fits if not host.startswith("*.")), fits[0] if fits else None)


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
    TLS hosts, a Gateway listener's hostname, a Traefik route's hosts): its subject
    alternative names, one of them its common name (see :func:`_common_name`). Without
    them it names the Secret, which no client checking the host name accepts.
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
    cn = _common_name(hosts)
    names = ",".join([*([f"cn={cn}"] if cn else []), *(f"dns={host}" for host in hosts)])
    generator = f"tls-cert:{names}" if names else "tls-cert"
    if fmt == "pem-certificate" and is_tls_pair:
        return parse_spec(f"{generator}:{'ca' if key == 'ca.crt' else 'cert'}", where=key)
    if fmt == "pem-private-key" and is_tls_pair:
        return parse_spec(f"{generator}:key", where=key)
    return None
