"""Gateway API's cross-namespace rule for the Secrets a Gateway's listeners name.

A listener's ``certificateRefs`` entry may name a Secret in another namespace, but the
Gateway controller only follows it when a ``ReferenceGrant`` in the Secret's namespace
allows Gateways from the Gateway's namespace to reference Secrets (all of them, or that
one by name). Without one, the listener's ``ResolvedRefs`` condition is False with reason
``RefNotPermitted`` and the listener serves no TLS, although every object is valid.

The grant is often the platform team's and lives outside the release, so this is a
finding to read, not a failure: it says which grant would allow the reference.
"""

from __future__ import annotations

from collections.abc import Iterator

from .._objects import K8sObject
from .._podspec import dicts_in
from ._model import ContractFinding, SecretRef

__all__ = ["ungranted_references"]

_GATEWAY_GROUP = "gateway.networking.k8s.io"


def _in_group(obj: K8sObject, kind: str) -> bool:
    return obj.kind == kind and obj.api_group == _GATEWAY_GROUP


def _grants(grant: K8sObject, gateway_ns: str, secret: SecretRef) -> bool:
    """Whether ``grant`` lets Gateways of ``gateway_ns`` reference ``secret``."""
    if grant.namespace_or_release != secret.namespace:
        return False
    spec = grant.spec
    allowed_from = any(
        f.get("group") == _GATEWAY_GROUP and f.get("kind") == "Gateway"
        and f.get("namespace") == gateway_ns
        for f in dicts_in(spec.get("from"))
    )  # fmt: skip
    allowed_to = any(
        not t.get("group")
        and t.get("kind") == "Secret"
        and t.get("name") in (None, "", secret.name)
        for t in dicts_in(spec.get("to"))
    )
    return allowed_from and allowed_to


def ungranted_references(
    secrets: list[SecretRef], objects: list[K8sObject]
) -> Iterator[ContractFinding]:
    """A finding per Gateway that names a Secret of another namespace no rendered grant allows."""
    gateways = {o.name: o for o in objects if _in_group(o, "Gateway")}
    grants = [o for o in objects if _in_group(o, "ReferenceGrant")]
    for secret in secrets:
        told: set[str] = set()
        for reader in secret.readers:
            gateway = gateways.get(reader.name) if reader.kind == "Gateway" else None
            if gateway is None or reader.name in told:
                continue
            gateway_ns = gateway.namespace_or_release
            if gateway_ns == secret.namespace or any(
                _grants(g, gateway_ns, secret) for g in grants
            ):
                continue
            told.add(reader.name)
            yield ContractFinding(
                rule="reference-grant",
                message=(
                    f"Gateway/{gateway.name} (namespace {gateway_ns}) names Secret "
                    f"{secret.namespace}/{secret.name} in another namespace; the Gateway "
                    "controller refuses it (ResolvedRefs False, RefNotPermitted) unless a "
                    f"ReferenceGrant in namespace {secret.namespace} allows Gateways from "
                    f"{gateway_ns} to reference Secrets, and the release renders none. Fix: "
                    "make sure one exists there, or use a Secret in the Gateway's namespace"
                ),
                secret=secret.name,
                namespace=secret.namespace,
            )
