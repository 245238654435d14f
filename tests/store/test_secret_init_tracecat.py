"""``secrets init`` on charts/tracecat with the seed's flags: formats of the seed's recipes,
and filling again (20 times) changes no byte."""

from __future__ import annotations

import base64
import re
from pathlib import Path

from store_helpers import AgeKey

from chartsafe import RenderOptions, ValuesInput
from chartsafe.contract import contract_for_chart
from chartsafe.store.secret_init import fill_from_contract
from chartsafe.store.secret_store import SecretStore

CHART = Path(__file__).resolve().parents[2] / "charts" / "tracecat"
SEED = [
    "secrets.existingSecret=tracecat-secrets",
    "tracecat.auth.superadminEmail=admin@example.com",
    "ingress.host=tracecat.example.com",
    "externalPostgres.host=your-db-host.example.com",
    "externalPostgres.auth.existingSecret=tracecat-postgres-credentials",
    "externalRedis.auth.existingSecret=tracecat-redis-credentials",
]
OVERRIDES = {"url": "url:redis://:{password:32}@your-redis-host.example.com:6379"}


def test_tracecat_init_fills_the_seed_formats_and_is_idempotent(
    tmp_path: Path, age_key: AgeKey
) -> None:
    contract, _ = contract_for_chart(
        CHART, ValuesInput(set=SEED), RenderOptions(namespace="tracecat", validate=False)
    )
    path = tmp_path / "store.yaml"
    store = SecretStore.create(path, recipients=age_key.recipient)
    result = fill_from_contract(store, contract, overrides=OVERRIDES)
    store.set("tracecat", "tracecat-postgres-credentials", "username", "tracecat")
    store.save()
    assert [(w.secret, w.key) for w in result.missing] == [
        ("tracecat-postgres-credentials", "username")
    ]
    core = store.secret("tracecat", "tracecat-secrets")
    assert len(base64.urlsafe_b64decode(core["dbEncryptionKey"])) == 32
    for key in ("serviceKey", "signingSecret", "userAuthSecret"):
        assert re.fullmatch(r"[0-9a-f]{64}", core[key])
    assert re.fullmatch(
        r"redis://:[A-Za-z0-9]{32}@your-redis-host\.example\.com:6379",
        store.get("tracecat", "tracecat-redis-credentials", "url") or "",
    )
    for ref in contract.required:  # every required key is now in the store
        for key in ref.keys:
            assert store.get(ref.namespace, ref.name, key), f"{ref.name}/{key}"
    before = path.read_bytes()
    for _ in range(20):
        again = SecretStore.open(path, identities=age_key.identities)
        assert not fill_from_contract(again, contract, overrides=OVERRIDES).added
        assert again.save() is False
    assert path.read_bytes() == before
