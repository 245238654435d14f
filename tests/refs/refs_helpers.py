"""Constants and types of the refs tests (fixtures live in conftest.py, which imports these).

Test modules import from here, never from ``conftest``: that module name is shared by every
test folder, so which one it means depends on what pytest loaded last.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "refs"
CHART = DATA / "chart"
SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SOPS_311 = SHARED / "vectors" / "sops" / "sops-3.11.0-binary-runs"


@dataclass(frozen=True)
class AgeKey:
    path: Path
    recipient: str
