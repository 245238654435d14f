"""Walk the pod templates of workload objects: every container and what it reads.

The contract, audit and check all ask the same questions of a workload: which
containers does it run, what env and envFrom do they have, what do they mount,
which volumes, pull secrets and service account does the pod use. This module
answers them once for every kind that carries a pod template.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from typing import Any, Literal

from ._objects import K8sObject
from ._secret_types import config_key_problem

__all__ = [
    "CUSTOM_WORKLOADS",
    "MULTI_TEMPLATE_WORKLOADS",
    "WORKLOAD_KINDS",
    "ContainerView",
    "PodView",
    "dict_at",
    "dicts_in",
    "iter_pods",
    "pod_spec_of",
    "subpath_key",
    "values_at",
]

ContainerRole = Literal["init", "regular", "ephemeral"]

#: kind → path to the pod spec inside the object.
WORKLOAD_KINDS: dict[str, tuple[str, ...]] = {
    "Pod": ("spec",),
    "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "ReplicationController": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}

#: (API group, kind) → path to the pod spec, for workloads of common controllers that carry a
#: pod template of their own: Argo Rollouts, Knative Serving (its Service is no core
#: Service), KEDA's ScaledJob (a Job spec), OpenKruise's CloneSet. Their Secret reads are the
#: release's reads as much as a Deployment's.
CUSTOM_WORKLOADS: dict[tuple[str, str], tuple[str, ...]] = {
    ("argoproj.io", "Rollout"): ("spec", "template", "spec"),
    ("serving.knative.dev", "Service"): ("spec", "template", "spec"),
    ("serving.knative.dev", "Configuration"): ("spec", "template", "spec"),
    ("keda.sh", "ScaledJob"): ("spec", "jobTargetRef", "template", "spec"),
    ("apps.kruise.io", "CloneSet"): ("spec", "template", "spec"),
}

#: (API group, kind) → dotted paths to each pod spec, for controllers whose objects carry
#: several pod templates: KubeRay's head and worker groups (a RayJob's and a RayService's
#: cluster too, and a RayJob's submitter), Kubeflow's training jobs (one template per
#: replica type, keyed by it: ``*``), Volcano's tasks. ``[]`` walks a list's items.
MULTI_TEMPLATE_WORKLOADS: dict[tuple[str, str], tuple[str, ...]] = {
    ("ray.io", "RayCluster"): (
        "spec.headGroupSpec.template.spec",
        "spec.workerGroupSpecs[].template.spec",
    ),
    ("ray.io", "RayJob"): (
        "spec.rayClusterSpec.headGroupSpec.template.spec",
        "spec.rayClusterSpec.workerGroupSpecs[].template.spec",
        "spec.submitterPodTemplate.spec",
    ),
    ("ray.io", "RayService"): (
        "spec.rayClusterConfig.headGroupSpec.template.spec",
        "spec.rayClusterConfig.workerGroupSpecs[].template.spec",
    ),
    ("kubeflow.org", "PyTorchJob"): ("spec.pytorchReplicaSpecs.*.template.spec",),
    ("kubeflow.org", "TFJob"): ("spec.tfReplicaSpecs.*.template.spec",),
    ("kubeflow.org", "MPIJob"): ("spec.mpiReplicaSpecs.*.template.spec",),
    ("kubeflow.org", "XGBoostJob"): ("spec.xgbReplicaSpecs.*.template.spec",),
    ("batch.volcano.sh", "Job"): ("spec.tasks[].template.spec",),
}

_CONTAINER_FIELDS: tuple[tuple[str, ContainerRole], ...] = (
    ("initContainers", "init"),
    ("containers", "regular"),
    ("ephemeralContainers", "ephemeral"),
)


def dicts_in(value: Any) -> list[dict[str, Any]]:
    """The mappings of a list field (``env``, ``volumes``...); [] when it is not a list."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def strings_in(value: Any) -> list[str]:
    """The scalar items of a list field (``verbs``, ``hosts``...) as strings; [] when it is
    not a list. A string is not a list of its characters: ``"" in "secrets"`` is true."""
    if not isinstance(value, list):
        return []
    return [str(v) for v in value if isinstance(v, (str, int, float, bool))]


def dict_at(value: Any) -> dict[str, Any]:
    """A mapping field, or {} when it is missing or not a mapping."""
    return value if isinstance(value, dict) else {}


class ContainerView:
    """One container of a pod template, with the fields secrets flow through.

    A read-only view: its lists are computed once, since audit's rules each read
    them again for every container of a large release. A plain class, not a dataclass,
    as ``audit --files`` imports it (see ``audit._model``'s doc).
    """

    def __init__(self, name: str, role: ContainerRole, body: dict[str, Any]) -> None:
        self.name = name
        self.role = role
        self.body = body

    def __repr__(self) -> str:  # never the body: env literals may hold a password
        return f"<ContainerView {self.role} {self.name}>"

    @property
    def image(self) -> str:
        return str(self.body.get("image", ""))

    @property
    def command_words(self) -> list[str]:
        """``command`` then ``args``, each word as a string (a new list each time)."""
        words = (self.body.get(f) for f in ("command", "args"))
        return [str(w) for found in words if isinstance(found, list) for w in found]

    @cached_property
    def env(self) -> list[dict[str, Any]]:
        return dicts_in(self.body.get("env"))

    @cached_property
    def env_from(self) -> list[dict[str, Any]]:
        return dicts_in(self.body.get("envFrom"))

    @cached_property
    def volume_mounts(self) -> list[dict[str, Any]]:
        return dicts_in(self.body.get("volumeMounts"))

    @cached_property
    def security_context(self) -> dict[str, Any]:
        sc = self.body.get("securityContext")
        return sc if isinstance(sc, dict) else {}


