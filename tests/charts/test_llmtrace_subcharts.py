"""llmtrace sub-charts (clickhouse, postgresql, redis): written for chartsafe, loaded
from charts/llmtrace/charts/ by plain helm and the Helm SDK alike, no build step.

Redis and PostgreSQL are shared with the fractal-lba chart.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

import helm_python
import pytest
from chart_render import CHARTS, Rendered, render, render_error
from test_llmtrace import SUBCHART_PASSWORDS

SUB = CHARTS / "llmtrace" / "charts"
REDIS, POSTGRESQL, CLICKHOUSE = SUB / "redis", SUB / "postgresql", SUB / "clickhouse"


def containers(sts: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in sts["spec"]["template"]["spec"]["containers"]}


def env_refs(container: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {
        e["name"]: (e["valueFrom"]["secretKeyRef"]["name"], e["valueFrom"]["secretKeyRef"]["key"])
        for e in container.get("env", [])
        if "secretKeyRef" in e.get("valueFrom", {})
    }


def objects_of(r: Rendered) -> list[tuple[str, str]]:
    return sorted((o["kind"], o["metadata"]["name"]) for o in r.objects)


def test_sdk_loads_the_subcharts_from_the_charts_directory() -> None:
    """Declared in Chart.yaml, present as plain directories: nothing to build first."""
    chart = helm_python.Chart.load(CHARTS / "llmtrace")
    declared = {d["name"]: d["condition"] for d in chart.metadata["dependencies"]}
    assert declared == {
        "clickhouse": "clickhouse.enabled",
        "postgresql": "postgresql.enabled",
        "redis": "redis.enabled",
    }
    assert sorted(d["name"] for d in chart.dependencies) == sorted(declared)
    status = {d["name"]: d["status"] for d in helm_python.dependency_list(CHARTS / "llmtrace")}
    assert set(status.values()) <= {"ok", "unpacked"}, status


def test_packaged_chart_renders_like_the_directory(tmp_path: Path) -> None:
    """`helm package` carries the sub-charts: the archive installs the same objects."""
    archive = helm_python.package(CHARTS / "llmtrace", destination=tmp_path)
    from_dir = render("llmtrace", set=SUBCHART_PASSWORDS, name="llmtrace")
    from_tgz = render(Path(archive), set=SUBCHART_PASSWORDS, name="llmtrace")
    assert objects_of(from_tgz) == objects_of(from_dir)
    kinds = {k for k, _ in objects_of(from_dir)}
    assert "StatefulSet" in kinds


URL_VALUE = {"clickhouse": "clickhouseUrl", "postgresql": "postgresUrl", "redis": "redisUrl"}


# (sub-chart disabled, objects that disappear)
CONDITIONS = [
    ("clickhouse", "llmtrace-clickhouse"),
    ("postgresql", "llmtrace-postgresql"),
    ("redis", "llmtrace-redis-master"),
]


@pytest.mark.parametrize(("sub", "sts"), CONDITIONS)
def test_enabled_condition(sub: str, sts: str) -> None:
    on = render("llmtrace", set=SUBCHART_PASSWORDS, name="llmtrace")
    off = render(
        "llmtrace",
        set=[*SUBCHART_PASSWORDS, f"{sub}.enabled=false", f"secrets.{URL_VALUE[sub]}=x://h"],
        name="llmtrace",
    )
    assert sts in on.names("StatefulSet")
    assert sts not in off.names("StatefulSet")


# (chart, --set, Secret, key, password env var in the container)
CREDENTIALS = [
    (POSTGRESQL, ["auth.password=pw"], "r-postgresql", "password", "POSTGRES_PASSWORD"),
    (CLICKHOUSE, ["auth.password=pw"], "r-clickhouse", "password", "CLICKHOUSE_PASSWORD"),
    (REDIS, ["auth.password=pw"], "r-redis", "redis-password", "REDIS_PASSWORD"),
]


@pytest.mark.parametrize(("chart", "sets", "secret", "key", "var"), CREDENTIALS)
def test_subchart_creates_its_credentials_secret(
    chart: Path, sets: list[str], secret: str, key: str, var: str
) -> None:
    r = render(chart, set=sets, name="r")
    assert base64.b64decode(r.get("Secret", secret)["data"][key]).decode() == "pw"
    (sts,) = r.all("StatefulSet")
    first = next(iter(containers(sts).values()))
    assert env_refs(first)[var] == (secret, key)


@pytest.mark.parametrize(("chart", "sets", "secret", "key", "var"), CREDENTIALS)
def test_subchart_existing_secret(
    chart: Path, sets: list[str], secret: str, key: str, var: str
) -> None:
    r = render(chart, set=["auth.existingSecret=theirs"], name="r")
    assert secret not in r.names("Secret")
    (sts,) = r.all("StatefulSet")
    assert env_refs(next(iter(containers(sts).values())))[var] == ("theirs", key)


@pytest.mark.parametrize("chart", [POSTGRESQL, CLICKHOUSE, REDIS])
def test_subchart_without_password_fails(chart: Path) -> None:
    assert f"{chart.name}.auth.password" in render_error(chart, name="r")


def test_postgresql_values() -> None:
    r = render(
        POSTGRESQL,
        set=[
            "auth.username=fractal",
            "auth.password=pw",
            "auth.database=fractal_lba",
            "primary.persistence.size=20Gi",
            "primary.persistence.storageClass=fast-ssd",
        ],
        name="r",
    )
    sts = r.get("StatefulSet", "r-postgresql")
    env = {e["name"]: e.get("value") for e in containers(sts)["postgresql"]["env"]}
    assert env["POSTGRES_USER"] == "fractal"
    assert env["POSTGRES_DB"] == "fractal_lba"
    (claim,) = sts["spec"]["volumeClaimTemplates"]
    assert claim["spec"]["resources"]["requests"]["storage"] == "20Gi"
    assert claim["spec"]["storageClassName"] == "fast-ssd"
    assert r.get("Service", "r-postgresql")["spec"]["ports"][0]["port"] == 5432


def sentinel_monitor(r: Rendered) -> list[str]:
    script = r.get("ConfigMap", "r-redis-scripts")["data"]["start-sentinel.sh"]
    match = re.search(r"^sentinel monitor (.*)$", script, re.MULTILINE)
    assert match
    return match.group(1).split()


def test_redis_standalone() -> None:
    r = render(REDIS, set=["auth.password=pw"], name="r")
    assert r.names("StatefulSet") == ["r-redis-master"]
    assert r.get("StatefulSet", "r-redis-master")["spec"]["replicas"] == 1
    assert "r-redis-replicas" not in r.names("Service")
    assert list(containers(r.get("StatefulSet", "r-redis-master"))) == ["redis"]


def test_redis_replication_with_sentinel_topology() -> None:
    """The seed's HA snippet: a master, two replicas following it, a Sentinel in every
    Redis pod watching the master with the quorum, and Services for each role."""
    r = render(
        REDIS,
        set=[
            "auth.password=pw",
            "architecture=replication",
            "sentinel.enabled=true",
            "sentinel.quorum=2",
            "replica.replicaCount=2",
            "master.persistence.size=10Gi",
        ],
        name="r",
        namespace="ns",
    )
    master, replicas = (
        r.get("StatefulSet", "r-redis-master"),
        r.get("StatefulSet", "r-redis-replicas"),
    )
    assert master["spec"]["replicas"] == 1
    assert replicas["spec"]["replicas"] == 2
    for sts in (master, replicas):
        assert set(containers(sts)) == {"redis", "sentinel"}
        assert env_refs(containers(sts)["sentinel"])["REDIS_PASSWORD"] == (
            "r-redis",
            "redis-password",
        )
    roles = {
        e["value"]
        for s in (master, replicas)
        for e in containers(s)["redis"]["env"]
        if e["name"] == "REDIS_ROLE"
    }
    assert roles == {"master", "replica"}
    # Both StatefulSets share the headless Service that gives pods stable DNS names.
    assert master["spec"]["serviceName"] == replicas["spec"]["serviceName"] == "r-redis-headless"
    host = "r-redis-master-0.r-redis-headless.ns.svc.cluster.local"
    assert sentinel_monitor(r) == ["mymaster", host, "6379", "2"]
    assert {"r-redis-master", "r-redis-replicas", "r-redis-sentinel", "r-redis-headless"} <= set(
        r.names("Service")
    )
    (claim,) = master["spec"]["volumeClaimTemplates"]
    assert claim["spec"]["resources"]["requests"]["storage"] == "10Gi"


# (--set, words of the error)
REDIS_ERRORS = [
    (["sentinel.enabled=true"], "redis.architecture=replication"),
    (["architecture=replication", "sentinel.enabled=true", "sentinel.quorum=4"], "quorum"),
    (["architecture=cluster"], "architecture"),
]


@pytest.mark.parametrize(("sets", "word"), REDIS_ERRORS)
def test_redis_rejects_broken_topologies(sets: list[str], word: str) -> None:
    assert word in render_error(REDIS, set=["auth.password=pw", *sets], name="r")
