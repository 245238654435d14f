"""Which ConfigMaps a release's pods read, and which of its own it cannot give them in time.

A pod whose ``envFrom``, ``configMapKeyRef``, ``configMap`` volume or projected ``configMap``
source names a ConfigMap that is not there does not start: the kubelet reports
``CreateContainerConfigError`` (``configmap "x" not found``) or the volume never mounts, and
a key it names that the ConfigMap lacks fails the same way. Charts take such ConfigMaps from
their users (``existingConfigMap``: Fractal LBA's ``pcs-ed25519-config`` holds the public key
its backend verifies with): ``config_map_needs`` lists those the release does not create, for
the preflight to look up (``chartsafe.check._config_map_checks``).

Only names are compared, never data. References marked ``optional: true`` never require.
``kube-root-ca.crt`` is always there: Kubernetes puts it in every namespace (projected
service-account volumes read it).

A ConfigMap the release renders itself is there, as is one its ExternalSecret makes ESO write
(``target.manifest``; keys unknown when fetched with ``dataFrom``), unless
(``release_config_map_gaps``) it lacks a key a pod names, or a pod runs while it is not there
(``_hook_timing``): a pre-install/pre-upgrade hook reading it while it is a regular resource
or a later hook, a regular pod reading what only a post-install hook makes, a reader after
Helm deleted it with its succeeded hooks. The pod waits for it until the install times out.
``check`` and ``audit`` both report these; this module imports nothing of either, so that
``audit --files`` stays off the render path.
"""

# No ``from __future__ import annotations``: this module's NamedTuples keep real annotations
# (why: ``chartsafe/audit/_model.py``'s docstring).

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from ._eso_target import external_secret_target
from ._hook_timing import Absence, absence, left_for
from ._objects import K8sObject
from ._podspec import PodView, dict_at, dicts_in, iter_pods, subpath_key

__all__ = [
    "ConfigMapNeed",
    "ReleaseConfigMapGap",
    "config_map_needs",
    "keys_of",
    "left_for_upgrade",
    "release_config_map_gaps",
]

#: Put in every namespace by Kubernetes' root-CA publisher.
ALWAYS_THERE = frozenset({"kube-root-ca.crt"})


class _Read(NamedTuple):
    owner: K8sObject  # the workload whose pod reads
    name: str  # the ConfigMap
    key: str | None  # None: the whole map
    optional: bool
    how: str

    @property
    def reader(self) -> str:
        return f"{self.owner.kind}/{self.owner.name} {self.how}"


class _Made(NamedTuple):
    by: K8sObject  # the ConfigMap itself, or the ExternalSecret that makes ESO write it
    keys: frozenset[str] | None  # None: ESO knows them once it has fetched

    @property
    def source(self) -> str:
        return self.by.source


class ConfigMapNeed:
    """One ConfigMap the release reads and does not render, with what reads it.

    A plain class, not a dataclass, as ``audit --files`` imports this module (see
    ``audit._model``'s doc).
    """

    def __init__(self, namespace: str, name: str) -> None:
        self.namespace = namespace
        self.name = name
        self.keys: set[str] = set()  # keys named by non-optional reads
        self.optional = True  # every read of it is optional
        self.readers: list[str] = []
        self.optional_keys: set[str] = set()  # named only by optional reads
        self.whole = False  # some reader takes the whole map (envFrom, a volume without items)

    def __repr__(self) -> str:
        return f"<ConfigMapNeed {self.namespace}/{self.name}>"

    def as_dict(self) -> dict[str, Any]:
        return {
            "namespace": self.namespace,
            "name": self.name,
            "keys": sorted(self.keys),
            "optionalKeys": sorted(self.optional_keys - self.keys),
            "readWhole": self.whole,
            "optional": self.optional,
            "readers": list(self.readers),
        }

    @property
    def key_words(self) -> list[str]:
        """The keys for people: required ones, then optional ones, or "whole"."""
        optional = sorted(self.optional_keys - self.keys)
        words = sorted(self.keys) + [f"{k} (optional)" for k in optional]
        if self.whole:
            words.append("(read whole)" if words else "whole")
        return words


def _reads(pod: PodView) -> Iterator[tuple[str, str | None, bool, str]]:
    """(ConfigMap, key or None for the whole map, optional, how) for each read in ``pod``."""
    for container in pod.containers:
        where = f"container {container.name}"
        for env in container.env:
            if "valueFrom" not in env:
                continue  # a literal value, as most are
            ref = dict_at(dict_at(env["valueFrom"]).get("configMapKeyRef"))
            if ref.get("name") and ref.get("key") not in (None, ""):  # else unnamed-reference
                how = f"{where} env {env.get('name', '')}"
                yield str(ref["name"]), str(ref["key"]), ref.get("optional") is True, how
        for source in container.env_from:
            ref = dict_at(source.get("configMapRef"))
            if ref.get("name"):
                yield str(ref["name"]), None, ref.get("optional") is True, f"{where} envFrom"
    for volume in pod.volumes:
        sources = [("volume", dict_at(volume.get("configMap")))]
        projected = dicts_in(dict_at(volume.get("projected")).get("sources"))
        sources += [("projected volume", dict_at(s.get("configMap"))) for s in projected]
        for what, ref in sources:
            if not ref.get("name"):
                continue
            vname = str(volume.get("name", ""))
            how = f"{what} {vname}"
            optional = ref.get("optional") is True
            items = [str(i["key"]) for i in dicts_in(ref.get("items")) if i.get("key") is not None]
            for key in items:
                yield str(ref["name"]), key, optional, how
            if items:
                continue
            # Without items the volume is every key; a subPath mount of it is one.
            mounts = [subpath_key(m) for _c, m in pod.mounts_of(vname)]
            for key in dict.fromkeys(k for k in mounts if k is not None):
                yield str(ref["name"]), key, optional, f"{how} subPath {key}"
            if not mounts or None in mounts:
                yield str(ref["name"]), None, optional, how


