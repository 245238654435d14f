"""Find every place a rendered release reads a Secret.

Each finding is a :class:`Read`: which Secret, which key (None when the whole
Secret is read, as ``envFrom`` and a volume without ``items`` do), and the
reader. Pod templates are walked for every reference form the kubelet
resolves; Ingresses, ServiceAccounts and known custom resources through
:mod:`._crd_refs`.

A Secret mounted whole shows each key as the file ``MOUNT/KEY``. When the
container names such a file itself (``TLS_CERT_FILE=/etc/tls/tls.crt`` in its
env, ``--key=/etc/tls/tls.key`` in its command or args), that key is read:
``Read.named_keys`` carries those names, so a whole TLS mount is not a Secret
of unknown keys when the pod says which files it opens. A ``subPath`` mount of
such a volume is one file, a file at its top one key: a read of that key.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .._objects import K8sObject
from .._podspec import (
    ContainerView,
    PodView,
    dict_at,
    dicts_in,
    iter_pods,
    strings_in,
    subpath_key,
)
from .._secret_types import CONFIG_KEY_CHARS, config_key_problem
from ._crd_refs import iter_crd_reads
from ._model import Reader
from ._tls_hosts import dns_names

__all__ = ["Read", "iter_reads"]

#: Key names a Secret type fixes, for readers that name only the Secret.
DOCKERCONFIG_KEY = ".dockerconfigjson"
DOCKERCONFIG_TYPE = "kubernetes.io/dockerconfigjson"
TLS_KEYS = ("tls.crt", "tls.key")

#: Ingress annotations that name a Secret, and the keys the controller reads from it.
_INGRESS_ANNOTATION_REFS: dict[str, tuple[str, ...]] = {
    "nginx.ingress.kubernetes.io/auth-tls-secret": ("ca.crt",),
    "nginx.ingress.kubernetes.io/proxy-ssl-secret": ("tls.crt", "tls.key", "ca.crt"),
}


@dataclass(frozen=True)
class Read:
    """One read of a Secret (one key, or the whole Secret when ``key`` is None)."""

    namespace: str
    secret: str
    key: str | None
    reader: Reader
    type_hint: str | None = None  # the Secret type the reader implies
    format_hint: str | None = None  # the key's format the reader implies
    named_keys: frozenset[str] = frozenset()  # whole mount: keys whose files the pod names


def _reader(obj: K8sObject, via: str, **kwargs: Any) -> Reader:
    return Reader(kind=obj.kind, name=obj.name, via=via, hook=obj.hook, source=obj.source,
                  group=obj.api_group, **kwargs)  # fmt: skip


def _env_reads(pod: PodView, ns: str) -> Iterator[Read]:
    for container in pod.containers:
        for env in container.env:
            ref = dict_at(dict_at(env.get("valueFrom")).get("secretKeyRef"))
            if ref.get("name") and ref.get("key") not in (None, ""):  # else an unnamed-reference
                reader = _reader(
                    pod.owner,
                    "env",
                    container=container.name,
                    env=str(env.get("name", "")),
                    optional=ref.get("optional") is True,
                )
                yield Read(ns, str(ref["name"]), str(ref["key"]), reader)
        for source in container.env_from:
            ref = dict_at(source.get("secretRef"))
            if ref.get("name"):
                reader = _reader(
                    pod.owner,
                    "envFrom",
                    whole=True,
                    container=container.name,
                    env=str(source["prefix"]) if source.get("prefix") else None,
                    optional=ref.get("optional") is True,
                )
                yield Read(ns, str(ref["name"]), None, reader)


@dataclass(frozen=True)
class _Mount:
    """One container's mount of a volume; ``sub_key``: the Secret key a subPath shows."""

    container: ContainerView | None = None
    path: str | None = None
    sub_path: str | None = None
    sub_key: str | None = None

    def file_of(self, item_path: str) -> str | None:
        """Where the container sees the volume's file ``item_path``: under the mount, or the
        mount itself when the subPath is that file (a subPath it is not in: the mount)."""
        if not self.path:
            return None
        inside = item_path
        if self.sub_path is not None:
            prefix = self.sub_path.rstrip("/") + "/"
            if item_path == self.sub_path or not item_path.startswith(prefix):
                return self.path
            inside = item_path[len(prefix) :]
        return f"{self.path.rstrip('/')}/{inside}"


def _mounts(pod: PodView, volume: str) -> list[_Mount]:
    """Every container's mount of ``volume``."""
    return [
        _Mount(
            container,
            str(mount.get("mountPath", "")),
            str(mount["subPath"]) if mount.get("subPath") else None,
            subpath_key(mount),
        )
        for container, mount in pod.mounts_of(volume)
    ]


#: A file name that ends where a key could not go on.
_AFTER_KEY = r"(?![-._a-zA-Z0-9/])"


