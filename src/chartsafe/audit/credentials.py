"""Rule family 1: plaintext credentials, placeholders, and values that land in the release record.

References are never findings: ``existingSecret: name``, ``secretName``,
``secretArn``, SealedSecret ``encryptedData``, SOPS ``ENC[...]`` values and
``ref+...://`` references all say where a credential lives, not what it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .._credential_detect import (
    flag_values,
    is_reference_value,
)
from .._objects import K8sObject
from .._secret_types import secret_fields
from ._inputs import AuditInput, ValuesDoc, item_name, iter_leaves
from ._k8s import object_finding, pods
from ._model import Finding, Rule, Severity
from ._registry import rule
from ._values_scan import (
    as_text,
    credential_reason,
    placeholder_at,
    secret_names,
    skipped,
    values_credentials,
    values_reason,
)


@rule(
    "credential-in-values",
    title="Plaintext credential in a values file",
    severity=Severity.high,
    why="Values files are committed and copied around; a password in one is readable by "
    "everyone who can read the repository, and is stored again in the Helm release record.",
    fix="Keep the credential in a Secret (existingSecret), a SealedSecret, an ExternalSecret, "
    "or a SOPS-encrypted values file; put only the Secret's name in values.",
)
def credential_in_values(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    names = secret_names(ctx)
    for doc in ctx.values_docs:
        for path, named, what, _text in values_credentials(doc, names):
            yield rule.finding(
                f"{named} holds a plaintext {what}",
                file=doc.file,
                line=doc.line_of(path),
                values_path=path,
            )
        for path, flag, what in _args_credentials(doc):
            yield rule.finding(
                f"{path} passes a plaintext {what} in --{flag}",
                file=doc.file,
                line=doc.line_of(path),
                values_path=path,
            )


@rule(
    "credential-in-env",
    title="Plaintext credential in a container's env value",
    severity=Severity.high,
    why="A literal env value is part of the pod spec: anyone who can read the Deployment "
    "(get/list on workloads, far more people than can read Secrets) reads the credential.",
    fix="Use env valueFrom.secretKeyRef (or envFrom secretRef) pointing at a Secret.",
)
def credential_in_env(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    for pod in pods(ctx):
        for container in pod.containers:
            for env in container.env:
                name, value = str(env.get("name", "")), env.get("value")
                text = as_text(value)
                if text is None or "valueFrom" in env:
                    continue
                what = credential_reason(name, text)
                if what:
                    yield object_finding(
                        rule,
                        pod.owner,
                        f"container {container.name} env {name} holds a plaintext {what}",
                    )


@rule(
    "credential-in-args",
    title="Plaintext credential in a container's command or args",
    severity=Severity.high,
    why="A command line is part of the pod spec, readable by everyone who can read the "
    "workload, and shows in the process list (ps, /proc) of the node to anyone on it.",
    fix="Pass the credential through an env var from a Secret (valueFrom.secretKeyRef) and "
    "refer to it in args as $(VAR), or mount the Secret as a file and pass its path.",
)
def credential_in_args(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    for pod in pods(ctx):
        for container in pod.containers:
            words = container.command_words
            for _index, flag, value in flag_values(words):
                what = credential_reason(flag, value)
                if what:
                    yield object_finding(
                        rule,
                        pod.owner,
                        f"container {container.name} passes a plaintext {what} in --{flag}",
                    )


def _args_credentials(doc: ValuesDoc) -> Iterator[tuple[str, str, str]]:
    """(values path, flag, why) for each credential passed as a flag in a values file's
    list of strings (``args: [--password=x]``, ``extraArgs: [--token, x]``)."""
    for path, _key, value, parent in iter_leaves(doc.data):
        if not isinstance(parent, list) or not isinstance(value, str) or "--" not in value:
            continue
        if not path.endswith("[0]") or skipped(doc, path):
            continue  # each list once, from its first item
        base = path[: -len("[0]")]
        words = [str(w) for w in parent]
        for index, flag, text in flag_values(words):
            what = credential_reason(flag, text)
            if what:
                yield f"{base}[{index}]", flag, what


@rule(
    "credential-in-configmap",
    title="Credential in a ConfigMap",
    severity=Severity.high,
    why="ConfigMaps are not secret: they are shown by kubectl describe, mounted without "
    "restrictions and readable with the permissions given to most developers.",
    fix="Move the credential into a Secret and mount or reference that instead.",
)
def credential_in_configmap(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    for obj in ctx.objects:
        if obj.kind != "ConfigMap":
            continue
        data = obj.body.get("data")
        for key, value in (data or {}).items() if isinstance(data, dict) else ():
            text = as_text(value)
            what = credential_reason(str(key), text) if text is not None else None
            if what:
                yield object_finding(rule, obj, f"data key {key} holds a plaintext {what}")


def _secret_values(obj_body: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for _field, key, text in secret_fields(obj_body):
        yield key, text


def _given_credentials(ctx: AuditInput) -> Iterator[tuple[str, str, str, int | None]]:
    """(where given, values path, value, line) for credentials the user passed."""
    for given in ctx.set_values:
        text = as_text(given.value)
        if text and values_reason(given.path, given.path.rsplit(".", 1)[-1], text):
            yield given.flag, given.path, text, None
    names = secret_names(ctx)
    for doc in ctx.values_docs:
        if doc.file not in ctx.user_files:
            continue
        for path, _named, _what_it_is, text in values_credentials(doc, names):
            yield f"-f {doc.file}", path, text, doc.line_of(path)


@rule(
    "credential-in-release-record",
    title="Credential copied into a chart-managed Secret (stored in the Helm release record)",
    severity=Severity.medium,
    why="Helm stores every release's values and rendered manifests in a Secret of type "
    "helm.sh/release.v1 in the release namespace, kept for every revision: whoever can read "
    "Secrets in that namespace reads the credential, and it survives rotation in old revisions.",
    fix="Create the Secret outside the release (existingSecret, SealedSecret, ExternalSecret) "
    "and pass only its name to the chart.",
)
def credential_in_release_record(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    if ctx.objects_from_files:
        return
    secrets = [o for o in ctx.objects if o.kind == "Secret"]
    decoded = [(obj, list(_secret_values(obj.body))) for obj in secrets]
    for where, path, value, line in _given_credentials(ctx):
        if len(value) < 4:
            continue
        for obj, pairs in decoded:
            keys = [key for key, text in pairs if value in text]
            if keys:
                yield object_finding(
                    rule,
                    obj,
                    f"{path} (given with {where}) is copied into {_object_named(ctx, obj)} key "
                    f"{', '.join(keys)}: it is stored in the Helm release record, readable by "
                    f"anyone who can read Secrets in namespace {ctx.namespace}",
                    values_path=path,
                    line=line,
                )
    yield from _resolved_references(ctx, rule, decoded)


def _object_named(ctx: AuditInput, obj: K8sObject) -> str:
    """``KIND NAME``, and its namespace when not the release's: the release record is in the
    release's namespace wherever the chart puts the value."""
    named = f"{obj.kind} {obj.name}"
    other = obj.namespace and obj.namespace != ctx.namespace
    return f"{named} (namespace {obj.namespace})" if other else named


