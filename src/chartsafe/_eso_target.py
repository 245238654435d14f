"""What an External Secrets Operator ``ExternalSecret`` writes, read from its spec alone.

The contract (which Secrets a release creates), the preflight's manifest source (which
Secrets a GitOps directory will produce) and the ConfigMap checks all ask the same
question of an ExternalSecret: what object does ESO write, under which name, with which
keys. One answer here, so the three cannot disagree (they did: two copies differed on
``templateFrom`` and on ``creationPolicy: Merge``).

The rules, from ESO's API (see ../shared/docs/DELIVERY-FACTS.md): the target is named
``target.name`` or the ExternalSecret's own name; it is a Secret unless ``target.manifest``
names another kind (a ConfigMap, since ESO 1.0); ``creationPolicy`` ``Merge`` and ``None``
never create it. Its keys are the fetched ones (``data[].secretKey``; unknown with
``dataFrom``) unless a template with data is set: with the default ``mergePolicy: Replace``
only the templated keys remain, with ``Merge`` both. A ``templateFrom`` that writes data
makes the keys unknown offline.
"""

# No ``from __future__ import annotations``: this module's NamedTuples keep real annotations
# (why: ``chartsafe/audit/_model.py``'s docstring).

from collections.abc import Mapping
from typing import Any, NamedTuple

from ._podspec import dicts_in

__all__ = ["EsoTarget", "external_secret_target"]

#: ``creationPolicy`` values under which ESO writes into an object that must already exist.
_NOT_CREATING = frozenset({"Merge", "None"})


class EsoTarget(NamedTuple):
    """The object an ExternalSecret makes ESO write."""

    api_version: str  # "v1" for a Secret or a ConfigMap
    kind: str  # "Secret", or the kind target.manifest names
    name: str
    keys: frozenset[str] | None  # None: known only once the operator has fetched
    type: str | None  # the Secret type the template sets
    creates: bool  # False: ESO only writes into an object that exists already

    def makes(self, kind: str) -> bool:
        """True when ESO creates a core (``v1``) object of ``kind``."""
        return self.creates and self.kind == kind and self.api_version == "v1"


def _in(value: Any, names: frozenset[str]) -> bool:
    """``value in names`` for any YAML value (a list is unhashable: in no set of names)."""
    return isinstance(value, str) and value in names


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _keys(spec: Mapping[str, Any], template: Mapping[str, Any]) -> frozenset[str] | None:
    entries = dicts_in(spec.get("data"))
    fetched = (
        None
        if spec.get("dataFrom")
        else frozenset(str(e["secretKey"]) for e in entries if e.get("secretKey"))
    )
    templated = frozenset(str(k) for k in _map(template.get("data")))
    template_from = dicts_in(template.get("templateFrom"))
    if not templated and not template_from:
        return fetched  # no template data: ESO writes what it fetched
    if any(str(t.get("target") or "Data") == "Data" for t in template_from):
        return None  # keys rendered from a ConfigMap or Secret the operator reads
    if template.get("mergePolicy") == "Merge":
        return None if fetched is None else fetched | templated
    return templated


def external_secret_target(body: Mapping[str, Any]) -> EsoTarget:
    """What ESO writes for the ExternalSecret ``body`` (a parsed manifest)."""
    spec = _map(body.get("spec"))
    target = _map(spec.get("target"))
    template = _map(target.get("template"))
    manifest = _map(target.get("manifest"))
    kind_type = template.get("type")
    return EsoTarget(
        api_version=str(manifest.get("apiVersion") or "v1"),
        kind=str(manifest.get("kind") or "Secret"),
        name=str(target.get("name") or _map(body.get("metadata")).get("name") or ""),
        keys=_keys(spec, template),
        type=str(kind_type) if kind_type else None,
        creates=not _in(target.get("creationPolicy"), _NOT_CREATING),
    )
