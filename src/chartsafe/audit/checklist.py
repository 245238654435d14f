"""Rule family 2a: the seeds' checklist items about configuration (datastores, signing,
metrics, persistence, defaults, cookies, dangerous flags).

These read the merged values (chart defaults plus the user's) where the chart's
own switches decide, and the rendered env where the application's do.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .._credential_detect import credential_key, is_reference_value, reference_key
from .._podspec import dict_at, dicts_in
from ._inputs import AuditInput, iter_leaves, join_path, name_value_items
from ._k8s import object_finding, pods
from ._model import Finding, Rule, Severity
from ._registry import rule

_DATASTORES = frozenset(
    {"redis", "valkey", "clickhouse", "postgresql", "postgres", "mysql", "mariadb", "mongodb"}
)
_FALSE = frozenset({"false", "0", "no", "off", "none", "disabled", ""})


def _dicts(node: Any, prefix: str = "") -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(path, key, mapping) for every mapping under ``node``, skipping disabled sub-trees."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, dict):
                if value.get("enabled") is False:
                    continue
                path = join_path(prefix, str(key))
                yield path, str(key), value
                yield from _dicts(value, path)


def _located(ctx: AuditInput, rule: Rule, path: str, message: str) -> Finding:
    file, line = ctx.source_of(path)
    return rule.finding(message, file=file, line=line, values_path=path)


def _has_existing(auth: dict[str, Any]) -> bool:
    """``existingSecret: NAME``, or bitnami's newer ``existingSecret: {name: NAME, ...}``."""
    for key, value in auth.items():
        name = value.get("name") if isinstance(value, dict) else value
        if str(key).lower().startswith("existing") and isinstance(name, str) and name.strip():
            return True
    return False


