"""What a check found: per required Secret and key, a status, a reason and the fix.

``FoundSecret`` is what a source (a cluster, a directory of manifests) says will exist. It is
the only object here that holds values, and it keeps them out of ``repr``; the report objects
hold names, statuses, reasons and commands only, so they can be printed and serialised freely.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from .._errors import CheckFailed

__all__ = [
    "CheckReport",
    "ConfigMapCheck",
    "ContractNotMet",
    "FoundSecret",
    "HazardCheck",
    "KeyCheck",
    "SecretCheck",
]

#: present: there, non-empty, plausible; unverified: will exist (SealedSecret, ExternalSecret,
#: SOPS-encrypted manifest) but its value cannot be read here.
KeyStatus = Literal["present", "missing", "empty", "implausible", "unverified"]
#: keys-unknown: the Secret will exist but which keys it holds is not known offline
#: (an ExternalSecret's dataFrom); empty: it exists with no key at all, where the release
#: reads it whole and no key list says what it should hold (envFrom of it sets nothing).
SecretStatus = Literal["found", "missing", "keys-unknown", "empty"]

_MET_KEY = ("present", "unverified")


@dataclass(frozen=True)
class FoundSecret:
    """A Secret a source says exists or will exist.

    ``values`` is None when the values cannot be read here (sealed, external, encrypted);
    ``keys`` is None when even the key names are unknown. ``bad_keys`` maps a key whose
    manifest entry is broken (``data`` that is not base64) to why.
    """

    name: str
    namespace: str
    kind: str  # Secret, SealedSecret, ExternalSecret, Secret (SOPS)
    origin: str  # "cluster" or the manifest file
    keys: frozenset[str] | None
    values: Mapping[str, bytes] | None = field(default=None, repr=False)
    type: str | None = None
    bad_keys: Mapping[str, str] = field(default_factory=dict)


@dataclass
class KeyCheck:
    """One required key of one Secret."""

    key: str
    status: KeyStatus
    format: str
    optional: bool = False
    reason: str = ""
    fix: str = ""

    @property
    def ok(self) -> bool:
        return self.optional or self.status in _MET_KEY

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "status": self.status,
            "format": self.format,
            "optional": self.optional,
            "ok": self.ok,
            "reason": self.reason,
            "fix": self.fix or None,
        }


@dataclass
class SecretCheck:
    """One Secret the release needs before install, and each of its keys."""

    name: str
    namespace: str
    status: SecretStatus
    optional: bool = False
    found_as: str | None = None  # kind of what provides it
    origin: str | None = None
    keys: list[KeyCheck] = field(default_factory=list)
    values_paths: list[str] = field(default_factory=list)
    note: str = ""
    fix: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        if self.optional:
            return True
        return self.status not in ("missing", "empty") and all(k.ok for k in self.keys)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "namespace": self.namespace,
            "status": self.status,
            "optional": self.optional,
            "ok": self.ok,
            "foundAs": self.found_as,
            "origin": self.origin,
            "valuesPaths": list(self.values_paths),
            "note": self.note or None,
            "fix": list(self.fix),
            "keys": [k.as_dict() for k in self.keys],
        }


#: unverified: the ConfigMaps of its namespace could not be listed (RBAC); late: the release
#: makes it, but not by the time a pod reading it runs (_hook_timing: a hook before it, a pod
#: before a post-install hook makes it, a reader after Helm deleted it).
ConfigMapStatus = Literal["found", "missing", "unverified", "late"]


@dataclass
class ConfigMapCheck:
    """A ConfigMap the release's pods read and the release does not create (``_config_maps``)."""

    name: str
    namespace: str
    status: ConfigMapStatus
    optional: bool = False
    origin: str | None = None
    missing_keys: list[str] = field(default_factory=list)
    readers: list[str] = field(default_factory=list)
    note: str = ""
    fix: str = ""

    @property
    def ok(self) -> bool:
        return self.optional or (self.status in ("found", "unverified") and not self.missing_keys)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "namespace": self.namespace,
            "status": self.status,
            "optional": self.optional,
            "ok": self.ok,
            "origin": self.origin,
            "missingKeys": list(self.missing_keys),
            "readers": list(self.readers),
            "note": self.note or None,
            "fix": self.fix or None,
        }


@dataclass(frozen=True)
class HazardCheck:
    """A contract hazard; ``error`` ones fail the check (the install would fail)."""

    rule: str
    message: str
    secret: str
    namespace: str
    key: str | None
    error: bool
    fix: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "message": self.message,
            "secret": self.secret,
            "namespace": self.namespace,
            "key": self.key,
            "error": self.error,
            "fix": self.fix or None,
        }


@dataclass
class CheckReport:
    """The contract of a release held against a source."""

    release: str
    namespace: str
    chart: str
    against: str  # "cluster (context here)" or the directory/file
    secrets: list[SecretCheck] = field(default_factory=list)
    hazards: list[HazardCheck] = field(default_factory=list)
    deliver: str = ""  # the command that brings fixed store values to the source
    warnings: list[str] = field(default_factory=list)
    config_maps: list[ConfigMapCheck] = field(default_factory=list)
    upgrade: bool = False  # checked for an upgrade of the deployed release, not an install

    @property
    def ok(self) -> bool:
        return (
            all(s.ok for s in self.secrets)
            and all(c.ok for c in self.config_maps)
            and not any(h.error for h in self.hazards)
        )

    @property
    def gap_count(self) -> int:
        count = sum(1 for h in self.hazards if h.error)
        for config_map in self.config_maps:
            if not config_map.ok:
                count += max(len(config_map.missing_keys), 1)
        for secret in self.secrets:
            if secret.ok:
                continue
            failing = sum(1 for k in secret.keys if not k.ok)
            count += max(failing, 1) if secret.status in ("missing", "empty") else failing
        return count

    def summary(self) -> str:
        if self.ok:
            maps = len(self.config_maps)
            also = f" and {maps} ConfigMap{'s' if maps != 1 else ''}" if maps else ""
            # an optional Secret is not required: counted apart (the release starts without it)
            optional = sum(1 for s in self.secrets if s.optional)
            required = len(self.secrets) - optional
            also += f" ({optional} optional Secret{'s' if optional != 1 else ''} too)" if optional \
                else ""  # fmt: skip
            return (
                f"contract met: {required} required Secret"
                f"{'s' if required != 1 else ''}{also} of release {self.release} "
                f"checked against {self.against}"
            )
        gaps = self.gap_count
        return (
            f"contract not met: {gaps} gap{'s' if gaps != 1 else ''} for release "
            f"{self.release} against {self.against}"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "release": self.release,
            "namespace": self.namespace,
            "chart": self.chart,
            "against": self.against,
            "upgrade": self.upgrade,
            "ok": self.ok,
            "gaps": self.gap_count,
            "secrets": [s.as_dict() for s in self.secrets],
            "hazards": [h.as_dict() for h in self.hazards],
            "configMaps": [c.as_dict() for c in self.config_maps],
            "deliver": self.deliver or None,
            "warnings": list(self.warnings),
        }


class ContractNotMet(CheckFailed):
    """The release's contract is not met by the source: exit 1; ``report`` holds every gap."""

    def __init__(self, report: CheckReport, *, hint: str | None = None) -> None:
        super().__init__(report.summary(), hint=hint)
        self.report = report
