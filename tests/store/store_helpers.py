"""Constants and small helpers for the store tests (fixtures live in conftest.py)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from chartsafe.store import Identities, find_identities

SopsRunner = Callable[..., "subprocess.CompletedProcess[str]"]

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
VECTORS = SHARED / "vectors" / "sops"
SOPS_311 = VECTORS / "sops-3.11.0-binary-runs"
FLUX = VECTORS / "fluxcd-kustomize-controller"
DERIVED = VECTORS / "derived"
GETSOPS = VECTORS / "getsops-sops"


def vector_identities(path: Path) -> Identities:
    return find_identities(path)


@dataclass(frozen=True)
class AgeKey:
    """A fresh age identity file and its public recipient."""

    path: Path
    recipient: str

    @property
    def identities(self) -> Identities:
        return find_identities(self.path)
