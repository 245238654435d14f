"""Validate rendered objects against Kubernetes and CRD schemas, fast.

Kubernetes schemas are ``kubernetes-validate``'s strict JSON schemas (unknown
fields rejected). That package reads and compiles a schema for every object it
checks; we compile one validator per (version, apiVersion, kind) with
``jsonschema-rs`` and reuse it, which gives the same verdicts at a fraction of
the cost (tests/unit/test_schema.py compares verdicts, bench/ the cost).

The schemas take tens of milliseconds to load, a large share of a ``chartsafe
template`` run, so :meth:`SchemaValidator.warm_up` builds them in a background
thread while Helm's engine renders (its calls release the GIL); the console
script goes further and builds them in a forked process (``_schema_worker``).

Kinds the Kubernetes schemas do not know are validated against CRDs
(``_schema_crd``). An object with neither is reported as "not validated",
never passed silently.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ._errors import InputError, KubeVersionError
from ._objects import K8sObject
from ._schema_crd import CrdSchemas

__all__ = [
    "DEFAULT_KUBE_VERSION",
    "CrdSchemas",
    "ObjectProblem",
    "SchemaValidator",
    "nearest_schema_version",
    "schema_version_for",
]

#: The Kubernetes version rendered and validated for when none is given: the one
#: Helm 4.2's engine reports in ``.Capabilities`` by default.
DEFAULT_KUBE_VERSION = "v1.36.0"

_VERSION = re.compile(r"^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+].*)?$")

#: Kinds nearly every chart renders: compiled ahead by :meth:`SchemaValidator.warm_up`.
_COMMON_KINDS = (
    ("apps/v1", "Deployment"),
    ("v1", "Service"),
    ("v1", "ConfigMap"),
    ("v1", "Secret"),
    ("v1", "ServiceAccount"),
    ("apps/v1", "StatefulSet"),
    ("batch/v1", "Job"),
)


@dataclass(frozen=True)
class ObjectProblem:
    """One schema violation of one object, with the field path inside it."""

    obj: str  # Kind/name
    source: str  # template path
    path: str  # dotted path inside the object, "" for the root
    message: str

    def __str__(self) -> str:
        where = f" at {self.path}" if self.path else ""
        return f"{self.source}: {self.obj}{where}: {self.message}"


@cache
def _schema_root() -> Path:
    """kubernetes-validate's schema folder, found without importing the package (fast)."""
    spec = importlib.util.find_spec("kubernetes_validate")
    if spec is None or not spec.submodule_search_locations:
        raise InputError("kubernetes-validate is not installed; reinstall chartsafe")
    return Path(next(iter(spec.submodule_search_locations))) / "kubernetes-json-schema"


@cache
def _available_versions() -> tuple[tuple[int, int], ...]:
    found = set()
    for name in os.listdir(_schema_root()):
        match = _VERSION.match(name.split("-local")[0])
        if match and name.endswith("-local-strict"):
            found.add((int(match.group(1)), int(match.group(2))))
    return tuple(sorted(found))


def schema_version_for(kube_version: str) -> tuple[int, int]:
    """The schema set for ``kube_version``: the newest one not newer than it."""
    match = _VERSION.match(kube_version.strip())
    if not match:
        raise KubeVersionError(
            f"--kube-version {kube_version!r} is not a Kubernetes version",
            hint="use a version such as v1.36.0",
        )
    wanted = (int(match.group(1)), int(match.group(2)))
    versions = _available_versions()
    usable = [v for v in versions if v <= wanted]
    if not usable or wanted > versions[-1]:
        first, last = versions[0], versions[-1]
        raise KubeVersionError(
            f"--kube-version {kube_version}: no Kubernetes schemas for {wanted[0]}.{wanted[1]} "
            f"(kubernetes-validate has {first[0]}.{first[1]} to {last[0]}.{last[1]})",
            hint="pick a version in that range, or pass --no-validate",
        )
    return usable[-1]