def _all_reads(
    objects: Sequence[K8sObject], pods: Sequence[PodView] | None = None
) -> Iterator[_Read]:
    for pod in iter_pods(list(objects)) if pods is None else pods:
        for name, key, optional, how in _reads(pod):
            if name not in ALWAYS_THERE:
                yield _Read(pod.owner, name, key, optional, how)


def _rendered(objects: Sequence[K8sObject]) -> dict[tuple[str, str], _Made]:
    """The ConfigMaps the release renders, and those its ExternalSecrets make ESO write."""
    made = {}
    for o in objects:
        if o.kind == "ConfigMap" and o.api_version == "v1":
            made[(o.namespace or "", o.name)] = _Made(o, keys_of(o.body))
        elif o.kind == "ExternalSecret" and o.api_group == "external-secrets.io":
            target = external_secret_target(o.body)
            if target.makes("ConfigMap"):
                made[(o.namespace or "", target.name)] = _Made(o, target.keys)
    return made


def config_map_needs(objects: Sequence[K8sObject]) -> list[ConfigMapNeed]:
    """Every ConfigMap the pods of ``objects`` read that ``objects`` do not create."""
    rendered = _rendered(objects)
    needs: dict[tuple[str, str], ConfigMapNeed] = {}
    listed: set[tuple[tuple[str, str], str]] = set()  # a list lookup was quadratic
    for read in _all_reads(objects):
        where = (read.owner.namespace or "", read.name)
        if where in rendered:
            continue
        need = needs.setdefault(where, ConfigMapNeed(*where))
        if (where, read.reader) not in listed:
            listed.add((where, read.reader))
            need.readers.append(read.reader)
        need.whole = need.whole or read.key is None
        if read.key is not None:
            (need.optional_keys if read.optional else need.keys).add(read.key)
        if not read.optional:
            need.optional = False
    return sorted(needs.values(), key=lambda n: (n.namespace, n.name))


class ReleaseConfigMapGap(NamedTuple):
    """A ConfigMap of the release a pod cannot read as it needs (see the module's doc)."""

    namespace: str
    name: str
    source: str  # the template that renders it
    missing_keys: tuple[str, ...]  # keys pods name that it lacks
    readers: tuple[str, ...]
    late: str = ""  # the pod that reads it when it is not there (see _hook_timing), in words
    late_fix: str = ""  # what to change in the chart for that


def release_config_map_gaps(
    objects: Sequence[K8sObject],
    *,
    upgrade: bool = False,
    pods: Sequence[PodView] | None = None,
) -> list[ReleaseConfigMapGap]:
    """The ConfigMaps the release renders that a pod cannot read as it needs; ``upgrade``:
    in an upgrade of the installed release (each hook by its upgrade events). ``pods``: the
    pod templates of ``objects`` (``iter_pods``), when the caller has them walked already."""
    rendered = _rendered(objects)
    reads: dict[tuple[str, str], list[_Read]] = {}
    for read in _all_reads(objects, pods):
        where = (read.owner.namespace or "", read.name)
        if where in rendered and not read.optional:
            reads.setdefault(where, []).append(read)
    gaps = []
    for (namespace, name), required in sorted(reads.items()):
        made = rendered[(namespace, name)]
        wanted = {r.key for r in required if r.key is not None}
        missing = tuple(sorted(wanted - made.keys)) if made.keys is not None else ()
        late = next(
            (
                (r, gap)
                for r in required
                if (gap := absence([made.by], r.owner, upgrade_only=upgrade))
            ),
            None,
        )
        if not missing and late is None:
            continue
        readers = tuple(dict.fromkeys(r.reader for r in required))
        words = fix = ""
        if late is not None:
            reader, gap = late
            who = gap.reader_words(f"{reader.owner.kind}/{reader.owner.name}")
            words, fix = f"{who} reads it, and {gap.words()}", gap.fix()
        gaps.append(ReleaseConfigMapGap(namespace, name, made.source, missing, readers, words,
                                        fix))  # fmt: skip
    return gaps


def left_for_upgrade(objects: Sequence[K8sObject]) -> list[tuple[str, str, str, Absence]]:
    """(namespace, name, reader in words, the absence) for each ConfigMap of the release that
    a pre-upgrade hook reads before the upgrade makes it (``_hook_timing.left_for``): the
    hook finds it only if the deployed release left it."""
    rendered = _rendered(objects)
    found: dict[tuple[str, str], tuple[str, Absence]] = {}
    for read in _all_reads(objects):
        made = rendered.get((read.owner.namespace or "", read.name))
        gap = left_for([made.by], read.owner) if made is not None and not read.optional else None
        if gap is not None:
            who = gap.reader_words(f"{read.owner.kind}/{read.owner.name}")
            where = (read.owner.namespace_or_release, read.name)
            found.setdefault(where, (who, gap))
    return [(namespace, name, *left) for (namespace, name), left in sorted(found.items())]


def keys_of(body: Mapping[str, Any]) -> frozenset[str]:
    """The keys a ConfigMap object holds (``data`` and ``binaryData``)."""
    data, binary = dict_at(body.get("data")), dict_at(body.get("binaryData"))
    return frozenset(str(k) for k in (*data, *binary))
