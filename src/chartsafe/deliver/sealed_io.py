"""Files and sources around sealing: manifests in, the certificate from wherever it lives.

Kept apart from the crypto so library callers that already hold dicts and a key never touch
files or the network.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._errors import TOO_DEEP, yaml_error_at
from . import CONTROLLER_NAME, CONTROLLER_NAMESPACE
from .sealed_crypto import SealingError
from .sealed_keys import load_certificate, read_cert_source

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

    from .._cluster_access import ClusterAccess

__all__ = ["CertSource", "read_manifests", "resolve_certificate"]


def read_manifests(path: Path | None, *, what: str) -> list[dict[str, Any]]:
    """Every YAML/JSON document in ``path`` (``None`` or ``-``: stdin), empty ones skipped."""
    import yaml

    name = "stdin" if path is None or str(path) == "-" else str(path)
    try:
        text = sys.stdin.read() if name == "stdin" else Path(name).read_bytes().decode("utf-8")
    except OSError as exc:
        reason = exc.strerror.lower() if exc.strerror else str(exc)
        raise SealingError(f"{what} {name}: {reason}") from exc
    except UnicodeDecodeError:
        raise SealingError(f"{what} {name}: not UTF-8 text") from None
    try:
        documents = [doc for doc in yaml.safe_load_all(text) if doc is not None]
    except yaml.YAMLError as exc:
        raise SealingError(f"{what} {name}: YAML syntax error at {yaml_error_at(exc)}") from None
    except RecursionError:
        raise SealingError(f"{what} {name}: {TOO_DEEP}") from None
    for document in documents:
        if not isinstance(document, dict):
            raise SealingError(f"{what} {name}: every document must be a mapping")
    documents = [item for document in documents for item in _listed(document, what, name)]
    if not documents:
        raise SealingError(f"{what} {name}: no manifest in it")
    return documents


def _listed(document: dict[str, Any], what: str, name: str) -> list[dict[str, Any]]:
    """A ``v1 List``'s items (what ``seal -o json`` and ``kubectl get -o yaml`` print for
    several objects), or the document itself."""
    if document.get("kind") != "List" or document.get("apiVersion") != "v1":
        return [document]
    items = document.get("items") or []
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise SealingError(f"{what} {name}: a List's items must be mappings")
    return items


class CertSource:
    """Where the sealing certificate comes from: ``--cert`` or the controller in a cluster."""

    def __init__(
        self,
        cert: str | None = None,
        *,
        controller_namespace: str = CONTROLLER_NAMESPACE,
        controller_name: str = CONTROLLER_NAME,
        access: ClusterAccess | None = None,
    ) -> None:
        self.cert = cert
        self.controller_namespace = controller_namespace
        self.controller_name = controller_name
        self.access = access

    def pem(self) -> tuple[bytes, str]:
        """The PEM bytes and a description of where they came from."""
        if self.cert:
            return read_cert_source(self.cert), f"--cert {self.cert}"
        from .._cluster import Cluster

        cluster = Cluster.connect(self.access)
        where = f"controller {self.controller_namespace}/{self.controller_name}"
        return cluster.fetch_sealing_cert(self.controller_namespace, self.controller_name), where


def resolve_certificate(source: CertSource) -> RSAPublicKey:
    """The public key to seal with, checked as kubeseal checks it (RSA, not expired)."""
    pem, where = source.pem()
    return load_certificate(pem, source=where)
