"""incidentfox: the umbrella chart of seed 002, its secrets contract, auth wiring and profiles.

Every test renders the chart (default, pilot, prod, the seed's example blocks) and asserts the
documented effect on the objects. Hooks and their order live in test_incidentfox_hooks.py.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest
from chart_render import CHARTS, Rendered, render

CHART = "incidentfox"
PILOT = CHARTS / CHART / "values.pilot.yaml"
PROD = CHARTS / CHART / "values.prod.yaml"
DATA = Path(__file__).resolve().parents[1] / "data" / "incidentfox"
RBAC, WEB_OIDC = DATA / "seed-admin-rbac.yaml", DATA / "seed-web-ui-oidc.yaml"
JTI, TEAM_TOKEN = DATA / "seed-impersonation-db.yaml", DATA / "seed-static-team-token.yaml"
PREEXISTING, AI = DATA / "secrets-preexisting.yaml", DATA / "ai-pipeline.yaml"

# The seed's contract: Secret → keys.
CONTRACT = {
    "incidentfox-database-url": {"DATABASE_URL"},
    "incidentfox-config-service": {"ADMIN_TOKEN", "TOKEN_PEPPER", "IMPERSONATION_JWT_SECRET"},
    "incidentfox-openai": {"api_key"},
}
WEB_UI_SECRET_KEY = ("incidentfox-web-ui-oidc", "client_secret")
TEAM_SECRET_KEY = ("incidentfox-team-token", "INCIDENTFOX_TEAM_TOKEN")
WEB_UI_SECRET = {WEB_UI_SECRET_KEY[0]: {WEB_UI_SECRET_KEY[1]}}
TEAM_SECRET = {TEAM_SECRET_KEY[0]: {TEAM_SECRET_KEY[1]}}

PROFILES = {
    "default": (),
    "pilot": (PILOT,),
    "prod": (PROD,),
    "preexisting": (PREEXISTING,),
}


@functools.cache
def _render(values: tuple[Path, ...], sets: tuple[str, ...]) -> Rendered:
    return render(CHART, *values, set=sets, name="incidentfox", namespace="incidentfox")


def rel(*values: Path, set: tuple[str, ...] = ()) -> Rendered:
    """Render as the seed installs it: release incidentfox in namespace incidentfox.
    Renders are cached: tests only read the objects."""
    return _render(values, set)


def pod(obj: dict[str, Any]) -> dict[str, Any]:
    spec: dict[str, Any] = obj["spec"]["template"]["spec"]
    return spec


def env(r: Rendered, component: str, kind: str = "Deployment") -> dict[str, Any]:
    """Env of the component's container: plain values, ("secret", name, key) or ("field", p)."""
    (container,) = pod(r.get(kind, f"incidentfox-{component}"))["containers"]
    out: dict[str, Any] = {}
    for e in container.get("env", []):
        ref = e.get("valueFrom", {})
        if "secretKeyRef" in ref:
            out[e["name"]] = ("secret", ref["secretKeyRef"]["name"], ref["secretKeyRef"]["key"])
        elif "fieldRef" in ref:
            out[e["name"]] = ("field", ref["fieldRef"]["fieldPath"])
        else:
            out[e["name"]] = e["value"]
    return out


def secret_reads(r: Rendered) -> dict[str, set[str]]:
    """Secret → keys read by any container of any workload (env secretKeyRef)."""
    reads: dict[str, set[str]] = {}
    for obj in r.all("Deployment") + r.all("Job"):
        for c in pod(obj)["containers"]:
            for e in c.get("env", []):
                ref = e.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    reads.setdefault(ref["name"], set()).add(ref["key"])
            assert "envFrom" not in c, "contract keys must be visible on the pod spec"
    return reads


def produced(r: Rendered) -> dict[str, set[str]]:
    """Secret → keys the rendered ExternalSecrets produce."""
    return {
        es["spec"]["target"]["name"]: {d["secretKey"] for d in es["spec"]["data"]}
        for es in r.all("ExternalSecret")
    }


# --- the secrets contract ---------------------------------------------------------------------

