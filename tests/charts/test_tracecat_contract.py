"""`chartsafe contract` on charts/tracecat with the seed's install flags (issue 4, Done when 1).

The expected Secrets and keys are the ones seed 000 tells the reader to create before
`helm install`; with externalSecrets on, the same Secrets are created by ExternalSecrets.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from chart_render import CHARTS
from test_tracecat_install import SEED

from chartsafe import RenderOptions, ValuesInput
from chartsafe.contract import Contract, contract_for_chart

BACKEND = {
    "tracecat-api",
    "tracecat-worker",
    "tracecat-agent-worker",
    "tracecat-executor",
    "tracecat-agent-executor",
}
ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:tracecat/{}-AbCdEf"

# Secret → (values path naming it, {key: (format, env var, workloads reading it)})
SEED_CONTRACT = {
    "tracecat-secrets": (
        "secrets.existingSecret",
        {
            "dbEncryptionKey": ("fernet", "TRACECAT__DB_ENCRYPTION_KEY", BACKEND),
            "serviceKey": ("hex:32", "TRACECAT__SERVICE_KEY", BACKEND | {"tracecat-ui"}),
            "signingSecret": ("hex:32", "TRACECAT__SIGNING_SECRET", BACKEND),
            "userAuthSecret": ("hex:32", "USER_AUTH_SECRET", {"tracecat-api"}),
        },
    ),
    "tracecat-postgres-credentials": (
        "externalPostgres.auth.existingSecret",
        {
            "username": ("text", "TRACECAT__DB_USER", BACKEND),
            "password": ("password", "TRACECAT__DB_PASS", BACKEND),
        },
    ),
    "tracecat-redis-credentials": (
        "externalRedis.auth.existingSecret",
        {"url": ("url:redis|rediss", "REDIS_URL", BACKEND)},
    ),
}
S3 = {
    "tracecat-s3": (
        "externalS3.auth.existingSecret",
        {
            "accessKeyId": ("text", "AWS_ACCESS_KEY_ID", BACKEND),
            "secretAccessKey": ("text", "AWS_SECRET_ACCESS_KEY", BACKEND),
        },
    )
}
TEMPORAL = {
    "tracecat-temporal": (
        "externalTemporal.auth.existingSecret",
        {"apiKey": ("text", "TEMPORAL__API_KEY", BACKEND)},
    )
}
S3_FLAGS = ["externalS3.auth.existingSecret=tracecat-s3"]
TEMPORAL_FLAGS = [
    "temporal.enabled=false",
    "externalTemporal.enabled=true",
    "externalTemporal.clusterUrl=temporal.example.com:7233",
    "externalTemporal.auth.existingSecret=tracecat-temporal",
]


def tracecat_contract(sets: Sequence[str] = ()) -> Contract:
    options = RenderOptions(release_name="tracecat", namespace="tracecat", validate=False)
    values = ValuesInput(set=[*SEED, *sets])
    contract, _ = contract_for_chart(CHARTS / "tracecat", values, options)
    return contract


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ([], SEED_CONTRACT),
        (S3_FLAGS, {**SEED_CONTRACT, **S3}),
        (TEMPORAL_FLAGS, {**SEED_CONTRACT, **TEMPORAL}),
        ([*S3_FLAGS, *TEMPORAL_FLAGS], {**SEED_CONTRACT, **S3, **TEMPORAL}),
    ],
    ids=["seed", "seed+s3", "seed+external-temporal", "seed+s3+external-temporal"],
)
def test_seed_install_contract_is_exactly_the_documented_secrets(
    flags: list[str], expected: dict[str, tuple[str, dict[str, tuple[str, str, set[str]]]]]
) -> None:
    contract = tracecat_contract(flags)
    assert contract.findings == []
    assert {s.name for s in contract.secrets} == set(expected)
    for secret in contract.secrets:
        path, keys = expected[secret.name]
        assert secret.required and secret.namespace == "tracecat"
        assert secret.values_paths == [path]
        assert set(secret.keys) == set(keys)
        for name, (fmt, env, workloads) in keys.items():
            key = secret.keys[name]
            assert key.format == fmt
            app = [r for r in key.readers if not r.name.startswith("tracecat-temporal")]
            assert {r.env for r in app} == {env}
            assert {r.name for r in app} == workloads
            assert all(r.kind == "Deployment" and r.hook is None for r in app)
            # The rest: the self-hosted Temporal server and its schema hooks (postgres only).
            others = {r.name for r in key.readers} - workloads
            temporal = "temporal.enabled=false" not in flags
            assert not others or (secret.name.endswith("postgres-credentials") and temporal)


def test_self_hosted_temporal_reads_the_postgres_secret_too() -> None:
    secret = tracecat_contract().get("tracecat-postgres-credentials", "tracecat")
    assert secret is not None
    # The default (self-hosted Temporal) only adds Deployments/hooks of the temporal subchart.
    readers = {r.name for r in secret.readers}
    assert readers >= BACKEND
    assert any(name.startswith("tracecat-temporal-") for name in readers)


ESO = [
    "externalSecrets.enabled=true",
    "externalSecrets.clusterSecretStoreRef=aws-store",
    "secrets.existingSecret=",
    "externalPostgres.auth.existingSecret=",
    "externalRedis.auth.existingSecret=",
    *[
        flag
        for block in ("coreSecrets", "postgres", "redis")
        for flag in (
            f"externalSecrets.{block}.enabled=true",
            f"externalSecrets.{block}.secretArn={ARN.format(block)}",
        )
    ],
]


def test_with_external_secrets_the_same_secrets_are_created_by_external_secrets() -> None:
    contract = tracecat_contract(ESO)
    assert contract.findings == []
    assert contract.required == []
    assert {s.name for s in contract.secrets} == set(SEED_CONTRACT)
    for secret in contract.secrets:
        creator = secret.created_by
        assert creator is not None and creator.kind == "ExternalSecret" and creator.hook is None
        assert set(secret.keys) == set(SEED_CONTRACT[secret.name][1])
        assert creator.keys is not None and set(secret.keys) <= creator.keys
        assert secret.values_paths[0].startswith("externalSecrets.")
