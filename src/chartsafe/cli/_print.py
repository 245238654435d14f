"""How commands print a structured result (``-o json``, ``-o yaml``): one style for all of them.

A command builds its result once, as JSON-ready data with secret values already masked, and
hands it here with the ``-o`` it was given. YAML is made from the JSON text, so both formats
carry exactly the same data (the same keys, the same masks), whatever types the result holds.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

__all__ = [
    "DATA_FORMATS",
    "overrides_block",
    "print_data",
    "print_json",
    "print_table",
    "print_yaml",
]

#: The ``-o`` values :func:`print_data` prints; any other (table, text) is the command's own.
DATA_FORMATS = frozenset({"json", "yaml"})


def print_json(data: Any) -> None:
    """``data`` as indented JSON on stdout, one document ending in a newline."""
    sys.stdout.write(json.dumps(data, indent=2) + "\n")


def print_yaml(data: Any) -> None:
    """``data`` as one block-style YAML document on stdout, keys in the order given.

    Goes through JSON first: what -o yaml shows is what -o json shows (enum members,
    tuples and integer keys come out as JSON makes them, and no Python-only tag).
    """
    import yaml

    plain = json.loads(json.dumps(data))
    sys.stdout.write(yaml.safe_dump(plain, sort_keys=False, default_flow_style=False))


def print_data(data: Any, output: str | None) -> None:
    """``data`` in the format ``output`` names: ``json`` or ``yaml`` (see DATA_FORMATS)."""
    if output == "json":
        print_json(data)
    elif output == "yaml":
        print_yaml(data)
    else:
        raise ValueError(f"not a data format: {output!r}")


def print_table(rows: Sequence[Sequence[str]]) -> None:
    """Rows (the first one the header) in columns two spaces apart, as helm prints lists."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )


def print_test_suite(runs: Sequence[Any], *, ran_only: bool = False) -> None:
    """A release's test hooks as ``helm test`` and ``helm status`` print them (``runs`` are
    ``HookRun``); with ``ran_only``, the ones never run are left out, as status leaves them."""
    if not runs:
        print("TEST SUITE: None")
    for run in runs:
        if ran_only and not run.started:
            continue
        print(f"TEST SUITE:     {run.name}\nLast Started:   {run.started}\n"
              f"Last Completed: {run.completed}\nPhase:          {run.phase}")  # fmt: skip


def overrides_block(overrides: dict[str, Any], text: str) -> str:
    """The values overrides a delivery prints after its manifests (``text``, their YAML).

    None at all is said in words: a bare ``{}`` read as an empty file to pass with ``-f``,
    when the chart simply reads these Secrets by the names it renders.
    """
    if not overrides:
        return (
            "# no values overrides: no values path names these Secrets (the chart reads "
            "them by the names it renders)\n"
        )
    return "# values overrides (-f this file when installing):\n" + text
