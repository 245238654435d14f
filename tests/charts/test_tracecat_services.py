"""Tracecat chart: PostgreSQL, Redis, S3, scheduling, service account, Reloader, ESO."""

from __future__ import annotations

import pytest
import yaml
from chart_render import CHARTS
from test_tracecat_install import (
    BACKEND,
    CHART,
    WORKLOADS,
    container,
    deployment,
    env,
    env_of,
    pod,
    render_tc,
)

ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:tracecat/{}-AbCdEf"
CA = "-----BEGIN CERTIFICATE-----\nMIIBexample\n-----END CERTIFICATE-----"
NO_PG_SECRET = "externalPostgres.auth.existingSecret="
NO_REDIS_SECRET = "externalRedis.auth.existingSecret="
PG_SECRET = "tracecat-postgres-credentials"
# Without a PostgreSQL Secret the self-hosted Temporal needs its own login Secret.
TEMPORAL_DB = [
    f"temporal.server.config.persistence.datastores.{store}.sql.existingSecret=temporal-db"
    for store in ("default", "visibility")
]

# ---------------------------------------------------------------- PostgreSQL


def test_postgres_defaults() -> None:
    e = env(render_tc(), "api")
    assert e["TRACECAT__DB_ENDPOINT"] == "your-db-host.example.com"
    assert e["TRACECAT__DB_PORT"] == "5432"
    assert e["TRACECAT__DB_NAME"] == "tracecat"
    assert e["TRACECAT__DB_SSLMODE"] == "prefer"
    assert e["TRACECAT__DB_USER"] == ("secret", PG_SECRET, "username")
    assert e["TRACECAT__DB_PASS"] == ("secret", PG_SECRET, "password")
    assert "TRACECAT__DB_PASS__ARN" not in e


@pytest.mark.parametrize(
    ("sets", "expected", "absent"),
    [
        (
            [NO_PG_SECRET, f"externalPostgres.auth.secretArn={ARN.format('pg')}", *TEMPORAL_DB],
            {"TRACECAT__DB_PASS__ARN": ARN.format("pg")},
            ["TRACECAT__DB_PASS", "TRACECAT__DB_USER"],
        ),
        (
            [
                NO_PG_SECRET,
                f"externalPostgres.auth.secretArn={ARN.format('pg')}",
                "externalPostgres.auth.username=tracecat",
                *TEMPORAL_DB,
            ],
            {"TRACECAT__DB_PASS__ARN": ARN.format("pg"), "TRACECAT__DB_USER": "tracecat"},
            ["TRACECAT__DB_PASS"],
        ),
        (
            [f"externalPostgres.auth.secretArn={ARN.format('pg')}"],
            {
                "TRACECAT__DB_PASS__ARN": ARN.format("pg"),
                "TRACECAT__DB_PASS": ("secret", PG_SECRET, "password"),
                "TRACECAT__DB_USER": ("secret", PG_SECRET, "username"),
            },
            [],
        ),
        (
            ["externalPostgres.port=6432", "externalPostgres.database=tc"],
            {"TRACECAT__DB_PORT": "6432", "TRACECAT__DB_NAME": "tc"},
            [],
        ),
    ],
    ids=["secretArn-only", "secretArn-with-username", "both", "port-database"],
)
def test_postgres_credentials(sets: list[str], expected: dict, absent: list[str]) -> None:
    r = render_tc(set=sets)
    for component in BACKEND:
        e = env(r, component)
        assert expected.items() <= e.items(), component
        assert not set(absent) & set(e), component


@pytest.mark.parametrize("mode", ["disable", "prefer", "require", "verify-ca"])
def test_postgres_ssl_mode(mode: str) -> None:
    e = env(render_tc(set=[f"externalPostgres.sslMode={mode}"]), "worker")
    assert e["TRACECAT__DB_SSLMODE"] == e["PGSSLMODE"] == mode
    assert "PGSSLROOTCERT" not in e


def test_postgres_ca_is_mounted_and_used() -> None:
    r = render_tc(
        set=["externalPostgres.sslMode=require", "externalPostgres.tls.verifyCA=true"],
        set_string=[f"externalPostgres.tls.caCert={CA}"],
    )
    cm = r.get("ConfigMap", "tracecat-postgres-ca")
    assert cm["data"]["ca.crt"].strip() == CA
    for component in BACKEND:
        c = container(r, component)
        assert env_of(c)["PGSSLROOTCERT"] == "/etc/tracecat/postgres-ca/ca.crt"
        mount = next(m for m in c["volumeMounts"] if m["name"] == "postgres-ca")
        assert mount["mountPath"] == "/etc/tracecat/postgres-ca"
        volume = next(v for v in pod(r, component)["volumes"] if v["name"] == "postgres-ca")
        assert volume["configMap"]["name"] == "tracecat-postgres-ca"
    # The Temporal server and its schema job verify with the same CA.
    frontend = r.get("Deployment", "tracecat-temporal-frontend")["spec"]["template"]["spec"]
    assert {"name": "sql-ca", "mountPath": "/etc/temporal/sql-ca", "readOnly": True} in (
        frontend["containers"][0]["volumeMounts"]
    )
    config = yaml.safe_load(r.get("ConfigMap", "tracecat-temporal-config")["data"]["config.yaml"])
    tls = config["persistence"]["datastores"]["default"]["sql"]["tls"]
    assert tls == {
        "enabled": True,
        "enableHostVerification": False,
        "caFile": "/etc/temporal/sql-ca/ca.crt",
    }


