"""Rule family 2b: the seeds' checklist items about running in production (resources,
HPA, PDB, NetworkPolicy, TLS on every Ingress host, RBAC over Secrets, image tags)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .._objects import K8sObject
from .._podspec import dict_at, dicts_in, strings_in
from .._rbac import grants_on_secrets
from ._inputs import AuditInput
from ._k8s import LONG_RUNNING, object_finding, pod_labels, pods, selector_matches, workloads
from ._model import Finding, Rule, Severity
from ._registry import rule
from .checklist import _lb_tls


@rule(
    "resources-missing",
    title="Container without resource requests and limits",
    severity=Severity.medium,
    why="Without requests the scheduler packs pods blindly; without a memory limit one leak "
    "evicts its neighbours (Fractal LBA's checklist: set resource requests and limits).",
    fix="Set resources.requests (cpu, memory) and resources.limits.memory in the chart's values.",
)
def resources_missing(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    for pod in pods(ctx, hooks=False):
        for container in pod.containers:
            if container.role == "ephemeral":
                continue
            resources = dict_at(container.body.get("resources"))
            requests, limits = dict_at(resources.get("requests")), dict_at(resources.get("limits"))
            missing = [f"requests.{r}" for r in ("cpu", "memory") if r not in requests]
            missing += ["limits.memory"] if "memory" not in limits else []
            if missing:
                yield object_finding(
                    rule, pod.owner, f"container {container.name} has no {', '.join(missing)}"
                )


_SCALABLE = frozenset({"Deployment", "StatefulSet"})


@rule(
    "hpa-missing",
    title="Workload without a HorizontalPodAutoscaler",
    severity=Severity.medium,
    why="A fixed replica count either wastes nodes or falls over at peak "
    "(Fractal LBA's checklist: enable HPA).",
    fix="Enable the chart's autoscaling values (usually autoscaling.enabled=true).",
    production_only=True,
)
def hpa_missing(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    targets = set()
    for obj in ctx.objects:
        ref = obj.spec.get("scaleTargetRef")
        if obj.kind in ("HorizontalPodAutoscaler", "ScaledObject") and isinstance(ref, dict):
            targets.add((str(ref.get("kind", "Deployment")), str(ref.get("name", ""))))
    for obj in workloads(ctx.objects, _SCALABLE):
        if (obj.kind, obj.name) not in targets:
            yield object_finding(rule, obj, f"no HorizontalPodAutoscaler targets {obj.kind}")


def _selectors(objects: list[K8sObject], kind: str, field: str) -> list[tuple[str | None, Any]]:
    """(namespace, selector) of every ``kind`` object: gathered once, not per workload."""
    return [(o.namespace, o.spec.get(field)) for o in objects if o.kind == kind]


def _selected(selectors: list[tuple[str | None, Any]], obj: K8sObject) -> bool:
    labels = pod_labels(obj)
    return any(ns == obj.namespace and selector_matches(sel, labels) for ns, sel in selectors)


@rule(
    "pdb-missing",
    title="Workload without a PodDisruptionBudget",
    severity=Severity.medium,
    why="Without a PDB a node drain can evict every replica at once "
    "(Fractal LBA's checklist: configure PodDisruptionBudget).",
    fix="Enable the chart's podDisruptionBudget values with minAvailable or maxUnavailable.",
    production_only=True,
)
def pdb_missing(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    budgets = _selectors(ctx.objects, "PodDisruptionBudget", "selector")
    for obj in workloads(ctx.objects, _SCALABLE):
        if not _selected(budgets, obj):
            yield object_finding(rule, obj, "no PodDisruptionBudget selects its pods")


@rule(
    "networkpolicy-missing",
    title="Workload not selected by any NetworkPolicy",
    severity=Severity.medium,
    why="A pod no NetworkPolicy selects accepts traffic from every pod in the cluster "
    "(Fractal LBA's checklist: enable NetworkPolicies; AgentAPI's security considerations).",
    fix="Enable the chart's networkPolicy values so that every workload is selected.",
    production_only=True,
)
def networkpolicy_missing(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    policies = _selectors(ctx.objects, "NetworkPolicy", "podSelector")
    for obj in workloads(ctx.objects, LONG_RUNNING | {"CronJob"}):
        if not _selected(policies, obj):
            yield object_finding(rule, obj, "no NetworkPolicy selects its pods")


@rule(
    "ingress-without-tls",
    title="Ingress host served without TLS",
    severity=Severity.high,
    why="Credentials and session cookies cross the network in clear text "
    "(Fractal LBA's checklist: configure TLS at Ingress).",
    fix="Add the host to the Ingress spec.tls (the chart's ingress.tls values), or terminate "
    "TLS at the load balancer with its certificate annotation.",
    production_only=True,
)
def ingress_without_tls(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    for obj in ctx.objects:
        if obj.kind != "Ingress" or _lb_tls(obj.annotations):
            continue
        spec = obj.spec
        covered = {h for t in dicts_in(spec.get("tls")) for h in strings_in(t.get("hosts"))}
        wildcard = {h[2:] for h in covered if h.startswith("*.")}
        for item in dicts_in(spec.get("rules")):
            host = str(item.get("host") or "")
            if host in covered or host.split(".", 1)[-1] in wildcard:
                continue
            if host or not spec.get("tls"):
                yield object_finding(rule, obj, f"host {host or '(any)'} has no TLS")


_SECRET_VERBS = frozenset({"get", "list", "watch", "*"})
_BROAD_GROUPS = ("system:authenticated", "system:unauthenticated", "system:serviceaccounts")


def _broad(subject: dict[str, Any], cluster_wide: bool) -> str | None:
    kind, name = str(subject.get("kind", "")), str(subject.get("name", ""))
    if kind == "Group" and name.startswith(_BROAD_GROUPS):
        return f"group {name}"
    if kind == "ServiceAccount" and name == "default":
        return "the namespace's default ServiceAccount (every pod that names none)"
    if cluster_wide and kind in ("User", "Group", "ServiceAccount"):
        return f"{kind} {name} in every namespace"
    return None


@rule(
    "rbac-secrets-broad",
    title="RBAC lets broad subjects read Secrets",
    severity=Severity.high,
    why="get/list on Secrets for a broad group, the default ServiceAccount, or cluster-wide "
    "reads every credential, the Helm release records included (LLMTrace's checklist: RBAC "
    "limits who can kubectl get secret in the namespace).",
    fix="Grant Secret access with resourceNames, to one dedicated ServiceAccount, in one "
    "namespace (Role and RoleBinding, not ClusterRoleBinding).",
)
def rbac_secrets_broad(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    roles = {
        (o.kind, o.name): o
        for o in ctx.objects
        if o.kind in ("Role", "ClusterRole") and grants_on_secrets(o, _SECRET_VERBS)
    }
    for binding in ctx.objects:
        if binding.kind not in ("RoleBinding", "ClusterRoleBinding"):
            continue
        ref = dict_at(binding.body.get("roleRef"))
        if (str(ref.get("kind", "")), str(ref.get("name", ""))) not in roles:
            continue
        for subject in dicts_in(binding.body.get("subjects")):
            who = _broad(subject, binding.kind == "ClusterRoleBinding")
            if who:
                yield object_finding(
                    rule, binding, f"grants reading Secrets ({ref.get('name')}) to {who}"
                )


_MUTABLE_TAGS = frozenset(
    {"latest", "main", "master", "dev", "develop", "edge", "nightly", "stable", "head", "canary"}
)


def image_tag_problem(image: str) -> str | None:
    """Why ``image`` is not pinned, or None (a digest or a versioned tag)."""
    if not image or "@sha256:" in image:
        return None
    last = image.rsplit("/", 1)[-1]
    if ":" not in last:
        return "has no tag (means latest)"
    tag = last.rsplit(":", 1)[-1]
    if tag.lower() in _MUTABLE_TAGS:
        return f"uses the mutable tag {tag}"
    return None


@rule(
    "image-mutable-tag",
    title="Image with a mutable tag or latest",
    severity=Severity.medium,
    why="latest and branch tags change under a running release: two pods of one Deployment "
    "can run different code, and a rollback does not roll the image back "
    "(AgentAPI's security considerations: use specific image tags).",
    fix="Pin a version tag, or better a digest (image@sha256:...).",
)
def image_mutable_tag(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    for pod in pods(ctx):
        for container in pod.containers:
            problem = image_tag_problem(container.image)
            if problem:
                yield object_finding(
                    rule, pod.owner, f"container {container.name} image {container.image} {problem}"
                )
