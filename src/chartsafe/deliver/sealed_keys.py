"""Reading the controller's certificate and private keys the way kubeseal does.

The certificate comes as PEM (a file, a URL, or the controller through the API server); the
first ``CERTIFICATE`` block is used, its key must be RSA, and an expired certificate is
refused, as kubeseal refuses it. Private keys (for recovery and re-sealing) come as PEM, or as
the controller's own key Secrets backed up with ``kubectl get secret -o yaml`` (``tls.key``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._secret_types import decode_data
from .sealed_crypto import SealingError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey

__all__ = [
    "MIN_SEALING_KEY_BITS",
    "check_sealing_key",
    "load_certificate",
    "load_private_keys",
    "parse_private_keys",
    "read_cert_source",
]

_PEM_CERT = b"-----BEGIN CERTIFICATE-----"

#: RSA-OAEP with SHA-256 fits a message of at most k - 2*32 - 2 bytes (k: the modulus in
#: bytes), so the 32-byte session key needs k >= 98: a smaller key cannot seal anything. The
#: controller makes 4096-bit keys.
MIN_SEALING_KEY_BITS = 784


def check_sealing_key(key: RSAPublicKey, *, source: str) -> RSAPublicKey:
    """``key``, or SealingError naming ``source`` when it is too small to wrap a session key."""
    if key.key_size < MIN_SEALING_KEY_BITS:
        raise SealingError(
            f"{source}: its RSA key is {key.key_size} bits, too small to seal with: RSA-OAEP "
            f"with SHA-256 needs {MIN_SEALING_KEY_BITS} bits or more",
            hint="seal with the sealed-secrets controller's certificate, RSA 4096 by default",
        )
    return key


def load_certificate(pem: bytes, *, source: str, now: dt.datetime | None = None) -> RSAPublicKey:
    """The RSA public key of the first certificate in ``pem``; ``source`` names it in errors."""
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

    start = pem.find(_PEM_CERT)
    if start < 0:
        raise SealingError(
            f"{source}: no PEM CERTIFICATE block",
            hint="pass the controller certificate (kubeseal --fetch-cert prints it)",
        )
    try:
        cert = x509.load_pem_x509_certificate(pem[start:])
    except ValueError as exc:
        raise SealingError(f"{source}: the certificate cannot be parsed ({exc})") from exc
    key = cert.public_key()
    if not isinstance(key, RSAPublicKey):
        raise SealingError(f"{source}: the certificate's key is not RSA; sealing needs RSA")
    now = now or dt.datetime.now(dt.UTC)
    if cert.not_valid_after_utc < now:
        raise SealingError(
            f"{source}: the certificate expired on {cert.not_valid_after_utc:%Y-%m-%d}",
            hint="fetch the controller's current certificate",
        )
    return check_sealing_key(key, source=source)


def read_cert_source(spec: str) -> bytes:
    """Read ``--cert``: a local path, or a URL (``http``, ``https``, ``file``) as kubeseal does.

    A one-letter scheme is a Windows drive, not a URL, exactly as kubeseal decides.
    """
    from urllib.parse import urlsplit

    scheme = urlsplit(spec).scheme
    if len(scheme) > 1:
        return _fetch_url(spec)
    path = Path(spec)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SealingError(
            f"--cert {spec}: {exc.strerror.lower() if exc.strerror else exc}"
        ) from exc


def _fetch_url(url: str) -> bytes:
    from .._fetch import FetchError, fetch, shown_url

    try:
        return fetch(url, accept="application/x-pem-file, */*")
    except FetchError as exc:
        raise SealingError(f"--cert {shown_url(url)}: {exc}") from None


def parse_private_keys(data: bytes, *, source: str) -> list[RSAPrivateKey]:
    """Every RSA private key in ``data``: PEM blocks, or key Secrets or a List (YAML/JSON)."""
    if b"-----BEGIN" in data:
        return _pem_keys(data, source=source)
    keys = [
        key
        for pem in _tls_keys_from_documents(data, source=source)
        for key in _pem_keys(pem, source=source)
    ]
    if not keys:
        raise SealingError(
            f"{source}: no private key found",
            hint="pass a PEM key or a backup of the controller's key Secrets (tls.key)",
        )
    return keys


def load_private_keys(paths: Iterable[Path]) -> list[RSAPrivateKey]:
    """Keys from every file; kubeseal also accepts ``a.pem,b.pem`` in one flag, so do we."""
    keys: list[RSAPrivateKey] = []
    for given in paths:
        for part in str(given).split(","):
            if not part:
                continue
            try:
                data = Path(part).read_bytes()
            except OSError as exc:
                reason = exc.strerror.lower() if exc.strerror else str(exc)
                raise SealingError(f"--private-key {part}: {reason}") from exc
            keys.extend(parse_private_keys(data, source=part))
    if not keys:
        raise SealingError("no private key given", hint="pass --private-key FILE")
    return keys


def _pem_keys(data: bytes, *, source: str) -> list[RSAPrivateKey]:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    keys: list[RSAPrivateKey] = []
    for block in _pem_blocks(data):
        if b"PRIVATE KEY-----" not in block.split(b"\n", 1)[0]:
            continue  # certificates next to the key (tls.crt pasted in) are fine
        try:
            key = load_pem_private_key(block, password=None)
        except (ValueError, TypeError) as exc:
            # the message of cryptography never includes key material
            raise SealingError(f"{source}: a private key cannot be read ({exc})") from exc
        if not isinstance(key, RSAPrivateKey):
            raise SealingError(f"{source}: a private key is not RSA; sealed secrets use RSA")
        keys.append(key)
    if not keys:
        raise SealingError(f"{source}: no PEM PRIVATE KEY block")
    return keys


def _pem_blocks(data: bytes) -> Iterator[bytes]:
    rest = data
    while (start := rest.find(b"-----BEGIN ")) >= 0:
        end_marker = rest.find(b"-----END ", start)
        if end_marker < 0:
            return
        end = rest.find(b"-----", end_marker + 9)
        end = len(rest) if end < 0 else end + 5
        yield rest[start:end] + b"\n"
        rest = rest[end:]


def _tls_keys_from_documents(data: bytes, *, source: str) -> Iterator[bytes]:
    import yaml

    try:
        documents = list(yaml.safe_load_all(data))  # JSON is YAML too
    except (yaml.YAMLError, RecursionError) as exc:
        raise SealingError(f"{source}: neither PEM nor a YAML/JSON key backup") from exc
    for document in documents:
        for item in _items(document):
            encoded = (item.get("data") or {}).get("tls.key")
            if not isinstance(encoded, str):
                continue
            try:
                yield decode_data(encoded)
            except ValueError as exc:
                raise SealingError(f"{source}: data.tls.key is not base64") from exc


def _items(document: Any) -> Iterator[dict[str, Any]]:
    if not isinstance(document, dict):
        return
    if isinstance(document.get("items"), list):  # v1 List / SecretList
        for item in document["items"]:
            yield from _items(item)
    elif document.get("kind") == "Secret":
        yield document