DB, CFG, OAI = "incidentfox-database-url", "incidentfox-config-service", "incidentfox-openai"
READERS = [  # (extra values, component, env var, Secret, key)
    ((), "config-service", "DATABASE_URL", DB, "DATABASE_URL"),
    ((), "config-service", "ADMIN_TOKEN", CFG, "ADMIN_TOKEN"),
    ((), "config-service", "TOKEN_PEPPER", CFG, "TOKEN_PEPPER"),
    ((), "config-service", "IMPERSONATION_JWT_SECRET", CFG, "IMPERSONATION_JWT_SECRET"),
    ((), "orchestrator", "DATABASE_URL", DB, "DATABASE_URL"),
    ((), "orchestrator", "ORCHESTRATOR_INTERNAL_ADMIN_TOKEN", CFG, "ADMIN_TOKEN"),
    ((), "agent", "OPENAI_API_KEY", OAI, "api_key"),
    ((AI,), "ai-pipeline", "DATABASE_URL", DB, "DATABASE_URL"),
    ((AI,), "ai-pipeline", "CONFIG_SERVICE_ADMIN_TOKEN", CFG, "ADMIN_TOKEN"),
    ((AI,), "ai-pipeline", "OPENAI_API_KEY", OAI, "api_key"),
    ((TEAM_TOKEN,), "agent", "INCIDENTFOX_TEAM_TOKEN", *TEAM_SECRET_KEY),
    ((RBAC, WEB_OIDC), "web-ui", "WEB_UI_OIDC_CLIENT_SECRET", *WEB_UI_SECRET_KEY),
]


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize(("extra", "component", "var", "secret", "key"), READERS)
def test_contract_key_read_by_the_right_container(
    profile: str, extra: tuple[Path, ...], component: str, var: str, secret: str, key: str
) -> None:
    assert env(rel(*PROFILES[profile], *extra), component)[var] == ("secret", secret, key)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ((), CONTRACT),
        ((PILOT,), CONTRACT),
        ((PROD,), CONTRACT | WEB_UI_SECRET),
        ((PREEXISTING,), CONTRACT),
        ((AI,), CONTRACT),
        ((TEAM_TOKEN,), CONTRACT | TEAM_SECRET),
    ],
    ids=["default", "pilot", "prod", "preexisting", "ai-pipeline", "static-team-token"],
)
def test_release_reads_exactly_the_contract(values: tuple[Path, ...], expected: Any) -> None:
    assert secret_reads(rel(*values)) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ((), CONTRACT),
        ((PILOT,), CONTRACT),
        ((PROD,), CONTRACT | WEB_UI_SECRET),
        ((TEAM_TOKEN,), CONTRACT | TEAM_SECRET),
        ((PREEXISTING,), {}),
    ],
    ids=["default", "pilot", "prod", "static-team-token", "preexisting"],
)
def test_external_secrets_produce_exactly_what_is_read(
    values: tuple[Path, ...], expected: Any
) -> None:
    r = rel(*values)
    assert produced(r) == expected
    assert not r.all("Secret"), "the chart never renders a contract Secret itself"
    for es in r.all("ExternalSecret"):
        assert es["apiVersion"] == "external-secrets.io/v1"
        assert es["metadata"]["name"] == es["spec"]["target"]["name"]


def test_web_ui_client_secret_without_eso_key_must_preexist() -> None:
    r = rel(RBAC, WEB_OIDC)
    assert "incidentfox-web-ui-oidc" in secret_reads(r)
    assert "incidentfox-web-ui-oidc" not in produced(r)


@pytest.mark.parametrize(
    ("values", "secret", "key", "remote"),
    [
        (
            (),
            "incidentfox-database-url",
            "DATABASE_URL",
            ("incidentfox/database-url", "DATABASE_URL"),
        ),
        ((), "incidentfox-openai", "api_key", ("incidentfox/openai", "api_key")),
        (
            (PROD,),
            "incidentfox-config-service",
            "TOKEN_PEPPER",
            ("incidentfox/prod/config-service", "TOKEN_PEPPER"),
        ),
        (
            (PROD,),
            "incidentfox-web-ui-oidc",
            "client_secret",
            ("incidentfox/prod/web-ui-oidc", "client_secret"),
        ),
        (
            (TEAM_TOKEN,),
            "incidentfox-team-token",
            "INCIDENTFOX_TEAM_TOKEN",
            ("incidentfox/team-token", "INCIDENTFOX_TEAM_TOKEN"),
        ),
    ],
)
def test_contract_key_maps_to_aws_key_and_property(
    values: tuple[Path, ...], secret: str, key: str, remote: tuple[str, str]
) -> None:
    es = rel(*values).get("ExternalSecret", secret)
    assert es["spec"]["secretStoreRef"] == {
        "kind": "ClusterSecretStore",
        "name": "aws-secrets-manager",
    }
    (item,) = [d for d in es["spec"]["data"] if d["secretKey"] == key]
    assert (item["remoteRef"]["key"], item["remoteRef"]["property"]) == remote


def test_empty_property_takes_the_whole_aws_value() -> None:
    r = rel(set=("externalSecrets.contract.openai.api_key.property=",))
    (item,) = r.get("ExternalSecret", "incidentfox-openai")["spec"]["data"]
    assert item["remoteRef"] == {"key": "incidentfox/openai"}