class PodView:
    """The pod template of one workload object (read-only; lists computed once)."""

    def __init__(self, owner: K8sObject, spec: dict[str, Any]) -> None:
        self.owner = owner
        self.spec = spec

    def __repr__(self) -> str:  # never the spec: env literals may hold a password
        return f"<PodView of {self.owner.ref}>"

    @cached_property
    def containers(self) -> list[ContainerView]:
        """Init, regular and ephemeral containers, in that order."""
        found = []
        for field_name, role in _CONTAINER_FIELDS:
            for body in dicts_in(self.spec.get(field_name)):
                found.append(ContainerView(name=str(body.get("name", "")), role=role, body=body))
        return found

    @cached_property
    def volumes(self) -> list[dict[str, Any]]:
        return dicts_in(self.spec.get("volumes"))

    @property
    def image_pull_secrets(self) -> list[str]:
        """The pull Secrets named; an empty name (``- name: {{ .Values.pullSecret }}`` left
        unset) is none: the API server accepts it with a warning and the kubelet skips it."""
        return [
            str(ref["name"])
            for ref in dicts_in(self.spec.get("imagePullSecrets"))
            if str(ref.get("name") or "").strip()
        ]

    @property
    def service_account_name(self) -> str | None:
        name = self.spec.get("serviceAccountName") or self.spec.get("serviceAccount")
        return str(name) if name else None

    @cached_property
    def security_context(self) -> dict[str, Any]:
        sc = self.spec.get("securityContext")
        return sc if isinstance(sc, dict) else {}

    def volume(self, name: str) -> dict[str, Any] | None:
        return next((v for v in self.volumes if v.get("name") == name), None)

    def mounts_of(self, volume: str) -> list[tuple[ContainerView, dict[str, Any]]]:
        """(container, its volumeMount) for every mount of ``volume``."""
        return [
            (container, mount)
            for container in self.containers
            for mount in container.volume_mounts
            if mount.get("name") == volume
        ]


def subpath_key(mount: dict[str, Any]) -> str | None:
    """The key a ``subPath`` mount of a whole Secret or ConfigMap volume shows, or None.

    Such a volume holds one file per key at its top: ``subPath: nginx.conf`` mounts the
    file of key nginx.conf, and nothing else of the object (``..data`` and the like are
    the kubelet's own entries, a path with ``/`` is no key).
    """
    sub_path = mount.get("subPath")
    if not isinstance(sub_path, str) or config_key_problem(sub_path) is not None:
        return None
    return sub_path


def pod_spec_of(obj: K8sObject) -> dict[str, Any] | None:
    """The pod spec of a workload object, or None for other kinds or a missing template."""
    path = WORKLOAD_KINDS.get(obj.kind)
    if path is None:
        path = CUSTOM_WORKLOADS.get((obj.api_group, obj.kind))
    if path is None:
        return None
    node: Any = obj.body
    for step in path:
        node = node.get(step) if isinstance(node, dict) else None
        if node is None:
            return None
    return node if isinstance(node, dict) else None


def values_at(node: Any, path: str) -> Iterator[Any]:
    """Every value at a dotted ``path`` under ``node``: ``name[]`` walks a list's items, ``*``
    a mapping's values; a step that is missing (or null) gives nothing."""
    yield from _values_at(node, path.split("."))


def _values_at(node: Any, steps: list[str]) -> Iterator[Any]:
    if not steps:
        yield node
        return
    step, rest = steps[0], steps[1:]
    if step == "*":
        children = list(node.values()) if isinstance(node, dict) else []
    elif step.endswith("[]"):
        child = node.get(step[:-2]) if isinstance(node, dict) else None
        children = child if isinstance(child, list) else []
    else:
        children = [node.get(step)] if isinstance(node, dict) else []
    for child in children:
        if child is not None:
            yield from _values_at(child, rest)


def iter_pods(objects: list[K8sObject]) -> Iterator[PodView]:
    """Every pod template among ``objects``, hooks included; a controller's object with
    several (``MULTI_TEMPLATE_WORKLOADS``) gives one view per template."""
    for obj in objects:
        spec = pod_spec_of(obj)
        if spec is not None:
            yield PodView(owner=obj, spec=spec)
            continue
        for path in MULTI_TEMPLATE_WORKLOADS.get((obj.api_group, obj.kind), ()):
            for found in values_at(obj.body, path):
                if isinstance(found, dict):
                    yield PodView(owner=obj, spec=found)
