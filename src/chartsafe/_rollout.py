"""Rotation rollout: restart exactly the workloads that read a changed Secret key.

Helm's idiom (``checksum/secret: {{ include "secret.yaml" . | sha256sum }}``) only sees
Secrets the chart renders. The Secrets chartsafe delivers are made outside the chart
(``existingSecret``, a SealedSecret, an ExternalSecret), so the chart cannot know when their
values change. The contract does know who reads what: for every workload it lists the
Secret keys it reads. chartsafe therefore computes, per workload, a digest of the values of
the keys it reads and sets it as the pod-template annotation ``chartsafe.io/secret-digest``.
A change of the pod template is what makes the controller roll the pods, so after
``chartsafe secrets rotate`` only the readers of the rotated key get a new digest and restart.

Why an HMAC and not a plain hash: the annotation is readable by anyone who may ``get`` a
Deployment, a far wider audience than who may read Secrets, and it lands in Helm's release
records and GitOps repositories. A SHA-256 of a low-entropy password (a user name, a password
a person typed) can be brute-forced back offline. The digest is
``HMAC-SHA256(K, values)`` with ``K = HMAC-SHA256(store data key, "chartsafe.io/secret-digest
v1")``: the data key is the random 256-bit key SOPS encrypts the store's values with, so
without access to the store (an age identity) the digest reveals nothing, and it is stable
across runs because the data key is (``rekey`` keeps it; only rotating the data key itself
changes every digest, which restarts every reader once). A hash of the stored ciphertext
would also be unguessable, but ``sops`` re-encrypts every value with a fresh IV on each edit,
which would restart every workload after any edit.

Which workloads: readers of kind Deployment, StatefulSet, DaemonSet and CronJob (whose
``jobTemplate`` pod template the next run uses), Argo Rollouts and OpenKruise CloneSets, not
hooks (they are re-created by Helm on every run and are not part of the release manifest)
and not Jobs or bare Pods (their pod template is immutable). Only keys delivered from the
store count; Secrets the chart creates itself change with the chart's values, which Helm's
own upgrade already rolls out.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Final

from ._errors import StoreError

__all__ = [
    "DIGEST_ANNOTATION",
    "ROLLING_KINDS",
    "RolloutChange",
    "WorkloadDigest",
    "annotate_bodies",
    "apply_rollout",
    "digest_key",
    "pod_template",
    "workload_digests",
]

DIGEST_ANNOTATION: Final = "chartsafe.io/secret-digest"
#: Kinds whose controller rolls the pods when the pod template changes.
#: An Argo Rollout and an OpenKruise CloneSet too (``_cluster_write`` knows their API paths).
#: Not Knative's Service: kinds are the key here, and the core kind has that name.
ROLLING_KINDS: Final = ("Deployment", "StatefulSet", "DaemonSet", "CronJob", "Rollout", "CloneSet")
_KDF_LABEL: Final = b"chartsafe.io/secret-digest v1"


@dataclass(frozen=True)
class WorkloadDigest:
    """The digest one workload gets, and the names (never values) of the keys it covers."""

    namespace: str
    kind: str
    name: str
    digest: str
    reads: tuple[str, ...]  # "SECRET/KEY"

    @property
    def ref(self) -> str:
        return f"{self.kind}/{self.name}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "namespace": self.namespace,
            "kind": self.kind,
            "name": self.name,
            "digest": self.digest,
            "reads": list(self.reads),
        }


def digest_key(store: Any) -> bytes:
    """The HMAC key for digests, derived from the store's SOPS data key (never written)."""
    derive = getattr(store, "derive_key", None)
    if derive is None:
        raise StoreError(
            f"{getattr(store, 'path', 'the store')}: no data key to derive rollout digests from",
            hint="open the store with its age identity",
        )
    key: bytes = derive(_KDF_LABEL)
    return key


def _reads_by_workload(
    contract: Any, store: Any
) -> dict[tuple[str, str, str], set[tuple[str, str, str]]]:
    """(namespace, kind, name) -> {(namespace, secret, key)} for the store-delivered Secrets."""
    reads: dict[tuple[str, str, str], set[tuple[str, str, str]]] = {}
    for ref in contract.secrets:
        if not ref.required:
            continue  # the chart creates it: Helm's upgrade sees its changes
        stored = set(store.secret(ref.namespace, ref.name))
        for reader in ref.whole_readers:
            if reader.kind in ROLLING_KINDS and reader.hook is None:
                wanted = stored | set(ref.keys)
                target = reads.setdefault((ref.namespace, reader.kind, reader.name), set())
                target.update((ref.namespace, ref.name, key) for key in wanted)
        for key_name, key in ref.keys.items():
            for reader in key.readers:
                if reader.kind in ROLLING_KINDS and reader.hook is None:
                    target = reads.setdefault((ref.namespace, reader.kind, reader.name), set())
                    target.add((ref.namespace, ref.name, key_name))
    return reads


