"""incidentfox: per-service hardening knobs (probes, resources, PDB, HPA), the ALB Ingress of the
pilot and prod profiles, and the render-time checks that turn bad values into one clear line.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from chart_render import CHARTS, Rendered, render, render_error

CHART = "incidentfox"
PILOT = CHARTS / CHART / "values.pilot.yaml"
PROD = CHARTS / CHART / "values.prod.yaml"
DATA = Path(__file__).resolve().parents[1] / "data" / "incidentfox"
AI, TEAM_TOKEN = DATA / "ai-pipeline.yaml", DATA / "seed-static-team-token.yaml"
CORE = ["config-service", "orchestrator", "agent", "web-ui"]
ALB = "alb.ingress.kubernetes.io/"


@functools.cache
def rel(*values: Path, sets: tuple[str, ...] = ()) -> Rendered:
    return render(CHART, *values, set=sets, name="incidentfox", namespace="incidentfox")


def deployment(r: Rendered, component: str) -> dict[str, Any]:
    return r.get("Deployment", f"incidentfox-{component}")


def container(r: Rendered, component: str) -> dict[str, Any]:
    (c,) = deployment(r, component)["spec"]["template"]["spec"]["containers"]
    return dict(c)


def probe_target(c: dict[str, Any], probe: str) -> tuple[str, int]:
    """(path, container port number) of an httpGet probe; named ports resolved."""
    get = c[probe]["httpGet"]
    ports = {p["name"]: p["containerPort"] for p in c["ports"]}
    return get["path"], ports.get(get["port"], get["port"])


# --- probes, ports, resources -----------------------------------------------------------------

PROBES = [  # (component, port, liveness, readiness) — APPS.md §3
    ("config-service", 8080, ("/health", 8080), ("/health", 8080)),
    ("orchestrator", 8070, ("/health", 8070), ("/health", 8070)),
    ("agent", 8080, ("/livez", 8081), ("/readyz", 8081)),
    ("web-ui", 3000, ("/", 3000), ("/", 3000)),
    ("ai-pipeline", 8090, ("/health", 8090), ("/health", 8090)),
]


@pytest.mark.parametrize(
    "values", [(AI,), (PROD, AI), (PILOT, AI)], ids=["default", "prod", "pilot"]
)
@pytest.mark.parametrize(("component", "port", "liveness", "readiness"), PROBES)
def test_probes_ports_and_resources(
    values: tuple[Path, ...],
    component: str,
    port: int,
    liveness: tuple[str, int],
    readiness: tuple[str, int],
) -> None:
    r = rel(*values)
    c = container(r, component)
    assert probe_target(c, "livenessProbe") == liveness
    assert probe_target(c, "readinessProbe") == readiness
    assert {"requests", "limits"} <= set(c["resources"])
    service = r.get("Service", f"incidentfox-{component}")
    assert [(p["port"], p["targetPort"]) for p in service["spec"]["ports"]] == [(port, "http")]
    assert c["ports"][0] == {"name": "http", "containerPort": port, "protocol": "TCP"}


def test_agent_pod_runtime_facts() -> None:
    spec = deployment(rel(), "agent")["spec"]["template"]["spec"]
    assert spec["serviceAccountName"] == "incidentfox-agent"
    assert spec["terminationGracePeriodSeconds"] == 60
    assert spec["securityContext"]["runAsUser"] == 1000
    assert rel().get("ServiceAccount", "incidentfox-agent")


def test_ai_pipeline_is_off_by_default_and_runs_its_api_server_when_on() -> None:
    assert "incidentfox-ai-pipeline" not in rel().names("Deployment")
    assert container(rel(AI), "ai-pipeline")["command"] == ["python3", "scripts/run_api_server.py"]


@pytest.mark.parametrize(("values", "replicas"), [((), 2), ((PILOT,), 1)], ids=["default", "pilot"])
def test_replicas_without_hpa(values: tuple[Path, ...], replicas: int) -> None:
    r = rel(*values)
    assert not r.all("HorizontalPodAutoscaler") and not r.all("PodDisruptionBudget")
    for component in CORE:
        assert deployment(r, component)["spec"]["replicas"] == replicas


# --- PDB and HPA ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("component", "min_replicas", "max_replicas"),
    [("config-service", 2, 6), ("orchestrator", 2, 6), ("agent", 2, 10), ("web-ui", 2, 6)],
)
def test_prod_pdb_and_hpa_per_service(component: str, min_replicas: int, max_replicas: int) -> None:
    r = rel(PROD)
    name = f"incidentfox-{component}"
    pod_labels = deployment(r, component)["spec"]["template"]["metadata"]["labels"]
    pdb = r.get("PodDisruptionBudget", name)["spec"]
    assert pdb["minAvailable"] == 1
    assert pdb["selector"]["matchLabels"].items() <= pod_labels.items()
    hpa = r.get("HorizontalPodAutoscaler", name)["spec"]
    assert hpa["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": name}
    assert (hpa["minReplicas"], hpa["maxReplicas"]) == (min_replicas, max_replicas)
    assert [m["resource"]["name"] for m in hpa["metrics"]] == ["cpu"]
    assert "replicas" not in deployment(r, component)["spec"], "the HPA owns the replica count"


@pytest.mark.parametrize(
    ("sets", "pdb", "metrics"),
    [
        (
            (
                "services.agent.pdb.enabled=true",
                "services.agent.pdb.minAvailable=null",
                "services.agent.pdb.maxUnavailable=1",
            ),
            {"maxUnavailable": 1},
            None,
        ),
        (
            (
                "services.agent.hpa.enabled=true",
                "services.agent.hpa.targetMemoryUtilizationPercentage=80",
            ),
            None,
            {"cpu": 70, "memory": 80},
        ),
    ],
    ids=["pdb-max-unavailable", "hpa-cpu-and-memory"],
)
def test_pdb_and_hpa_knobs(sets: tuple[str, ...], pdb: Any, metrics: Any) -> None:
    r = rel(sets=sets)
    if pdb:
        spec = r.get("PodDisruptionBudget", "incidentfox-agent")["spec"]
        assert {k: v for k, v in spec.items() if k != "selector"} == pdb
    if metrics:
        hpa = r.get("HorizontalPodAutoscaler", "incidentfox-agent")["spec"]
        got = {
            m["resource"]["name"]: m["resource"]["target"]["averageUtilization"]
            for m in hpa["metrics"]
        }
        assert got == metrics


# --- Ingress (AWS Load Balancer Controller) ---------------------------------------------------

INGRESS = [  # (values, expected ALB annotations; None = absent)
    (
        (PILOT,),
        {
            "scheme": "internal",
            "target-type": "ip",
            "listen-ports": [{"HTTP": 80}],
            "certificate-arn": None,
            "ssl-redirect": None,
        },
    ),
    (
        (PROD,),
        {
            "scheme": "internet-facing",
            "listen-ports": [{"HTTP": 80}, {"HTTPS": 443}],
            "certificate-arn": "arn:aws:acm:us-west-2:111122223333:certificate/"
            "00000000-0000-0000-0000-000000000000",
            "ssl-redirect": "443",
            "ssl-policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
        },
    ),
]


@pytest.mark.parametrize(("values", "expected"), INGRESS, ids=["pilot", "prod"])
def test_alb_ingress(values: tuple[Path, ...], expected: dict[str, Any]) -> None:
    ingress = rel(*values).get("Ingress", "incidentfox-web-ui")
    ann = ingress["metadata"]["annotations"]
    got = {
        k: (json.loads(ann[ALB + k]) if k == "listen-ports" else ann[ALB + k])
        if ALB + k in ann
        else None
        for k in expected
    }
    assert got == expected
    assert ingress["spec"]["ingressClassName"] == "alb"
    (rule,) = ingress["spec"]["rules"]
    (path,) = rule["http"]["paths"]
    assert (path["path"], path["backend"]["service"]) == (
        "/",
        {"name": "incidentfox-web-ui", "port": {"name": "http"}},
    )


def test_no_ingress_by_default() -> None:
    assert not rel().all("Ingress")


def test_https_without_certificate_arn_discovers_it_by_host_and_user_annotations_win() -> None:
    r = rel(
        PROD,
        sets=(
            "ingress.alb.https.certificateArn=",
            "ingress.annotations.alb\\.ingress\\.kubernetes\\.io/scheme=internal",
        ),
    )
    ingress = r.get("Ingress", "incidentfox-web-ui")
    assert ingress["spec"]["tls"] == [{"hosts": ["incidentfox.example.com"]}]
    assert ALB + "certificate-arn" not in ingress["metadata"]["annotations"]
    assert ingress["metadata"]["annotations"][ALB + "scheme"] == "internal"


# --- render-time checks -----------------------------------------------------------------------

ERRORS = [  # (--set flags, fragment of the one-line error)
    (
        ["services.configService.adminAuthMode=oidc"],
        "adminAuthMode=oidc needs services.configService.oidc.enabled=true",
    ),
    (
        ["services.configService.oidc.enabled=true"],
        "services.configService.oidc.issuer is required",
    ),
    (
        [
            "services.configService.oidc.enabled=true",
            "services.configService.oidc.issuer=i",
            "services.configService.oidc.audience=a",
        ],
        "services.configService.oidc.jwksUrl (or jwksJson for dev) is required",
    ),
    (
        [
            "services.configService.oidc.enabled=true",
            "services.configService.oidc.issuer=i",
            "services.configService.oidc.audience=a",
            "services.configService.oidc.jwksUrl=u",
            "services.configService.oidc.jwksJson=j",
        ],
        "set jwksUrl or jwksJson, not both",
    ),
    (
        [
            "services.configService.oidc.enabled=true",
            "services.configService.oidc.issuer=i",
            "services.configService.oidc.audience=a",
            "services.configService.oidc.jwksJson=nope",
        ],
        "jwksJson must be a JSON Web Key Set",
    ),
    (
        ["services.configService.impersonation.jtiDbRequire=true"],
        "jtiDbRequire=true needs jtiDbLogging=true",
    ),
    (["services.webUi.oidc.enabled=true"], "services.webUi.oidc.publicBaseUrl is required"),
    (
        [
            "services.webUi.oidc.enabled=true",
            "services.webUi.oidc.publicBaseUrl=http://ui",
            "services.webUi.oidc.authorizationEndpoint=a",
            "services.webUi.oidc.tokenEndpoint=t",
            "services.webUi.oidc.clientId=c",
            "services.webUi.cookieSecure=true",
        ],
        "cookieSecure=true needs an https services.webUi.oidc.publicBaseUrl",
    ),
    (
        [
            "services.webUi.oidc.enabled=true",
            "services.webUi.oidc.publicBaseUrl=https://ui",
            "services.webUi.oidc.authorizationEndpoint=a",
            "services.webUi.oidc.tokenEndpoint=t",
            "services.webUi.oidc.clientId=c",
        ],
        "services.webUi.oidc.enabled=true needs services.configService.adminAuthMode oidc or both",
    ),
    (
        [
            "services.agent.staticTeamToken.enabled=true",
            "services.agent.staticTeamToken.secretName=",
        ],
        "services.agent.staticTeamToken.secretName and secretKey are required",
    ),
    (
        [
            "services.agent.hpa.enabled=true",
            "services.agent.hpa.minReplicas=5",
            "services.agent.hpa.maxReplicas=2",
        ],
        "services.agent.hpa.minReplicas must not exceed maxReplicas",
    ),
    (
        ["services.webUi.pdb.enabled=true", "services.webUi.pdb.maxUnavailable=1"],
        "services.webUi.pdb: set minAvailable or maxUnavailable, not both",
    ),
    (["externalSecrets.secretStoreRef.name="], "externalSecrets.secretStoreRef.name is required"),
    (
        ["externalSecrets.contract.configService.TOKEN_PEPPER.key="],
        "externalSecrets.contract.configService.TOKEN_PEPPER.key",
    ),
    (
        ["ingress.enabled=true", "ingress.alb.https.enabled=true"],
        "ingress.alb.https.enabled=true needs ingress.alb.https.certificateArn or ingress.host",
    ),
    (["services.configService.adminAuthMode=ldap"], "services.configService.adminAuthMode"),
    (["ingress.alb.scheme=public"], "ingress.alb.scheme"),
]


@pytest.mark.parametrize(("sets", "message"), ERRORS, ids=[e[1][:48] for e in ERRORS])
def test_bad_values_fail_with_one_clear_line(sets: list[str], message: str) -> None:
    error = render_error(CHART, set=sets)
    assert message in error
    assert "\n" not in error


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"{not json"', "adminGroupPermissionsJson is not valid JSON"),
        ('"[\\"admin:*\\"]"', "must be a JSON object mapping each group to a list"),
        ('"{\\"ops\\": \\"admin:read\\"}"', 'group "ops" must map to a list of permissions'),
        ('"{\\"ops\\": [1]}"', 'group "ops" has a permission that is not a non-empty string'),
        ('"{\\"ops\\": [\\"\\"]}"', 'group "ops" has a permission that is not a non-empty string'),
    ],
    ids=["syntax", "array", "string-value", "number", "empty"],
)
def test_group_permissions_json_is_validated(tmp_path: Path, value: str, message: str) -> None:
    f = tmp_path / "v.yaml"
    f.write_text(f"services:\n  configService:\n    adminGroupPermissionsJson: {value}\n")
    error = render_error(CHART, f)
    assert "services.configService.adminGroupPermissionsJson" in error
    assert message in error


# --- the Chart.yaml declaration of the contract -----------------------------------------------


def declared() -> dict[str, dict[str, Any]]:
    """Secret name → declared keys, from the chartsafe.io/secrets annotation; entries with a
    valuesPath are resolved against the chart's default values."""
    chart = yaml.safe_load((CHARTS / CHART / "Chart.yaml").read_text())
    values = yaml.safe_load((CHARTS / CHART / "values.yaml").read_text())
    out: dict[str, dict[str, Any]] = {}
    for entry in yaml.safe_load(chart["annotations"]["chartsafe.io/secrets"]):
        name = entry.get("name")
        if "valuesPath" in entry:
            name = functools.reduce(lambda d, k: d[k], entry["valuesPath"].split("."), values)
        out[name] = entry["keys"]
    return out


