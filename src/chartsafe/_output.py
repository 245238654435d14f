"""Render results as text: Helm-style multi-document YAML, and JSON.

Only these functions decide how objects look when printed, so ``template``,
``lint`` and later commands print the same way.
"""

from __future__ import annotations

import json
from typing import Any

from ._objects import K8sObject

__all__ = ["manifests_json", "manifests_yaml"]


def manifests_yaml(objects: list[K8sObject]) -> str:
    """Objects as ``helm template`` prints them: ``---``, ``# Source:``, the rendered text."""
    return "".join(f"---\n# Source: {o.source}\n{o.text}\n" for o in objects)


def manifests_json(objects: list[K8sObject]) -> str:
    """Objects as a JSON list: source template, identity, hook data and the object itself."""
    listing: list[dict[str, Any]] = [o.as_dict() for o in objects if o.kind]
    return json.dumps(listing, indent=2) + "\n"
