"""``--as secret``: plain v1 Secret manifests for the release's required Secrets, from the store.

What the seeds do with ``kubectl create secret generic --dry-run=client -o yaml``, done right:
one Secret per Secret the release must find before install, every key the release needs
(an optional key only when the store holds it), and the ``type`` the Secret's keys call for,
because a TLS Secret created as ``Opaque`` is refused by ingress controllers and a docker
config as ``Opaque`` is ignored by the kubelet:

- ``kubernetes.io/tls`` when it has ``tls.crt`` and ``tls.key``;
- ``kubernetes.io/dockerconfigjson`` when it has ``.dockerconfigjson``;
- ``Opaque`` otherwise. A type the chart declares wins, if the keys allow it.

The manifests carry the values (base64 is not encryption): :attr:`Delivery.holds_values` is
set so the CLI writes them only to a 0600 file, or to stdout with ``--reveal``.

The overrides set the first values path the contract found for each Secret to its name
(``secrets.existingSecret: tracecat-secrets``), so the chart reads what was delivered even
when the name came from a ``--set`` the later install lacks.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping
from typing import Any, Final

from .._errors import InputError
from . import Delivery, DeliveryRequest
from .external_layout import DeliveredSecret, secrets_to_deliver, set_path

__all__ = ["TYPE_KEYS", "deliver", "secret_manifest", "secret_type", "values_overrides"]

#: Secret types whose keys the API server requires (``ValidateSecret``), in choosing order.
TYPE_KEYS: Final[dict[str, tuple[str, ...]]] = {
    "kubernetes.io/tls": ("tls.crt", "tls.key"),
    "kubernetes.io/dockerconfigjson": (".dockerconfigjson",),
    "kubernetes.io/dockercfg": (".dockercfg",),
    "kubernetes.io/basic-auth": (),
    "kubernetes.io/ssh-auth": ("ssh-privatekey",),
}
_INFERRED: Final = ("kubernetes.io/tls", "kubernetes.io/dockerconfigjson")


def secret_type(keys: Iterable[str], declared: str | None = None, *, where: str = "") -> str:
    """The ``type`` for a Secret with ``keys``: the declared one if its keys are there."""
    have = set(keys)
    if declared:
        missing = [k for k in TYPE_KEYS.get(declared, ()) if k not in have]
        if missing:
            raise InputError(
                f"{where}: type {declared} needs key(s) {', '.join(missing)}",
                hint="the API server refuses such a Secret; set those keys in the store",
            )
        return declared
    for candidate in _INFERRED:
        if all(k in have for k in TYPE_KEYS[candidate]):
            return candidate
    return "Opaque"


def secret_manifest(
    secret: DeliveredSecret, values: Mapping[str, str], *, secret_type_: str
) -> dict[str, Any]:
    """The v1 Secret for ``secret`` with ``values`` (its delivered keys) base64-encoded."""
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {
            "name": secret.name,
            "namespace": secret.namespace,
            "labels": {"app.kubernetes.io/managed-by": "chartsafe"},
        },
        "type": secret_type_,
        "data": {
            key: base64.b64encode(values[key].encode("utf-8")).decode("ascii")
            for key in sorted(secret.keys)
        },
    }


def values_overrides(delivered: Iterable[DeliveredSecret]) -> dict[str, Any]:
    """Each Secret's first values path set to its name (Secrets without one: nothing)."""
    overrides: dict[str, Any] = {}
    for secret in delivered:
        if secret.values_paths:
            set_path(overrides, secret.values_paths[0], secret.name)
    return overrides


def bodies(request: DeliveryRequest) -> tuple[list[dict[str, Any]], list[DeliveredSecret]]:
    """The Secret bodies of every required Secret, with their values (shared with ``sealed``).

    One the API server would refuse for its size (over 1 MiB) is refused here, before either
    backend writes or seals anything (``_size`` says why).
    """
    from ._size import refuse_oversized

    delivered = secrets_to_deliver(request.contract, request.store)
    manifests = []
    for secret in delivered:
        held = request.store.secret(secret.namespace, secret.name)
        where = f"Secret {secret.namespace}/{secret.name}"
        kind = secret_type(secret.keys, secret.type, where=where)
        manifests.append(secret_manifest(secret, held, secret_type_=kind))
    refuse_oversized(manifests)
    return manifests, delivered


def deliver(request: DeliveryRequest) -> Delivery:
    """Secrets for every required Secret of ``request.contract``, and the overrides."""
    manifests, delivered = bodies(request)
    return Delivery("secret", manifests, values_overrides(delivered), holds_values=True)
