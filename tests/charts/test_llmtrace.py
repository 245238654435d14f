"""llmtrace: the seed's four ways of delivering credentials (seed 001, "Secrets Management").

The proxy reads one Secret whole with envFrom; its name comes from the
``llmtrace.secretName`` helper (existingSecret, else the full name). Each option is
rendered with the seed's own commands (vault output replaced by literals).
"""

from __future__ import annotations

import base64
from typing import Any

import pytest
from chart_render import CHARTS, Rendered, render, render_error

CHART = "llmtrace"
PROD = CHARTS / CHART / "values-production.yaml"
KEYS = {
    "LLMTRACE_POSTGRES_URL",
    "LLMTRACE_REDIS_URL",
    "LLMTRACE_CLICKHOUSE_URL",
    "LLMTRACE_CLICKHOUSE_DATABASE",
}
# What `vault read` prints in the seed's commands.
PG, REDIS, CH = "pg-pw-1", "redis-pw-2", "ch-pw-3"
SUBCHART_PASSWORDS = [
    f"postgresql.auth.password={PG}",
    f"redis.auth.password={REDIS}",
    f"clickhouse.auth.password={CH}",
]
OPTION_1 = [
    f"secrets.postgresUrl=postgres://llmtrace:{PG}@llmtrace-postgresql:5432/llmtrace",
    f"secrets.redisUrl=redis://:{REDIS}@llmtrace-redis-master:6379",
    *SUBCHART_PASSWORDS,
]


def existing(name: str) -> list[str]:
    """The seed's `--set secrets.create=false --set secrets.existingSecret=NAME` plus the
    sub-chart passwords its "Sub-chart Credentials" section passes with them."""
    return ["secrets.create=false", f"secrets.existingSecret={name}", *SUBCHART_PASSWORDS]


def decoded(secret: dict[str, Any]) -> dict[str, str]:
    return {k: base64.b64decode(v).decode() for k, v in secret.get("data", {}).items()}


def proxy(r: Rendered, name: str = "llmtrace") -> dict[str, Any]:
    container: dict[str, Any] = r.get("Deployment", name)["spec"]["template"]["spec"]["containers"][
        0
    ]
    return container


def env_from_secret(r: Rendered, name: str = "llmtrace") -> str:
    (ref,) = proxy(r, name)["envFrom"]
    return str(ref["secretRef"]["name"])


# (option, --set, Secret the pod reads, whether the chart renders that Secret)
OPTIONS = [
    ("1-inline-set", OPTION_1, "llmtrace", True),
    ("2-external-secrets", existing("llmtrace"), "llmtrace", False),
    ("3-sealed-secrets", existing("llmtrace"), "llmtrace", False),
    ("4-manual-secret", existing("llmtrace-manual"), "llmtrace-manual", False),
]


@pytest.mark.parametrize(
    ("option", "sets", "secret", "managed"), OPTIONS, ids=[o[0] for o in OPTIONS]
)
def test_seed_option_pod_reads_the_helper_secret(
    option: str, sets: list[str], secret: str, managed: bool
) -> None:
    r = render(CHART, PROD, set=sets, name="llmtrace", namespace="llmtrace")
    assert env_from_secret(r) == secret
    assert (secret in r.names("Secret")) is managed
    # The sub-charts create their own credentials Secrets with the passwords given.
    assert decoded(r.get("Secret", "llmtrace-postgresql")) == {"password": PG}
    assert decoded(r.get("Secret", "llmtrace-redis")) == {"redis-password": REDIS}
    assert decoded(r.get("Secret", "llmtrace-clickhouse")) == {"password": CH}


def test_option_1_chart_secret_holds_the_four_keys_with_the_given_urls() -> None:
    r = render(CHART, PROD, set=OPTION_1, name="llmtrace", namespace="llmtrace")
    assert decoded(r.get("Secret", "llmtrace")) == {
        "LLMTRACE_POSTGRES_URL": f"postgres://llmtrace:{PG}@llmtrace-postgresql:5432/llmtrace",
        "LLMTRACE_REDIS_URL": f"redis://:{REDIS}@llmtrace-redis-master:6379",
        # Not given in the seed's command: derived from the clickhouse sub-chart's auth.
        "LLMTRACE_CLICKHOUSE_URL": f"http://llmtrace:{CH}@llmtrace-clickhouse:8123",
        "LLMTRACE_CLICKHOUSE_DATABASE": "llmtrace",
    }


