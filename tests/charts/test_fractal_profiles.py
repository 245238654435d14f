"""fractal-lba: deduplication backends, TLS, the production profile and the shared
Redis/PostgreSQL sub-charts (seed 003).
"""

from __future__ import annotations

import json
import os
import tarfile
from pathlib import Path
from typing import Any

import helm_python
import pytest
import yaml
from chart_render import CHARTS, REPO, Rendered, render, render_error
from test_fractal import (
    CHART,
    FILES,
    HMAC,
    NAME,
    container,
    decoded,
    env,
    env_from,
    run,
    secrets_read,
    workload,
)
from test_llmtrace_security import plaintext_credentials

DATA = REPO / "tests" / "data" / "fractal-lba"
REDIS, POSTGRES = FILES / "values-redis.yaml", FILES / "values-postgres.yaml"
TLS, PROD = FILES / "values-tls.yaml", FILES / "values-production.yaml"


def pod(r: Rendered, component: str) -> dict[str, Any]:
    spec: dict[str, Any] = workload(r, component)["spec"]["template"]["spec"]
    return spec


def test_redis_dedup_addr_follows_the_subchart() -> None:
    r = run(HMAC, REDIS)
    assert env(r, "backend")["DEDUP_BACKEND"] == "redis"
    assert env(r, "backend")["REDIS_ADDR"] == f"{NAME}-redis-master:6379"
    master = r.get("StatefulSet", f"{NAME}-redis-master")
    (claim,) = master["spec"]["volumeClaimTemplates"]
    assert claim["spec"]["resources"]["requests"]["storage"] == "10Gi"
    redis = master["spec"]["template"]["spec"]["containers"][0]
    refs = {
        e["valueFrom"]["secretKeyRef"]["name"]
        for e in redis["env"]
        if "secretKeyRef" in e.get("valueFrom", {})
    }
    assert refs == {"redis-auth-secret"}
    assert f"{NAME}-redis" not in r.names("Secret")  # existingSecret: none created


def test_redis_sentinel_snippet_renders_a_working_topology() -> None:
    r = run(HMAC, REDIS, DATA / "values-redis-sentinel.yaml")
    master = r.get("StatefulSet", f"{NAME}-redis-master")
    replicas = r.get("StatefulSet", f"{NAME}-redis-replicas")
    assert (master["spec"]["replicas"], replicas["spec"]["replicas"]) == (1, 2)
    for sts in (master, replicas):
        names = [c["name"] for c in sts["spec"]["template"]["spec"]["containers"]]
        assert names == ["redis", "sentinel"]
    script = r.get("ConfigMap", f"{NAME}-redis-scripts")["data"]["start-sentinel.sh"]
    monitor = next(x for x in script.splitlines() if x.startswith("sentinel monitor"))
    host = f"{NAME}-redis-master-0.{NAME}-redis-headless.{NAME}.svc.cluster.local"
    assert monitor.split()[2:] == ["mymaster", host, "6379", "2"]
    assert env(r, "backend")["REDIS_ADDR"] == f"{NAME}-redis-master:6379"


def test_postgres_dedup_conn_from_the_existing_secret() -> None:
    r = run(HMAC, POSTGRES)
    assert env(r, "backend")["DEDUP_BACKEND"] == "postgres"
    assert env(r, "backend")["POSTGRES_CONN"] == {
        "secretKeyRef": {"name": "postgres-conn-secret", "key": "POSTGRES_CONN"}
    }
    pg = r.get("StatefulSet", f"{NAME}-postgresql")["spec"]["template"]["spec"]["containers"][0]
    pg_env = {e["name"]: e.get("value", e.get("valueFrom")) for e in pg["env"]}
    assert pg_env["POSTGRES_USER"] == "fractal"
    assert pg_env["POSTGRES_DB"] == "fractal_lba"
    assert pg_env["POSTGRES_PASSWORD"]["secretKeyRef"]["name"] == "postgres-auth-secret"


def test_postgres_conn_built_from_the_subchart_credentials() -> None:
    r = run(
        HMAC,
        sets=[
            "backend.env.DEDUP_BACKEND=postgres",
            "postgresql.enabled=true",
            "postgresql.auth.password=it's s3cret",
        ],
    )
    conn = decoded(r.get("Secret", f"{NAME}-postgres-conn"))["POSTGRES_CONN"]
    assert conn == (
        f"host={NAME}-postgresql port=5432 user='fractal' password='it\\'s s3cret' "
        "dbname='fractal_lba' sslmode=disable"
    )
    assert decoded(r.get("Secret", f"{NAME}-postgresql")) == {"password": "it's s3cret"}