def nearest_schema_version(kube_version: str) -> tuple[str, str | None]:
    """The version to validate a cluster's objects for, and a warning when it is not its own.

    A cluster's version is a fact, not a typo to refuse as an unknown ``--kube-version``
    is: one older or newer than kubernetes-validate's schemas is validated against the
    nearest set (a kind's schema changes little from one minor to the next), and said so.
    """
    try:
        schema_version_for(kube_version)
        return kube_version, None
    except KubeVersionError:
        match = _VERSION.match(kube_version.strip())
        if not match:
            raise
    wanted = (int(match.group(1)), int(match.group(2)))
    versions = _available_versions()
    nearest = versions[0] if wanted < versions[0] else versions[-1]
    first, last = versions[0], versions[-1]
    return f"v{nearest[0]}.{nearest[1]}.0", (
        f"the cluster runs Kubernetes {kube_version} and kubernetes-validate has schemas for "
        f"{first[0]}.{first[1]} to {last[0]}.{last[1]}: objects were validated against "
        f"{nearest[0]}.{nearest[1]}"
    )


def _schema_dir(version: tuple[int, int]) -> Path:
    return _schema_root().joinpath(f"v{version[0]}.{version[1]}.0-local-strict")


def _schema_file(api_version: str, kind: str) -> str:
    # kubernetes-validate's naming: rbac.authorization.k8s.io/v1 → rbac-v1; v1 → v1
    group_version = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
    return f"{kind.lower()}-{group_version}.json"


# Compiled schemas, shared by every SchemaValidator of the process. One lock
# guards building them: the warm-up thread and the caller never build the same
# thing twice, and a caller that needs what is being built waits for it.
_LOCK = threading.RLock()
_REGISTRIES: dict[tuple[int, int], Any] = {}
_K8S: dict[tuple[tuple[int, int], str, str], Any] = {}


def _registry(version: tuple[int, int]) -> Any:
    """The shared ``_definitions.json`` of one version, as a jsonschema-rs registry."""
    with _LOCK:
        if version not in _REGISTRIES:
            import jsonschema_rs

            definitions = json.loads((_schema_dir(version) / "_definitions.json").read_bytes())
            # The kind schemas refer to "/api/_definitions.json#/$defs/...".
            _REGISTRIES[version] = jsonschema_rs.Registry(
                [("file:///api/_definitions.json", definitions)]
            )
        return _REGISTRIES[version]


def _k8s_validator(version: tuple[int, int], api_version: str, kind: str) -> Any:
    """A compiled validator for one kind, or None when the schemas do not know it."""
    key = (version, api_version, kind)
    with _LOCK:
        if key not in _K8S:
            import jsonschema_rs

            name = _schema_file(api_version, kind)
            entry = _schema_dir(version) / name
            validator = None
            schema = json.loads(entry.read_bytes()) if "/" not in name and entry.is_file() else {}
            # The file name drops the group's domain: apps.example.com/v1 Deployment would
            # find apps/v1's schema. Only the apiVersions the schema names are built-in.
            api_versions = schema.get("properties", {}).get("apiVersion", {}).get("enum", [])
            if api_version in api_versions:
                validator = jsonschema_rs.Draft202012Validator(
                    schema,
                    registry=_registry(version),
                    base_uri=f"file:///api/{name}",
                    validate_formats=False,  # as kubernetes-validate: formats are annotations
                )
            _K8S[key] = validator
        return _K8S[key]


_BOUNDS = frozenset({"minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems",
                     "minProperties", "maxProperties", "exclusiveMinimum", "exclusiveMaximum",
                     "multipleOf", "pattern", "format", "const"})  # fmt: skip


def _safe_message(error: Any) -> str:
    """The violation in words that never quote the offending value (it may be a secret)."""
    kind = error.kind
    name, detail = kind.name, kind.as_dict()
    if name == "type":
        return f"must be of type {' or '.join(str(t) for t in detail['types'] if t != 'null')}"
    if name == "enum":
        return f"must be one of {', '.join(json.dumps(v) for v in detail['options'])}"
    if name == "required":
        return f"{detail['property']!r} is a required property"  # a field name, never a value
    if name == "additionalProperties":
        unexpected = ", ".join(repr(p) for p in detail["unexpected"])
        return f"Additional properties are not allowed ({unexpected} was unexpected)"
    if name in ("anyOf", "oneOf"):
        return "matches none of the allowed forms"
    if name in _BOUNDS and len(detail) == 1:
        return f"fails {name} {json.dumps(next(iter(detail.values())))}"
    return f"fails {name}"