@pytest.mark.parametrize(
    ("secret", "formats"),
    [
        ("incidentfox-database-url", {"DATABASE_URL": "url:postgresql|postgres"}),
        (
            "incidentfox-config-service",
            {
                "ADMIN_TOKEN": "base64:32",
                "TOKEN_PEPPER": "base64:32",
                "IMPERSONATION_JWT_SECRET": "base64:32",
            },
        ),
        ("incidentfox-openai", {"api_key": "text"}),
        ("incidentfox-team-token", {"INCIDENTFOX_TEAM_TOKEN": "text"}),
        ("incidentfox-web-ui-oidc", {"client_secret": "text"}),
        ("incidentfox-registry", {".dockerconfigjson": "dockerconfigjson"}),
    ],
)
def test_chart_declares_each_secret_key_and_format(secret: str, formats: dict[str, str]) -> None:
    assert {k: v["format"] for k, v in declared()[secret].items()} == formats


@pytest.mark.parametrize("values", [(PROD, TEAM_TOKEN), (AI,)], ids=["prod", "ai-pipeline"])
def test_declaration_covers_every_key_the_release_reads(values: tuple[Path, ...]) -> None:
    r = rel(*values)
    for obj in r.all("Deployment") + r.all("Job"):
        spec = obj["spec"]["template"]["spec"]
        for c in spec["containers"]:
            for e in c.get("env", []):
                if ref := e.get("valueFrom", {}).get("secretKeyRef"):
                    assert ref["key"] in declared()[ref["name"]], ref
        for pull in spec.get("imagePullSecrets", []):
            assert pull["name"] in declared()