@pytest.mark.parametrize("files", [[HMAC, POSTGRES], [PROD]], ids=["postgres", "production"])
def test_postgres_conn_only_in_a_secret(files: list[Path]) -> None:
    sets = [
        "backend.env.DEDUP_BACKEND=postgres",
        "postgresql.enabled=true",
        "postgresql.auth.existingSecret=postgres-auth-secret",
        "postgresConn.existingSecret=postgres-conn-secret",
    ]
    r = run(*files, sets=sets)
    for obj in r.objects:
        if obj["kind"] == "Secret":
            continue
        assert "password=" not in json.dumps(obj)
        spec = obj.get("spec", {}).get("template", {}).get("spec", {})
        for c in spec.get("containers", []):
            for e in c.get("env", []):
                if e["name"] == "POSTGRES_CONN":
                    assert "value" not in e and "secretKeyRef" in e["valueFrom"]


# (case, --set, words of the error)
DEDUP_ERRORS = [
    ("postgres-without-source", ["backend.env.DEDUP_BACKEND=postgres"], ["postgresConn"]),
    (
        "postgres-existing-password-without-conn",
        [
            "backend.env.DEDUP_BACKEND=postgres",
            "postgresql.enabled=true",
            "postgresql.auth.existingSecret=pg",
        ],
        ["postgresConn.existingSecret"],
    ),
    ("redis-without-addr", ["backend.env.DEDUP_BACKEND=redis"], ["redis.enabled", "REDIS_ADDR"]),
    ("unknown-backend", ["backend.env.DEDUP_BACKEND=etcd"], ["DEDUP_BACKEND"]),
]


@pytest.mark.parametrize(("case", "sets", "words"), DEDUP_ERRORS, ids=[d[0] for d in DEDUP_ERRORS])
def test_dedup_fails_clearly(case: str, sets: list[str], words: list[str]) -> None:
    message = render_error(CHART, HMAC, set=sets, name=NAME)
    for word in words:
        assert word in message


def test_tls_ingress_and_mtls_mount() -> None:
    r = run(HMAC, TLS)
    ingress = r.get("Ingress", NAME)
    assert ingress["spec"]["ingressClassName"] == "nginx"
    assert (
        ingress["metadata"]["annotations"]["cert-manager.io/cluster-issuer"] == "letsencrypt-prod"
    )
    assert ingress["spec"]["tls"] == [
        {"secretName": "fractal-lba-tls", "hosts": ["api.fractal-lba.example.com"]}
    ]
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == f"{NAME}-backend"
    mounts = {m["mountPath"]: m for m in container(r, "backend")["volumeMounts"]}
    assert mounts["/etc/tls"]["readOnly"] is True
    assert "backend-tls-secret" in secrets_read(r, "backend")
    assert env(r, "backend")["TLS_CA_FILE"] == "/etc/tls/ca.crt"


@pytest.fixture(scope="module")
def production() -> Rendered:
    return run(PROD)


def test_production_backend_is_hardened_and_scaled(production: Rendered) -> None:
    sts = workload(production, "backend")
    assert sts["kind"] == "StatefulSet"  # one PVC per replica, no RWO multi-attach
    (claim,) = sts["spec"]["volumeClaimTemplates"]
    assert claim["spec"]["storageClassName"] == "fast-ssd"
    assert claim["spec"]["resources"]["requests"]["storage"] == "50Gi"
    hpa = production.get("HorizontalPodAutoscaler", f"{NAME}-backend")["spec"]
    assert hpa["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "name": sts["metadata"]["name"],
    }
    assert (hpa["minReplicas"], hpa["maxReplicas"]) == (3, 10)
    targets = {
        m["resource"]["name"]: m["resource"]["target"]["averageUtilization"] for m in hpa["metrics"]
    }
    assert targets == {"cpu": 70, "memory": 80}
    pdb = production.get("PodDisruptionBudget", f"{NAME}-backend")["spec"]
    assert pdb["minAvailable"] == 2
    assert container(production, "backend")["resources"]["limits"] == {
        "cpu": "2000m",
        "memory": "2Gi",
    }


def test_production_security_context_split(production: Rendered) -> None:
    assert pod(production, "backend")["securityContext"]["fsGroup"] == 1000
    sc = container(production, "backend")["securityContext"]
    assert sc["runAsNonRoot"] is True and sc["runAsUser"] == 1000
    assert sc["capabilities"] == {"drop": ["ALL"]}
    assert "fsGroup" not in sc


