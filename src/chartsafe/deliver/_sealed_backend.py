"""``--as sealed``: the ``secret`` backend's Secrets, each sealed for the controller's certificate.

The Secrets are built exactly as ``--as secret`` builds them (type, keys, labels) and sealed with
:func:`~chartsafe.deliver.sealed.seal_secret`, so what the controller unseals is what
``--as secret`` would have applied. The scope defaults to ``strict``, the controller's own
default: a SealedSecret copied to another name or namespace then fails to open instead of
handing the values to whoever applied it there. The manifests hold no value in the clear.
A value sealed for the same place last time (``request.previous``) keeps its ciphertext
(``sealed_keep`` says why and how it is proven to be the same value).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._errors import InputError
from . import CONTROLLER_NAME, CONTROLLER_NAMESPACE, Delivery, DeliveryRequest
from .secret import bodies, values_overrides

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

    from .sealed_crypto import Scope

__all__ = ["check_options", "deliver"]


def _scope(options: Mapping[str, Any]) -> Scope:
    from .sealed_crypto import Scope

    given = options.get("scope")
    scope_name = str(Scope.strict if given is None else given)
    try:
        return Scope(scope_name)
    except ValueError:
        choices = ", ".join(s.value for s in Scope)
        raise InputError(f"--scope {scope_name!r}", hint=f"use one of {choices}") from None


def check_options(options: Mapping[str, Any]) -> None:
    """Flag values refused before any work (the registry's hook): an unknown ``--scope``."""
    _scope(options)


def deliver(request: DeliveryRequest) -> Delivery:
    """SealedSecrets for every required Secret of ``request.contract``, and the overrides."""
    from .sealed import seal_secret, secret_items
    from .sealed_keep import PROOF_KEY_LABEL, keep_unchanged

    scope = _scope(request.options)
    public_key = _certificate(request)
    secrets, delivered = bodies(request)
    proof_key = request.store.derive_key(PROOF_KEY_LABEL)
    manifests = [
        keep_unchanged(
            seal_secret(secret, public_key, scope=scope),
            secret_items(secret, where="Secret"),
            request.previous,
            public_key,
            proof_key,
        )
        for secret in secrets
    ]
    details = {"scope": scope.value}
    return Delivery("sealed", manifests, values_overrides(delivered), details=details)


def _certificate(request: DeliveryRequest) -> RSAPublicKey:
    """The controller's public key: ``--cert``, else asked of the controller, as kubeseal does."""
    from .._cluster_errors import ClusterError
    from .sealed_io import CertSource, resolve_certificate

    cert = request.option("cert")
    source = CertSource(
        str(cert) if cert else None,
        controller_namespace=request.option("controller_namespace", CONTROLLER_NAMESPACE),
        controller_name=request.option("controller_name", CONTROLLER_NAME),
        access=request.option("access"),
    )
    try:
        return resolve_certificate(source)
    except ClusterError as exc:
        if cert:
            raise
        raise InputError(
            f"sealed delivery: no --cert, and the controller's certificate could not be "
            f"fetched: {exc.message}",
            hint="pass --cert FILE (kubeseal --fetch-cert > cert.pem), or reach the cluster "
            "(--kube-context, --controller-namespace, --controller-name)",
        ) from None