def _given_references(ctx: AuditInput) -> Iterator[tuple[str, str, str, int | None]]:
    """(where given, values path, reference, line) for ``ref+`` values the user passed."""
    if not ctx.set_values and not ctx.values_docs:
        return  # manifests alone: audit --files on a release need not import the ref code
    from .._refs.reference import find_references, format_path

    for given in ctx.set_values:
        for _, ref in find_references(given.value):
            yield given.flag, given.path, ref, None
    for doc in ctx.values_docs:
        if doc.file in ctx.user_files:
            for found, ref in find_references(doc.data):
                path = format_path(found)
                yield f"-f {doc.file}", path, ref, doc.line_of(path)


def _landing_places(
    ctx: AuditInput, decoded: list[tuple[K8sObject, list[tuple[str, str]]]]
) -> Iterator[tuple[K8sObject, str, str]]:
    """(object, where in it, text) for every place a chart puts a values string."""
    for obj, pairs in decoded:
        for key, text in pairs:
            yield obj, f"{_object_named(ctx, obj)} key {key}", text
    for obj in ctx.objects:
        data = obj.body.get("data") if obj.kind == "ConfigMap" else None
        for key, value in data.items() if isinstance(data, dict) else ():
            yield obj, f"{_object_named(ctx, obj)} key {key}", str(value)
    for pod in pods(ctx):
        for container in pod.containers:
            for env in container.env:
                literal = as_text(env.get("value"))
                if literal is not None:
                    name = env.get("name", "")
                    yield pod.owner, f"{_object_named(ctx, pod.owner)} env {name}", literal


def _resolved_references(
    ctx: AuditInput, rule: Rule, decoded: list[tuple[K8sObject, list[tuple[str, str]]]]
) -> Iterator[Finding]:
    """A reference is never a finding itself; where the chart puts the value it resolves
    to is. Rendered with references unresolved, the reference text shows where that is."""
    given = list(_given_references(ctx))
    if not given:
        return
    places = list(_landing_places(ctx, decoded))
    for where, path, ref, line in given:
        for obj, place, text in places:
            if ref in text:
                plain = "" if place.startswith("Secret ") else " in plaintext, and"
                yield object_finding(
                    rule,
                    obj,
                    f"{path} (given with {where}) is a reference; chartsafe resolves it at "
                    f"install and the value lands{plain} in {place}: it is stored in the Helm "
                    f"release record, readable by anyone who can read Secrets in namespace "
                    f"{ctx.namespace}",
                    values_path=path,
                    line=line,
                )


