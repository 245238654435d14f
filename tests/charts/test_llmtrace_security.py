"""llmtrace: the seed's "Security Checklist" items a machine can check, the Chart.yaml
declaration of the envFrom Secret, and the examples/ manifests (ESO v1 CRDs).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from chart_render import CHARTS, ESO_CRDS, render, render_error
from test_llmtrace import KEYS, PROD, SUBCHART_PASSWORDS, decoded, existing

from chartsafe import CrdSchemas, K8sObject, SchemaValidator

CHART_DIR = CHARTS / "llmtrace"
EXAMPLES = CHART_DIR / "examples"
VALUES_FILES = sorted(CHART_DIR.glob("**/values*.yaml"))
SECRET_WORDS = ("password", "passwd", "apikey", "api_key", "secretkey")


def is_credential_key(key: str) -> bool:
    """`password: x` is a credential; `existingSecretPasswordKey: x` names a Secret key."""
    reference = key.endswith("Key") or key.startswith("existingSecret")
    lower = key.lower()
    return not reference and (any(w in lower for w in SECRET_WORDS) or lower.endswith("token"))


def plaintext_credentials(node: Any, path: str = "") -> list[str]:
    """Dotted paths of non-empty credential-looking values and URLs with a password."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            sub = f"{path}.{key}" if path else str(key)
            # a ref+ reference names where the value is kept: it is not the value
            literal = isinstance(value, str) and value and not value.startswith("ref+")
            if literal and is_credential_key(str(key)):
                found.append(sub)
            found += plaintext_credentials(value, sub)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += plaintext_credentials(value, f"{path}[{i}]")
    elif isinstance(node, str) and "://" in node and urlsplit(node).password:
        found.append(path)
    return found


def test_values_files_are_found() -> None:
    names = {p.relative_to(CHART_DIR).as_posix() for p in VALUES_FILES}
    assert {"values.yaml", "values-production.yaml", "values-dev.yaml",
            "values-chartsafe.yaml"} <= names  # fmt: skip
    assert {"charts/redis/values.yaml", "charts/postgresql/values.yaml"} <= names


@pytest.mark.parametrize("path", VALUES_FILES, ids=lambda p: p.relative_to(CHART_DIR).as_posix())
def test_no_plaintext_password_in_committed_values(path: Path) -> None:
    assert plaintext_credentials(yaml.safe_load(path.read_text())) == []


def test_detector_catches_what_it_should() -> None:
    assert plaintext_credentials(
        {
            "a": {"password": "x", "passwordKey": "password", "TOKEN_RATE": "9"},
            "u": ["redis://:p@h:6379"],
            "ok": "http://h:8123",
            "r": {"password": "ref+chartsafe://ns/s/password"},
        }
    ) == ["a.password", "u[0]"]


def test_production_redis_auth_on_and_urls_not_in_the_file() -> None:
    prod = yaml.safe_load(PROD.read_text())
    assert prod["redis"]["auth"]["enabled"] is True
    assert not prod.get("secrets", {}).get("postgresUrl")
    assert not prod.get("secrets", {}).get("redisUrl")


def test_production_redis_requires_its_password() -> None:
    r = render(CHARTS / "llmtrace", PROD, set=existing("llmtrace"), name="llmtrace")
    (redis,) = [
        c
        for c in r.get("StatefulSet", "llmtrace-redis-master")["spec"]["template"]["spec"][
            "containers"
        ]
        if c["name"] == "redis"
    ]
    assert "REDIS_PASSWORD" in {e["name"] for e in redis["env"]}


# (password left out or empty in a production install, value the error names)
MISSING = [
    ("postgresql.auth.password", None),
    ("redis.auth.password", None),
    ("clickhouse.auth.password", None),
    ("postgresql.auth.password", ""),
    ("redis.auth.password", ""),
    ("clickhouse.auth.password", ""),
]


@pytest.mark.parametrize(("value", "given"), MISSING)
def test_production_passwords_must_be_non_empty(value: str, given: str | None) -> None:
    sets = [s for s in existing("llmtrace") if not s.startswith(value)]
    if given is not None:
        sets.append(f"{value}={given}")
    assert value in render_error(CHARTS / "llmtrace", PROD, set=sets, name="llmtrace")


def test_production_subchart_secrets_hold_non_empty_passwords() -> None:
    r = render(CHARTS / "llmtrace", PROD, set=existing("llmtrace"), name="llmtrace")
    for name in ("llmtrace-postgresql", "llmtrace-redis", "llmtrace-clickhouse"):
        assert all(decoded(r.get("Secret", name)).values())


def declaration() -> list[dict[str, Any]]:
    chart = yaml.safe_load((CHART_DIR / "Chart.yaml").read_text())
    entries: list[dict[str, Any]] = yaml.safe_load(chart["annotations"]["chartsafe.io/secrets"])
    return entries


def test_chart_declares_the_envfrom_keys_and_formats() -> None:
    (entry,) = [e for e in declaration() if e.get("valuesPath") == "secrets.existingSecret"]
    formats = {key: spec["format"] for key, spec in entry["keys"].items()}
    assert formats == {
        "LLMTRACE_POSTGRES_URL": "url:postgres|postgresql",
        "LLMTRACE_REDIS_URL": "url:redis|rediss",
        "LLMTRACE_CLICKHOUSE_URL": "url:http|https",
        "LLMTRACE_CLICKHOUSE_DATABASE": "text",
    }


def test_declared_subchart_paths_name_the_secrets_the_pods_read() -> None:
    paths = {e["valuesPath"]: set(e["keys"]) for e in declaration()}
    r = render(
        CHARTS / "llmtrace",
        set=[
            *SUBCHART_PASSWORDS,
            "postgresql.auth.existingSecret=pg",
            "secrets.postgresUrl=postgres://u:p@h/db",
        ],
        name="llmtrace",
    )
    pod = r.get("StatefulSet", "llmtrace-postgresql")["spec"]["template"]["spec"]
    ref = pod["containers"][0]["env"][2]["valueFrom"]["secretKeyRef"]
    assert ref["name"] == "pg"
    assert {ref["key"]} == paths["postgresql.auth.existingSecret"]


def example(name: str) -> dict[str, Any]:
    body: dict[str, Any] = yaml.safe_load((EXAMPLES / name).read_text())
    return body


@pytest.fixture(scope="module")
def validator() -> SchemaValidator:
    crds = CrdSchemas()
    crds.add_dir(ESO_CRDS)
    return SchemaValidator("1.36.0", crds)


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_examples_are_valid(validator: SchemaValidator, name: str) -> None:
    body = example(name)
    obj = K8sObject(text="", body=body, source=name, release_namespace="llmtrace")
    problems = validator.problems(obj)
    assert problems == [], problems
    if body["apiVersion"].startswith("external-secrets.io"):
        assert body["apiVersion"] == "external-secrets.io/v1"


def test_external_secret_fills_the_secret_the_chart_reads() -> None:
    es = example("external-secret.yaml")["spec"]
    assert es["secretStoreRef"]["name"] == example("secret-store.yaml")["metadata"]["name"]
    assert es["target"]["name"] == "llmtrace"  # seed option 2: secrets.existingSecret=llmtrace
    assert {d["secretKey"] for d in es["data"]} == KEYS


def test_manual_secret_example_has_the_four_keys() -> None:
    secret = example("manual-secret.yaml")
    assert secret["metadata"]["name"] == "llmtrace-manual"
    assert set(secret["stringData"]) == KEYS