def test_no_ca_configmap_without_verify_ca() -> None:
    assert render_tc().names("ConfigMap") == ["tracecat-temporal-config"]


# ---------------------------------------------------------------- Redis


@pytest.mark.parametrize(
    ("sets", "expected", "absent"),
    [
        ([], {"REDIS_URL": ("secret", "tracecat-redis-credentials", "url")}, "REDIS_URL__ARN"),
        (
            [NO_REDIS_SECRET, f"externalRedis.auth.secretArn={ARN.format('redis')}"],
            {"REDIS_URL__ARN": ARN.format("redis")},
            "REDIS_URL",
        ),
    ],
    ids=["existingSecret", "secretArn"],
)
def test_redis(sets: list[str], expected: dict, absent: str) -> None:
    r = render_tc(set=sets)
    for component in BACKEND:
        e = env(r, component)
        assert expected.items() <= e.items()
        assert absent not in e
    assert "REDIS_URL" not in env(r, "ui")


# ---------------------------------------------------------------- S3 / blob storage


@pytest.mark.parametrize(
    ("sets", "expected", "absent"),
    [
        (
            [],
            {},
            [
                "TRACECAT__BLOB_STORAGE_ENDPOINT",
                "AWS_ACCESS_KEY_ID",
                "AWS_REGION",
                "TRACECAT__BLOB_STORAGE_BUCKET_ATTACHMENTS",
            ],
        ),
        (
            ["externalS3.endpoint=http://minio:9000"],
            {"TRACECAT__BLOB_STORAGE_ENDPOINT": "http://minio:9000"},
            [],
        ),
        (
            ["externalS3.endpoint=http://minio:9000", "tracecat.blobStorage.endpoint=http://b:1"],
            {"TRACECAT__BLOB_STORAGE_ENDPOINT": "http://b:1"},
            [],
        ),
        (
            [
                "tracecat.blobStorage.buckets.attachments=att",
                "tracecat.blobStorage.buckets.registry=reg",
            ],
            {
                "TRACECAT__BLOB_STORAGE_BUCKET_ATTACHMENTS": "att",
                "TRACECAT__BLOB_STORAGE_BUCKET_REGISTRY": "reg",
            },
            [],
        ),
        (
            ["externalS3.region=eu-west-1", "externalS3.auth.existingSecret=s3"],
            {
                "AWS_REGION": "eu-west-1",
                "AWS_DEFAULT_REGION": "eu-west-1",
                "AWS_ACCESS_KEY_ID": ("secret", "s3", "accessKeyId"),
                "AWS_SECRET_ACCESS_KEY": ("secret", "s3", "secretAccessKey"),
            },
            [],
        ),
    ],
    ids=["irsa-defaults", "s3-endpoint", "blob-endpoint-wins", "buckets", "region-and-keys"],
)
def test_blob_storage(sets: list[str], expected: dict, absent: list[str]) -> None:
    r = render_tc(set=sets)
    for component in BACKEND:
        e = env(r, component)
        assert expected.items() <= e.items(), component
        assert not set(absent) & set(e), component


def test_presigned_url_endpoint_only_on_api() -> None:
    r = render_tc(set=["tracecat.blobStorage.presignedUrlEndpoint=https://s3.example.com"])
    assert env(r, "api")["TRACECAT__BLOB_STORAGE_PRESIGNED_URL_ENDPOINT"] == (
        "https://s3.example.com"
    )
    assert "TRACECAT__BLOB_STORAGE_PRESIGNED_URL_ENDPOINT" not in env(r, "worker")


# ---------------------------------------------------------------- pods: scheduling, SA, Reloader


def test_scheduling_applies_to_every_pod() -> None:
    r = render_tc(
        set=["scheduling.nodeSelector.pool=tracecat"],
        set_json=[
            'scheduling.tolerations=[{"key": "dedicated", "operator": "Exists"}]',
            'scheduling.topologySpreadConstraints=[{"maxSkew": 1, "whenUnsatisfiable":'
            ' "ScheduleAnyway", "topologyKey": "topology.kubernetes.io/zone"}]',
            'scheduling.affinity={"nodeAffinity": {"requiredDuringScheduling'
            'IgnoredDuringExecution": {"nodeSelectorTerms": [{"matchExpressions":'
            ' [{"key": "arch", "operator": "In", "values": ["arm64"]}]}]}}}',
        ],
    )
    pods = [d["spec"]["template"]["spec"] for d in r.all("Deployment")]
    pods += [j["spec"]["template"]["spec"] for j in r.all("Job")]
    assert len(pods) == 13
    for spec in pods:
        assert spec["nodeSelector"] == {"pool": "tracecat"}
        assert spec["tolerations"] == [{"key": "dedicated", "operator": "Exists"}]
        assert "nodeAffinity" in spec["affinity"]
        (spread,) = spec["topologySpreadConstraints"]
        assert spread["topologyKey"] == "topology.kubernetes.io/zone"
    # a spread constraint without labelSelector gets the pod's own component labels
    api = pod(r, "api")["topologySpreadConstraints"][0]["labelSelector"]["matchLabels"]
    assert api["app.kubernetes.io/component"] == "api"


