"""Shared by the ``up`` tests: paths, the fake API's state, age keys, store values.

The fake API itself (conftest ``fake_api``) is a tiny in-memory Kubernetes API on loopback.

The fake keeps objects by API path and answers what chartsafe sends: ``GET`` an object (a 404
``Status`` when absent), ``PATCH`` with ``application/apply-patch+yaml`` (server-side apply:
create or replace) or ``application/strategic-merge-patch+json`` (merged into the stored
object; 404 when absent), and a 403 ``Status`` for namespace ``locked``, as RBAC answers.
Every request is recorded with its method, path, query and content type (never its body).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chartsafe.store.secret_store import SecretStore

REPO = Path(__file__).resolve().parents[2]
TRACECAT = REPO / "charts" / "tracecat"
MINIKUBE = TRACECAT / "examples" / "values-minikube.yaml"
DATA = REPO / "tests" / "data" / "up"
#: The Redis URL needs a host no generator can know; the demo gives one.
REDIS = "url=url:redis://:{password:32}@redis.demo.invalid:6379"


def merge(base: Any, patch: Any) -> Any:
    if isinstance(base, dict) and isinstance(patch, dict):
        merged = dict(base)
        for key, value in patch.items():
            merged[key] = merge(base.get(key), value)
        return merged
    return patch


def status(code: int, reason: str, message: str) -> bytes:
    body = {
        "kind": "Status",
        "apiVersion": "v1",
        "status": "Failure",
        "message": message,
        "reason": reason,
        "code": code,
    }
    return json.dumps(body).encode()


@dataclass
class FakeApi:
    url: str
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[tuple[str, str, str, str]] = field(
        default_factory=list
    )  # method, path, query, type
    #: API groups discovery lists beyond the core ones: {group/version: [kind, ...]}
    groups: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Keys:
    key_file: Path
    recipient: str

    def store_flags(self, store: Path) -> list[str]:
        """``--store STORE --age RECIPIENT --age-key-file KEY``: the flags of an ``up`` run
        that makes its store for these keys and opens it with them."""
        key_file = str(self.key_file)
        return ["--store", str(store), "--age", self.recipient, "--age-key-file", key_file]


def store_values(store: Path, key_file: Path) -> dict[tuple[str, str, str], str]:
    """Every value in the store (for the no-value-printed assertions)."""
    opened = SecretStore.open(store, key_file=key_file)
    found = {}
    for info in opened.keys():  # noqa: SIM118 (a store method, not a dict)
        value = opened.get(info.namespace, info.secret, info.key)
        assert value is not None
        found[(info.namespace, info.secret, info.key)] = value
    return found