def _dotted(path: Iterable[Any]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_JSON_SCALARS = (str, int, float, bool, type(None))


def _not_json(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Where a body holds something JSON cannot (a YAML date, a non-string key).

    Such a body cannot be sent to the API server as it is; the schema library
    refuses it too, so these places are reported as violations.
    """
    if isinstance(node, dict):
        for key, value in node.items():
            if not isinstance(key, str):
                yield path, f"has a key of type {type(key).__name__}; keys must be strings"
            else:
                yield from _not_json(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _not_json(value, (*path, index))
    elif not isinstance(node, _JSON_SCALARS):
        yield path, f"must be JSON data, not {type(node).__name__}"


_SWITCHING = {"threads": 0, "interval": 0.0}
_SWITCHING_LOCK = threading.Lock()


@contextmanager
def _faster_switching() -> Iterator[None]:
    """Switch threads every 0.5 ms while any warm-up runs; restore the interval after the last."""
    with _SWITCHING_LOCK:
        if not _SWITCHING["threads"]:
            _SWITCHING["interval"] = sys.getswitchinterval()
            sys.setswitchinterval(0.0005)
        _SWITCHING["threads"] += 1
    try:
        yield
    finally:
        with _SWITCHING_LOCK:
            _SWITCHING["threads"] -= 1
            if not _SWITCHING["threads"]:
                sys.setswitchinterval(_SWITCHING["interval"])


class SchemaValidator:
    """Validates objects for one Kubernetes version; reuse it across renders."""

    def __init__(self, kube_version: str, crds: CrdSchemas | None = None) -> None:
        self.version = schema_version_for(kube_version)
        self.crds = crds or CrdSchemas()

    def warm_up(self) -> None:
        """Build this version's schemas in a background thread, to overlap other work.

        Nothing depends on it having run: whatever it has not built yet is
        built on first use, and errors surface there too.
        """
        from . import _schema_worker

        if _schema_worker.ready() or all((self.version, *kind) in _K8S for kind in _COMMON_KINDS):
            return  # being built by the forked worker, or built by an earlier render
        threading.Thread(target=self.prepare, name="chartsafe-schemas", daemon=True).start()

    def prepare(self) -> None:
        """Build this version's schemas for the common kinds now, in the calling thread.

        Errors are swallowed: they surface when the same schema is needed.
        """
        # A short switch interval while building: the thread holds the GIL for
        # long stretches (JSON parsing, schema compilation), and the main thread
        # would otherwise wait up to 5 ms each time a Helm call returns to Python.
        with _faster_switching():
            try:
                for api_version, kind in _COMMON_KINDS:
                    _k8s_validator(self.version, api_version, kind)
            except Exception:  # reported when the caller builds the same thing itself
                pass

    def validator_for(self, obj: K8sObject) -> Any:
        return _k8s_validator(self.version, obj.api_version, obj.kind) or self.crds.validator(
            obj.api_version, obj.kind
        )

    def problems_each(self, objects: Sequence[K8sObject]) -> list[list[ObjectProblem] | None]:
        """:meth:`problems` of each object; in the forked worker when one is waiting."""
        from . import _schema_worker

        kube_version = f"v{self.version[0]}.{self.version[1]}.0"
        answer = None
        if not self.crds.has_dirs:  # the worker cannot see --crd-dir's compiled schemas
            answer = _schema_worker.ask(kube_version, self.crds.documents, objects)
        return answer if answer is not None else [self.problems(o) for o in objects]

    def problems(self, obj: K8sObject) -> list[ObjectProblem] | None:
        """Every violation of ``obj``; None when no schema knows its kind."""
        validator = self.validator_for(obj)
        if validator is None:
            return None
        ref = f"{obj.kind}/{obj.name}"
        try:
            errors = sorted(validator.iter_errors(obj.body), key=lambda e: list(e.instance_path))
        except ValueError:  # not JSON data: say where, as the API server would refuse it
            return [
                ObjectProblem(ref, obj.source, _dotted(path), message)
                for path, message in _not_json(obj.body)
            ]
        return [
            ObjectProblem(ref, obj.source, _dotted(error.instance_path), _safe_message(error))
            for error in errors
        ]