#: Shorter values are not looked for in the chart's files: they match by chance.
_MIN_FIXED_LENGTH = 6


@rule(
    "credential-in-chart",
    title="Credential written into the chart itself",
    severity=Severity.high,
    why="A credential in a template or in a file the chart ships (read with .Files.Get) is "
    "the same in every release of the chart, and known to everyone who can read the chart's "
    "repository or pull its package; no release can rotate it on its own.",
    fix="Take it from values or an existing Secret (existingSecret), or generate it per "
    "release (chartsafe secrets init); ship no credential in the chart.",
)
def credential_in_chart(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    if ctx.objects_from_files or ctx.chart is None:
        return
    candidates = [
        (obj, key, text.strip(), what)
        for obj in ctx.objects
        if obj.kind == "Secret"
        for _field, key, text in secret_fields(obj.body)
        if len(text.strip()) >= _MIN_FIXED_LENGTH and (what := credential_reason(key, text))
    ]
    if not candidates:
        return
    # values are judged where they are written (values files, --set), not here
    given = {v.strip() for _, _, v, _ in iter_leaves(ctx.merged or {}) if isinstance(v, str)}
    found = [candidate for candidate in candidates if candidate[2] not in given]
    if not found:
        return
    from ._chart_files import chart_texts  # here: only an audit of a chart reads its files

    files = chart_texts(ctx.chart, ctx.chart_name)
    for obj, key, text, what in found:
        written = next((name for name, content in files if text in content), None)
        if written is not None:
            yield object_finding(
                rule,
                obj,
                f"Secret {obj.name} key {key} holds a {what} written in {written}: every "
                "release of the chart gets the same one",
            )


@rule(
    "placeholder-credential",
    title="Credential left at a placeholder value",
    severity=Severity.high,
    why="Placeholders from the docs ('changeme', 'your-secret-key-here', 's3cret') are public: "
    "a production release using one has a credential everybody knows.",
    fix="Generate a real value (openssl rand -hex 32, or chartsafe's generators) and deliver "
    "it through a Secret.",
    production_only=True,
)
def placeholder_credential(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    # an env list item ({name: DB_PASSWORD, value: changeme}) is judged by its name
    if ctx.merged is not None:
        leaves = [(p, item_name(p, k, c), k, v) for p, k, v, c in iter_leaves(ctx.merged)]
    else:
        leaves = [
            (p, item_name(p, k, c), k, v)
            for doc in ctx.values_docs
            for p, k, v, c in iter_leaves(doc.data)
        ]
    given_paths: set[str] = set()
    given_texts: set[str] = set()
    for path, name, key, value in leaves:
        text = as_text(value)
        # existingSecret.keyMapping.password: password names a key, it is none
        if not text or not placeholder_at(path, name or key, text, item=bool(name)):
            continue
        given_paths.add(path)
        given_texts.add(text.strip())
        file, line = ctx.source_of(path) if ctx.merged is not None else (None, None)
        named = f"{path} ({name})" if name else path
        message = f"{named} is a placeholder, not a credential"
        yield rule.finding(message, file=file, line=line, values_path=path)
    if ctx.chart is not None:  # ``audit --files`` has no chart to find them in
        from ._chart_placeholders import chart_placeholder_findings  # it reads chart files

        yield from chart_placeholder_findings(ctx, rule, given_paths, given_texts)
    for pod in pods(ctx):
        for container in pod.containers:
            for env in container.env:
                name, text = str(env.get("name", "")), as_text(env.get("value"))
                if text and placeholder_at(name, name, text, item=True):
                    yield object_finding(
                        rule,
                        pod.owner,
                        f"container {container.name} env {name} is a placeholder, not a credential",
                    )


@rule(
    "secret-manifest-committed",
    title="Plain Secret manifest in a committed file",
    severity=Severity.high,
    why="A Secret's data is only base64-encoded (not encrypted) and its stringData is plain "
    "text; a Secret manifest in a repository is a plaintext credential.",
    fix="Commit a SealedSecret or an ExternalSecret instead, or encrypt the file with SOPS.",
)
def secret_manifest_committed(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    if not ctx.objects_from_files:
        return
    for obj in ctx.objects:
        if obj.kind != "Secret" or obj.api_version != "v1":
            continue
        if str(obj.body.get("type", "")) == "kubernetes.io/service-account-token":
            continue
        counts = {"stringData": 0, "data": 0}
        for field, _key, text in secret_fields(obj.body):
            if text.strip() and not is_reference_value(text):
                counts[field] += 1
        how = [
            f"{n} value(s) {form}"
            for n, form in ((counts["stringData"], "in plain text (stringData)"),
                            (counts["data"], "in base64, not encrypted (data)"))
            if n
        ]  # fmt: skip
        if how:
            yield object_finding(rule, obj, f"Secret {obj.name} carries {' and '.join(how)}")