def workload_digests(contract: Any, store: Any) -> list[WorkloadDigest]:
    """Per reading workload, the HMAC of the stored values of the keys it reads.

    A key the store does not hold enters as absent, so filling it later changes the digest
    too. Sorted by namespace, kind and name.
    """
    key = digest_key(store)
    found = []
    for (namespace, kind, name), reads in sorted(_reads_by_workload(contract, store).items()):
        mac = hmac.new(key, digestmod=hashlib.sha256)
        for ns, secret, item in sorted(reads):
            value = store.get(ns, secret, item)
            mac.update(json.dumps([ns, secret, item, value]).encode("utf-8") + b"\n")
        found.append(
            WorkloadDigest(
                namespace=namespace,
                kind=kind,
                name=name,
                digest=mac.hexdigest(),
                reads=tuple(sorted(f"{s}/{k}" for _, s, k in reads)),
            )
        )
    return found


def pod_template(body: dict[str, Any]) -> dict[str, Any] | None:
    """The pod template of a workload body (``jobTemplate``'s for a CronJob), or None."""
    spec = body.get("spec")
    if not isinstance(spec, dict):
        return None
    if body.get("kind") == "CronJob":
        job = spec.get("jobTemplate")
        spec = job.get("spec") if isinstance(job, dict) else None
        if not isinstance(spec, dict):
            return None
    template = spec.get("template")
    return template if isinstance(template, dict) else None


def _index(digests: Iterable[WorkloadDigest]) -> dict[tuple[str, str, str], WorkloadDigest]:
    return {(d.namespace, d.kind, d.name): d for d in digests}


def annotate_bodies(
    bodies: Iterable[dict[str, Any]], digests: Iterable[WorkloadDigest], *, namespace: str
) -> list[str]:
    """Set the digest annotation on the pod template of every body that reads store keys.

    ``namespace`` is where bodies without ``metadata.namespace`` go. Returns the ``Kind/name``
    of every body annotated; the others are left exactly as they were.
    """
    wanted = _index(digests)
    done = []
    for body in bodies:
        raw = body.get("metadata")
        meta: dict[str, Any] = raw if isinstance(raw, dict) else {}
        where = (
            str(meta.get("namespace") or namespace),
            str(body.get("kind")),
            str(meta.get("name")),
        )
        found = wanted.get(where)
        template = pod_template(body) if found else None
        if found is None or template is None:
            continue
        template_meta = template.setdefault("metadata", {})
        if not isinstance(template_meta.get("annotations"), dict):
            template_meta["annotations"] = {}
        template_meta["annotations"][DIGEST_ANNOTATION] = found.digest
        done.append(found.ref)
    return done


@dataclass
class RolloutChange:
    """What the live rollout did for one workload."""

    workload: WorkloadDigest
    action: str  # "patched", "unchanged", "missing"
    previous: str | None = field(default=None)

    def as_dict(self) -> dict[str, Any]:
        return {**self.workload.as_dict(), "action": self.action, "previous": self.previous}


def _patch_for(kind: str, digest: str) -> dict[str, Any]:
    template = {"metadata": {"annotations": {DIGEST_ANNOTATION: digest}}}
    if kind == "CronJob":
        return {"spec": {"jobTemplate": {"spec": {"template": template}}}}
    return {"spec": {"template": template}}


def apply_rollout(cluster: Any, digests: Iterable[WorkloadDigest]) -> list[RolloutChange]:
    """PATCH the annotation onto each live workload whose current digest differs.

    A strategic-merge patch of one annotation, made after Helm's install or upgrade: Helm's
    three-way merge never removes it (neither the old nor the new manifest mention it, and a
    field present only live is kept), and under server-side apply it is owned by the
    ``chartsafe`` field manager, which Helm's apply does not touch. A workload already
    carrying the digest is not patched, so an ``up`` with nothing rotated restarts nothing.
    """
    from ._cluster_errors import ClusterNotFound
    from ._cluster_write import object_path, patch_object

    changes = []
    for item in digests:
        path = object_path(item.kind, item.name, item.namespace)
        try:
            live = cluster.get_json(
                path, resource=item.kind.lower() + "s", namespace=item.namespace
            )
        except ClusterNotFound:
            changes.append(RolloutChange(item, "missing"))
            continue
        template = pod_template(live) or {}
        annotations = (template.get("metadata") or {}).get("annotations") or {}
        current = annotations.get(DIGEST_ANNOTATION)
        if current == item.digest:
            changes.append(RolloutChange(item, "unchanged", current))
            continue
        patch_object(
            cluster, item.kind, item.name, item.namespace, _patch_for(item.kind, item.digest)
        )
        changes.append(RolloutChange(item, "patched", current))
    return changes
