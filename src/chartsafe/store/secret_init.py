"""``secrets init``: every key the contract requires, filled into the store when missing.

The contract's format picks each key's generator; ``overrides`` (``--generator KEY=SPEC``, or
``SECRET/KEY=SPEC`` for one Secret only) win. Keys no generator can make (``text``, a vendor's
API key) are reported as missing, with the ``chartsafe secrets set`` that supplies them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chartsafe.generate import Spec, parse_spec, spec_for_format
from chartsafe.store.secret_fill import FillResult, Progress, Wanted, fill
from chartsafe.store.secret_store import SecretStore

__all__ = ["fill_from_contract", "spec_for_key", "wanted_from_contract"]


def spec_for_key(
    overrides: Mapping[str, str], secret: str, key: str, fmt: str, formats: Mapping[str, str]
) -> Spec | None:
    """``--generator SECRET/KEY=`` or ``KEY=`` if given, else what the format makes (or None)."""
    for name in (f"{secret}/{key}", key):
        if name in overrides:
            return parse_spec(overrides[name], where=f"--generator {name}=...")
    return spec_for_format(fmt, key, secret_formats=formats)


def wanted_from_contract(contract: Any, overrides: Mapping[str, str] | None = None) -> list[Wanted]:
    """The required Secrets' keys, each with the spec that makes it (or none)."""
    overrides = overrides or {}
    wanted = []
    for ref in contract.required:
        formats = {name: key.format for name, key in ref.keys.items()}
        for name, key in sorted(ref.keys.items()):
            spec = spec_for_key(overrides, ref.name, name, key.format, formats)
            wanted.append(Wanted(ref.namespace, ref.name, name, key.format, spec, key.description))
    return wanted


def fill_from_contract(
    store: SecretStore,
    contract: Any,
    *,
    overrides: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> FillResult:
    """Fill every missing required key; present values are kept byte for byte."""
    return fill(store, wanted_from_contract(contract, overrides), progress=progress)
