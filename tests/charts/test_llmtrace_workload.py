"""llmtrace: the proxy workload (APPS.md section 2) and the production knobs.

The image's entrypoint is `tini --`, /health is the probe endpoint, the config file is
a ConfigMap mounted at /etc/llmtrace, the root filesystem is read-only with writable
/tmp, /data and (for the ML model download) /home/llmtrace/.cache.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from chart_render import CHARTS, Rendered, render
from test_llmtrace import PROD, SUBCHART_PASSWORDS, existing, proxy

CHART = "llmtrace"
DEV = CHARTS / CHART / "values-dev.yaml"


def pod(r: Rendered) -> dict[str, Any]:
    spec: dict[str, Any] = r.get("Deployment", "llmtrace")["spec"]["template"]["spec"]
    return spec


def mounts(r: Rendered) -> dict[str, dict[str, Any]]:
    return {m["mountPath"]: m for m in proxy(r)["volumeMounts"]}


def volumes(r: Rendered) -> dict[str, dict[str, Any]]:
    return {v["name"]: v for v in pod(r)["volumes"]}


def env(r: Rendered) -> dict[str, str]:
    return {e["name"]: e.get("value", "") for e in proxy(r).get("env", [])}


@pytest.fixture(scope="module")
def default() -> Rendered:
    return render(CHART, set=SUBCHART_PASSWORDS, name="llmtrace")


def test_args_start_with_the_program_not_a_flag(default: Rendered) -> None:
    """ENTRYPOINT tini -- keeps running; args must name llmtrace-proxy first."""
    c = proxy(default)
    assert "command" not in c
    assert c["args"] == ["llmtrace-proxy", "--config", "/etc/llmtrace/config.yaml"]
    assert c["image"] == "ghcr.io/epappas/llmtrace-proxy:0.1.5"


@pytest.mark.parametrize("probe", ["startupProbe", "livenessProbe", "readinessProbe"])
def test_probes_on_health(default: Rendered, probe: str) -> None:
    assert proxy(default)[probe]["httpGet"] == {"path": "/health", "port": "http"}


def test_startup_probe_allows_five_minutes(default: Rendered) -> None:
    p = proxy(default)["startupProbe"]
    assert p["periodSeconds"] * p["failureThreshold"] >= 300


def test_config_file_from_configmap(default: Rendered) -> None:
    m = mounts(default)["/etc/llmtrace"]
    assert m["readOnly"] is True
    assert volumes(default)[m["name"]]["configMap"]["name"] == "llmtrace-config"
    config = yaml.safe_load(default.get("ConfigMap", "llmtrace-config")["data"]["config.yaml"])
    assert config["listen_addr"] == "0.0.0.0:8080"
    assert config["storage"]["profile"] == "production"
    # The URLs (with passwords) live in the Secret, never in the ConfigMap.
    assert not {"postgres_url", "redis_url", "clickhouse_url"} & set(config["storage"])


def test_non_root_read_only_root_filesystem(default: Rendered) -> None:
    assert pod(default)["securityContext"]["runAsNonRoot"] is True
    assert pod(default)["securityContext"]["runAsUser"] == 1000
    sc = proxy(default)["securityContext"]
    assert sc["readOnlyRootFilesystem"] is True
    assert sc["allowPrivilegeEscalation"] is False
    assert sc["capabilities"]["drop"] == ["ALL"]


@pytest.mark.parametrize("path", ["/tmp", "/data", "/home/llmtrace/.cache"])
def test_writable_volumes(default: Rendered, path: str) -> None:
    m = mounts(default)[path]
    assert not m.get("readOnly", False)
    assert "emptyDir" in volumes(default)[m["name"]]


# (ml.enabled, LLMTRACE_ML_ENABLED env, model cache mounted)
ML = [("true", None, True), ("false", "0", False)]


@pytest.mark.parametrize(("enabled", "value", "cache"), ML)
def test_ml_model_download(enabled: str, value: str | None, cache: bool) -> None:
    r = render(CHART, set=[*SUBCHART_PASSWORDS, f"ml.enabled={enabled}"], name="llmtrace")
    assert env(r).get("LLMTRACE_ML_ENABLED") == value
    assert ("/home/llmtrace/.cache" in mounts(r)) is cache


def test_lite_profile_persistence_uses_a_pvc() -> None:
    r = render(CHART, DEV, set=["persistence.enabled=true"], name="llmtrace")
    claim = volumes(r)[mounts(r)["/data"]["name"]]["persistentVolumeClaim"]["claimName"]
    assert r.get("PersistentVolumeClaim", claim)["spec"]["resources"]["requests"]["storage"]


def test_dev_profile_needs_no_credentials() -> None:
    r = render(CHART, DEV, name="llmtrace")
    assert r.all("StatefulSet") == []
    config = yaml.safe_load(r.get("ConfigMap", "llmtrace-config")["data"]["config.yaml"])
    assert config["storage"]["profile"] == "lite"
    assert set(r.get("Secret", "llmtrace")["data"]) == {"LLMTRACE_CLICKHOUSE_DATABASE"}


def test_grpc_port() -> None:
    r = render(CHART, set=[*SUBCHART_PASSWORDS, "grpc.enabled=true"], name="llmtrace")
    ports = {p["name"]: p["port"] for p in r.get("Service", "llmtrace")["spec"]["ports"]}
    assert ports == {"http": 80, "grpc": 50051}
    config = yaml.safe_load(r.get("ConfigMap", "llmtrace-config")["data"]["config.yaml"])
    assert config["grpc"] == {"enabled": True}


@pytest.fixture(scope="module")
def production() -> Rendered:
    return render(CHART, PROD, set=existing("llmtrace"), name="llmtrace", namespace="llmtrace")


# (kind, what the production profile must render)
PRODUCTION_OBJECTS = [
    "HorizontalPodAutoscaler",
    "PodDisruptionBudget",
    "NetworkPolicy",
    "ServiceMonitor",
    "Ingress",
    "ServiceAccount",
]


@pytest.mark.parametrize("kind", PRODUCTION_OBJECTS)
def test_production_renders(production: Rendered, kind: str) -> None:
    production.get(kind, "llmtrace")


def test_production_knobs(production: Rendered) -> None:
    assert proxy(production)["resources"]["limits"]["memory"] == "2Gi"
    assert "replicas" not in production.get("Deployment", "llmtrace")["spec"]  # HPA owns it
    hpa = production.get("HorizontalPodAutoscaler", "llmtrace")["spec"]
    assert {m["resource"]["name"] for m in hpa["metrics"]} == {"cpu", "memory"}
    assert hpa["minReplicas"] >= 2
    ingress = production.get("Ingress", "llmtrace")["spec"]
    assert ingress["tls"] == [{"secretName": "llmtrace-tls", "hosts": ["llmtrace.example.com"]}]
    policy = production.get("NetworkPolicy", "llmtrace")["spec"]
    assert policy["ingress"][0]["ports"] == [{"protocol": "TCP", "port": 8080}]
    assert policy["ingress"][0]["from"]
    monitor = production.get("ServiceMonitor", "llmtrace")["spec"]
    assert monitor["endpoints"][0]["path"] == "/metrics"
    assert pod(production)["topologySpreadConstraints"]


def test_service_monitor_off_by_default(default: Rendered) -> None:
    assert default.all("ServiceMonitor") == []
