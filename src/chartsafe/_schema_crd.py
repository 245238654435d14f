"""Schemas for custom resources, from CRD documents rendered, shipped or on disk.

Kinds the Kubernetes schemas do not know are validated against CRDs: those the
chart renders or ships in ``crds/``, and those found in ``--crd-dir``. A CRD's
OpenAPI v3 schema becomes a strict JSON Schema (unknown fields rejected, as the
API server prunes or refuses them).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from ._errors import InputError
from ._objects import K8sObject

__all__ = ["CrdSchemas"]


def _openapi_to_jsonschema(node: Any) -> Any:
    """A CRD's OpenAPI v3 schema as JSON Schema, unknown fields rejected.

    The API server prunes or (with strict field validation, kubectl's default)
    rejects fields a structural schema does not declare, unless the schema says
    ``x-kubernetes-preserve-unknown-fields``; ``nullable`` admits null and
    ``x-kubernetes-int-or-string`` admits both.
    """
    if isinstance(node, list):
        return [_openapi_to_jsonschema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _openapi_to_jsonschema(v) for k, v in node.items() if not k.startswith("x-")}
    if node.get("x-kubernetes-int-or-string"):
        out.pop("type", None)
        out["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    if node.get("nullable") and "type" in out:
        out["type"] = [out["type"], "null"]
    out.pop("nullable", None)
    has_props = "properties" in node
    if (
        has_props
        and "additionalProperties" not in node
        and not node.get("x-kubernetes-preserve-unknown-fields")
    ):
        out["additionalProperties"] = False
    return out


def _crd_validators(crd: dict[str, Any]) -> dict[tuple[str, str], Any]:
    """(apiVersion, kind) → validator for each served version of one CRD."""
    import jsonschema_rs

    found: dict[tuple[str, str], Any] = {}
    spec = crd.get("spec") or {}
    group, kind = spec.get("group"), (spec.get("names") or {}).get("kind")
    if not group or not kind:
        return found
    for version in spec.get("versions") or []:
        openapi = ((version.get("schema") or {}).get("openAPIV3Schema")) or None
        if not openapi or not version.get("served", True):
            continue
        schema = _openapi_to_jsonschema(openapi)
        props = schema.setdefault("properties", {})
        props.setdefault("apiVersion", {"type": "string"})
        props.setdefault("kind", {"type": "string"})
        props["metadata"] = {"type": "object"}
        found[(f"{group}/{version['name']}", kind)] = jsonschema_rs.Draft202012Validator(
            schema, validate_formats=False
        )
    return found


@cache
def _crd_file_validators(path: str, mtime_ns: int) -> dict[tuple[str, str], Any]:
    """The CRDs of one file, parsed and compiled once per process (CRD files are large)."""
    import yaml

    try:
        with open(path, encoding="utf-8") as handle:
            docs = list(yaml.load_all(handle, yaml.CSafeLoader))
    except (yaml.YAMLError, OSError, UnicodeDecodeError, RecursionError) as exc:
        raise InputError(f"--crd-dir: cannot read {path}: {type(exc).__name__}") from None
    found: dict[tuple[str, str], Any] = {}
    for doc in docs:
        if isinstance(doc, dict) and doc.get("kind") == "CustomResourceDefinition":
            found.update(_crd_validators(doc))
    return found


class CrdSchemas:
    """Validators for custom resources, from CRD documents (rendered or on disk)."""

    def __init__(self) -> None:
        self._schemas: dict[tuple[str, str], Any] = {}
        self.documents: list[dict[str, Any]] = []  # added with add_crd, compiled on first use
        self._compiled = 0
        self.has_dirs = False

    def add_crd(self, crd: dict[str, Any]) -> None:
        self.documents.append(crd)

    def add_objects(self, objects: Iterable[K8sObject]) -> None:
        for obj in objects:
            if obj.kind == "CustomResourceDefinition":
                self.add_crd(obj.body)

    def add_dir(self, directory: str | os.PathLike[str]) -> None:
        """Every CRD in the YAML files of ``directory`` (``--crd-dir``)."""
        directory = Path(directory)
        if not directory.is_dir():
            raise InputError(
                f"--crd-dir {directory}: not a directory",
                hint="pass a folder of CRD YAML files",
            )
        self.has_dirs = True
        for path in sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")]):
            self._schemas.update(_crd_file_validators(str(path.resolve()), path.stat().st_mtime_ns))

    def validator(self, api_version: str, kind: str) -> Any:
        for crd in self.documents[self._compiled :]:
            self._schemas.update(_crd_validators(crd))
        self._compiled = len(self.documents)
        return self._schemas.get((api_version, kind))
