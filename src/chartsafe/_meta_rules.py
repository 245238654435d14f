"""What the API server refuses in an object's metadata that no OpenAPI schema says.

The schemas type ``metadata.name`` as a string and labels and annotations as maps of
strings; the API server's object-meta validation (the same for every kind, custom resources
included) checks much more, and a chart that gets it wrong passes ``helm template`` and
fails at install with ``metadata.labels: Invalid value``:

- label and annotation keys are qualified names: an optional DNS-subdomain prefix and
  ``/``, then 1 to 63 letters, digits, ``-``, ``_`` or ``.``, alphanumeric at both ends;
- label values are at most 63 such characters (or empty): a ``helm.sh/chart`` label
  built from a long chart name and version is the classic case;
- annotations together hold at most 256 KiB;
- a name is required (Helm needs one to track the object), and for the built-in kinds
  below it must be a DNS subdomain, a DNS label (Namespace), an RFC 1035 label (Service),
  a path segment (RBAC kinds); a CronJob's at most 52 characters (its Jobs add 11);
- a namespace, when set, is a DNS label.

And one object per identity: two regular documents of one kind, namespace and name (two
subcharts whose full names collide, a template included twice) are one object in the
cluster. Helm's install then fails on "already exists" (client-side apply) or keeps the
later one (server-side apply, Helm 4's default); either way one document is lost. Differing
documents are a problem; identical ones a warning, since only client-side apply fails on them.

Pod templates of the built-in workloads are validated the same way (labels, annotations).
Names are checked only for the kinds listed, whose rules are the API server's; a custom
resource's name is its controller's business. Messages name the field and the key, and
give a value's length, never the value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ._objects import K8sObject
from ._podspec import WORKLOAD_KINDS, dict_at
from ._schema import ObjectProblem

__all__ = ["duplicates", "meta_problems"]

_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?\Z")
_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\Z")
_RFC1035 = re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?\Z")
_QUALIFIED = re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\Z")
_ANNOTATIONS_MAX = 256 * 1024

_SUBDOMAIN_KINDS = frozenset(
    {"ConfigMap", "Secret", "ServiceAccount", "Pod", "Deployment", "StatefulSet", "DaemonSet",
     "ReplicaSet", "ReplicationController", "Job", "CronJob", "Ingress", "IngressClass",
     "NetworkPolicy", "PersistentVolumeClaim", "PodDisruptionBudget",
     "HorizontalPodAutoscaler", "LimitRange", "ResourceQuota", "StorageClass",
     "PriorityClass"}
)  # fmt: skip
_RBAC_KINDS = frozenset({"Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"})
_MUST = "must consist of lower case alphanumeric characters or '-'"


def _qualified_key(key: str) -> str | None:
    """Why ``key`` is not a valid label or annotation key, or None."""
    prefix, slash, name = key.rpartition("/")
    if slash and (not prefix or len(prefix) > 253 or not _SUBDOMAIN.match(prefix)):
        return "its prefix before '/' must be a lowercase DNS subdomain of at most 253 characters"
    if not name or len(name) > 63 or not _QUALIFIED.match(name):
        return (
            "its name must be 1 to 63 letters, digits, '-', '_' or '.', "
            "starting and ending with a letter or digit"
        )
    return None


def _label_value(value: str) -> str | None:
    if value and (len(value) > 63 or not _QUALIFIED.match(value)):
        return (
            f"its value ({len(value)} characters) must be at most 63 letters, digits, '-', "
            "'_' or '.', starting and ending with a letter or digit"
        )
    return None


def _maps(metadata: dict[str, Any], at: str) -> Iterator[tuple[str, str]]:
    """(path, message) for the labels and annotations of one ``metadata``."""
    labels, annotations = dict_at(metadata.get("labels")), dict_at(metadata.get("annotations"))
    for key, value in labels.items():
        why = _qualified_key(str(key)) or _label_value("" if value is None else str(value))
        if why:
            yield f"{at}labels.{key}", f"not a valid label: {why}"
    for key in annotations:
        why = _qualified_key(str(key))
        if why:
            yield f"{at}annotations.{key}", f"not a valid annotation key: {why}"
    size = sum(len(str(k)) + len(str(v)) for k, v in annotations.items())
    if size > _ANNOTATIONS_MAX:
        yield f"{at}annotations", f"annotations hold {size} bytes; at most 256 KiB are allowed"


def _name(obj: K8sObject, name: str) -> str | None:
    kind = obj.kind
    if not name:
        return None if obj.metadata.get("generateName") else "required"
    if kind == "Service" and (len(name) > 63 or not _RFC1035.match(name)):
        return (
            f"a Service name is an RFC 1035 label: at most 63 characters, {_MUST}, a letter first"
        )
    if kind == "Namespace" and (len(name) > 63 or not _LABEL.match(name)):
        return f"a Namespace name is a DNS label: at most 63 characters, {_MUST}"
    if kind in _RBAC_KINDS and (name in (".", "..") or "/" in name or "%" in name):
        return "may not be '.' or '..' nor contain '/' or '%'"
    if kind in _SUBDOMAIN_KINDS and (len(name) > 253 or not _SUBDOMAIN.match(name)):
        return f"a {kind} name is a DNS subdomain: at most 253 characters, {_MUST} or '.'"
    if kind == "CronJob" and len(name) > 52:
        return f"a CronJob name has at most 52 characters ({len(name)}): its Jobs add 11"
    return None


def _templates(obj: K8sObject) -> Iterator[tuple[dict[str, Any], str]]:
    """The metadata of each template (a CronJob's job template, the pod template) on the way
    to a built-in workload's pod spec (``WORKLOAD_KINDS``), with its path."""
    node: Any = obj.body
    steps = WORKLOAD_KINDS.get(obj.kind, ())[:-1]  # the pod spec's own metadata is its owner's
    for depth, step in enumerate(steps):
        node = dict_at(node).get(step)
        if step in ("template", "jobTemplate"):
            yield (
                dict_at(dict_at(node).get("metadata")),
                ".".join(steps[: depth + 1]) + ".metadata.",
            )


def meta_problems(obj: K8sObject) -> list[ObjectProblem]:
    """What the API server would refuse in ``obj``'s metadata (see the module's doc)."""
    found: list[tuple[str, str]] = []
    metadata = obj.metadata
    why = _name(obj, str(metadata.get("name") or ""))
    if why:
        found.append(("metadata.name", why))
    namespace = metadata.get("namespace")
    if namespace and (len(str(namespace)) > 63 or not _LABEL.match(str(namespace))):
        found.append(
            ("metadata.namespace", f"a namespace is a DNS label: at most 63 characters, {_MUST}")
        )
    found += _maps(metadata, "metadata.")
    for template, at in _templates(obj):
        found += _maps(template, at)
    ref = f"{obj.kind}/{obj.name}"
    return [ObjectProblem(ref, obj.source, path, message) for path, message in found]


def duplicates(objects: list[K8sObject]) -> tuple[list[ObjectProblem], list[str]]:
    """Regular objects rendered more than once (see the module's doc): a problem for each
    that differs from the first, a warning for each identical one. Hooks are left out:
    Helm creates them on their own, at their events."""
    first: dict[tuple[str, str, str | None, str], K8sObject] = {}
    problems: list[ObjectProblem] = []
    warnings: list[str] = []
    for obj in objects:
        if obj.hook is not None or obj.crd or not obj.name:
            continue
        identity = (obj.api_group, obj.kind, obj.namespace, obj.name)
        earlier = first.setdefault(identity, obj)
        if earlier is obj:
            continue
        ref = f"{obj.kind}/{obj.name}"
        where = f"{earlier.source} renders it too"
        if obj.body == earlier.body:
            warnings.append(
                f"{obj.source}: {ref} is rendered twice, the same ({where}): client-side "
                "apply fails on 'already exists'"
            )
        else:
            problems.append(ObjectProblem(ref, obj.source, "", (
                f"rendered twice, differently ({where}): the cluster keeps one object, so "
                "one of the two is lost (or the install fails on 'already exists')"
            )))  # fmt: skip
    return problems, warnings