def test_production_topology_spread_selects_the_backend_pods(production: Rendered) -> None:
    (constraint,) = pod(production, "backend")["topologySpreadConstraints"]
    labels = workload(production, "backend")["spec"]["template"]["metadata"]["labels"]
    assert constraint["labelSelector"]["matchLabels"].items() <= labels.items()
    assert constraint["topologyKey"] == "topology.kubernetes.io/zone"


def test_production_network_policy_keeps_the_seed_rules(production: Rendered) -> None:
    policy = production.get("NetworkPolicy", f"{NAME}-backend")["spec"]
    seed = yaml.safe_load(PROD.read_text())["backend"]["networkPolicy"]["ingress"][:2]
    assert policy["ingress"][:2] == seed
    assert policy["podSelector"]["matchLabels"]["app.kubernetes.io/component"] == "backend"


def test_production_reads_every_credential_from_secrets(production: Rendered) -> None:
    assert env_from(production, "backend") == [
        ("secret", "pcs-hmac-secret"),
        ("secret", "metrics-auth-secret"),
    ]
    assert env(production, "backend")["REDIS_ADDR"] == f"{NAME}-redis-master:6379"
    assert production.all("Secret") == []  # all pre-created
    (endpoint,) = production.get("ServiceMonitor", f"{NAME}-backend")["spec"]["endpoints"]
    assert endpoint["basicAuth"]["password"] == {
        "name": "metrics-auth-secret",
        "key": "METRICS_PASS",
    }


def test_production_slo_alert(production: Rendered) -> None:
    rule = production.get("PrometheusRule", f"{NAME}-slo")["spec"]["groups"][0]["rules"]
    alert = next(x for x in rule if "alert" in x)
    assert alert["expr"].endswith("> 0.02")
    assert "2%" in alert["annotations"]["summary"]


def test_production_grafana(production: Rendered) -> None:
    grafana = production.get("Deployment", f"{NAME}-grafana")["spec"]["template"]["spec"]
    env_vars = {e["name"]: e.get("valueFrom", {}) for e in grafana["containers"][0]["env"]}
    assert env_vars["GF_SECURITY_ADMIN_PASSWORD"]["secretKeyRef"]["name"] == "grafana-admin-secret"
    claim = next(v for v in grafana["volumes"] if v["name"] == "data")["persistentVolumeClaim"]
    pvc = production.get("PersistentVolumeClaim", claim["claimName"])
    assert pvc["spec"]["resources"]["requests"]["storage"] == "10Gi"
    provisioning = production.get("ConfigMap", f"{NAME}-grafana-provisioning")["data"]
    assert json.loads(provisioning["fractal-lba-backend.json"])["uid"] == "fractal-lba-backend"


def test_production_redis_is_replicated_with_sentinel(production: Rendered) -> None:
    assert production.get("StatefulSet", f"{NAME}-redis-replicas")["spec"]["replicas"] == 2
    assert f"{NAME}-redis-sentinel" in production.names("Service")


@pytest.mark.parametrize("path", sorted(FILES.glob("values*.yaml")), ids=lambda p: p.name)
def test_no_plaintext_password_in_committed_values(path: Path) -> None:
    assert plaintext_credentials(yaml.safe_load(path.read_text())) == []


@pytest.mark.parametrize("sub", ["redis", "postgresql"])
def test_subcharts_are_the_llmtrace_ones(sub: str) -> None:
    link = CHARTS / CHART / "charts" / sub
    assert link.is_symlink()
    assert link.resolve() == (CHARTS / "llmtrace" / "charts" / sub).resolve()
    assert os.readlink(link) == f"../../llmtrace/charts/{sub}"  # relative: works in any clone


def test_packaged_chart_holds_real_subchart_files(tmp_path: Path) -> None:
    chart = helm_python.Chart.load(CHARTS / CHART)
    assert sorted(d["name"] for d in chart.dependencies) == ["postgresql", "redis"]
    archive = helm_python.package(CHARTS / CHART, destination=tmp_path)
    with tarfile.open(archive) as tar:
        members = {m.name: m for m in tar.getmembers()}
        for sub in ("redis", "postgresql"):
            name = f"{CHART}/charts/{sub}/templates/statefulset.yaml"
            assert members[name].isfile()
            source = CHARTS / "llmtrace" / "charts" / sub / "templates" / "statefulset.yaml"
            extracted = tar.extractfile(members[name])
            assert extracted is not None and extracted.read() == source.read_bytes()
    from_dir = run(HMAC, REDIS)
    from_tgz = render(Path(archive), HMAC, REDIS, name=NAME, namespace=NAME)
    assert objects(from_tgz) == objects(from_dir)


def objects(r: Rendered) -> list[tuple[str, str]]:
    return sorted((o["kind"], o["metadata"]["name"]) for o in r.objects)
