"""Rule family 3: workload hardening (privileged, capabilities, seccomp, root, read-only
root filesystem, privilege escalation, host namespaces and paths, API tokens).

Some charts need an exception on purpose: Tracecat's executor runs nsjail,
which needs a privileged pod with SYS_ADMIN and no seccomp filter. Those
findings say so and name the values switch that turns the need off, so the
reader can choose between the sandbox and the hardening.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .._podspec import ContainerView, PodView, dict_at, dicts_in, strings_in
from ._inputs import AuditInput
from ._k8s import object_finding, pods
from ._model import Finding, Rule, Severity
from ._registry import rule


def _needed_by(container: ContainerView) -> str:
    """Why this container asks for extra privileges, when a known chart explains it."""
    # the last entry of a name wins, as in the kubelet
    switch: dict[str, Any] = next(
        (e for e in reversed(container.env) if str(e.get("name")) == "TRACECAT__DISABLE_NSJAIL"),
        {},
    )
    if str(switch.get("value", "")).lower() == "false":
        return (
            "; needed by Tracecat's nsjail sandbox: set tracecat.sandbox.disableNsjail=true "
            "to drop it (and the sandbox), or suppress with a reason"
        )
    return ""


def _effective(pod: PodView, container: ContainerView, field: str) -> Any:
    """A securityContext field: the container's, else the pod's."""
    if field in container.security_context:
        return container.security_context[field]
    return pod.security_context.get(field)


def _containers(ctx: AuditInput) -> Iterator[tuple[PodView, ContainerView]]:
    for pod in pods(ctx):
        for container in pod.containers:
            if container.role != "ephemeral":
                yield pod, container


@rule(
    "privileged",
    title="Privileged container",
    severity=Severity.high,
    why="A privileged container has every capability and the host's devices: escaping to the "
    "node is one step.",
    fix="Remove securityContext.privileged, or turn off the feature that needs it.",
)
def privileged(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    for pod, container in _containers(ctx):
        if container.security_context.get("privileged") is True:
            yield object_finding(
                rule, pod.owner, f"container {container.name} is privileged{_needed_by(container)}"
            )


@rule(
    "cap-sys-admin",
    title="Container adds SYS_ADMIN (or ALL)",
    severity=Severity.high,
    why="SYS_ADMIN is close to root on the node: mounts, namespaces, BPF.",
    fix="Drop the capability; add only the narrow ones the process needs.",
)
def cap_sys_admin(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    for pod, container in _containers(ctx):
        caps = dict_at(container.security_context.get("capabilities"))
        added = {c.upper().removeprefix("CAP_") for c in strings_in(caps.get("add"))}
        for cap in sorted(added & {"SYS_ADMIN", "ALL"}):
            yield object_finding(
                rule, pod.owner, f"container {container.name} adds {cap}{_needed_by(container)}"
            )


def _seccomp(holder: dict[str, Any]) -> str | None:
    profile = holder.get("seccompProfile")
    return str(profile.get("type")) if isinstance(profile, dict) else None


@rule(
    "seccomp-unconfined",
    title="Unconfined seccomp profile",
    severity=Severity.high,
    why="Without a seccomp filter every system call is open to the process, including the "
    "ones container escapes use.",
    fix="Use seccompProfile.type RuntimeDefault (pod level), or Localhost with a profile.",
)
def seccomp_unconfined(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    for pod, container in _containers(ctx):
        own = _seccomp(container.security_context)
        profile = own if own is not None else _seccomp(pod.security_context)
        if profile == "Unconfined":
            yield object_finding(
                rule,
                pod.owner,
                f"container {container.name} runs seccomp Unconfined{_needed_by(container)}",
            )


@rule(
    "run-as-root",
    title="Container may run as root",
    severity=Severity.medium,
    why="A process running as root in the container is root on the node after any escape, "
    "and can write everywhere in its filesystem.",
    fix="Set securityContext.runAsNonRoot=true and a non-zero runAsUser.",
)
def run_as_root(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    for pod, container in _containers(ctx):
        user = _effective(pod, container, "runAsUser")
        if user == 0:
            yield object_finding(rule, pod.owner, f"container {container.name} runs as user 0")
        elif _effective(pod, container, "runAsNonRoot") is not True and not (
            isinstance(user, int) and user > 0
        ):
            yield object_finding(
                rule, pod.owner, f"container {container.name} does not set runAsNonRoot"
            )


@rule(
    "writable-root-filesystem",
    title="Writable root filesystem",
    severity=Severity.low,
    why="A writable root filesystem lets an intruder drop tools and persist changes.",
    fix="Set securityContext.readOnlyRootFilesystem=true and mount emptyDir where the "
    "application writes.",
)
def writable_root_filesystem(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    for pod, container in _containers(ctx):
        if container.security_context.get("readOnlyRootFilesystem") is not True:
            yield object_finding(
                rule, pod.owner, f"container {container.name} has a writable root filesystem"
            )


@rule(
    "privilege-escalation",
    title="Privilege escalation allowed",
    severity=Severity.medium,
    why="Without allowPrivilegeEscalation=false, setuid binaries can raise a process's "
    "privileges inside the container.",
    fix="Set securityContext.allowPrivilegeEscalation=false.",
)
def privilege_escalation(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    for pod, container in _containers(ctx):
        if container.security_context.get("allowPrivilegeEscalation") is not False:
            yield object_finding(
                rule,
                pod.owner,
                f"container {container.name} does not set allowPrivilegeEscalation=false"
                + _needed_by(container),
            )


@rule(
    "host-namespaces",
    title="Pod shares the host's network, PID or IPC namespace",
    severity=Severity.high,
    why="hostNetwork sees every node interface and localhost service; hostPID and hostIPC "
    "see the node's processes and shared memory.",
    fix="Remove hostNetwork, hostPID and hostIPC from the pod spec.",
)
def host_namespaces(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    for pod in pods(ctx):
        for field in ("hostNetwork", "hostPID", "hostIPC"):
            if pod.spec.get(field) is True:
                yield object_finding(rule, pod.owner, f"pod sets {field}")


@rule(
    "host-path",
    title="hostPath volume",
    severity=Severity.high,
    why="A hostPath volume gives the pod the node's files; a writable one is a way out.",
    fix="Use a PersistentVolumeClaim, emptyDir or a CSI volume instead.",
)
def host_path(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    for pod in pods(ctx):
        hosts = [(v, v["hostPath"]) for v in pod.volumes if isinstance(v.get("hostPath"), dict)]
        if not hosts:
            continue  # most pods: no need to ask the containers why
        needs = next((_needed_by(c) for c in pod.containers if _needed_by(c)), "")
        for volume, host in hosts:
            yield object_finding(
                rule,
                pod.owner,
                f"volume {volume.get('name')} mounts the node's {host.get('path')}{needs}",
            )


def _bound_accounts(ctx: AuditInput) -> set[tuple[str | None, str]]:
    bound: set[tuple[str | None, str]] = set()
    for obj in ctx.objects:
        if obj.kind in ("RoleBinding", "ClusterRoleBinding"):
            for subject in dicts_in(obj.body.get("subjects")):
                if subject.get("kind") == "ServiceAccount":
                    namespace = subject.get("namespace") or obj.namespace
                    bound.add((str(namespace) if namespace else None, str(subject.get("name"))))
    return bound


@rule(
    "service-account-token-unused",
    title="API token mounted into a pod that has no API permissions",
    severity=Severity.low,
    why="A mounted ServiceAccount token the application never uses is a credential for the "
    "Kubernetes API handed to anyone who gets a shell in the pod.",
    fix="Set automountServiceAccountToken: false on the pod (or its ServiceAccount).",
)
def service_account_token_unused(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    bound = _bound_accounts(ctx)
    accounts = {
        o.name: o.body.get("automountServiceAccountToken")
        for o in ctx.objects
        if o.kind == "ServiceAccount"
    }
    for pod in pods(ctx):
        name = pod.service_account_name or "default"
        mounted = pod.spec.get("automountServiceAccountToken")
        if mounted is None:
            mounted = accounts.get(name)
        if mounted is not False and (pod.owner.namespace, name) not in bound:
            yield object_finding(
                rule, pod.owner, f"ServiceAccount {name} token mounted but bound to no Role"
            )
