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
``jobTemplate`` pod template the next run uses), Argo Rollouts, OpenKruise CloneSets and
Knative Services and Configurations (a new template is a new Revision), by API group and kind,
not hooks (they are re-created by Helm on every run and are not part of the release manifest)
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
from ._kind_path import KindPath, api_group

__all__ = [
    "DIGEST_ANNOTATION",
    "ROLLING_WORKLOADS",
    "RolloutChange",
    "WorkloadDigest",
    "annotate_bodies",
    "apply_rollout",
    "digest_key",
    "names_its_revision",
    "pod_template",
    "unpatched_notes",
    "workload_digests",
]

DIGEST_ANNOTATION: Final = "chartsafe.io/secret-digest"
_KNATIVE: Final = "/apis/serving.knative.dev/v1"
#: Workloads whose controller rolls the pods when the pod template changes, by API group and
#: kind (Knative's Service shares its kind with the core Service): where the rollout patches
#: them. Custom resources take a JSON merge patch, not a strategic one.
ROLLING_WORKLOADS: Final[dict[tuple[str, str], KindPath]] = {
    ("apps", "Deployment"): KindPath("/apis/apps/v1", "deployments"),
    ("apps", "StatefulSet"): KindPath("/apis/apps/v1", "statefulsets"),
    ("apps", "DaemonSet"): KindPath("/apis/apps/v1", "daemonsets"),
    ("batch", "CronJob"): KindPath("/apis/batch/v1", "cronjobs"),
    ("argoproj.io", "Rollout"): KindPath("/apis/argoproj.io/v1alpha1", "rollouts", custom=True),
    ("apps.kruise.io", "CloneSet"): KindPath(
        "/apis/apps.kruise.io/v1alpha1", "clonesets", custom=True
    ),
    ("serving.knative.dev", "Service"): KindPath(_KNATIVE, "services", custom=True),
    ("serving.knative.dev", "Configuration"): KindPath(_KNATIVE, "configurations", custom=True),
}
_KDF_LABEL: Final = b"chartsafe.io/secret-digest v1"


@dataclass(frozen=True)
class WorkloadDigest:
    """The digest one workload gets, and the names (never values) of the keys it covers."""

    namespace: str
    kind: str
    name: str
    digest: str
    reads: tuple[str, ...]  # "SECRET/KEY"
    group: str  # the API group: which Service (core or Knative's) it is

    @property
    def where(self) -> KindPath:
        return ROLLING_WORKLOADS[(self.group, self.kind)]

    @property
    def ref(self) -> str:
        return f"{self.kind}/{self.name}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "namespace": self.namespace,
            "apiGroup": self.group,
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


_Workload = tuple[str, str, str, str]  # namespace, API group, kind, name


def _rolls(reader: Any) -> bool:
    return (reader.group, reader.kind) in ROLLING_WORKLOADS and reader.hook is None


def _reads_by_workload(contract: Any, store: Any) -> dict[_Workload, set[tuple[str, str, str]]]:
    """Workload -> {(namespace, secret, key)} for the store-delivered Secrets."""
    reads: dict[_Workload, set[tuple[str, str, str]]] = {}
    for ref in contract.secrets:
        if not ref.required:
            continue  # the chart creates it: Helm's upgrade sees its changes
        stored = set(store.secret(ref.namespace, ref.name))
        for reader in filter(_rolls, ref.whole_readers):
            where = (ref.namespace, reader.group, reader.kind, reader.name)
            wanted = stored | set(ref.keys)
            reads.setdefault(where, set()).update((ref.namespace, ref.name, k) for k in wanted)
        for key_name, key in ref.keys.items():
            for reader in filter(_rolls, key.readers):
                where = (ref.namespace, reader.group, reader.kind, reader.name)
                reads.setdefault(where, set()).add((ref.namespace, ref.name, key_name))
    return reads


