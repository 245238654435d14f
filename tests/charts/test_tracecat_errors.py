"""Tracecat chart: required values, rule violations, values.schema.json, chart metadata."""

from __future__ import annotations

import pytest
import yaml
from chart_render import CHARTS, ESO_CRDS, render_error
from test_tracecat_install import CHART, SEED, render_tc

from chartsafe import RenderOptions, ValuesInput, lint_chart

CHART_DIR = CHARTS / CHART
ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf"


def without(value: str) -> list[str]:
    """The seed's flags minus the one setting ``value``."""
    rest = [s for s in SEED if not s.startswith(f"{value}=")]
    assert len(rest) == len(SEED) - 1
    return rest


def error(sets: list[str], **kwargs: object) -> str:
    return render_error(CHART, set=sets, name="tracecat", namespace="tracecat", **kwargs)


# ---------------------------------------------------------------- the "Required values" table


@pytest.mark.parametrize(
    "value",
    [
        "secrets.existingSecret",
        "tracecat.auth.superadminEmail",
        "externalPostgres.host",
        "externalPostgres.auth.existingSecret",
        "externalRedis.auth.existingSecret",
    ],
)
def test_required_value_missing_names_it(value: str) -> None:
    message = error(without(value))
    assert f"{value} is required" in message


def test_superadmin_email_is_required_on_first_install_only() -> None:
    render_tc(set=["tracecat.auth.superadminEmail="], is_upgrade=True)
    assert "tracecat.auth.superadminEmail" in error(without("tracecat.auth.superadminEmail"))


def test_ingress_host_is_required_when_the_urls_derive_from_it() -> None:
    assert "ingress.host is required" in error([*SEED, "ingress.host="])
    render_tc(
        set=[
            "ingress.host=",
            "ingress.enabled=false",
            "urls.publicApp=https://tc.example.com",
        ]
    )


# ---------------------------------------------------------------- rules across values


@pytest.mark.parametrize(
    ("sets", "expected"),
    [
        (
            ["externalPostgres.tls.verifyCA=true", "externalPostgres.sslMode=require"],
            "externalPostgres.tls.caCert is required",
        ),
        (
            [
                "externalPostgres.tls.verifyCA=true",
                "externalPostgres.tls.caCert=-----BEGIN CERTIFICATE-----x",
            ],
            "externalPostgres.tls.verifyCA needs externalPostgres.sslMode require or verify-ca",
        ),
        (["temporal.enabled=false"], "externalTemporal.enabled"),
        (["externalTemporal.enabled=true"], "temporal.enabled and externalTemporal.enabled"),
        (
            ["temporal.enabled=false", "externalTemporal.enabled=true"],
            "externalTemporal.clusterUrl is required",
        ),
        (["externalSecrets.enabled=true"], "externalSecrets.clusterSecretStoreRef is required"),
        (
            [
                "externalSecrets.enabled=true",
                "externalSecrets.clusterSecretStoreRef=s",
                "externalSecrets.redis.enabled=true",
            ],
            "externalSecrets.redis.secretArn is required",
        ),
        (
            [
                "externalSecrets.enabled=true",
                "externalSecrets.clusterSecretStoreRef=s",
                "externalSecrets.coreSecrets.enabled=true",
                f"externalSecrets.coreSecrets.secretArn={ARN}",
                "externalSecrets.coreSecrets.targetSecretName=other",
            ],
            "secrets.existingSecret (tracecat-secrets) and"
            " externalSecrets.coreSecrets.targetSecretName (other) name different Secrets",
        ),
        (
            [
                "externalPostgres.auth.existingSecret=",
                f"externalPostgres.auth.secretArn={ARN}",
            ],
            "temporal.server.config.persistence.datastores.default.sql.existingSecret is required",
        ),
    ],
    ids=[
        "ca-missing",
        "ca-with-prefer",
        "no-temporal",
        "both-temporals",
        "external-temporal-url",
        "eso-store",
        "eso-arn",
        "eso-vs-existing",
        "temporal-db-secret",
    ],
)
def test_rule_violations(sets: list[str], expected: str) -> None:
    assert expected in error([*SEED, *sets])


