"""Where custom resources (and a PersistentVolume) name Secrets: a small registry, kind →
field paths.

Adding a kind is adding one entry. A path is dotted, ``[]`` walks every item
of a list; the field it reaches is either a key selector (``{name, key}``,
the Kubernetes ``SecretKeySelector`` shape), a reference to a whole Secret
(``{name}``, maybe with the keys its kind fixes; one with a ``kind`` other than
Secret or a ``group`` other than the core one, as Gateway API allows, is not one, and its
``namespace`` is honoured), or a plain Secret name with the keys its kind fixes.
A kind whose name other API groups use too is read only in its own groups (``groups``).
Where the object also says which hosts it serves a TLS Secret for (a Gateway listener's
``hostname``, a Traefik route's ``Host`` rules), ``served`` reads them from the part of the
object the reference sits in, and the read carries them (see :mod:`._tls_hosts`).
Secret stores of the External Secrets Operator nest their credentials
differently per provider, so every ``*SecretRef`` under ``spec.provider`` counts;
a cert-manager ``Issuer`` likewise under ``spec`` (ACME DNS-01 solvers, external
account binding, Vault, Venafi), except the ACME account key cert-manager writes itself.
The Prometheus Operator names Secrets only with key selectors (``{name, key}``, maybe
``optional``), nested per endpoint, receiver or service discovery: in its API group every
such selector under ``spec`` counts, ConfigMap selectors excepted (a test holds this against
the operator's own CRDs).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from .._objects import K8sObject
from .._podspec import values_at
from ._tls_hosts import listener_hosts, traefik_route_hosts

__all__ = ["CRD_SECRET_REFS", "CrdRead", "RefSpec", "Served", "iter_crd_reads"]

Shape = Literal["keyref", "nameref", "name"]


@dataclass(frozen=True)
class Served:
    """Where an object says which hosts it serves a TLS Secret for: read from each part of
    it at ``scope`` (a listener: ``spec.listeners[]``), the part the reference sits in."""

    scope: str
    hosts: Callable[[dict[str, Any]], tuple[str, ...]]


@dataclass(frozen=True)
class RefSpec:
    """One field of a kind that names a Secret."""

    path: str
    shape: Shape = "keyref"
    keys: tuple[str, ...] = ()  # for "name" and "nameref": the keys the kind reads from it
    type: str | None = None  # the Secret type the kind expects
    groups: frozenset[str] = frozenset()  # the API groups of the kind; empty: any
    served: Served | None = None  # the hosts it serves the Secret for, if it says

    def __post_init__(self) -> None:
        if self.served is not None and not self.path.startswith(f"{self.served.scope}."):
            raise ValueError(f"{self.path} is not under {self.served.scope}")

    def scopes(self, body: dict[str, Any]) -> Iterator[tuple[Any, str, tuple[str, ...]]]:
        """Each part of ``body`` to look for the reference in, the path from there, and the
        hosts that part serves it for."""
        if self.served is None:
            yield body, self.path, ()
            return
        rest = self.path[len(self.served.scope) + 1 :]
        for part in values_at(body, self.served.scope):
            if isinstance(part, dict):
                yield part, rest, self.served.hosts(part)


class CrdRead(NamedTuple):
    """One Secret (one key, or the whole Secret when ``key`` is None) a custom resource names."""

    namespace: str
    secret: str
    key: str | None
    via: str  # the field path
    type: str | None = None
    optional: bool = False
    hosts: tuple[str, ...] = ()  # the hosts it serves the Secret for (a TLS Secret)


_TLS = ("tls.crt", "tls.key")
_BASIC_AUTH = ("username", "password")
_BASIC_AUTH_TYPE = "kubernetes.io/basic-auth"
_GATEWAY_API = frozenset({"gateway.networking.k8s.io"})
#: Traefik's API group, and the one it used before v2.10 (still served by v2).
_TRAEFIK = frozenset({"traefik.io", "traefik.containo.us"})


#: An IngressRoute's (HTTP) or IngressRouteTCP's TLS Secret, served for its routes' hosts.
_TRAEFIK_ROUTE_TLS = (
    RefSpec(
        "spec.tls.secretName",
        "name",
        _TLS,
        groups=_TRAEFIK,
        served=Served("spec", traefik_route_hosts),
    ),
)


def _cnpg_cluster_refs() -> tuple[RefSpec, ...]:
    """CloudNativePG ``Cluster``: the user's own credentials (``kubernetes.io/basic-auth``
    Secrets), certificates, and the object store and external clusters it connects to."""
    backup = "spec.backup.barmanObjectStore"
    selectors = [
        f"{backup}.{field}"
        for field in (
            "s3Credentials.accessKeyId",
            "s3Credentials.secretAccessKey",
            "s3Credentials.sessionToken",
            "s3Credentials.region",
            "azureCredentials.connectionString",
            "azureCredentials.storageAccount",
            "azureCredentials.storageKey",
            "azureCredentials.storageSasToken",
            "googleCredentials.applicationCredentials",
            "endpointCA",
        )
    ] + [f"spec.externalClusters[].{f}" for f in ("password", "sslKey", "sslCert", "sslRootCert")]
    return (
        *(RefSpec(f"spec.bootstrap.{mode}.secret", "nameref", _BASIC_AUTH, _BASIC_AUTH_TYPE)
          for mode in ("initdb", "recovery", "pg_basebackup")),
        RefSpec("spec.superuserSecret", "nameref", _BASIC_AUTH, _BASIC_AUTH_TYPE),
        RefSpec("spec.managed.roles[].passwordSecret", "nameref", _BASIC_AUTH, _BASIC_AUTH_TYPE),
        RefSpec("spec.certificates.serverTLSSecret", "name", _TLS),
        RefSpec("spec.certificates.replicationTLSSecret", "name", _TLS),
        RefSpec("spec.certificates.serverCASecret", "name", ("ca.crt",)),
        RefSpec("spec.certificates.clientCASecret", "name", ("ca.crt",)),
        *(RefSpec(path) for path in selectors),
    )  # fmt: skip


def _persistent_volume_refs() -> tuple[RefSpec, ...]:
    """A statically provisioned volume: the Secrets its CSI driver is given at each stage (in
    the namespace the reference names, else the release's), and Ceph's ``key``."""
    stages = ("nodePublish", "nodeStage", "controllerPublish", "controllerExpand", "nodeExpand")
    return (
        *(RefSpec(f"spec.csi.{stage}SecretRef", "nameref") for stage in stages),
        RefSpec("spec.cephfs.secretRef", "nameref", ("key",)),
        RefSpec("spec.rbd.secretRef", "nameref", ("key",)),
        RefSpec("spec.flexVolume.secretRef", "nameref"),
        RefSpec("spec.iscsi.secretRef", "nameref"),
    )


#: kind → the fields where it names Secrets.
CRD_SECRET_REFS: dict[str, tuple[RefSpec, ...]] = {
    # Core, but shaped like the rest: names with a namespace, read by the kubelet or a driver.
    "PersistentVolume": _persistent_volume_refs(),
    "Certificate": (
        RefSpec("spec.keystores.jks.passwordSecretRef"),
        RefSpec("spec.keystores.pkcs12.passwordSecretRef"),
    ),
    "Issuer": (RefSpec("spec.ca.secretName", "name", _TLS),),
    # Gateway API (v1 and v1beta1): a listener's TLS certificates (kubernetes.io/tls Secrets
    # by default), served for the listener's hostname.
    "Gateway": (
        RefSpec(
            "spec.listeners[].tls.certificateRefs[]",
            "nameref",
            _TLS,
            groups=_GATEWAY_API,
            served=Served("spec.listeners[]", listener_hosts),
        ),
    ),
    # Traefik: TLS Secrets (kubernetes.io/tls keys) of routes, served for their TLS domains and
    # host rules; the default certificate (served for any host: none to name), client
    # certificates for backends and forward auth. Not its CA Secrets (key tls.ca or ca.crt)
    # nor basic/digest auth (key users, or a kubernetes.io/basic-auth Secret): one of two
    # shapes, which the contract cannot say.
    "IngressRoute": _TRAEFIK_ROUTE_TLS,
    "IngressRouteTCP": _TRAEFIK_ROUTE_TLS,
    "TLSStore": (RefSpec("spec.defaultCertificate.secretName", "name", _TLS, groups=_TRAEFIK),),
    "ServersTransport": (RefSpec("spec.certificatesSecrets[]", "name", _TLS, groups=_TRAEFIK),),
    "ServersTransportTCP": (
        RefSpec("spec.tls.certificatesSecrets[]", "name", _TLS, groups=_TRAEFIK),
    ),
    "Middleware": (RefSpec("spec.forwardAuth.tls.certSecret", "name", _TLS, groups=_TRAEFIK),),
    # CloudNativePG (Cluster API's Cluster has none of these fields).
    "Cluster": _cnpg_cluster_refs(),
    # Strimzi: a SCRAM user's password the user chooses.
    "KafkaUser": (RefSpec("spec.authentication.password.valueFrom.secretKeyRef"),),
    # KEDA: the keys a scaler's parameters come from, in the TriggerAuthentication's own
    # namespace (a ClusterTriggerAuthentication's are in KEDA's, which the chart cannot show).
    "TriggerAuthentication": (RefSpec("spec.secretTargetRef[]"),),
}

#: kind → (where its ``*SecretRef`` selectors live, selectors that are not reads). External
#: Secrets Operator stores nest credentials differently per provider; cert-manager writes
#: the ACME account key (``privateKeySecretRef``) itself.
_SELECTOR_KINDS: dict[str, tuple[str, frozenset[str]]] = {
    "SecretStore": ("provider", frozenset()),
    "ClusterSecretStore": ("provider", frozenset()),
    "Issuer": ("", frozenset({"spec.acme.privateKeySecretRef"})),
}


#: API groups whose kinds name Secrets only with key selectors: every one under ``spec``.
_KEY_SELECTOR_GROUPS = frozenset({"monitoring.coreos.com"})
_KEY_SELECTOR_FIELDS = frozenset({"name", "key", "optional"})


def _is_key_selector(node: dict[Any, Any]) -> bool:
    """``{name, key}`` (and maybe ``optional``), both non-empty strings: a SecretKeySelector.

    Only those fields: a map of labels or headers that happens to hold a ``name`` and a
    ``key`` among others is not one.
    """
    name, key = node.get("name"), node.get("key")
    return (
        node.keys() <= _KEY_SELECTOR_FIELDS
        and isinstance(name, str)
        and isinstance(key, str)
        and bool(name and key)
    )


def _key_selectors(node: Any, path: str) -> Iterator[tuple[dict[str, Any], str]]:
    """Every key selector under ``node`` with its path; a ConfigMap's (``configMap``,
    ``configMapKeyRef``) has the same shape and is skipped."""
    if isinstance(node, dict):
        if _is_key_selector(node):
            yield node, path
            return
        for key, value in node.items():
            if "configmap" not in str(key).lower():
                yield from _key_selectors(value, f"{path}.{key}")
    elif isinstance(node, list):
        for item in node:
            yield from _key_selectors(item, f"{path}[]")


def _selectors(node: Any, path: str) -> Iterator[tuple[dict[str, Any], str]]:
    """Every dict under ``node`` held by a key ending in ``SecretRef``, with its path."""
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{path}.{key}"
            named = isinstance(value, dict) and bool(value.get("name"))
            if str(key).lower().endswith("secretref") and named:
                yield value, here
                continue
            yield from _selectors(value, here)
    elif isinstance(node, list):
        for item in node:
            yield from _selectors(item, f"{path}[]")


def iter_crd_reads(obj: K8sObject) -> Iterator[CrdRead]:
    """Every Secret ``obj`` names, with the field path that names it: one read per Secret,
    key and field, with every host the object serves it for (two listeners of a Gateway
    serving one certificate for two hostnames are one reader of it, for both)."""
    hosts: dict[CrdRead, tuple[str, ...]] = {}
    for read in _registry_reads(obj):
        bare = read._replace(hosts=())
        hosts[bare] = (*hosts.get(bare, ()), *read.hosts)
    for bare, served in hosts.items():
        yield bare._replace(hosts=tuple(dict.fromkeys(served)))
    yield from _selector_reads(obj)


def _registry_reads(obj: K8sObject) -> Iterator[CrdRead]:
    """The reads :data:`CRD_SECRET_REFS` lists for ``obj``'s kind (in its API groups)."""
    ns = obj.namespace_or_release
    for spec in CRD_SECRET_REFS.get(obj.kind, ()):
        if spec.groups and obj.api_group not in spec.groups:
            continue
        for part, path, hosts in spec.scopes(obj.body):
            for found in values_at(part, path):
                yield from _reads_of(found, spec, ns, hosts)