# --- wiring between services ------------------------------------------------------------------


@pytest.mark.parametrize(("release", "namespace"), [("incidentfox", "incidentfox"), ("ifx", "ops")])
def test_internal_urls_are_derived_from_the_release(release: str, namespace: str) -> None:
    r = render(CHART, AI, name=release, namespace=namespace)
    prefix = release if "incidentfox" in release else f"{release}-incidentfox"
    services = {s["metadata"]["name"]: s["spec"]["ports"][0]["port"] for s in r.all("Service")}
    urls = {
        (o["metadata"]["name"], e["name"]): e["value"]
        for o in r.all("Deployment") + r.all("Job")
        for c in pod(o)["containers"]
        for e in c.get("env", [])
        if e["name"].endswith("_URL") and "value" in e
    }
    assert urls, "no service URLs rendered"
    for value in urls.values():
        host, port = value.removeprefix("http://").split(":")
        name, ns, *_ = host.split(".")
        assert (ns, services.get(name)) == (namespace, int(port)), value
        assert name.startswith(f"{prefix}-")


@pytest.mark.parametrize(
    ("component", "var", "target"),
    [
        ("orchestrator", "CONFIG_SERVICE_URL", "config-service:8080"),
        ("orchestrator", "AGENT_API_URL", "agent:8080"),
        ("orchestrator", "AI_PIPELINE_API_URL", "ai-pipeline:8090"),
        ("agent", "CONFIG_SERVICE_URL", "config-service:8080"),
        ("agent", "CONFIG_BASE_URL", "config-service:8080"),
        ("web-ui", "CONFIG_SERVICE_URL", "config-service:8080"),
        ("web-ui", "ORCHESTRATOR_URL", "orchestrator:8070"),
    ],
)
def test_service_url(component: str, var: str, target: str) -> None:
    name, port = target.split(":")
    url = f"http://incidentfox-{name}.incidentfox.svc.cluster.local:{port}"
    assert env(rel(), component)[var] == url


def test_orchestrator_gets_a_non_empty_ai_pipeline_url_even_when_it_is_off() -> None:
    r = rel()
    assert "incidentfox-ai-pipeline" not in r.names("Deployment")
    assert env(r, "orchestrator")["AI_PIPELINE_API_URL"]


@pytest.mark.parametrize("profile", PROFILES)
def test_team_token_flow_web_ui_to_orchestrator_to_agent(profile: str) -> None:
    """web_ui calls the orchestrator; only the orchestrator knows the agent; team tokens are
    minted by config_service for the agent runtime audience and never reach the browser side."""
    r = rel(*PROFILES[profile])
    ui, orch, agent = env(r, "web-ui"), env(r, "orchestrator"), env(r, "agent")
    assert "ORCHESTRATOR_URL" in ui and "AGENT_SERVICE_URL" not in ui
    ui_secrets = {v[1] for v in ui.values() if isinstance(v, tuple) and v[0] == "secret"}
    assert ui_secrets <= {"incidentfox-web-ui-oidc"}
    assert "INCIDENTFOX_TEAM_TOKEN" not in ui and "INCIDENTFOX_TEAM_TOKEN" not in agent
    assert "AGENT_API_URL" in orch
    assert env(r, "config-service")["IMPERSONATION_JWT_AUDIENCE"] == "incidentfox-agent-runtime"


def test_direct_agent_access_is_opt_in() -> None:
    ui = env(rel(set=("services.webUi.directAgentAccess=true",)), "web-ui")
    assert ui["AGENT_SERVICE_URL"] == "http://incidentfox-agent.incidentfox.svc.cluster.local:8080"


# --- admin auth, RBAC, impersonation, web UI OIDC ---------------------------------------------

