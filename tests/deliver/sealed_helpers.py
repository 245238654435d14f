"""Paths and key loading shared by the sealing tests."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from chartsafe.deliver.sealed_keys import load_certificate, parse_private_keys

VECTORS = Path(__file__).resolve().parents[3] / "shared" / "vectors" / "sealed"
GENERATED = VECTORS / "generated"
DATA = Path(__file__).resolve().parents[1] / "data" / "sealed"


@cache
def private_key(name: str) -> Any:
    """``rsa2048`` or ``rsa4096`` private key from the vectors."""
    return parse_private_keys((GENERATED / f"{name}.key.pem").read_bytes(), source=name)[0]


@cache
def public_key(name: str) -> Any:
    return load_certificate((GENERATED / f"{name}.cert.pem").read_bytes(), source=name)