def _reads_of(found: Any, spec: RefSpec, ns: str, hosts: tuple[str, ...]) -> Iterator[CrdRead]:
    """The reads one field value at ``spec.path`` makes: a name, or a reference to a core
    Secret (no ``kind``/``group``, or ``Secret`` and the core group ``""``)."""
    if spec.shape == "name" and isinstance(found, str) and found:
        for fixed in spec.keys:
            yield CrdRead(ns, found, fixed, spec.path, spec.type, hosts=hosts)
        return
    if not isinstance(found, dict) or not found.get("name"):
        return
    if found.get("kind", "Secret") != "Secret" or found.get("group") not in (None, ""):
        return
    where, name = str(found.get("namespace") or ns), str(found["name"])
    if spec.shape == "nameref" and spec.keys:
        for fixed in spec.keys:
            yield CrdRead(where, name, fixed, spec.path, spec.type, hosts=hosts)
        return
    key = found.get("key") if spec.shape == "keyref" else None
    yield CrdRead(where, name, None if key is None else str(key), spec.path, spec.type,
                  hosts=hosts)  # fmt: skip


def _selector_reads(obj: K8sObject) -> Iterator[CrdRead]:
    """Key selectors anywhere under ``spec`` (Prometheus Operator), ``*SecretRef`` selectors
    (External Secrets Operator stores, cert-manager issuers)."""
    ns = obj.namespace_or_release
    if obj.api_group in _KEY_SELECTOR_GROUPS:
        for selector, path in _key_selectors(obj.body.get("spec"), "spec"):
            yield CrdRead(ns, selector["name"], selector["key"], path,
                          optional=selector.get("optional") is True)  # fmt: skip
    if obj.kind in _SELECTOR_KINDS:
        under, written = _SELECTOR_KINDS[obj.kind]
        spec_body = obj.body.get("spec")
        node = spec_body.get(under) if under and isinstance(spec_body, dict) else spec_body
        root = f"spec.{under}" if under else "spec"
        for selector, path in _selectors(node, root):
            if path in written:
                continue
            target_ns = str(selector.get("namespace") or ns)
            ref_key = selector.get("key")
            yield CrdRead(target_ns, str(selector["name"]),
                          None if ref_key is None else str(ref_key), path)  # fmt: skip
