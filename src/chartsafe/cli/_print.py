"""How commands print a result as JSON (``-o json``): one style for all of them."""

from __future__ import annotations

import json
import sys
from typing import Any

__all__ = ["print_json"]


def print_json(data: Any) -> None:
    """``data`` as indented JSON on stdout, one document ending in a newline."""
    sys.stdout.write(json.dumps(data, indent=2) + "\n")
