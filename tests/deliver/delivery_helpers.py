"""Shared by the ExternalSecret and AWS push tests: Tracecat's contract, a filled store,
the ESO CRD schemas and a moto server on loopback."""

from __future__ import annotations

import os
import secrets
import urllib.request
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from loopback import free_port

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


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """moto's AWS emulator in server mode on loopback, for the whole session."""
    server_mod = pytest.importorskip("moto.server", reason="pip install 'moto[server]'")
    port = free_port()
    server = server_mod.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def aws(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A Secrets Manager client on moto; the environment points boto3 (and the CLI) at it."""
    boto3 = pytest.importorskip("boto3")
    reset = urllib.request.Request(f"{moto_endpoint}/moto-api/reset", method="POST")
    with urllib.request.urlopen(reset, timeout=30):
        pass
    for name, value in {
        "AWS_ENDPOINT_URL": moto_endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
    }.items():
        monkeypatch.setenv(name, value)
    return boto3.client("secretsmanager", region_name="us-east-1", endpoint_url=moto_endpoint)