@rule(
    "datastore-auth-disabled",
    title="Redis / ClickHouse / PostgreSQL without authentication",
    severity=Severity.high,
    why="Without auth, any pod that can reach the datastore's Service reads and writes all data "
    "(LLMTrace's checklist: redis.auth.enabled: true in production).",
    fix="Set <datastore>.auth.enabled=true and give the password through an existing Secret.",
    production_only=True,
)
def datastore_auth_disabled(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    for path, key, node in _dicts(ctx.merged or {}):
        auth = node.get("auth")
        if key.lower() in _DATASTORES and isinstance(auth, dict) and auth.get("enabled") is False:
            yield _located(ctx, rule, f"{path}.auth.enabled", f"{path}: authentication is off")


@rule(
    "datastore-empty-password",
    title="Datastore authentication with an empty password",
    severity=Severity.high,
    why="An enabled auth block with an empty password and no existing Secret either fails at "
    "start-up or runs with a password anyone can guess (LLMTrace's checklist: ClickHouse, "
    "PostgreSQL and Redis passwords are non-empty in production).",
    fix="Point <datastore>.auth.existingSecret at a Secret holding the password.",
    production_only=True,
)
def datastore_empty_password(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    for path, key, node in _dicts(ctx.merged or {}):
        auth = node.get("auth")
        if key.lower() not in _DATASTORES or not isinstance(auth, dict):
            continue
        if auth.get("enabled") is False or _has_existing(auth):
            continue
        for name, value in auth.items():
            if credential_key(str(name)) and isinstance(value, str) and not value.strip():
                where = f"{path}.auth.{name}"
                yield _located(ctx, rule, where, f"{where} is empty and no existingSecret is set")


def _env_pairs(ctx: AuditInput) -> Iterator[tuple[Any, str, str, str]]:
    """(pod, container name, env name, literal value) for every literal env value."""
    for pod in pods(ctx, hooks=False):
        for container in pod.containers:
            for env in container.env:
                if "value" in env and "valueFrom" not in env:
                    yield pod, container.name, str(env.get("name", "")), str(env.get("value"))


#: Names of the signing algorithm's setting and of a verification switch. Production rules'
#: patterns are strings, compiled by ``re`` (and kept in its cache) the first time a rule
#: runs: a dev audit, the CI default, never pays for them.
_SIGN_ALG = r"(?i)SIGN(?:ING|ATURE)?_ALG(?:ORITHM)?$"
_VERIFY = r"(?i)VERIFY_?SIGNATURES?$|SIGNATURE_VERIFICATION$"


@rule(
    "signature-verification-off",
    title="Signature verification is not configured",
    severity=Severity.high,
    why="Without signature verification the backend accepts submissions from anyone who can "
    "reach it (Fractal LBA's checklist: PCS_SIGN_ALG=hmac or ed25519).",
    fix="Set the signing algorithm (for Fractal LBA backend.env.PCS_SIGN_ALG=hmac or ed25519) "
    "and give the keys through Secrets.",
    production_only=True,
)
def signature_verification_off(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    for pod, container, name, value in _env_pairs(ctx):
        # the value first: one set lookup, where a search ignoring case tries each position
        if value.strip().lower() in _FALSE and (
            re.search(_SIGN_ALG, name) or re.search(_VERIFY, name)
        ):
            yield object_finding(
                rule, pod.owner, f"container {container} env {name}={value}: signatures not checked"
            )


def _monitor_has_auth(endpoint: dict[str, Any]) -> bool:
    return any(k in endpoint for k in ("basicAuth", "authorization", "bearerTokenSecret", "oauth2"))


@rule(
    "metrics-without-auth",
    title="Metrics endpoint without authentication",
    severity=Severity.medium,
    why="An open /metrics endpoint leaks internal names and rates to anything in the cluster "
    "(Fractal LBA's checklist: enable metrics Basic Auth; scrape with auth).",
    fix="Enable the chart's metrics auth (for Fractal LBA metrics.auth.existingSecret) and give "
    "the ServiceMonitor its basicAuth.",
    production_only=True,
)
def metrics_without_auth(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    for obj in ctx.objects:
        if obj.kind not in ("ServiceMonitor", "PodMonitor"):
            continue
        field = "endpoints" if obj.kind == "ServiceMonitor" else "podMetricsEndpoints"
        for endpoint in dicts_in(obj.spec.get(field)):
            if not _monitor_has_auth(endpoint):
                port = endpoint.get("port") or endpoint.get("targetPort") or "?"
                yield object_finding(rule, obj, f"scrapes port {port} without authentication")
    for path, _key, node in _dicts(ctx.merged or {}):
        auth = node.get("auth") if path.rsplit(".", 1)[-1].lower() == "metrics" else None
        if isinstance(auth, dict) and not _has_existing(auth):
            secrets = [v for k, v in auth.items() if credential_key(str(k))]
            if secrets and not any(isinstance(v, str) and v.strip() for v in secrets):
                yield _located(ctx, rule, f"{path}.auth", f"{path}.auth sets no credentials")


@rule(
    "persistence-disabled",
    title="Stateful data without persistent storage",
    severity=Severity.medium,
    why="With persistence off, a restart loses the data (WAL, dedup state, sessions) "
    "(Fractal LBA's checklist: configure persistent storage for WAL and dedup).",
    fix="Set persistence.enabled=true with a storage class that survives node loss.",
    production_only=True,
)
def persistence_disabled(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    for path, _key, node in _dicts({"": ctx.merged or {}}):
        persistence = node.get("persistence")
        if isinstance(persistence, dict) and persistence.get("enabled") is False:
            where = f"{path}.persistence.enabled".lstrip(".")
            yield _located(ctx, rule, where, f"{where} is false")
    for obj in ctx.objects:
        spec = obj.spec
        if obj.kind == "StatefulSet" and obj.hook is None and not spec.get("volumeClaimTemplates"):
            volumes = dicts_in(dict_at(dict_at(spec.get("template")).get("spec")).get("volumes"))
            if any("emptyDir" in v for v in volumes):
                yield object_finding(rule, obj, "StatefulSet keeps its data on emptyDir volumes")


_ADMIN_NAMES = frozenset({"admin", "root", "administrator", "superuser", "sa"})
_USER_KEY = r"(?i)(?:^|[._-])(?:admin)?(?:user(?:name)?|login)$"
#: admin/root in a URL's user info or an htpasswd line (not "admin:read" permission names).
_ADMIN_PAIR = r"://(?:admin|root):[^\s@/]*@|(?:^|\s)(?:admin|root):(?:\$2[aby]?\$|\$apr1\$|\{SHA\})"


@rule(
    "superuser-default",
    title="Default superuser name",
    severity=Severity.medium,
    why="admin/root with a password is the first pair every scanner tries; a default name "
    "leaves only the password between an attacker and full access.",
    fix="Choose a non-default user name for administrative and basic-auth accounts.",
    production_only=True,
)
def superuser_default(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    for path, key, value, _parent in iter_leaves(ctx.merged or {}):
        if not isinstance(value, str) or (reference_key(key) and not re.search(_USER_KEY, key)):
            continue
        text = value.strip()
        if (re.search(_USER_KEY, key) and text.lower() in _ADMIN_NAMES) or re.search(
            _ADMIN_PAIR, text
        ):
            yield _located(ctx, rule, path, f"{path} uses a default superuser name")
    for pod, container, name, value in _env_pairs(ctx):
        if value.strip().lower() in _ADMIN_NAMES and re.search(_USER_KEY, name.lower()):
            yield object_finding(
                rule, pod.owner, f"container {container} env {name} is a default superuser name"
            )


_COOKIE_SECURE = re.compile(r"COOKIE_?SECURE|SECURE_?COOKIES?", re.IGNORECASE)


def _has_tls(ctx: AuditInput) -> bool:
    return any(
        o.kind == "Ingress" and (o.spec.get("tls") or _lb_tls(o.annotations)) for o in ctx.objects
    )


def _lb_tls(annotations: dict[str, str]) -> bool:
    """TLS terminated by a cloud load balancer configured through annotations."""
    return any(
        k in annotations
        for k in (
            "alb.ingress.kubernetes.io/certificate-arn",
            "ingress.gcp.kubernetes.io/pre-shared-cert",
            "networking.gke.io/managed-certificates",
        )
    )


@rule(
    "cookie-not-secure",
    title="Session cookies not marked Secure behind TLS",
    severity=Severity.medium,
    why="Behind TLS a cookie without the Secure flag is still sent over plain http when a "
    "user follows an http:// link, exposing the session.",
    fix="Turn the application's secure-cookie switch on (IncidentFox: "
    "services.webUi.cookieSecure=true).",
)
def cookie_not_secure(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    if not _has_tls(ctx):
        return
    for pod, container, name, value in _env_pairs(ctx):
        if value.strip().lower() in _FALSE and _COOKIE_SECURE.search(name):  # value first
            yield object_finding(
                rule, pod.owner, f"container {container} env {name}={value} behind a TLS Ingress"
            )


_DANGEROUS = re.compile(
    r"--dangerously[-_][a-z0-9_-]+|--insecure-skip-tls-verify\b|--skip-?auth\b|--no-?auth\b",
    re.IGNORECASE,
)
_DANGEROUS_ENV = re.compile(r"DANGEROUSLY|SKIP_PERMISSIONS|INSECURE_SKIP", re.IGNORECASE)
#: The same words, matched in upper-cased ASCII text: a search ignoring case tries every
#: position in turn, and a 2,000-object release has 17,000 env names (18 ms against 3).
_DANGEROUS_ENV_UPPER = re.compile(_DANGEROUS_ENV.pattern)


def _any_dangerous_name(names: list[str]) -> bool:
    """Whether one of ``names`` may match ``_DANGEROUS_ENV`` (each is asked after this)."""
    joined = "\n".join(names)
    if not joined.isascii():
        return True  # case folding beyond ASCII (the Kelvin sign is a k): ask each
    return _DANGEROUS_ENV_UPPER.search(joined.upper()) is not None


@rule(
    "dangerous-flag",
    title="--dangerously-skip-* style flag",
    severity=Severity.high,
    why="Flags named 'dangerously' turn off a safety check on purpose (e.g. an agent's "
    "permission prompts); in a shared cluster that is a standing escalation path.",
    fix="Remove the flag from args/command/env, or run the workload in an isolated namespace "
    "and suppress this rule there with a reason.",
)
def dangerous_flag(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    for pod in pods(ctx):
        for container in pod.containers:
            words = container.command_words
            names = [str(env.get("name", "")) for env in container.env]
            flagged = _any_dangerous_name(names)
            for name, env in zip(names, container.env, strict=True):
                value = str(env.get("value", ""))
                words.append(value)
                if flagged and _DANGEROUS_ENV.search(name) and value.strip().lower() not in _FALSE:
                    words.append(f"--dangerously-{name}")
            # one search over all words: a match never spans the newline between two
            match = _DANGEROUS.search("\n".join(words))
            if match:
                yield object_finding(
                    rule, pod.owner, f"container {container.name} runs with {match.group(0)}"
                )
    if ctx.chart is None:
        yield from _dangerous_in_values(ctx, rule)


def _dangerous_in_values(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    """``audit --files``: env lists (``env: [{name, value}]``) and argument lists
    (``args: [--dangerously-skip-permissions]``) in values files, which no rendered
    pod shows. With a chart the pods above are what runs, and say it once."""
    for doc in ctx.values_docs:
        for path, _key, value, parent in iter_leaves(doc.data):
            if isinstance(parent, list) and isinstance(value, str):
                match = _DANGEROUS.search(value)
                if match:
                    message = f"{path} passes {match.group(0)}"
                    yield rule.finding(
                        message, file=doc.file, line=doc.line_of(path), values_path=path
                    )
        for path, name, value in name_value_items(doc.data):
            text = "" if value is None else str(value)
            match = _DANGEROUS.search(text)
            if match:
                message = f"{path} ({name}) passes {match.group(0)}"
            elif (
                _DANGEROUS_ENV.search(name)
                and text.strip().lower() not in _FALSE
                and not is_reference_value(text)
            ):
                message = f"{path} ({name}) turns {name} on"
            else:
                continue
            yield rule.finding(message, file=doc.file, line=doc.line_of(path), values_path=path)


@rule(
    "values-schema",
    title="Values do not match the chart's values.schema.json",
    severity=Severity.high,
    why="Helm refuses to render values that fail the chart's schema: the release cannot be "
    "installed, and none of its objects could be audited.",
    fix="Fix the value the finding names (in the values file or the --set flag that gives it); "
    "chartsafe lint lists every violation.",
)
def values_schema(ctx: AuditInput, rule: Rule) -> Iterator[Finding]:
    """Reported when rendering failed (the engine runs no other rule then); each violation
    points at the values file line that sets the key, else at the chart's schema file."""
    schema = ctx.chart / "values.schema.json" if ctx.chart is not None else None
    for path, message in ctx.schema_violations:
        key = None if path == "(root)" else path
        file, line = ctx.source_of(path) if key else (None, None)
        given = f" (given with {file})" if file and file.startswith("--") else ""
        if given or not file or file == str(ctx.chart):
            file, line = (str(schema), None) if schema and schema.is_file() else (file, None)
        yield rule.finding(
            f"{path} does not match the chart's values.schema.json: {message}{given}",
            file=file,
            line=line,
            values_path=key,
        )
