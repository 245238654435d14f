"""Printing what validation found, to stderr, the same way for every command."""

from __future__ import annotations

import sys

from .._render import RenderResult

__all__ = ["report_validation"]


def report_validation(result: RenderResult) -> int:
    """Print problems and unvalidated objects to stderr; 1 when there are problems."""
    for warning in result.warnings:
        print(f"chartsafe: warning: {warning}", file=sys.stderr)
    for obj in result.not_validated:
        print(
            f"chartsafe: not validated: {obj.source}: {obj.kind}/{obj.name} "
            f"({obj.api_version}: no schema; pass --crd-dir with its CRD)",
            file=sys.stderr,
        )
    for problem in result.problems:
        print(f"chartsafe: invalid: {problem}", file=sys.stderr)
    if result.problems:
        print(f"chartsafe: {result.problems_count}", file=sys.stderr)
        return 1
    return 0
