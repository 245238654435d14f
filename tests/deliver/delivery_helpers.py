"""Shared by the ExternalSecret and AWS push tests: Tracecat's contract, a filled store,
the ESO CRD schemas and a moto server on loopback."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from aws_emulator import secrets_manager

from chartsafe import RenderOptions, ValuesInput
from chartsafe._render import RenderResult
from chartsafe._schema import CrdSchemas
from chartsafe.contract import Contract, contract_for_chart
from chartsafe.store import create_identity_file
from chartsafe.store.secret_store import SecretStore

REPO = Path(__file__).resolve().parents[2]
CHART = REPO / "charts" / "tracecat"
ESO_CRDS = REPO.parent / "shared" / "vectors" / "eso-crds"
DATA = REPO / "tests" / "data" / "delivery"
# The seed's install flags (seed 000); Temporal external so its API key is a Secret too.
SEED = [
    "secrets.existingSecret=tracecat-secrets",
    "tracecat.auth.superadminEmail=admin@example.com",
    "ingress.host=tracecat.example.com",
    "externalPostgres.host=your-db-host.example.com",
    "externalPostgres.auth.existingSecret=tracecat-postgres-credentials",
    "externalRedis.auth.existingSecret=tracecat-redis-credentials",
]
TEMPORAL = [
    "temporal.enabled=false",
    "externalTemporal.enabled=true",
    "externalTemporal.clusterUrl=temporal.example.com:7233",
    "externalTemporal.auth.existingSecret=tracecat-temporal-credentials",
]
OPTIONS = RenderOptions(release_name="tracecat", namespace="tracecat", validate=False)


def tracecat(sets: Sequence[str] = (), files: Sequence[Path] = ()) -> tuple[Contract, RenderResult]:
    """Tracecat's contract with the seed's flags plus ``sets`` (and ``-f files``)."""
    values = ValuesInput(files=list(files), set=[*SEED, *TEMPORAL, *sets])
    return contract_for_chart(CHART, values, OPTIONS)


@cache
def eso_schemas() -> CrdSchemas:
    schemas = CrdSchemas()
    schemas.add_dir(ESO_CRDS)
    return schemas


def schema_errors(obj: dict[str, Any]) -> list[str]:
    """Violations of ``obj`` against the served ESO CRD version it names."""
    validator = eso_schemas().validator(obj["apiVersion"], obj["kind"])
    assert validator is not None, f"no served CRD for {obj['apiVersion']} {obj['kind']}"
    return [f"{e.instance_path}: {e.message}" for e in validator.iter_errors(obj)]


def filled_store(path: Path, contract: Contract) -> SecretStore:
    """A store holding a fresh random value for every key the contract needs.

    Its age identity is ``age.txt`` next to it (``--age-key-file``)."""
    key = create_identity_file(path.parent / "age.txt")
    store = SecretStore.create(path, recipients=key)
    for ref in contract.required:
        for name in ref.keys:
            store.set(ref.namespace, ref.name, name, f"v-{secrets.token_hex(12)}")
    store.save()
    return store


def store_values(store: SecretStore) -> list[str]:
    return [
        value
        for info in store.keys()  # noqa: SIM118 - a method, not a dict view
        if (value := store.get(info.namespace, info.secret, info.key)) is not None
    ]


@pytest.fixture
def aws(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A Secrets Manager client on moto; the environment points boto3 (and the CLI) at it."""
    return secrets_manager(moto_endpoint, monkeypatch, "us-east-1")
