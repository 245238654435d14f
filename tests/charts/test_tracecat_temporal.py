"""Tracecat chart: self-hosted Temporal (subchart, schema and setup hooks) and external Temporal."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from test_tracecat_install import BACKEND, container, env, env_of, pod, render_tc

ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:tracecat/temporal-AbCdEf"
EXTERNAL = [
    "temporal.enabled=false",
    "externalTemporal.enabled=true",
    "externalTemporal.clusterUrl=tc.tmprl.cloud:7233",
    "externalTemporal.clusterNamespace=tc.acct",
    "externalTemporal.clusterQueue=tc-queue",
]
SERVICES = ["frontend", "history", "matching", "worker"]
PERSISTENCE = "temporal.server.config.persistence.datastores"


def temporal_config(sets: list[str] = ()) -> dict[str, Any]:
    cm = render_tc(set=sets).get("ConfigMap", "tracecat-temporal-config")
    return yaml.safe_load(cm["data"]["config.yaml"])


def job(sets: list[str], name: str) -> dict[str, Any]:
    return render_tc(set=sets).get("Job", name)


# ---------------------------------------------------------------- self-hosted


def test_backend_talks_to_the_self_hosted_frontend() -> None:
    r = render_tc()
    for component in BACKEND:
        e = env(r, component)
        assert e["TEMPORAL__CLUSTER_URL"] == "tracecat-temporal-frontend:7233"
        assert e["TEMPORAL__CLUSTER_NAMESPACE"] == "default"
        assert e["TEMPORAL__CLUSTER_QUEUE"] == "tracecat-task-queue"
        assert "TEMPORAL__API_KEY" not in e
    frontend = r.get("Service", "tracecat-temporal-frontend")
    assert frontend["spec"]["ports"][0]["port"] == 7233


def test_cluster_queue() -> None:
    r = render_tc(set=["temporal.clusterQueue=my-queue"])
    assert env(r, "worker")["TEMPORAL__CLUSTER_QUEUE"] == "my-queue"


@pytest.mark.parametrize("service", SERVICES)
def test_server_deployments_use_the_official_image(service: str) -> None:
    r = render_tc()
    spec = r.get("Deployment", f"tracecat-temporal-{service}")["spec"]["template"]["spec"]
    server = spec["containers"][0]
    assert server["image"] == "temporalio/server:1.29.1"
    assert server["command"][-2:] == ["--service", service]
    # the config is rendered from the ConfigMap plus the database login at pod start
    (init,) = spec["initContainers"]
    assert env_of(init)["DEFAULT_PASSWORD"] == (
        "secret",
        "tracecat-postgres-credentials",
        "password",
    )
    assert env_of(init)["VISIBILITY_USER"] == (
        "secret",
        "tracecat-postgres-credentials",
        "username",
    )


def test_persistence_defaults_to_external_postgres() -> None:
    stores = temporal_config()["persistence"]["datastores"]
    assert stores["default"]["sql"]["databaseName"] == "temporal"
    assert stores["visibility"]["sql"]["databaseName"] == "temporal_visibility"
    for store in stores.values():
        assert store["sql"]["connectAddr"] == "your-db-host.example.com:5432"
        assert store["sql"]["pluginName"] == "postgres12"
        assert "tls" not in store["sql"]


def test_persistence_configured_explicitly() -> None:
    sets = [
        f"{PERSISTENCE}.default.sql.connectAddr=temporal-db:5433",
        f"{PERSISTENCE}.default.sql.user=temporal",
        f"{PERSISTENCE}.default.sql.existingSecret=temporal-db",
        f"{PERSISTENCE}.default.sql.tls.enabled=true",
        "temporal.server.config.persistence.numHistoryShards=64",
    ]
    config = temporal_config(sets)
    default = config["persistence"]["datastores"]["default"]["sql"]
    assert default["connectAddr"] == "temporal-db:5433"
    assert default["tls"]["enabled"] is True
    assert config["persistence"]["numHistoryShards"] == 64
    spec = render_tc(set=sets).get("Deployment", "tracecat-temporal-history")
    init = env_of(spec["spec"]["template"]["spec"]["initContainers"][0])
    assert init["DEFAULT_USER"] == "temporal"
    assert init["DEFAULT_PASSWORD"] == ("secret", "temporal-db", "password")
    assert init["VISIBILITY_PASSWORD"] == ("secret", "tracecat-postgres-credentials", "password")


@pytest.mark.parametrize(("mode", "tls"), [("require", True), ("prefer", False)])
def test_temporal_tls_follows_ssl_mode(mode: str, tls: bool) -> None:
    stores = temporal_config([f"externalPostgres.sslMode={mode}"])["persistence"]["datastores"]
    assert ("tls" in stores["default"]["sql"]) is tls


def test_schema_job_runs_after_install_and_upgrade() -> None:
    schema = job([], "tracecat-temporal-schema")
    annotations = schema["metadata"]["annotations"]
    assert annotations["helm.sh/hook"] == "post-install,post-upgrade"
    assert int(annotations["helm.sh/hook-weight"]) < 0
    containers = {c["name"]: c for c in schema["spec"]["template"]["spec"]["containers"]}
    assert sorted(containers) == ["default", "visibility"]
    assert env_of(containers["visibility"])["SQL_DATABASE"] == "temporal_visibility"
    assert env_of(containers["default"])["SQL_HOST"] == "your-db-host.example.com"
    assert env_of(containers["default"])["SQL_PORT"] == "5432"


def test_setup_hook_creates_namespace_and_search_attributes() -> None:
    setup = job([], "tracecat-temporal-setup")
    annotations = setup["metadata"]["annotations"]
    assert annotations["helm.sh/hook"] == "post-install,post-upgrade"
    c = setup["spec"]["template"]["spec"]["containers"][0]
    assert c["image"] == "temporalio/admin-tools:1.29.1-tctl-1.18.4-cli-1.5.0"
    e = env_of(c)
    assert e["TEMPORAL_ADDRESS"] == "tracecat-temporal-frontend:7233"
    assert e["NAMESPACE"] == "default"
    assert e["RETENTION"] == "720h"
    assert e["SEARCH_ATTRIBUTES"].split() == [
        f"{name}:Keyword"
        for name in (
            "TracecatTriggerType",
            "TracecatTriggeredByUserId",
            "TracecatWorkspaceId",
            "TracecatAlias",
            "TracecatCorrelationId",
            "TracecatExecutionType",
        )
    ]


def test_search_attributes_are_configurable() -> None:
    sets = ["tracecat.temporal.searchAttributes[0].name=Custom"]
    setup = job(sets, "tracecat-temporal-setup")
    assert env_of(setup["spec"]["template"]["spec"]["containers"][0])["SEARCH_ATTRIBUTES"] == (
        "Custom:Keyword"
    )


@pytest.mark.parametrize("component", ["worker", "agent-worker"])
def test_workers_wait_for_the_setup(component: str) -> None:
    (init,) = pod(render_tc(), component)["initContainers"]
    assert init["name"] == "wait-for-temporal"
    assert "TracecatExecutionType" in env_of(init)["SEARCH_ATTRIBUTES"]


def test_web_ui_can_be_turned_off() -> None:
    assert "tracecat-temporal-web" in render_tc().names("Deployment")
    assert "tracecat-temporal-web" not in render_tc(set=["temporal.web.enabled=false"]).names(
        "Deployment"
    )


# ---------------------------------------------------------------- external


@pytest.mark.parametrize(
    ("auth", "expected", "absent"),
    [
        (
            ["externalTemporal.auth.existingSecret=temporal-key"],
            {"TEMPORAL__API_KEY": ("secret", "temporal-key", "apiKey")},
            "TEMPORAL__API_KEY__ARN",
        ),
        (
            [f"externalTemporal.auth.secretArn={ARN}"],
            {"TEMPORAL__API_KEY__ARN": ARN},
            "TEMPORAL__API_KEY",
        ),
        (
            [
                "externalSecrets.enabled=true",
                "externalSecrets.clusterSecretStoreRef=store",
                "externalSecrets.temporal.enabled=true",
                f"externalSecrets.temporal.secretArn={ARN}",
            ],
            {
                "TEMPORAL__API_KEY": ("secret", "tracecat-temporal-credentials", "apiKey"),
            },
            "TEMPORAL__API_KEY__ARN",
        ),
    ],
    ids=["existingSecret", "secretArn", "eso"],
)
def test_external_temporal(auth: list[str], expected: dict, absent: str) -> None:
    r = render_tc(set=[*EXTERNAL, *auth])
    assert not [n for n in r.names("Deployment") if "temporal" in n]
    assert r.names("Job") == []
    for component in BACKEND:
        e = env(r, component)
        assert e["TEMPORAL__CLUSTER_URL"] == "tc.tmprl.cloud:7233"
        assert e["TEMPORAL__CLUSTER_NAMESPACE"] == "tc.acct"
        assert e["TEMPORAL__CLUSTER_QUEUE"] == "tc-queue"
        assert expected.items() <= e.items()
        assert absent not in e
        assert "initContainers" not in pod(r, component)
    if "eso" in str(auth):
        es = r.get("ExternalSecret", "tracecat-temporal")["spec"]
        assert es["data"] == [{"secretKey": "apiKey", "remoteRef": {"key": ARN}}]


def test_external_temporal_without_api_key() -> None:
    r = render_tc(set=EXTERNAL)
    assert "TEMPORAL__API_KEY" not in env(r, "api")
    assert container(r, "api")["image"].startswith("ghcr.io/tracecathq/tracecat:")
