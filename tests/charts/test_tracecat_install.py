"""Tracecat chart: the seed's install command and examples, workloads, ingress, URLs, sandbox.

Helpers defined here (SEED, render_tc, env_of, ...) are shared by the other test_tracecat_*
modules. Every render validates each object strictly (conftest.render).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import pytest
from chart_render import CHARTS, Rendered, render

CHART = "tracecat"
EXAMPLES = CHARTS / CHART / "examples"

# The seed's install command, flag for flag.
SEED = [
    "secrets.existingSecret=tracecat-secrets",
    "tracecat.auth.superadminEmail=admin@example.com",
    "ingress.host=tracecat.example.com",
    "externalPostgres.host=your-db-host.example.com",
    "externalPostgres.auth.existingSecret=tracecat-postgres-credentials",
    "externalRedis.auth.existingSecret=tracecat-redis-credentials",
]
TLS = 'ingress.tls=[{"secretName": "tls", "hosts": ["tracecat.example.com"]}]'
BACKEND = ["api", "worker", "agent-worker", "executor", "agent-executor"]
WORKLOADS = [*BACKEND, "ui"]
TEMPORAL = ["frontend", "history", "matching", "worker"]


def render_tc(*files: Any, set: Sequence[str] = (), **kwargs: Any) -> Rendered:
    """Render with the seed's flags plus ``set``, as release tracecat in namespace tracecat.

    Renders are cached (strict validation costs most of the time); do not mutate the result.
    """
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in kwargs.items()))
    return _render_cached(tuple(str(f) for f in files), tuple(set), frozen)


@functools.cache
def _render_cached(files: tuple[str, ...], sets: tuple[str, ...], kwargs: tuple) -> Rendered:
    options: dict[str, Any] = {"name": "tracecat", "namespace": "tracecat", **dict(kwargs)}
    return render(CHART, *files, set=[*SEED, *sets], **options)


def deployment(r: Rendered, component: str) -> dict[str, Any]:
    return r.get("Deployment", f"tracecat-{component}")


def pod(r: Rendered, component: str) -> dict[str, Any]:
    return deployment(r, component)["spec"]["template"]["spec"]


def container(r: Rendered, component: str) -> dict[str, Any]:
    return pod(r, component)["containers"][0]


def env_of(c: dict[str, Any]) -> dict[str, Any]:
    """name -> literal value, or ("secret", name, key) for a secretKeyRef."""
    out: dict[str, Any] = {}
    for e in c.get("env", []):
        assert e["name"] not in out, f"duplicate env {e['name']}"
        ref = e.get("valueFrom", {}).get("secretKeyRef")
        out[e["name"]] = ("secret", ref["name"], ref["key"]) if ref else e.get("value")
    return out


def env(r: Rendered, component: str) -> dict[str, Any]:
    return env_of(container(r, component))


# ---------------------------------------------------------------- the seed's commands


def test_seed_install_renders_every_component() -> None:
    r = render_tc()
    assert sorted(r.names("Deployment")) == sorted(
        [f"tracecat-{c}" for c in WORKLOADS]
        + [f"tracecat-temporal-{s}" for s in TEMPORAL]
        + ["tracecat-temporal-web"]
    )
    assert sorted(r.names("Service")) == [
        "tracecat-api",
        "tracecat-temporal-frontend",
        "tracecat-temporal-web",
        "tracecat-ui",
    ]
    assert sorted(r.names("Job")) == ["tracecat-temporal-schema", "tracecat-temporal-setup"]
    assert r.names("Ingress") == ["tracecat"]


@pytest.mark.parametrize(
    ("example", "host"),
    [
        ("values-orbstack.yaml", "tracecat.k8s.orb.local"),
        ("values-minikube.yaml", "tracecat.local"),
    ],
)
def test_local_examples_run_without_nsjail_on_small_resources(example: str, host: str) -> None:
    r = render(CHART, EXAMPLES / example, name="tracecat", namespace="tracecat")
    assert r.get("Ingress")["spec"]["rules"][0]["host"] == host
    assert r.get("Ingress")["spec"]["ingressClassName"] == "nginx"
    assert env(r, "api")["TRACECAT__PUBLIC_APP_URL"] == f"http://{host}"
    for component in ("executor", "agent-executor"):
        assert env(r, component)["TRACECAT__DISABLE_NSJAIL"] == "true"
        assert "privileged" not in container(r, component)["securityContext"]
    for component in WORKLOADS:
        limits = container(r, component)["resources"]["limits"]
        assert limits["cpu"] in ("1", "500m"), component


def test_aws_example_uses_alb_eso_irsa_and_explicit_urls() -> None:
    r = render(CHART, EXAMPLES / "values-aws.yaml", name="tracecat", namespace="tracecat")
    assert sorted(r.names("Ingress")) == ["tracecat-api", "tracecat-ui"]
    assert {i["spec"]["ingressClassName"] for i in r.all("Ingress")} == {"alb"}
    assert env(r, "api")["TRACECAT__PUBLIC_APP_URL"] == "https://tracecat.example.com"
    assert env(r, "api")["TRACECAT__PUBLIC_API_URL"] == "https://tracecat.example.com/api"
    targets = sorted(es["spec"]["target"]["name"] for es in r.all("ExternalSecret"))
    assert targets == [
        "tracecat-postgres-credentials",
        "tracecat-redis-credentials",
        "tracecat-secrets",
    ]
    sa = r.get("ServiceAccount", "tracecat")
    assert sa["metadata"]["annotations"]["eks.amazonaws.com/role-arn"].endswith(":role/tracecat")
    assert "AWS_ACCESS_KEY_ID" not in env(r, "api")
    assert env(r, "api")["AWS_REGION"] == "us-east-1"


# ---------------------------------------------------------------- workloads


@pytest.mark.parametrize(
    ("component", "command"),
    [
        ("api", None),
        ("ui", None),
        ("worker", ["python", "-m", "tracecat.dsl.worker"]),
        ("agent-worker", ["python", "-m", "tracecat.agent.worker"]),
        ("executor", ["python", "-m", "tracecat.executor.worker"]),
        ("agent-executor", ["python", "-m", "tracecat.agent.executor_worker"]),
    ],
)
def test_images_and_commands(component: str, command: list[str] | None) -> None:
    c = container(render_tc(), component)
    image = "tracecat-ui" if component == "ui" else "tracecat"
    assert c["image"] == f"ghcr.io/tracecathq/{image}:1.0.0-beta.35"
    assert c.get("command") == command


@pytest.mark.parametrize("values", ["api", "worker", "executor", "agentExecutor", "ui"])
def test_replicas_and_resources_per_service(values: str) -> None:
    component = {"agentExecutor": "agent-executor"}.get(values, values)
    r = render_tc(
        set=[
            f"{values}.replicas=3",
            f"{values}.resources.requests.cpu=123m",
            f"{values}.resources.limits.memory=3Gi",
        ]
    )
    assert deployment(r, component)["spec"]["replicas"] == 3
    resources = container(r, component)["resources"]
    assert resources["requests"]["cpu"] == "123m"
    assert resources["limits"]["memory"] == "3Gi"


def test_api_probes_port_and_migrations() -> None:
    r = render_tc()
    c = container(r, "api")
    assert c["ports"] == [{"name": "http", "containerPort": 8000, "protocol": "TCP"}]
    for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
        assert c[probe]["httpGet"]["path"] == "/api/health"
    assert env_of(c)["RUN_MIGRATIONS"] == "true"
    assert pod(r, "api")["securityContext"]["runAsUser"] == 1001
    assert pod(r, "api")["securityContext"]["fsGroup"] == 1001
    assert r.get("Service", "tracecat-api")["spec"]["ports"][0]["port"] == 8000
    assert r.get("Service", "tracecat-ui")["spec"]["ports"][0]["port"] == 3000


def test_ui_env_points_at_api_and_reads_only_the_service_key() -> None:
    e = env(render_tc(), "ui")
    assert e["NEXT_PUBLIC_APP_URL"] == "http://tracecat.example.com"
    assert e["NEXT_PUBLIC_API_URL"] == "http://tracecat.example.com/api"
    assert e["NEXT_SERVER_API_URL"] == "http://tracecat-api:8000"
    secrets = {v for v in e.values() if isinstance(v, tuple)}
    assert secrets == {("secret", "tracecat-secrets", "serviceKey")}


@pytest.mark.parametrize("component", BACKEND)
def test_backend_reads_core_keys(component: str) -> None:
    e = env(render_tc(), component)
    assert e["TRACECAT__DB_ENCRYPTION_KEY"] == ("secret", "tracecat-secrets", "dbEncryptionKey")
    assert e["TRACECAT__SERVICE_KEY"] == ("secret", "tracecat-secrets", "serviceKey")
    assert e["TRACECAT__SIGNING_SECRET"] == ("secret", "tracecat-secrets", "signingSecret")
    assert ("USER_AUTH_SECRET" in e) == (component == "api")


@pytest.mark.parametrize(
    ("sets", "expected"),
    [
        (
            [],
            {
                "LOG_LEVEL": "INFO",
                "TRACECAT__APP_ENV": "production",
                "TRACECAT__FEATURE_FLAGS": "",
                "TRACECAT__EE_MULTI_TENANT": "false",
            },
        ),
        (
            ["tracecat.logLevel=DEBUG", "tracecat.appEnv=staging"],
            {"LOG_LEVEL": "DEBUG", "TRACECAT__APP_ENV": "staging"},
        ),
        (
            ["tracecat.featureFlags=a\\,b", "enterprise.featureFlags=ee1"],
            {"TRACECAT__FEATURE_FLAGS": "a,b,ee1"},
        ),
        (["enterprise.featureFlags=ee1"], {"TRACECAT__FEATURE_FLAGS": "ee1"}),
        (["enterprise.multiTenant=true"], {"TRACECAT__EE_MULTI_TENANT": "true"}),
    ],
)
def test_core_settings(sets: list[str], expected: dict[str, str]) -> None:
    r = render_tc(set=sets)
    for component in BACKEND:
        assert expected.items() <= env(r, component).items(), component


@pytest.mark.parametrize(
    ("sets", "origins"),
    [
        ([], "http://tracecat.example.com"),
        (
            ["tracecat.allowOrigins=https://a.example\\,https://b.example"],
            "https://a.example,https://b.example",
        ),
    ],
)
def test_allow_origins(sets: list[str], origins: str) -> None:
    assert env(render_tc(set=sets), "api")["TRACECAT__ALLOW_ORIGINS"] == origins


def test_superadmin_email_reaches_the_api() -> None:
    assert env(render_tc(), "api")["TRACECAT__AUTH_SUPERADMIN_EMAIL"] == "admin@example.com"


# ---------------------------------------------------------------- sandbox


def test_nsjail_is_on_by_default() -> None:
    r = render_tc()
    for component in ("executor", "agent-executor"):
        c = container(r, component)
        assert c["securityContext"]["privileged"] is True
        assert c["securityContext"]["capabilities"]["add"] == ["SYS_ADMIN"]
        assert c["securityContext"]["seccompProfile"]["type"] == "Unconfined"
        assert env_of(c)["TRACECAT__DISABLE_NSJAIL"] == "false"
        mounts = {m["mountPath"] for m in c["volumeMounts"]}
        assert {"/var/lib/tracecat/sandbox-cache", "/tmp"} <= mounts
    tun = [v for v in pod(r, "agent-executor")["volumes"] if "hostPath" in v]
    assert tun == [
        {"name": "dev-net-tun", "hostPath": {"path": "/dev/net/tun", "type": "CharDevice"}}
    ]


def test_disable_nsjail_turns_all_privileges_off() -> None:
    r = render_tc(set=["tracecat.sandbox.disableNsjail=true"])
    for component in ("executor", "agent-executor"):
        c = container(r, component)
        assert "privileged" not in c["securityContext"]
        assert c["securityContext"]["capabilities"] == {"drop": ["ALL"]}
        assert pod(r, component)["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
        assert env_of(c)["TRACECAT__DISABLE_NSJAIL"] == "true"
        assert not [v for v in pod(r, component)["volumes"] if "hostPath" in v]


# ---------------------------------------------------------------- ingress and URLs


def test_single_ingress_routes_api_and_ui() -> None:
    r = render_tc(set=["ingress.className=nginx", "ingress.annotations.team=sec"])
    ing = r.get("Ingress", "tracecat")
    assert ing["spec"]["ingressClassName"] == "nginx"
    assert ing["metadata"]["annotations"] == {"team": "sec"}
    paths = {p["path"]: p["backend"]["service"] for p in ing["spec"]["rules"][0]["http"]["paths"]}
    assert paths == {
        "/api": {"name": "tracecat-api", "port": {"number": 8000}},
        "/": {"name": "tracecat-ui", "port": {"number": 3000}},
    }


def test_split_ingress_merges_annotations() -> None:
    r = render_tc(
        set=[
            "ingress.split=true",
            "ingress.annotations.shared=s",
            "ingress.annotations.over=shared",
            "ingress.ui.annotations.over=ui",
            "ingress.api.annotations.only-api=x",
        ]
    )
    ui, api = r.get("Ingress", "tracecat-ui"), r.get("Ingress", "tracecat-api")
    assert ui["metadata"]["annotations"] == {"shared": "s", "over": "ui"}
    assert api["metadata"]["annotations"] == {"shared": "s", "over": "shared", "only-api": "x"}
    assert [p["path"] for p in ui["spec"]["rules"][0]["http"]["paths"]] == ["/"]
    assert [p["path"] for p in api["spec"]["rules"][0]["http"]["paths"]] == ["/api"]


def test_ingress_disabled() -> None:
    assert render_tc(set=["ingress.enabled=false"]).all("Ingress") == []


@pytest.mark.parametrize(
    ("sets", "app", "api"),
    [
        ([], "http://tracecat.example.com", "http://tracecat.example.com/api"),
        (
            ["ingress.tls[0].secretName=tls"],
            "https://tracecat.example.com",
            "https://tracecat.example.com/api",
        ),
        (
            ["urls.publicApp=https://tc.example.org", "urls.publicApi=https://tc.example.org/api"],
            "https://tc.example.org",
            "https://tc.example.org/api",
        ),
        (
            ["urls.publicApp=https://tc.example.org"],
            "https://tc.example.org",
            "https://tc.example.org/api",
        ),
    ],
    ids=["tls-off", "tls-on", "urls-override", "app-url-only"],
)
def test_public_urls(sets: list[str], app: str, api: str) -> None:
    r = render_tc(set=sets)
    assert env(r, "api")["TRACECAT__PUBLIC_APP_URL"] == app
    assert env(r, "api")["TRACECAT__PUBLIC_API_URL"] == api
    assert env(r, "worker")["TRACECAT__PUBLIC_API_URL"] == api
    assert env(r, "ui")["NEXT_PUBLIC_APP_URL"] == app
    assert env(r, "ui")["NEXT_PUBLIC_API_URL"] == api


def test_tls_is_put_on_the_ingresses() -> None:
    r = render_tc(set=["ingress.split=true"], set_json=[TLS])
    for ing in r.all("Ingress"):
        assert ing["spec"]["tls"] == [{"secretName": "tls", "hosts": ["tracecat.example.com"]}]
