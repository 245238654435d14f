"""The no-leak table's setup: secret values from every source, a release record of the leak chart.

``tests/data/refs/leak`` copies each value into a Secret, a ConfigMap (also inside a JSON
document), an env ``value:`` literal and NOTES.txt. The values come from a SOPS-encrypted ``-f``
file (``db.password``), a ``ref+chartsafe://`` reference (``config.endpoint``) and a
``ref+sops://`` reference (``app.token``); keys were picked so that only where a value came
from makes it secret. The release record is Helm's own format, served by the release tests'
loopback fake API (``tests/release/release_fake_api.py``).
"""

from __future__ import annotations

import base64
import gzip
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from refs_helpers import DATA

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "release"))
from release_fake_api import FakeApi, kubeconfig_for, serving

__all__ = [
    "LEAK",
    "FakeApi",
    "Sources",
    "forms",
    "kubeconfig_for",
    "leak_record",
    "serving",
]

LEAK = DATA / "leak"
RECORDED = "chartsafe.io/secret-values"


@dataclass(frozen=True)
class Sources:
    """The secret values of one side (the deployed or the new), as the chart receives them."""

    password: str
    endpoint: str
    token: str

    def values(self) -> dict[str, Any]:
        return {
            "db": {"password": self.password},
            "config": {"endpoint": self.endpoint},
            "app": {"token": self.token},
        }

    def texts(self) -> list[str]:
        return [self.password, self.endpoint, self.token]


SECRET_PATHS = [["app", "token"], ["config", "endpoint"], ["db", "password"]]


def forms(text: str) -> list[str]:
    """A secret as it may be printed: raw, base64, JSON-escaped."""
    return [text, base64.b64encode(text.encode()).decode(), json.dumps(text)[1:-1]]


def leak_record(
    name: str, namespace: str, version: int, sources: Sources, *, recorded: bool = True
) -> dict[str, Any]:
    """Revision ``version`` of the leak chart as Helm's Secret storage driver keeps it."""
    import helm_python as h

    values = sources.values()
    with h.Config(namespace=namespace, storage_driver="memory") as config:
        summary = config.install(str(LEAK), name, values, dry_run="client", namespace=namespace)
    release = {
        "name": name,
        "namespace": namespace,
        "version": version,
        "info": {
            "first_deployed": "2026-01-01T10:00:00Z",
            "last_deployed": "2026-01-01T10:00:00Z",
            "deleted": "",
            "description": "Install complete",
            "status": "deployed",
            "notes": summary["notes"],
        },
        "chart": {
            "metadata": yaml.safe_load((LEAK / "Chart.yaml").read_text()),
            "values": yaml.safe_load((LEAK / "values.yaml").read_text()),
            "templates": [],
        },
        "config": values,
        "manifest": summary["manifest"],
        "hooks": [],
    }
    encoded = base64.b64encode(gzip.compress(json.dumps(release).encode())).decode()
    meta: dict[str, Any] = {
        "name": f"sh.helm.release.v1.{name}.v{version}",
        "namespace": namespace,
        "resourceVersion": "1",
        "labels": {"name": name, "owner": "helm", "status": "deployed", "version": str(version)},
    }
    if recorded:
        meta["annotations"] = {RECORDED: json.dumps(SECRET_PATHS)}
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "type": "helm.sh/release.v1",
        "metadata": meta,
        "data": {"release": base64.b64encode(encoded.encode()).decode()},
    }
