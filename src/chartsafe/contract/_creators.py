"""Which rendered objects create Secrets, and with which keys.

A Secret a release renders exists after Helm applies it; the target of an
``ExternalSecret``, a ``SealedSecret``, a cert-manager ``Certificate`` (or an
Ingress or Gateway that asks cert-manager for one), a Secrets Store CSI
``SecretProviderClass`` exists once its controller has acted; so do the Secrets the
CloudNativePG, Strimzi and Zalando postgres operators make (``_operator_creators``).
Adding a kind is adding one function to ``CREATOR_KINDS``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from .._eso_target import external_secret_target
from .._objects import K8sObject
from .._podspec import dict_at, dicts_in
from .._secret_types import FILLED_BY_KUBERNETES
from ._created import Created, creator_of
from ._operator_creators import (
    cnpg_cluster,
    strimzi_kafka,
    strimzi_kafka_user,
    zalando_postgresql,
)

__all__ = ["CREATOR_KINDS", "Created", "iter_created"]


def _secret(obj: K8sObject) -> Iterator[Created]:
    keys = set(dict_at(obj.body.get("data"))) | set(dict_at(obj.body.get("stringData")))
    kind_type = obj.body.get("type")
    keys |= FILLED_BY_KUBERNETES.get(str(kind_type), frozenset())
    yield Created(
        obj.namespace_or_release,
        obj.name,
        creator_of(obj, keys),
        str(kind_type) if kind_type else None,
    )


def _external_secret(obj: K8sObject) -> Iterator[Created]:
    target = external_secret_target(obj.body)
    if target.makes("Secret"):
        keys = set(target.keys) if target.keys is not None else None
        namespace = obj.namespace_or_release
        yield Created(namespace, target.name, creator_of(obj, keys), target.type)


def _sealed_secret(obj: K8sObject) -> Iterator[Created]:
    spec = obj.spec
    template = dict_at(spec.get("template"))
    keys = set(dict_at(spec.get("encryptedData"))) | set(dict_at(template.get("data")))
    kind_type = template.get("type")
    yield Created(
        obj.namespace_or_release,
        obj.name,
        creator_of(obj, keys),
        str(kind_type) if kind_type else None,
    )


_TLS_KEYS = {"tls.crt", "tls.key", "ca.crt"}


def _certificate(obj: K8sObject) -> Iterator[Created]:
    if obj.api_group != "cert-manager.io":
        return
    name = obj.spec.get("secretName")
    if name:
        ns = obj.namespace_or_release
        yield Created(ns, str(name), creator_of(obj, set(_TLS_KEYS)), "kubernetes.io/tls")


_CERT_MANAGER_ANNOTATIONS = (
    "cert-manager.io/cluster-issuer",
    "cert-manager.io/issuer",
)


def _ingress(obj: K8sObject) -> Iterator[Created]:
    """cert-manager's ingress-shim creates the TLS Secrets of an annotated Ingress."""
    if not any(obj.annotations.get(a) for a in _CERT_MANAGER_ANNOTATIONS):
        return
    ns = obj.namespace_or_release
    for tls in dicts_in(obj.spec.get("tls")):
        if tls.get("secretName"):
            creator = creator_of(obj, set(_TLS_KEYS))
            yield Created(ns, str(tls["secretName"]), creator, "kubernetes.io/tls")


def _gateway(obj: K8sObject) -> Iterator[Created]:
    """cert-manager's gateway-shim (Gateway API support turned on) does the same for the TLS
    certificates of an annotated Gateway's listeners, in the Gateway's own namespace only."""
    if obj.api_group != "gateway.networking.k8s.io":
        return
    if not any(obj.annotations.get(a) for a in _CERT_MANAGER_ANNOTATIONS):
        return
    ns = obj.namespace_or_release
    for listener in dicts_in(obj.spec.get("listeners")):
        for ref in dicts_in(dict_at(listener.get("tls")).get("certificateRefs")):
            same_namespace = ref.get("namespace") in (None, "", ns)
            if ref.get("name") and ref.get("kind", "Secret") == "Secret" and same_namespace:
                creator = creator_of(obj, set(_TLS_KEYS))
                yield Created(ns, str(ref["name"]), creator, "kubernetes.io/tls")


def _secret_provider_class(obj: K8sObject) -> Iterator[Created]:
    """The Secrets Store CSI driver syncs each ``secretObjects`` entry into a Secret once a pod
    mounts the class's volume (nothing waits for it: an operator creator)."""
    if obj.api_group != "secrets-store.csi.x-k8s.io":
        return
    ns = obj.namespace_or_release
    for item in dicts_in(obj.spec.get("secretObjects")):
        if item.get("secretName"):
            keys = {str(d["key"]) for d in dicts_in(item.get("data")) if d.get("key")}
            kind_type = item.get("type")
            yield Created(ns, str(item["secretName"]), creator_of(obj, keys),
                          str(kind_type) if kind_type else None)  # fmt: skip


#: kind → what Secrets an object of that kind creates.
CREATOR_KINDS: dict[str, Callable[[K8sObject], Iterator[Created]]] = {
    "Secret": _secret,
    "ExternalSecret": _external_secret,
    "SealedSecret": _sealed_secret,
    "Certificate": _certificate,
    "Ingress": _ingress,
    "Gateway": _gateway,
    "SecretProviderClass": _secret_provider_class,
    "Cluster": cnpg_cluster,
    "KafkaUser": strimzi_kafka_user,
    "Kafka": strimzi_kafka,
    "postgresql": zalando_postgresql,
}


def iter_created(objects: list[K8sObject]) -> Iterator[Created]:
    for obj in objects:
        make = CREATOR_KINDS.get(obj.kind)
        if make is not None:
            yield from make(obj)