AUTH = [  # (values, component, expected env subset)
    (
        (),
        "config-service",
        {
            "ADMIN_AUTH_MODE": "token",
            "TEAM_AUTH_MODE": "token",
            "OIDC_ENABLED": "0",
            "ADMIN_PERMISSIONS_DEFAULT": "admin:*",
            "ADMIN_GROUP_PERMISSIONS_JSON": "{}",
            "IMPERSONATION_JTI_DB_LOGGING": "0",
            "IMPERSONATION_JTI_DB_REQUIRE": "0",
        },
    ),
    (
        (RBAC,),
        "config-service",
        {
            "ADMIN_AUTH_MODE": "oidc",
            "OIDC_ENABLED": "1",
            "OIDC_ISSUER": "https://your-issuer/",
            "OIDC_AUDIENCE": "incidentfox",
            "OIDC_JWKS_URL": "https://your-issuer/.well-known/jwks.json",
            "OIDC_ADMIN_GROUP": "incidentfox-admins",
            "OIDC_ALG": "RS256",
            "OIDC_LEEWAY_SECONDS": "30",
            "ADMIN_PERMISSIONS_DEFAULT": "admin:read",
        },
    ),
    (
        (),
        "orchestrator",
        {
            "ORCHESTRATOR_REQUIRE_ADMIN_STAR": "1",
            "ORCHESTRATOR_ADMIN_AUTH_CACHE_TTL_SECONDS": "15",
            "ORCHESTRATOR_REQUIRED_PERMISSION_PROVISION_TEAM": "admin:provision",
        },
    ),
    (
        (RBAC,),
        "orchestrator",
        {
            "ORCHESTRATOR_REQUIRE_ADMIN_STAR": "0",
            "ORCHESTRATOR_REQUIRED_PERMISSION_PROVISION_TEAM": "admin:provision",
            "ORCHESTRATOR_REQUIRED_PERMISSION_PROVISION_READ": "admin:provision:read",
            "ORCHESTRATOR_REQUIRED_PERMISSION_AGENT_RUN": "admin:agent:run",
        },
    ),
    (
        (JTI,),
        "config-service",
        {"IMPERSONATION_JTI_DB_LOGGING": "1", "IMPERSONATION_JTI_DB_REQUIRE": "1"},
    ),
    (
        (RBAC, WEB_OIDC),
        "web-ui",
        {
            "WEB_UI_COOKIE_SECURE": "true",
            "WEB_UI_OIDC_ENABLED": "true",
            "NEXT_PUBLIC_WEB_UI_OIDC_ENABLED": "true",
            "WEB_UI_PUBLIC_BASE_URL": "https://incidentfox.example.com",
            "WEB_UI_OIDC_AUTHORIZATION_ENDPOINT": "https://your-issuer/authorize",
            "WEB_UI_OIDC_TOKEN_ENDPOINT": "https://your-issuer/oauth/token",
            "WEB_UI_OIDC_CLIENT_ID": "incidentfox-web",
            "HOSTNAME": "0.0.0.0",
        },
    ),
    ((PILOT,), "web-ui", {"WEB_UI_COOKIE_SECURE": "false", "WEB_UI_OIDC_ENABLED": "false"}),
    ((PILOT,), "config-service", {"ADMIN_AUTH_MODE": "token", "OIDC_ENABLED": "0"}),
    (
        (PROD,),
        "config-service",
        {"ADMIN_AUTH_MODE": "oidc", "OIDC_ENABLED": "1", "IMPERSONATION_JTI_DB_REQUIRE": "1"},
    ),
    ((PROD,), "orchestrator", {"ORCHESTRATOR_REQUIRE_ADMIN_STAR": "0"}),
    ((PROD,), "web-ui", {"WEB_UI_COOKIE_SECURE": "true", "WEB_UI_OIDC_ENABLED": "true"}),
    ((AI,), "ai-pipeline", {"IFX_ORG_ID": "pilot-org", "PIPELINE_API_PORT": "8090"}),
    (
        (),
        "agent",
        {"USE_CONFIG_SERVICE": "true", "HEALTH_SERVER_PORT": "8081", "K8S_ENABLED": "true"},
    ),
]


@pytest.mark.parametrize(("values", "component", "expected"), AUTH)
def test_auth_env(values: tuple[Path, ...], component: str, expected: dict[str, str]) -> None:
    actual = env(rel(*values), component)
    assert {k: actual.get(k) for k in expected} == expected


@pytest.mark.parametrize("values", [(RBAC,), (PROD,)], ids=["seed-rbac", "prod"])
def test_group_permissions_reach_config_service_as_json(values: tuple[Path, ...]) -> None:
    text = env(rel(*values), "config-service")["ADMIN_GROUP_PERMISSIONS_JSON"]
    assert json.loads(text) == {
        "incidentfox-admins": ["admin:*"],
        "incidentfox-provisioners": ["admin:provision", "admin:provision:read"],
        "incidentfox-operators": ["admin:agent:run"],
    }


def test_group_permissions_may_be_a_yaml_map(tmp_path: Path) -> None:
    f = tmp_path / "v.yaml"
    f.write_text(
        "services:\n  configService:\n    adminGroupPermissionsJson:\n      ops: [admin:read]\n"
    )
    text = env(rel(f), "config-service")["ADMIN_GROUP_PERMISSIONS_JSON"]
    assert json.loads(text) == {"ops": ["admin:read"]}