@pytest.mark.parametrize(
    ("sets", "account", "created"),
    [
        ([], "tracecat", True),
        (["serviceAccount.name=tc-runner"], "tc-runner", True),
        (["serviceAccount.create=false", "serviceAccount.name=platform"], "platform", False),
    ],
)
def test_service_account_shared_by_backend(sets: list[str], account: str, created: bool) -> None:
    r = render_tc(set=[*sets, "serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn=arn:r"])
    for component in BACKEND:
        assert pod(r, component)["serviceAccountName"] == account
    assert "serviceAccountName" not in pod(r, "ui")
    assert r.names("ServiceAccount") == ([account] if created else [])
    if created:
        annotations = r.get("ServiceAccount", account)["metadata"]["annotations"]
        assert annotations == {"eks.amazonaws.com/role-arn": "arn:r"}


@pytest.mark.parametrize("enabled", [True, False])
def test_reloader_annotations(enabled: bool) -> None:
    r = render_tc(set=[f"reloader.enabled={str(enabled).lower()}"])
    for component in WORKLOADS:
        annotations = deployment(r, component)["metadata"].get("annotations", {})
        assert (annotations.get("reloader.stakater.com/auto") == "true") is enabled, component


def test_uninstall_leaves_secrets_and_volumes_alone() -> None:
    """The chart owns no Secret or PVC; ExternalSecrets orphan what they create."""
    for r in (render_tc(), render_tc(CHARTS / CHART / "examples" / "values-aws.yaml")):
        assert r.all("Secret") == []
        assert r.all("PersistentVolumeClaim") == []
        for es in r.all("ExternalSecret"):
            assert es["spec"]["target"]["creationPolicy"] == "Orphan"
            assert es["spec"]["target"]["deletionPolicy"] == "Retain"


# ---------------------------------------------------------------- External Secrets Operator

ESO_ALL = [
    "externalSecrets.enabled=true",
    "externalSecrets.refreshInterval=5m",
    "externalSecrets.clusterSecretStoreRef=aws-store",
    "secrets.existingSecret=",
    NO_PG_SECRET,
    NO_REDIS_SECRET,
    *[
        item
        for block in ("coreSecrets", "postgres", "redis")
        for item in (
            f"externalSecrets.{block}.enabled=true",
            f"externalSecrets.{block}.secretArn={ARN.format(block)}",
        )
    ],
]


def test_eso_produces_exactly_the_secrets_and_keys_the_workloads_read() -> None:
    r = render_tc(set=ESO_ALL)
    produced: dict[str, set[str]] = {}
    for es in r.all("ExternalSecret"):
        assert es["apiVersion"] == "external-secrets.io/v1"
        spec = es["spec"]
        assert spec["refreshInterval"] == "5m"
        assert spec["secretStoreRef"] == {"kind": "ClusterSecretStore", "name": "aws-store"}
        produced[spec["target"]["name"]] = {d["secretKey"] for d in spec["data"]}
    read: dict[str, set[str]] = {}
    for component in WORKLOADS:
        for value in env(r, component).values():
            if isinstance(value, tuple):
                read.setdefault(value[1], set()).add(value[2])
    assert (
        read
        == produced
        == {
            "tracecat-secrets": {
                "dbEncryptionKey",
                "serviceKey",
                "signingSecret",
                "userAuthSecret",
            },
            "tracecat-postgres-credentials": {"username", "password"},
            "tracecat-redis-credentials": {"url"},
        }
    )


def test_eso_remote_formats() -> None:
    """Core and PostgreSQL are JSON (one property per key); Redis is the raw URL."""
    r = render_tc(set=ESO_ALL)
    core = r.get("ExternalSecret", "tracecat-core-secrets")["spec"]["data"]
    assert {d["secretKey"]: d["remoteRef"] for d in core}["serviceKey"] == {
        "key": ARN.format("coreSecrets"),
        "property": "serviceKey",
    }
    pg = r.get("ExternalSecret", "tracecat-postgres")["spec"]["data"]
    assert {d["remoteRef"]["property"] for d in pg} == {"username", "password"}
    (redis,) = r.get("ExternalSecret", "tracecat-redis")["spec"]["data"]
    assert redis == {"secretKey": "url", "remoteRef": {"key": ARN.format("redis")}}


def test_eso_target_names_are_configurable() -> None:
    r = render_tc(set=[*ESO_ALL, "externalSecrets.redis.targetSecretName=my-redis"])
    assert env(r, "api")["REDIS_URL"] == ("secret", "my-redis", "url")


def test_eso_off_renders_no_external_secrets() -> None:
    assert render_tc().all("ExternalSecret") == []