# (case, --set, expected chart-managed Secret), release "llmtrace"
DERIVED = [
    (
        "urls-follow-subchart-credentials",
        ["postgresql.auth.password=pw", "redis.auth.password=rp", "clickhouse.auth.password=cp"],
        {
            "LLMTRACE_POSTGRES_URL": "postgres://llmtrace:pw@llmtrace-postgresql:5432/llmtrace",
            "LLMTRACE_REDIS_URL": "redis://:rp@llmtrace-redis-master:6379",
            "LLMTRACE_CLICKHOUSE_URL": "http://llmtrace:cp@llmtrace-clickhouse:8123",
            "LLMTRACE_CLICKHOUSE_DATABASE": "llmtrace",
        },
    ),
    (
        "redis-without-auth-and-other-users",
        [
            "postgresql.auth.password=pw",
            "postgresql.auth.username=app",
            "postgresql.auth.database=traces",
            "redis.auth.enabled=false",
            "clickhouse.auth.password=cp",
            "clickhouse.auth.database=chdb",
        ],
        {
            "LLMTRACE_POSTGRES_URL": "postgres://app:pw@llmtrace-postgresql:5432/traces",
            "LLMTRACE_REDIS_URL": "redis://llmtrace-redis-master:6379",
            "LLMTRACE_CLICKHOUSE_URL": "http://llmtrace:cp@llmtrace-clickhouse:8123",
            "LLMTRACE_CLICKHOUSE_DATABASE": "chdb",
        },
    ),
    (
        "passwords-are-percent-encoded",
        [
            "postgresql.auth.password=p@ss w/rd",
            "redis.auth.password=a:b",
            "clickhouse.auth.password=c#d",
        ],
        {
            "LLMTRACE_POSTGRES_URL": "postgres://llmtrace:p%40ss%20w%2Frd@llmtrace-postgresql:5432/llmtrace",
            "LLMTRACE_REDIS_URL": "redis://:a%3Ab@llmtrace-redis-master:6379",
            "LLMTRACE_CLICKHOUSE_URL": "http://llmtrace:c%23d@llmtrace-clickhouse:8123",
            "LLMTRACE_CLICKHOUSE_DATABASE": "llmtrace",
        },
    ),
    (
        "external-databases",
        [
            "postgresql.enabled=false",
            "redis.enabled=false",
            "clickhouse.enabled=false",
            "secrets.postgresUrl=postgres://u:p@db.example.com:5432/llmtrace",
            "secrets.redisUrl=rediss://:p@cache.example.com:6380",
            "secrets.clickhouseUrl=https://ch.example.com:8443",
            "secrets.clickhouseDatabase=traces",
        ],
        {
            "LLMTRACE_POSTGRES_URL": "postgres://u:p@db.example.com:5432/llmtrace",
            "LLMTRACE_REDIS_URL": "rediss://:p@cache.example.com:6380",
            "LLMTRACE_CLICKHOUSE_URL": "https://ch.example.com:8443",
            "LLMTRACE_CLICKHOUSE_DATABASE": "traces",
        },
    ),
]


@pytest.mark.parametrize(("case", "sets", "expected"), DERIVED, ids=[d[0] for d in DERIVED])
def test_chart_managed_secret(case: str, sets: list[str], expected: dict[str, str]) -> None:
    r = render(CHART, set=sets, name="llmtrace", namespace="llmtrace")
    assert decoded(r.get("Secret", "llmtrace")) == expected
    assert env_from_secret(r) == "llmtrace"


def test_secret_name_follows_the_release_name() -> None:
    r = render(CHART, set=SUBCHART_PASSWORDS, name="prod", namespace="ns")
    assert env_from_secret(r, "prod-llmtrace") == "prod-llmtrace"
    urls = decoded(r.get("Secret", "prod-llmtrace"))
    assert urls["LLMTRACE_POSTGRES_URL"].endswith("@prod-postgresql:5432/llmtrace")
    assert urls["LLMTRACE_REDIS_URL"].endswith("@prod-redis-master:6379")


def test_existing_secret_wins_over_create() -> None:
    """The helper picks existingSecret; the chart then renders no Secret of its own."""
    r = render(CHART, set=[*SUBCHART_PASSWORDS, "secrets.existingSecret=mine"], name="llmtrace")
    assert env_from_secret(r) == "mine"
    assert "llmtrace" not in r.names("Secret")
    annotations = r.get("Deployment", "llmtrace")["spec"]["template"]["metadata"]["annotations"]
    assert "checksum/secret" not in annotations


# (case, --set, words the one-line error must contain)
FAILURES = [
    (
        "create-false-without-existing-secret",
        ["secrets.create=false", *SUBCHART_PASSWORDS],
        ["secrets.create=false", "secrets.existingSecret"],
    ),
    (
        "postgres-password-missing",
        ["redis.auth.password=r", "clickhouse.auth.password=c"],
        ["postgresql.auth.password"],
    ),
    (
        "redis-password-missing",
        ["postgresql.auth.password=p", "clickhouse.auth.password=c"],
        ["redis.auth.password"],
    ),
    (
        "clickhouse-password-missing",
        ["postgresql.auth.password=p", "redis.auth.password=r"],
        ["clickhouse.auth.password"],
    ),
    (
        "url-not-derivable-from-existing-secret",
        [*SUBCHART_PASSWORDS, "postgresql.auth.password=", "postgresql.auth.existingSecret=pg"],
        ["secrets.postgresUrl", "postgresql.auth.existingSecret"],
    ),
    (
        "external-redis-without-url",
        [*SUBCHART_PASSWORDS, "redis.enabled=false"],
        ["secrets.redisUrl", "redis.enabled=false"],
    ),
]


@pytest.mark.parametrize(("case", "sets", "words"), FAILURES, ids=[f[0] for f in FAILURES])
def test_render_fails_clearly(case: str, sets: list[str], words: list[str]) -> None:
    message = render_error(CHART, set=sets, name="llmtrace")
    for word in words:
        assert word in message