def _container_strings(container: ContainerView) -> list[str]:
    """The literal strings a container runs with: env values, command and args."""
    found = [str(e["value"]) for e in container.env if isinstance(e.get("value"), str)]
    for field in ("command", "args"):
        found += [str(a) for a in container.body.get(field) or [] if isinstance(a, str)]
    return found


def _named_files(mount: _Mount) -> frozenset[str]:
    """Keys of a whole-mounted Secret whose files ``MOUNT/KEY`` the container names.

    A mount with ``subPath`` (one path of the volume) or at ``/`` names none.
    """
    container, base = mount.container, (mount.path or "").rstrip("/")
    if container is None or not base or mount.sub_path is not None:
        return frozenset()
    pattern = re.compile(rf"(?<![-._a-zA-Z0-9/]){re.escape(base)}/({CONFIG_KEY_CHARS}){_AFTER_KEY}")
    keys = {m.group(1) for text in _container_strings(container) for m in pattern.finditer(text)}
    return frozenset(k for k in keys if config_key_problem(k) is None)  # not ..data


def _volume_source_reads(
    pod: PodView,
    ns: str,
    volume: str,
    via: str,
    name: str,
    items: Any,
    optional: bool,
    alone: bool = True,
) -> Iterator[Read]:
    """Reads of one Secret shown in a volume; ``alone``: no other source shares the mount, so
    a file the container names under it is a key of this Secret."""
    mounts = _mounts(pod, volume) or [_Mount()]
    keyed = [(str(i["key"]), i.get("path")) for i in dicts_in(items) if i.get("key") is not None]
    for mount in mounts:
        cname = mount.container.name if mount.container is not None else None
        seen = {"container": cname, "mount_path": mount.path, "sub_path": mount.sub_path}
        one = mount.sub_key if not keyed else None
        if one is not None:
            # The container sees that one key, as a file at its mount path.
            yield Read(ns, name, one, _reader(pod.owner, via, optional=optional, **seen))
            continue
        if not keyed:
            reader = _reader(pod.owner, via, whole=True, optional=optional, **seen)
            named = _named_files(mount) if alone else frozenset()
            yield Read(ns, name, None, reader, named_keys=named)
        for key, path in keyed:
            seen["mount_path"] = mount.file_of(str(path)) if path else mount.path
            yield Read(ns, name, key, _reader(pod.owner, via, optional=optional, **seen))


def _volume_reads(pod: PodView, ns: str) -> Iterator[Read]:
    for volume in pod.volumes:
        vname = str(volume.get("name", ""))
        secret = dict_at(volume.get("secret"))
        if secret.get("secretName"):
            yield from _volume_source_reads(
                pod,
                ns,
                vname,
                "volume",
                str(secret["secretName"]),
                secret.get("items"),
                secret.get("optional") is True,
            )
        sources = dicts_in(dict_at(volume.get("projected")).get("sources"))
        for source in sources:
            ref = dict_at(source.get("secret"))
            if ref.get("name"):
                yield from _volume_source_reads(
                    pod,
                    ns,
                    vname,
                    "projected",
                    str(ref["name"]),
                    ref.get("items"),
                    ref.get("optional") is True,
                    alone=len(sources) == 1,
                )
        yield from _plugin_reads(pod, ns, volume)


#: Volume plugins that read a Secret to mount the volume (the kubelet or the driver does, not
#: a container): plugin → (the field naming it, the keys the plugin reads). No keys: they are
#: the driver's own (a CSI driver's, a FlexVolume's, iSCSI's CHAP settings), which the chart
#: cannot show. The in-tree plugins are deprecated but still served, and charts still ship them.
_PLUGIN_SECRETS: dict[str, tuple[str, tuple[str, ...]]] = {
    "csi": ("nodePublishSecretRef", ()),
    "azureFile": ("secretName", ("azurestorageaccountname", "azurestorageaccountkey")),
    "cephfs": ("secretRef", ("key",)),
    "rbd": ("secretRef", ("key",)),
    "flexVolume": ("secretRef", ()),
    "iscsi": ("secretRef", ()),
    "scaleIO": ("secretRef", ()),
    "storageos": ("secretRef", ()),
}


def _plugin_reads(pod: PodView, ns: str, volume: dict[str, Any]) -> Iterator[Read]:
    for plugin, (field, keys) in _PLUGIN_SECRETS.items():
        named = dict_at(volume.get(plugin)).get(field)
        name = dict_at(named).get("name") if isinstance(named, dict) else named
        if not name or not isinstance(name, str):
            continue
        for key in keys:
            yield Read(ns, name, key, _reader(pod.owner, plugin))
        if not keys:
            yield Read(ns, name, None, _reader(pod.owner, plugin, whole=True))


