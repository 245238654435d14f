"""Offline check that a SealedSecret will open where it is going to be applied.

The controller computes the OAEP label from the SealedSecret's own name, namespace and scope
annotation at the moment it unseals, so the usual mistakes (sealed for one namespace and applied
in another, renamed after sealing, a scope annotation written as a YAML boolean or on the
template only) all end the same way in the cluster: "no key could decrypt secret". This finds
them before that. Without a private key it checks what the object itself says; with one it
opens every item under the label the controller will use and, if that fails, tells which
placement the value was sealed for. It never returns a value.

A problem (``sealed verify`` exits 1) is only what stops the controller. The scope annotations
of ``spec.template`` are not: the controller reads the scope from ``metadata`` alone and only
copies the template's annotations onto the Secret, so a template without them (``kubeseal
--raw`` output put in a hand-written object, ``@linode/kubeseal-encrypt``, old manifests, no
template at all) is fine, and one naming another scope is a note, whose values the private
key then tries under the scope the controller will use.
"""

from __future__ import annotations

import base64
import binascii
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .._podspec import dict_at
from .sealed import API_VERSION, KIND
from .sealed_crypto import (
    CLUSTER_WIDE_ANNOTATION,
    NAMESPACE_WIDE_ANNOTATION,
    Scope,
    hybrid_decrypt,
    label_for,
    scope_from_annotations,
)

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

__all__ = ["SealedPlacement", "check_placement"]

_SCOPE_ANNOTATIONS = (NAMESPACE_WIDE_ANNOTATION, CLUSTER_WIDE_ANNOTATION)


@dataclass
class SealedPlacement:
    """What one SealedSecret needs, where it is going, and what is wrong with that."""

    name: str
    namespace: str
    scope: Scope
    items: list[str]
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    opened: int | None = None  #: items that opened with the key (None: no key given)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "namespace": self.namespace,
            "scope": str(self.scope),
            "items": self.items,
            "ok": self.ok,
            "problems": self.problems,
            "notes": self.notes,
            "opened": self.opened,
        }


def check_placement(
    sealed: Mapping[str, Any],
    *,
    namespace: str | None = None,
    name: str | None = None,
    private_keys: Sequence[RSAPrivateKey] = (),
    default_namespace: str = "default",
) -> SealedPlacement:
    """Check ``sealed`` against the namespace (and Secret name) it will be applied with.

    Without ``namespace``, one the SealedSecret does not name is ``default_namespace``:
    where ``kubectl apply`` puts it (the kubeconfig context's).
    """
    metadata, spec = dict_at(sealed.get("metadata")), dict_at(sealed.get("spec"))
    own_name = str(metadata.get("name") or "")
    own_namespace = metadata.get("namespace")
    annotations = dict_at(metadata.get("annotations"))
    scope = scope_from_annotations(annotations)
    target = namespace or own_namespace or default_namespace
    encrypted = dict_at(spec.get("encryptedData"))
    result = SealedPlacement(own_name, target, scope, sorted(str(k) for k in encrypted))
    problems, notes = result.problems, result.notes
    for field_name, value in (("metadata", sealed.get("metadata")), ("spec", sealed.get("spec")),
                              ("spec.encryptedData", spec.get("encryptedData")),
                              ("spec.template", spec.get("template"))):  # fmt: skip
        if value is not None and not isinstance(value, dict):
            problems.append(f"{field_name} is not a mapping")

    if sealed.get("kind") != KIND:
        problems.append(f"kind is {sealed.get('kind')!r}, want {KIND}")
    if sealed.get("apiVersion") != API_VERSION:
        problems.append(f"apiVersion is {sealed.get('apiVersion')!r}, want {API_VERSION}")
    if not own_name:
        problems.append("metadata.name is missing")
    if name and own_name and name != own_name:
        problems.append(f"metadata.name is {own_name} but the release reads a Secret {name}")
    if own_namespace and namespace and own_namespace != namespace:
        problems.append(
            f"metadata.namespace is {own_namespace} but it is applied in {namespace}"
            + ("" if scope is Scope.cluster_wide else f"; {scope} values only open in one")
        )
    if not own_namespace and scope is not Scope.cluster_wide:
        notes.append(f"no metadata.namespace: values must be sealed for namespace {target}")
    template_meta = dict_at(dict_at(spec.get("template")).get("metadata"))
    _check_annotations(annotations, template_meta, result, keyed=bool(private_keys))
    for field_name, own in (("name", own_name), ("namespace", own_namespace or target)):
        templated = template_meta.get(field_name)
        if templated and own and templated != own:
            problems.append(
                f"spec.template.metadata.{field_name} is {templated} but the SealedSecret's is "
                f"{own}: renamed or moved after sealing?"
            )
    if not encrypted and not spec.get("data"):
        problems.append("spec.encryptedData is empty: nothing to unseal")
    elif spec.get("data"):
        notes.append("spec.data is the deprecated v1 format; `chartsafe reseal` rewrites it")
    blobs = _decode_items(encrypted, problems)
    if private_keys and own_name:
        _open_items(blobs, private_keys, result, sealed)
    return result


