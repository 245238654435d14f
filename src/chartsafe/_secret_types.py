"""Keys that Kubernetes itself writes into a Secret of a given type.

A ``kubernetes.io/service-account-token`` Secret is rendered empty, with the annotation
``kubernetes.io/service-account.name``; the token controller then adds ``token``, ``ca.crt``
and ``namespace``. A pod reading ``token`` from it reads a key that exists once applied,
although the manifest does not show it: the contract and the manifest source count these
keys as the Secret's own (their values cannot be checked before it is applied).
"""

from __future__ import annotations

__all__ = ["FILLED_BY_KUBERNETES"]

#: Secret type → keys Kubernetes' controllers fill in.
FILLED_BY_KUBERNETES: dict[str, frozenset[str]] = {
    "kubernetes.io/service-account-token": frozenset({"token", "ca.crt", "namespace"}),
}
