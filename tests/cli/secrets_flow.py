"""Shared by the ``secrets init``/``render`` CLI tests: Tracecat with the seed's flags, the
typed test chart, and running the CLI with its output captured."""

from __future__ import annotations

from pathlib import Path

import pytest

from chartsafe.cli import main
from chartsafe.store.secret_store import SecretStore

REPO = Path(__file__).resolve().parents[2]
TRACECAT = REPO / "charts" / "tracecat"
#: A chart with a TLS Secret, an mTLS Secret the contract has no type for, a docker config,
#: a vendor token no generator can make and (with many=true) a Secret of 24 keys.
TYPED = REPO / "tests" / "data" / "secrets_render" / "typed"
#: The seed's install flags (tests/charts/test_tracecat_install.py SEED).
SEED = [
    "secrets.existingSecret=tracecat-secrets",
    "tracecat.auth.superadminEmail=admin@example.com",
    "ingress.host=tracecat.example.com",
    "externalPostgres.host=your-db-host.example.com",
    "externalPostgres.auth.existingSecret=tracecat-postgres-credentials",
    "externalRedis.auth.existingSecret=tracecat-redis-credentials",
]
#: The seed's Redis URL has a host; chartsafe makes its password.
REDIS = "url=url:redis://:{password:32}@your-redis-host.example.com:6379"
DOCKER = ".dockerconfigjson=dockerconfigjson:server=registry.example.com,user=ci"


def sets(values: list[str]) -> list[str]:
    return [arg for value in values for arg in ("--set", value)]


def tracecat_args(store: Path, *more: str) -> list[str]:
    """``tracecat charts/tracecat -n tracecat --set (seed)... --store STORE`` and ``more``."""
    return ["tracecat", str(TRACECAT), "-n", "tracecat", *sets(SEED), "--store", str(store),
            *more]  # fmt: skip


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def values_of(store: Path, key_file: Path) -> dict[tuple[str, str, str], str]:
    """Every value in the store, by (namespace, Secret, key)."""
    opened = SecretStore.open(store, key_file=key_file)
    found = {}
    for info in opened.keys():  # noqa: SIM118 (a store method, not a dict)
        value = opened.get(info.namespace, info.secret, info.key)
        assert value is not None
        found[(info.namespace, info.secret, info.key)] = value
    return found