def test_either_existing_secret_or_secret_arn() -> None:
    message = error(without("externalRedis.auth.existingSecret"))
    assert "or set externalRedis.auth.secretArn" in message
    message = error(without("externalPostgres.auth.existingSecret"))
    assert "or set externalPostgres.auth.secretArn" in message


# ---------------------------------------------------------------- values.schema.json

SCHEMA_CASES = [
    ("secrets.existingSecret=Not_A_Name", "secrets.existingSecret"),
    ("tracecat.appEnv=prod", "tracecat.appEnv"),
    ("tracecat.logLevel=LOUD", "tracecat.logLevel"),
    ("tracecat.allowOrigins[0]=x", "tracecat.allowOrigins"),
    ("tracecat.featureFlags=a;b", "tracecat.featureFlags"),
    ("tracecat.auth.superadminEmail=nobody", "tracecat.auth.superadminEmail"),
    ("tracecat.sandbox.disableNsjail=maybe", "tracecat.sandbox.disableNsjail"),
    ("tracecat.blobStorage.endpoint=minio:9000", "tracecat.blobStorage.endpoint"),
    ("tracecat.blobStorage.buckets.attachments[0]=x", "tracecat.blobStorage.buckets.attachments"),
    ("tracecat.blobStorage.buckets.registry[0]=x", "tracecat.blobStorage.buckets.registry"),
    ("tracecat.temporal.searchAttributes[0].type=Float", "tracecat.temporal.searchAttributes"),
    ("enterprise.featureFlags=a;b", "enterprise.featureFlags"),
    ("enterprise.multiTenant=yes", "enterprise.multiTenant"),
    ("urls.publicApp=tracecat.example.com", "urls.publicApp"),
    ("urls.publicApi=ftp://x", "urls.publicApi"),
    ("ingress.enabled=on", "ingress.enabled"),
    ("ingress.className[0]=x", "ingress.className"),
    ("ingress.host=https://x", "ingress.host"),
    ("ingress.annotations=x", "ingress.annotations"),
    ("ingress.split=1", "ingress.split"),
    ("ingress.ui.annotations=x", "ingress.ui.annotations"),
    ("ingress.api.annotations=x", "ingress.api.annotations"),
    ("ingress.tls=x", "ingress.tls"),
    ("api.replicas=-1", "api.replicas"),
    ("worker.replicas=two", "worker.replicas"),
    ("executor.replicas=1.5", "executor.replicas"),
    ("agentExecutor.replicas=x", "agentExecutor.replicas"),
    ("ui.replicas=x", "ui.replicas"),
    ("api.resources.requests.cpu=true", "api.resources.requests.cpu"),
    ("ui.resources.limits.memory=true", "ui.resources.limits.memory"),
    ("scheduling.nodeSelector=x", "scheduling.nodeSelector"),
    ("scheduling.affinity=x", "scheduling.affinity"),
    ("scheduling.topologySpreadConstraints=x", "scheduling.topologySpreadConstraints"),
    ("scheduling.tolerations=x", "scheduling.tolerations"),
    ("externalPostgres.host={x}", "externalPostgres.host"),  # a list; host[0]=x Helm refuses
    ("externalPostgres.port=70000", "externalPostgres.port"),
    ("externalPostgres.database=", "externalPostgres.database"),
    ("externalPostgres.sslMode=verify-full", "externalPostgres.sslMode"),
    ("externalPostgres.auth.existingSecret=Bad_Name", "externalPostgres.auth.existingSecret"),
    ("externalPostgres.auth.secretArn=tracecat/pg", "externalPostgres.auth.secretArn"),
    ("externalPostgres.auth.username[0]=x", "externalPostgres.auth.username"),
    ("externalPostgres.tls.verifyCA=yes", "externalPostgres.tls.verifyCA"),
    ("externalPostgres.tls.caCert=not-pem", "externalPostgres.tls.caCert"),
    ("externalRedis.auth.existingSecret=Bad_Name", "externalRedis.auth.existingSecret"),
    ("externalRedis.auth.secretArn=redis", "externalRedis.auth.secretArn"),
    ("externalS3.endpoint=s3", "externalS3.endpoint"),
    ("externalS3.region=Europe", "externalS3.region"),
    ("externalS3.auth.existingSecret=Bad_Name", "externalS3.auth.existingSecret"),
    ("temporal.enabled=yes", "temporal.enabled"),
    ("temporal.clusterQueue=", "temporal.clusterQueue"),
    ("temporal.server.config.persistence.numHistoryShards=0", "numHistoryShards"),
    (
        "temporal.server.config.persistence.datastores.default.sql.connectAddr=db",
        "datastores.default.sql.connectAddr",
    ),
    ("externalTemporal.enabled=yes", "externalTemporal.enabled"),
    ("externalTemporal.clusterUrl=https://t:7233", "externalTemporal.clusterUrl"),
    ("externalTemporal.clusterNamespace=", "externalTemporal.clusterNamespace"),
    ("externalTemporal.clusterQueue=", "externalTemporal.clusterQueue"),
    ("externalTemporal.auth.existingSecret=Bad_Name", "externalTemporal.auth.existingSecret"),
    ("externalTemporal.auth.secretArn=key", "externalTemporal.auth.secretArn"),
    ("serviceAccount.create=yes", "serviceAccount.create"),
    ("serviceAccount.name=Bad_Name", "serviceAccount.name"),
    ("serviceAccount.annotations=x", "serviceAccount.annotations"),
    ("reloader.enabled=yes", "reloader.enabled"),
    ("externalSecrets.enabled=yes", "externalSecrets.enabled"),
    ("externalSecrets.refreshInterval=1 minute", "externalSecrets.refreshInterval"),
    ("externalSecrets.clusterSecretStoreRef=Bad_Name", "externalSecrets.clusterSecretStoreRef"),
    *[
        case
        for block in ("coreSecrets", "postgres", "redis", "temporal")
        for case in (
            (f"externalSecrets.{block}.enabled=yes", f"externalSecrets.{block}.enabled"),
            (f"externalSecrets.{block}.secretArn=x", f"externalSecrets.{block}.secretArn"),
            (
                f"externalSecrets.{block}.targetSecretName=Bad_Name",
                f"externalSecrets.{block}.targetSecretName",
            ),
        )
    ],
]


