"""The contract's data model: which Secrets a release reads, which keys, who reads them.

Plain dataclasses with an ``as_dict`` for ``-o json``. Nothing here holds a
secret value: a contract is names, keys, readers and formats only, so it can be
printed, stored and diffed freely.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from .._config_maps import ConfigMapNeed
from .._objects import HookInfo

__all__ = [
    "Contract",
    "ContractFinding",
    "Creator",
    "KeySource",
    "Reader",
    "SecretKey",
    "SecretRef",
]

#: Where a Secret's key list came from, when readers alone do not show it. ``file-paths``:
#: mounted whole, and the pod names the files it reads under the mount (env, command, args).
KeySource = Literal["readers", "created", "other-render", "declaration", "file-paths", "unknown"]

#: The format of a key whose format nothing tells: never guessed.
UNKNOWN_FORMAT = "unknown"


def _hook_dict(hook: HookInfo | None) -> dict[str, Any] | None:
    return hook.as_dict() if hook else None


@dataclass(frozen=True)
class Reader:
    """One place in the release that reads a Secret (or one key of it).

    ``via`` says how: ``env`` (secretKeyRef), ``envFrom``, ``volume``,
    ``projected``, ``imagePullSecrets``, ``ingress-tls``, ``serviceaccount``,
    or the field path inside a custom resource (``spec.endpoints[].basicAuth``).
    """

    kind: str
    name: str
    via: str
    container: str | None = None
    env: str | None = None  # env var name; for envFrom, the prefix
    mount_path: str | None = None
    hook: HookInfo | None = None
    optional: bool = False
    source: str = ""  # the template that rendered the reader
    whole: bool = False  # reads every key (envFrom, a volume without items)
    sub_path: str | None = None  # the mount shows only this path of the volume
    group: str = ""  # the reader's API group: a Knative Service is no core Service
    #: the host names it serves the Secret for (TLS of an Ingress, a Gateway listener, a
    #: Traefik route): what a certificate made for it must name (see ``_tls_hosts``)
    hosts: tuple[str, ...] = ()

    @property
    def mounted_at(self) -> str | None:
        """``/etc/tls/tls.crt (subPath tls.crt)``: the mount path, and the subPath if any."""
        if self.mount_path and self.sub_path:
            return f"{self.mount_path} (subPath {self.sub_path})"
        return self.mount_path

    @property
    def workload(self) -> str:
        return f"{self.kind}/{self.name}"

    @property
    def runs_before_resources(self) -> bool:
        return self.hook is not None and self.hook.runs_before_resources

    @property
    def only_tests(self) -> bool:
        """A ``helm test`` hook and nothing else: Helm's install and upgrade never run it,
        so the release installs and starts without what it reads (``chartsafe test`` needs
        it)."""
        hook = self.hook
        return hook is not None and all(e in ("test", "test-success") for e in hook.events)

    @property
    def tolerates_absence(self) -> bool:
        """The install goes on without what it reads: ``optional``, or a test hook."""
        return self.optional or self.only_tests

    @property
    def reads_once(self) -> bool:
        """Takes the value when the container starts and never again: env vars, and a
        ``subPath`` mount (the kubelet refreshes other mounted Secrets, not those)."""
        if self.via in ("env", "envFrom"):
            return True
        return self.via in ("volume", "projected") and self.sub_path is not None

    def describe(self) -> str:
        """``Deployment/api [api] env DB_PASSWORD``, for tables and messages."""
        parts = [self.workload]
        if self.container:
            parts.append(f"[{self.container}]")
        parts.append(self.via)
        if self.env:
            parts.append(self.env)
        if self.mounted_at:
            parts.append(self.mounted_at)
        if self.hook:
            parts.append(f"({','.join(self.hook.events)} hook, weight {self.hook.weight})")
        if self.optional:
            parts.append("optional")
        return " ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "apiGroup": self.group,
            "workload": self.name,
            "container": self.container,
            "via": self.via,
            "env": self.env,
            "mountPath": self.mount_path,
            "subPath": self.sub_path,
            "hook": _hook_dict(self.hook),
            "optional": self.optional,
            "source": self.source,
            "wholeSecret": self.whole,
            "hosts": list(self.hosts),
        }


@dataclass(frozen=True)
class Creator:
    """The rendered object through which the release creates a Secret."""

    kind: str  # Secret, ExternalSecret, SealedSecret, Certificate, Ingress (cert-manager)
    name: str
    hook: HookInfo | None = None
    source: str = ""
    keys: frozenset[str] | None = None  # None: the creator's keys cannot be known offline
    through_api: bool = False  # a pod of the release writes it (a Job, Deployment...)

    @property
    def ref(self) -> str:
        return f"{self.kind}/{self.name}"

    @property
    def is_operator(self) -> bool:
        """Created after apply by something nothing waits for (ESO, sealed-secrets,
        cert-manager, a long-running pod), not by Helm or a hook Job/Pod Helm waits for."""
        waited = self.through_api and self.hook is not None and self.kind in ("Job", "Pod")
        return self.kind != "Secret" and not waited

    def as_dict(self) -> dict[str, Any]:
        # No "keys" field here: the key list belongs to the Secret entry.
        return {
            "kind": self.kind,
            "object": self.name,
            "hook": _hook_dict(self.hook),
            "source": self.source,
            "createsKeys": sorted(self.keys) if self.keys is not None else None,
            "throughApi": self.through_api,
        }


@dataclass
class SecretKey:
    """One key of a Secret: its readers and the format its value must have."""

    name: str
    readers: list[Reader] = field(default_factory=list)
    format: str = UNKNOWN_FORMAT
    format_source: str | None = None  # declaration, secret-type, reader, key-name, env-name
    description: str = ""
    declared_optional: bool = False

    @property
    def optional(self) -> bool:
        """True when every reader tolerates its absence (or the chart declares it optional):
        each says ``optional``, or is a test hook (``Reader.tolerates_absence``)."""
        if self.declared_optional:
            return True
        return bool(self.readers) and all(r.tolerates_absence for r in self.readers)

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "formatSource": self.format_source,
            "description": self.description,
            "optional": self.optional,
            "readers": [r.as_dict() for r in self.readers],
        }


@dataclass
class SecretRef:
    """A Secret the release reads: where it comes from, its keys, who reads it."""

    name: str
    namespace: str
    keys: dict[str, SecretKey] = field(default_factory=dict)
    creators: list[Creator] = field(default_factory=list)
    whole_readers: list[Reader] = field(default_factory=list)  # envFrom, whole volumes
    values_paths: list[str] = field(default_factory=list)
    key_source: KeySource = "readers"
    type: str | None = None
    description: str = ""

    @property
    def created_by(self) -> Creator | None:
        """The first creator, or None when the Secret must exist before install."""
        return self.creators[0] if self.creators else None

    @property
    def required(self) -> bool:
        """The release does not create it: it must exist beforehand."""
        return not self.creators

    @property
    def keys_known(self) -> bool:
        return self.key_source != "unknown"

    @property
    def readers(self) -> list[Reader]:
        seen: dict[Reader, None] = dict.fromkeys(self.whole_readers)
        for key in self.keys.values():
            seen.update(dict.fromkeys(key.readers))
        return list(seen)

    @property
    def hosts(self) -> tuple[str, ...]:
        """The host names its readers serve it for (an Ingress's TLS hosts, a Gateway
        listener's hostname, a Traefik route's hosts), in order: what a certificate made for
        it must name."""
        return tuple(dict.fromkeys(host for r in self.readers for host in r.hosts))

    @property
    def optional(self) -> bool:
        """True when every reader tolerates the Secret's absence: it says ``optional``, or it
        is a ``helm test`` hook, which no install or upgrade runs. Such a Secret is filled,
        delivered and checked as optional ones are: made when a generator can, never a stop.
        """
        readers = self.readers
        return bool(readers) and all(r.tolerates_absence for r in readers)

    @property
    def test_only(self) -> bool:
        """Read by ``helm test`` hooks only: ``chartsafe test`` needs it, install does not."""
        readers = self.readers
        return bool(readers) and all(r.only_tests for r in readers)

    def key_optional(self, name: str) -> bool:
        """True when the release starts without key ``name``: each reader of the key
        tolerates its absence (or the chart declares it optional), or every reader of the
        Secret tolerates the Secret's absence (an ``optional`` envFrom reads no key it lacks).
        """
        known = self.keys.get(name)
        return (known is not None and known.optional) or self.optional

    def key(self, name: str) -> SecretKey:
        if name not in self.keys:
            self.keys[name] = SecretKey(name=name)
        return self.keys[name]

    def as_dict(self) -> dict[str, Any]:
        creator = self.created_by
        return {
            "name": self.name,
            "namespace": self.namespace,
            "type": self.type,
            "required": self.required,
            "optional": self.optional,
            "testOnly": self.test_only,
            "createdBy": creator.as_dict() if creator else None,
            "createdByHook": bool(creator and creator.hook),
            "createdByOperator": bool(creator and creator.is_operator),
            "creators": [c.as_dict() for c in self.creators],
            "valuesPaths": list(self.values_paths),
            "keysKnown": self.keys_known,
            "keySource": self.key_source,
            "description": self.description,
            "keys": {name: key.as_dict() for name, key in sorted(self.keys.items())},
            "wholeSecretReaders": [r.as_dict() for r in self.whole_readers],
        }


@dataclass(frozen=True)
class ContractFinding:
    """A hazard in the contract: it will fail at install time or at runtime."""

    rule: Literal[
        "hook-order", "missing-key", "similar-names", "reference-grant", "unnamed-reference"
    ]
    message: str
    secret: str
    namespace: str
    key: str | None = None
    reader: str | None = None  # Kind/name of the object whose read it is about, when one

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "message": self.message,
            "secret": self.secret,
            "namespace": self.namespace,
            "key": self.key,
            "reader": self.reader,
        }


@dataclass
class Contract:
    """Every Secret a rendered release reads, and the hazards found on the way; and the
    ConfigMaps it reads and does not create (they must exist before install too)."""

    release: str
    namespace: str
    chart: str
    secrets: list[SecretRef] = field(default_factory=list)
    findings: list[ContractFinding] = field(default_factory=list)
    config_maps: list[ConfigMapNeed] = field(default_factory=list)
    #: Derived from a render for an upgrade: its hooks are judged by their upgrade events.
    upgrade: bool = False
    #: How many Secrets it reads that ``only_required`` left out (the release creates them).
    left_out: int = 0

    @property
    def required(self) -> list[SecretRef]:
        """The Secrets that must exist before install (the release does not create them)."""
        return [s for s in self.secrets if s.required]

    def only_required(self) -> None:
        """Keep only the Secrets that must exist before install (``contract --required``),
        counting the others in ``left_out`` so that the listing can say they are read."""
        required = self.required
        self.left_out += len(self.secrets) - len(required)
        self.secrets = required

    def none_listed(self) -> str:
        """Why no Secret is listed, to follow "Release X ": it reads none, or (``--required``)
        none of those it reads must exist before install."""
        if not self.left_out:
            return "reads no Secrets"
        plural = "s" if self.left_out > 1 else ""
        return f"reads {self.left_out} Secret{plural}; none must exist before install"

    def get(self, name: str, namespace: str | None = None) -> SecretRef | None:
        ns = namespace or self.namespace
        return next((s for s in self.secrets if s.name == name and s.namespace == ns), None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "release": self.release,
            "namespace": self.namespace,
            "chart": self.chart,
            "secrets": [s.as_dict() for s in self.secrets],
            "findings": [f.as_dict() for f in self.findings],
            "configMaps": [c.as_dict() for c in self.config_maps],
        }
