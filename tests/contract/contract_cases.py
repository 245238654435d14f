"""Contract tests: small charts in tests/data/contract, each with its expected contract."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from chartsafe import RenderOptions
from chartsafe.contract import Contract, contract_for_chart

DATA = Path(__file__).resolve().parents[1] / "data" / "contract"
REPO = Path(__file__).resolve().parents[2]


def summary(contract: Contract) -> dict[str, Any]:
    """The contract in the compact form of the expected files (readers as one line each)."""
    out: dict[str, Any] = {}
    for secret in contract.secrets:
        out[secret.name] = {
            "required": secret.required,
            "createdBy": [
                c.ref + (f" hook {c.hook.weight}" if c.hook else "") for c in secret.creators
            ],
            "type": secret.type,
            "valuesPaths": secret.values_paths,
            "keySource": secret.key_source,
            "wholeReaders": [r.describe() for r in secret.whole_readers],
            "keys": {
                name: {
                    "format": key.format,
                    "optional": key.optional,
                    "readers": sorted(r.describe() for r in key.readers),
                }
                for name, key in sorted(secret.keys.items())
            },
        }
    return out


def derive(
    chart: Path | str, values: dict[str, Any] | None = None, name: str = "rel", ns: str = "ns"
) -> Contract:
    options = RenderOptions(release_name=name, namespace=ns, validate=False)
    contract, _ = contract_for_chart(chart, values or {}, options)
    return contract