@pytest.mark.parametrize(("flag", "path"), SCHEMA_CASES, ids=[c[1] for c in SCHEMA_CASES])
def test_schema_rejects_wrong_type_or_enum(flag: str, path: str) -> None:
    message = error([*SEED, flag])
    assert "values.schema.json" in message
    assert path in message


def test_schema_rejects_unknown_keys_in_documented_blocks() -> None:
    message = error([*SEED, "externalPostgres.hostname=db"])
    assert "hostname" in message


# ---------------------------------------------------------------- chart metadata


def test_chart_declares_the_core_key_formats() -> None:
    chart = yaml.safe_load((CHART_DIR / "Chart.yaml").read_text())
    assert chart["apiVersion"] == "v2"
    entries = yaml.safe_load(chart["annotations"]["chartsafe.io/secrets"])
    core = next(e for e in entries if "secrets.existingSecret" in e.get("valuesPaths", []))
    formats = {key: spec["format"] for key, spec in core["keys"].items()}
    assert formats == {
        "dbEncryptionKey": "fernet",
        "serviceKey": "hex:32",
        "signingSecret": "hex:32",
        "userAuthSecret": "hex:32",
    }
    redis = next(e for e in entries if "externalRedis.auth.existingSecret" in e["valuesPaths"])
    assert redis["keys"]["url"]["format"] == "url:redis|rediss"


@pytest.mark.parametrize(
    "values",
    [None, "values-orbstack.yaml", "values-minikube.yaml", "values-aws.yaml"],
)
def test_lint_strict_is_clean(values: str | None) -> None:
    if values is None:
        inputs = ValuesInput(set=list(SEED))
    else:
        inputs = ValuesInput(files=[CHART_DIR / "examples" / values])
    options = RenderOptions(release_name="tracecat", namespace="tracecat", crd_dirs=[ESO_CRDS])
    assert lint_chart(CHART_DIR, inputs, options, strict=True).errors == []
