"""Rule family 4: secret delivery hygiene (External Secrets API versions, SealedSecret
templates, hook order, rollout on rotation, Secrets the chart regenerates on every render),
and the release's own ConfigMaps read too early or without a key a pod names.

Hook order and rollout read the contract (``chartsafe.contract``): which workloads read
which Secrets, through what, and who creates them when. The ConfigMap rules read the same
gaps ``chartsafe check`` reports (``chartsafe._config_maps``), which need no cluster.
``secret-regenerated`` reads what a second render changed (``chartsafe._regenerated``): the
engine renders it in chart mode only, so ``audit --files`` never reports it.
"""

from __future__ import annotations

from collections.abc import Iterator

from .._objects import K8sObject
from ._inputs import AuditInput
from ._k8s import LONG_RUNNING, object_finding, pod_annotations
from ._model import Finding, Rule, Severity
from ._registry import rule

_ESO_KINDS = frozenset(
    {"ExternalSecret", "SecretStore", "ClusterSecretStore", "ClusterExternalSecret"}
)


@rule(
    "eso-v1beta1",
    title="External Secrets resource on the unserved v1beta1 API",
    severity=Severity.high,
    why="External Secrets Operator v0.17.0 and later do not serve external-secrets.io/v1beta1: "
    "the install fails with 'no matches for kind' (or Argo CD cannot find the version).",
    fix="Use apiVersion external-secrets.io/v1; the fields are the same for these kinds.",
)
def eso_v1beta1(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    for obj in ctx.objects:
        if obj.kind in _ESO_KINDS and obj.api_version == "external-secrets.io/v1beta1":
            yield object_finding(rule, obj, f"{obj.kind} uses external-secrets.io/v1beta1")


def _template_identity(obj: K8sObject) -> tuple[str | None, str | None]:
    template = obj.spec.get("template") or {}
    meta = template.get("metadata") if isinstance(template, dict) else None
    if not isinstance(meta, dict):
        return None, None
    name, namespace = meta.get("name"), meta.get("namespace")
    return (str(name) if name else None), (str(namespace) if namespace else None)


@rule(
    "sealed-template-mismatch",
    title="SealedSecret template names another Secret than the SealedSecret",
    severity=Severity.high,
    why="The controller unseals with the SealedSecret's own name and namespace and forces them "
    "onto the Secret; a different template name/namespace means the values were sealed for "
    "another object (strict scope fails to decrypt) or the reader expects a Secret that will "
    "never exist.",
    fix="Reseal for the right name and namespace (kubeseal --name/--namespace, or chartsafe's "
    "sealed delivery) so metadata and spec.template.metadata agree.",
)
def sealed_template_mismatch(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    for obj in ctx.objects:
        if obj.kind != "SealedSecret":
            continue
        name, namespace = _template_identity(obj)
        if name and name != obj.name:
            yield object_finding(rule, obj, f"spec.template.metadata.name is {name}")
        if namespace and namespace != obj.namespace:
            yield object_finding(rule, obj, f"spec.template.metadata.namespace is {namespace}")


@rule(
    "hook-order",
    title="A pod of the release reads a Secret that is not there when it runs",
    severity=Severity.high,
    why="A pre-install/pre-upgrade hook that reads a Secret the release creates later (or an "
    "operator syncs without anyone waiting), a pod reading what only a post-install hook "
    "makes, or one reading a hook Secret Helm deleted when its hooks succeeded, waits in "
    "CreateContainerConfigError and the install times out.",
    fix="Create the Secret as a hook with a lower weight (Helm runs equal weights by name), "
    "keep hook Secrets that pods read (no hook-succeeded delete policy), or let it exist "
    "before install.",
)
def hook_order(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    yield from _contract_findings(ctx, rule, "hook-order")


def _contract_findings(ctx: AuditInput, rule: Rule, which: str) -> Iterator[Finding]:
    """The contract's own findings of rule ``which``, as this audit rule's, at the object
    whose read it is about, else at the Secret (named with its namespace when it is outside
    the release's)."""
    if ctx.contract is None:
        return
    for item in ctx.contract.findings:
        if item.rule == which:
            where = "" if item.namespace == ctx.namespace else f"{item.namespace}/"
            yield rule.finding(item.message, obj=item.reader or f"Secret/{where}{item.secret}")


@rule(
    "unnamed-reference",
    title="A pod reads a Secret or ConfigMap (or a key) whose name rendered empty",
    severity=Severity.high,
    why="A secretKeyRef, configMapKeyRef, envFrom source or volume whose name (or key) is a "
    'value left unset (existingSecret: "") names nothing the pod can get: it never starts, '
    "though helm template and lint pass.",
    fix="Set the value that names it (the finding lists the empty ones whose key speaks of "
    "a Secret, a ConfigMap or a key), or turn off the feature that reads it.",
)
def unnamed_reference(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    yield from _contract_findings(ctx, rule, "unnamed-reference")


@rule(
    "gateway-reference-grant",
    title="Gateway names a Secret in another namespace without a ReferenceGrant",
    severity=Severity.medium,
    why="Gateway API controllers follow a listener's certificateRef into another namespace "
    "only when a ReferenceGrant there allows it; otherwise the listener reports "
    "RefNotPermitted and serves no TLS, though every object is valid.",
    fix="Create a ReferenceGrant in the Secret's namespace (from: Gateway in the release's "
    "namespace, to: Secret), with the chart or by the platform team, or use a certificate "
    "Secret in the Gateway's namespace.",
)
def gateway_reference_grant(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    yield from _contract_findings(ctx, rule, "reference-grant")


@rule(
    "configmap-hook-order",
    title="A pod of the release reads its ConfigMap when it is not there",
    severity=Severity.high,
    why="Helm creates a chart's regular resources (and later hooks) only after a pre-install/"
    "pre-upgrade hook has run, post-install hooks after the pods, and deletes a hook with "
    "hook-succeeded once its hooks are done: a pod reading the ConfigMap then waits with "
    "CreateContainerConfigError until the install times out.",
    fix="Make the ConfigMap a hook of the reader's event with a lower weight (helm.sh/hook, "
    "helm.sh/hook-weight), a regular resource for the pods, and keep it (no hook-succeeded), "
    "or do not read it from the hook.",
)
def configmap_hook_order(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    for gap in ctx.config_map_gaps():
        if gap.late:
            yield rule.finding(f"ConfigMap {gap.name}: {gap.late}", obj=f"ConfigMap/{gap.name}")


@rule(
    "configmap-missing-key",
    title="Pod reads a key the release's ConfigMap does not have",
    severity=Severity.high,
    why="A configMapKeyRef or volume item naming a key the ConfigMap lacks keeps the pod from "
    "starting (couldn't find key).",
    fix="Add the key to the ConfigMap's template, or fix the key name the pod reads (or mark "
    "the reference optional).",
)
def configmap_missing_key(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    for gap in ctx.config_map_gaps():
        if gap.missing_keys:
            yield rule.finding(
                f"ConfigMap {gap.name} has no key {', '.join(gap.missing_keys)}; read by "
                f"{'; '.join(gap.readers)}",
                obj=f"ConfigMap/{gap.name}",
            )


_RELOADER_PREFIXES = ("reloader.stakater.com/", "secret.reloader.stakater.com/")


def _rolls_out(obj: K8sObject) -> bool:
    if any(k.startswith(_RELOADER_PREFIXES) for k in obj.annotations):
        return True
    return any("checksum" in k or "digest" in k for k in pod_annotations(obj))


@rule(
    "no-rollout-on-rotation",
    title="Secret read through env or a subPath mount with no rollout when it changes",
    severity=Severity.medium,
    why="Env values are read once, at container start, and the kubelet never refreshes a "
    "subPath mount: after a rotation the pods keep the old credential until something "
    "restarts them.",
    fix='Annotate the workload for Reloader (reloader.stakater.com/auto: "true") or add a '
    "checksum/<secret> annotation to the pod template.",
)
def no_rollout_on_rotation(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    if ctx.contract is None:
        return
    by_ref = {(o.kind, o.name): o for o in ctx.objects if o.kind in LONG_RUNNING}
    reported: set[tuple[str, str, str]] = set()
    for secret in ctx.contract.secrets:
        for reader in secret.readers:
            obj = by_ref.get((reader.kind, reader.name))
            if obj is None or not reader.reads_once or _rolls_out(obj):
                continue
            if (obj.kind, obj.name, secret.name) in reported:
                continue
            reported.add((obj.kind, obj.name, secret.name))
            through = reader.via if reader.via.startswith("env") else "a subPath mount"
            yield object_finding(
                rule, obj, f"reads Secret {secret.name} through {through}; nothing restarts it"
            )


@rule(
    "secret-regenerated",
    title="Secret the chart generates anew on every render",
    severity=Severity.high,
    why="The chart makes this value with a random function (randAlphaNum, genPrivateKey, "
    "uuidv4...), so every helm upgrade writes a new one, while what was set up with the old "
    "one (the password a database was initialised with, signed sessions, encrypted data, a "
    "peer's copy) still expects it: logins and signatures fail after the upgrade.",
    fix="Give the chart the value instead of letting it make one: set its password value or "
    "point it at an existing Secret, kept in chartsafe's store (secrets set, secrets init) "
    "where it is never regenerated.",
)
def secret_regenerated(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    # Said of the keys the chart keeps with lookup only (``RegeneratedKey.kept_by_lookup``):
    # a lookup elsewhere in the chart keeps nothing of this key.
    kept = (
        "; the chart calls lookup to keep it, which works only in a render that reads the "
        "cluster (helm install/upgrade), not in helm template, --dry-run, up --out or Argo CD"
    )
    for changed in ctx.regenerated:
        message = f"key {changed.key} differs between two renders of the same values"
        yield object_finding(rule, changed.obj, message + (kept if changed.kept_by_lookup else ""))