def _check_annotations(
    annotations: Mapping[str, Any],
    template_meta: Mapping[str, Any],
    result: SealedPlacement,
    *,
    keyed: bool,
) -> None:
    """The scope annotations: a metadata one the controller misreads is a problem; a template
    naming another scope than metadata is a note (see the module's doc), and one naming none
    says nothing. ``keyed``: the items are opened too, which settles what the note suspects."""
    for key in _SCOPE_ANNOTATIONS:
        value = annotations.get(key)
        if value is not None and value != "true":
            result.problems.append(
                f"annotation {key} is {value!r}; the controller only honours the string "
                '"true" and seals strict otherwise'
            )
    template_annotations = dict_at(template_meta.get("annotations"))
    if not any(key in template_annotations for key in _SCOPE_ANNOTATIONS):
        return
    template_scope = scope_from_annotations(template_annotations)
    if template_scope is not result.scope:
        unsure = (
            f"; if the values were sealed {template_scope}, they will not open "
            "(--private-key checks)"
        )
        result.notes.append(
            f"spec.template says scope {template_scope} but metadata says {result.scope}; the "
            "controller unseals by metadata (the template's annotation only goes onto the Secret)"
            + ("" if keyed else unsure)
        )


def _decode_items(encrypted: Mapping[str, Any], problems: list[str]) -> dict[str, bytes]:
    blobs: dict[str, bytes] = {}
    for key in sorted(encrypted, key=str):
        try:
            data = base64.b64decode(str(encrypted[key]), validate=True)
        except (binascii.Error, ValueError):
            problems.append(f"item {key}: not standard padded base64")
            continue
        length = struct.unpack(">H", data[:2])[0] if len(data) >= 2 else 0
        if length == 0 or len(data) < 2 + length + 16:
            problems.append(f"item {key}: too short to be a sealed value")
            continue
        blobs[str(key)] = data
    return blobs


def _open_items(
    blobs: Mapping[str, bytes],
    keys: Sequence[RSAPrivateKey],
    result: SealedPlacement,
    sealed: Mapping[str, Any],
) -> None:
    label = label_for(result.scope, result.namespace, result.name)
    metadata = dict_at(sealed.get("metadata"))
    template_meta = dict_at(dict_at(dict_at(sealed.get("spec")).get("template")).get("metadata"))
    namespaces = _unique(
        [result.namespace, metadata.get("namespace"), template_meta.get("namespace"), "default"]
    )
    names = _unique([result.name, template_meta.get("name")])
    result.opened = 0
    for key, data in blobs.items():
        if hybrid_decrypt(keys, data, label) is not None:
            result.opened += 1
            continue
        found = _sealed_for(keys, data, namespaces, names)
        result.problems.append(
            f"item {key}: does not open as {result.scope} in {result.namespace}/{result.name}"
            + (
                f"; it was sealed for {found}"
                if found
                else "; it opens under no name or namespace this file gives: sealed for "
                "another one (moved or renamed everywhere?), or with a key not given"
            )
        )


def _unique(values: list[Any]) -> list[str]:
    return list(dict.fromkeys(str(value) for value in values if value))


def _sealed_for(
    keys: Sequence[RSAPrivateKey], data: bytes, namespaces: list[str], names: list[str]
) -> str | None:
    """Which placement a value opens under, among the ones a mistake usually produces."""
    if hybrid_decrypt(keys, data, b"") is not None:
        return "scope cluster-wide"
    for namespace in namespaces:
        if hybrid_decrypt(keys, data, label_for(Scope.namespace_wide, namespace, "")) is not None:
            return f"scope namespace-wide in namespace {namespace}"
        for name in names:
            if hybrid_decrypt(keys, data, label_for(Scope.strict, namespace, name)) is not None:
                return f"scope strict as {namespace}/{name}"
    return None