def workload_digests(contract: Any, store: Any) -> list[WorkloadDigest]:
    """Per reading workload, the HMAC of the stored values of the keys it reads.

    A key the store does not hold enters as absent, so filling it later changes the digest
    too. Sorted by namespace, API group, kind and name.
    """
    key = digest_key(store)
    found = []
    for (namespace, group, kind, name), reads in sorted(
        _reads_by_workload(contract, store).items()
    ):
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
                group=group,
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


def names_its_revision(body: dict[str, Any]) -> bool:
    """A Knative Service or Configuration that names its Revision (``spec.template.metadata.
    name``): Knative's webhook refuses a changed template under the same name, so a digest
    cannot roll it out; only a new revision name does, which is the chart's to give."""
    if api_group(str(body.get("apiVersion", ""))) != "serving.knative.dev":
        return False
    meta = (pod_template(body) or {}).get("metadata")
    return isinstance(meta, dict) and bool(meta.get("name"))


def _index(digests: Iterable[WorkloadDigest]) -> dict[_Workload, WorkloadDigest]:
    return {(d.namespace, d.group, d.kind, d.name): d for d in digests}


def annotate_bodies(
    bodies: Iterable[dict[str, Any]], digests: Iterable[WorkloadDigest], *, namespace: str
) -> list[str]:
    """Set the digest annotation on the pod template of every body that reads store keys.

    ``namespace`` is where bodies without ``metadata.namespace`` go. Returns the ``Kind/name``
    of every body annotated; the others are left exactly as they were, and so is a Knative
    workload that names its revision (see :func:`names_its_revision`).
    """
    wanted = _index(digests)
    done = []
    for body in bodies:
        raw = body.get("metadata")
        meta: dict[str, Any] = raw if isinstance(raw, dict) else {}
        where = (
            str(meta.get("namespace") or namespace),
            api_group(str(body.get("apiVersion", ""))),
            str(body.get("kind")),
            str(meta.get("name")),
        )
        found = wanted.get(where)
        template = pod_template(body) if found else None
        if found is None or template is None or names_its_revision(body):
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
    action: str  # "patched", "unchanged", "missing", "named-revision" (not patched)
    previous: str | None = field(default=None)

    def as_dict(self) -> dict[str, Any]:
        return {**self.workload.as_dict(), "action": self.action, "previous": self.previous}


def unpatched_notes(changes: Iterable[RolloutChange]) -> list[str]:
    """Why each workload that reads a changed key was not patched (a named Knative revision)."""
    return [
        f"not patched: {change.workload.ref} names its revision (spec.template.metadata.name), "
        "which Knative keeps for one template: a changed Secret value rolls out with the "
        "chart's next revision name"
        for change in changes
        if change.action == "named-revision"
    ]


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
    carrying the digest is not patched, so an ``up`` with nothing rotated restarts nothing;
    nor is a Knative workload that names its revision (``named-revision``): the webhook would
    refuse the patch.
    """
    from ._cluster_errors import ClusterNotFound
    from ._cluster_write import object_path, patch_object

    changes = []
    for item in digests:
        path = object_path(item.kind, item.name, item.namespace, item.where)
        try:
            live = cluster.get_json(path, resource=item.where.plural, namespace=item.namespace)
        except ClusterNotFound:
            changes.append(RolloutChange(item, "missing"))
            continue
        template = pod_template(live) or {}
        annotations = (template.get("metadata") or {}).get("annotations") or {}
        current = annotations.get(DIGEST_ANNOTATION)
        if current == item.digest:
            changes.append(RolloutChange(item, "unchanged", current))
            continue
        if names_its_revision(live):
            changes.append(RolloutChange(item, "named-revision", current))
            continue
        patch = _patch_for(item.kind, item.digest)
        patch_object(cluster, item.kind, item.name, item.namespace, patch, item.where)
        changes.append(RolloutChange(item, "patched", current))
    return changes