def _pull_secret_reads(pod: PodView, ns: str) -> Iterator[Read]:
    for name in pod.image_pull_secrets:
        reader = _reader(pod.owner, "imagePullSecrets")
        yield Read(ns, name, DOCKERCONFIG_KEY, reader, DOCKERCONFIG_TYPE)


def _ingress_reads(obj: K8sObject, ns: str) -> Iterator[Read]:
    for tls in dicts_in(obj.spec.get("tls")):
        if tls.get("secretName"):
            hosts = dns_names(strings_in(tls.get("hosts")))
            for key in TLS_KEYS:
                reader = _reader(obj, "ingress-tls", hosts=hosts)
                yield Read(ns, str(tls["secretName"]), key, reader, "kubernetes.io/tls")
    for annotation, keys in _INGRESS_ANNOTATION_REFS.items():
        value = obj.annotations.get(annotation)
        if not value:
            continue
        target_ns, _, name = value.rpartition("/")
        for key in keys:
            reader = _reader(obj, f"annotation {annotation}")
            yield Read(target_ns or ns, name, key, reader)
    yield from _nginx_auth_reads(obj, ns)


def _nginx_auth_reads(obj: K8sObject, ns: str) -> Iterator[Read]:
    """ingress-nginx's basic or digest auth Secret, in the form ``auth-secret-type`` says.

    ``auth-file`` (the default) is one key, ``auth``, holding an htpasswd file (an htdigest
    file for ``auth-type: digest``); ``auth-map`` has one key per user name, its value the
    hashed password, so which keys it has is the user's choice: a whole read.
    """
    annotation = "nginx.ingress.kubernetes.io/auth-secret"
    value = obj.annotations.get(annotation)
    if not value:
        return
    target_ns, _, name = value.rpartition("/")
    form = obj.annotations.get("nginx.ingress.kubernetes.io/auth-secret-type", "auth-file")
    if form == "auth-map":
        whole = _reader(obj, f"annotation {annotation}", whole=True)
        yield Read(target_ns or ns, name, None, whole)
        return
    basic = obj.annotations.get("nginx.ingress.kubernetes.io/auth-type") == "basic"
    reader = _reader(obj, f"annotation {annotation}")
    yield Read(target_ns or ns, name, "auth", reader, format_hint="htpasswd" if basic else None)


def _service_account_reads(obj: K8sObject, ns: str) -> Iterator[Read]:
    for ref in dicts_in(obj.body.get("imagePullSecrets")):
        if ref.get("name"):
            reader = _reader(obj, "imagePullSecrets")
            yield Read(ns, str(ref["name"]), DOCKERCONFIG_KEY, reader, DOCKERCONFIG_TYPE)
    for ref in dicts_in(obj.body.get("secrets")):
        if ref.get("name"):
            reader = _reader(obj, "serviceaccount", whole=True)
            yield Read(str(ref.get("namespace") or ns), str(ref["name"]), None, reader)


def _push_secret_reads(obj: K8sObject, ns: str) -> Iterator[Read]:
    """An ESO ``PushSecret`` pushes a Secret of its own namespace to a provider: the keys its
    ``data`` entries match, or the whole Secret when an entry names no key or ``dataTo``
    pushes by pattern. One chosen by labels (``selector.secret.selector``) is not one name."""
    if obj.api_group != "external-secrets.io":
        return
    spec = obj.spec
    name = dict_at(dict_at(spec.get("selector")).get("secret")).get("name")
    if not name:
        return
    matches = [dict_at(item.get("match")) for item in dicts_in(spec.get("data"))]
    keys = [m.get("secretKey") for m in matches]
    if spec.get("dataTo") or not keys or not all(keys):
        yield Read(ns, str(name), None, _reader(obj, "spec.selector.secret", whole=True))
        return
    for key in dict.fromkeys(str(k) for k in keys):
        yield Read(ns, str(name), key, _reader(obj, "spec.data[].match.secretKey"))


def iter_reads(objects: list[K8sObject]) -> Iterator[Read]:
    """Every Secret read among ``objects`` (hooks included; tests too, they run on request)."""
    for pod in iter_pods(objects):
        ns = pod.owner.namespace_or_release
        yield from _env_reads(pod, ns)
        yield from _volume_reads(pod, ns)
        yield from _pull_secret_reads(pod, ns)
    for obj in objects:
        ns = obj.namespace_or_release
        if obj.kind == "Ingress":
            yield from _ingress_reads(obj, ns)
        elif obj.kind == "ServiceAccount":
            yield from _service_account_reads(obj, ns)
        elif obj.kind == "PushSecret":
            yield from _push_secret_reads(obj, ns)
        else:
            for read in iter_crd_reads(obj):
                reader = _reader(obj, read.via, whole=read.key is None, optional=read.optional,
                                 hosts=read.hosts)  # fmt: skip
                yield Read(read.namespace, read.secret, read.key, reader, read.type)
