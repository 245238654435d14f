"""Generators of a private CA and of leaf certificates it signs, for TLS and mTLS.

``tls-ca`` makes a self-signed CA (parts ``cert``, ``key``). ``tls-cert`` makes a leaf (parts
``cert``, ``key``, ``ca``) signed by the CA kept in the store as Secret ``chartsafe-ca`` (keys
``ca.crt``, ``ca.key``) of the same namespace, or the one named by ``ca=SECRET``; the CA is made
on first use, so every leaf of a namespace shares one CA and mTLS peers trust each other. Keys
are ECDSA P-256: small, fast, and accepted by every TLS stack in the seeds.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from typing import Any

from chartsafe._dns_names import is_dns_name
from chartsafe.generate._registry import Context, GeneratorError, generator, int_arg, options

__all__ = ["CA_SECRET", "CN_LIMIT"]

#: The store Secret (per namespace) holding the CA ``tls-cert`` signs with by default.
CA_SECRET = "chartsafe-ca"


def _new_key() -> Any:
    from cryptography.hazmat.primitives.asymmetric import ec

    return ec.generate_private_key(ec.SECP256R1())


def _pem_key(key: Any) -> str:
    from cryptography.hazmat.primitives import serialization

    data: bytes = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return data.decode()


def _pem_cert(cert: Any) -> str:
    from cryptography.hazmat.primitives import serialization

    data: bytes = cert.public_bytes(serialization.Encoding.PEM)
    return data.decode()


def _load_key(text: str, context: Context, what: str) -> Any:
    from cryptography.hazmat.primitives import serialization

    try:
        return serialization.load_pem_private_key(text.encode(), password=None)
    except (ValueError, TypeError):
        raise GeneratorError(
            f"{context.where}: the stored {what} is not a PEM private key"
        ) from None


def _load_cert(text: str, context: Context, what: str) -> Any:
    from cryptography import x509

    try:
        return x509.load_pem_x509_certificate(text.encode())
    except ValueError:
        raise GeneratorError(
            f"{context.where}: the stored {what} is not a PEM certificate"
        ) from None


def _last(opts: dict[str, list[str]], name: str) -> str | None:
    return opts[name][-1] if opts.get(name) else None


def _validity(days: int) -> tuple[dt.datetime, dt.datetime]:
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    return now - dt.timedelta(minutes=5), now + dt.timedelta(days=days)


def _make_ca(cn: str, days: int, key: Any) -> Any:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID

    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    start, end = _validity(days)
    public = key.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )


@generator(
    "tls-ca",
    summary="a self-signed CA certificate and its key (ECDSA P-256)",
    arg_help="cn=NAME,days=N (default 3650); parts cert, key",
    parts=("cert", "key"),
)
def tls_ca(arg: str | None, context: Context) -> dict[str, str]:
    opts = options(arg, allowed=("cn", "days"), where=context.where)
    cn = (opts.get("cn") or [f"chartsafe CA {context.namespace}"])[-1]
    days = int_arg(_last(opts, "days"), 3650, low=1, high=36500,
                   what="days", where=context.where)  # fmt: skip
    if "cert" in context.existing:
        raise GeneratorError(f"{context.where}: a CA certificate is stored without its key")
    key = _load_key(context.existing["key"], context, "CA key") if "key" in context.existing \
        else _new_key()  # fmt: skip
    return {"cert": _pem_cert(_make_ca(cn, days, key)), "key": _pem_key(key)}


def _ca_for(context: Context, secret: str) -> tuple[Any, Any, str]:
    """The CA cert, key and PEM from the store, made and stored first if absent."""
    ns = context.namespace
    cert_pem, key_pem = context.lookup(ns, secret, "ca.crt"), context.lookup(ns, secret, "ca.key")
    if cert_pem is None and key_pem is None:
        made = tls_ca(None, Context(namespace=ns, secret=secret, key="ca.crt"))
        cert_pem, key_pem = made["cert"], made["key"]
        context.put(ns, secret, "ca.key", key_pem, "tls-ca:key")
        context.put(ns, secret, "ca.crt", cert_pem, "tls-ca")
    if cert_pem is None or key_pem is None:
        raise GeneratorError(
            f"{context.where}: the CA Secret {ns}/{secret} in the store lacks "
            f"{'ca.crt' if cert_pem is None else 'ca.key'}"
        )
    return _load_cert(cert_pem, context, "CA"), _load_key(key_pem, context, "CA key"), cert_pem


#: The longest common name X.509 allows (``ub-common-name``); a DNS name may be 253 long.
CN_LIMIT = 64


def _names(opts: dict[str, list[str]], context: Context) -> tuple[str | None, list[str]]:
    """The common name and the DNS names of a leaf: ``cn=`` and ``dns=`` as given, else the
    Secret's name for both. A Secret name too long for a common name (Kubernetes allows 253
    characters) leaves the subject empty, the names in the alternative names alone, which is
    all clients check; a ``cn=`` too long, or a ``dns=`` that is no DNS name, is refused
    here rather than by the certificate library, whose error names neither."""
    given = _last(opts, "cn")
    if given is not None and not 1 <= len(given) <= CN_LIMIT:
        raise GeneratorError(
            f"{context.where}: cn= is {len(given)} characters; a certificate's common name "
            f"holds 1 to {CN_LIMIT}",
            hint="give a shorter cn= and the long names as dns=",
        )
    default = context.secret or "localhost"
    dns = opts.get("dns") or [given or default]
    for name in dns:
        if is_dns_name(name):
            continue
        if not opts.get("dns"):  # the common name stood in for the DNS names
            raise GeneratorError(
                f"{context.where}: cn={name} is no DNS name, and with no dns= it would be "
                "the certificate's only one",
                hint="add the host names as dns=HOST (repeatable)",
            )
        raise GeneratorError(
            f"{context.where}: dns={name} is not a DNS name a certificate can carry",
            hint="letters, digits, '-' and dots, maybe a leading '*.'; a name in another "
            "script in its xn-- form; an address as ip=",
        )
    cn = given if given is not None else default if len(default) <= CN_LIMIT else None
    return cn, dns


@generator(
    "tls-cert",
    summary="a leaf certificate signed by the namespace's store CA, its key, and the CA",
    arg_help="cn=NAME,dns=HOST (repeatable),ip=ADDR,days=N (default 825),ca=SECRET; "
    "parts cert, key, ca",
    parts=("cert", "key", "ca"),
)
def tls_cert(arg: str | None, context: Context) -> dict[str, str]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    usages = x509.ExtendedKeyUsage(
        [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
    )

    opts = options(arg, allowed=("cn", "dns", "ip", "days", "ca"), where=context.where)
    cn, dns = _names(opts, context)
    try:
        ips = [ipaddress.ip_address(text) for text in opts.get("ip", [])]
    except ValueError as exc:
        raise GeneratorError(f"{context.where}: {exc}") from None
    days = int_arg(_last(opts, "days"), 825, low=1, high=36500,
                   what="days", where=context.where)  # fmt: skip
    ca_cert, ca_key, ca_pem = _ca_for(context, (opts.get("ca") or [CA_SECRET])[-1])
    if "cert" in context.existing and "key" not in context.existing:
        raise GeneratorError(f"{context.where}: a certificate is stored without its key")
    key = _load_key(context.existing["key"], context, "key") if "key" in context.existing \
        else _new_key()  # fmt: skip
    start, end = _validity(days)
    names: list[x509.GeneralName] = [x509.DNSName(d) for d in dns]
    names += [x509.IPAddress(ip) for ip in ips]
    subject = [x509.NameAttribute(NameOID.COMMON_NAME, cn)] if cn else []
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(subject))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        # critical when the subject is empty, as RFC 5280 (4.2.1.6) requires
        .add_extension(x509.SubjectAlternativeName(names), critical=not subject)
        .add_extension(
            usages,  # server and client: the same leaf serves both ends of mTLS
            critical=False,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    return {"cert": _pem_cert(cert), "key": _pem_key(key), "ca": ca_pem}
