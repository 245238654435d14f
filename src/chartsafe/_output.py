"""Render results as text: Helm-style multi-document YAML, and JSON.

Only these functions decide how objects look when printed, so ``template``,
``lint`` and later commands print the same way.
"""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any

from ._objects import K8sObject, ListDocument

if TYPE_CHECKING:
    from ._refs import SecretValues

__all__ = [
    "MASK",
    "manifest_documents",
    "manifests_json",
    "manifests_yaml",
    "masked_body",
    "secret_value_count",
]

#: What a Secret value is printed as unless the user asks for ``--reveal``.
MASK = "<masked: pass --reveal to print>"
_VALUE_FIELDS = ("data", "stringData")


def _is_secret(obj: K8sObject) -> bool:
    return obj.kind == "Secret" and obj.api_version == "v1"


def secret_value_count(objects: list[K8sObject]) -> int:
    """How many Secret values the objects carry (what masking hides)."""
    count = 0
    for obj in objects:
        if _is_secret(obj):
            for name in _VALUE_FIELDS:
                field = obj.body.get(name)
                count += len(field) if isinstance(field, dict) else 0
    return count


def masked_body(obj: K8sObject) -> dict[str, Any]:
    """The object with every Secret value replaced by :data:`MASK` (keys stay visible)."""
    if not _is_secret(obj):
        return obj.body
    body = copy.deepcopy(obj.body)
    for name in _VALUE_FIELDS:
        field = body.get(name)
        if isinstance(field, dict):
            body[name] = {key: MASK for key in field}
    return body


def manifests_yaml(
    objects: list[K8sObject], *, reveal: bool = False, secrets: SecretValues | None = None
) -> str:
    """Objects as ``helm template`` prints them: ``---``, ``# Source:``, the rendered text.

    Secret values are masked unless ``reveal``: the Secret is then printed from
    its parsed form, every other object exactly as Helm rendered it. Pass
    ``secrets`` (``RenderResult.user_values.secrets``) to also mask values from
    encrypted files and references wherever the chart copied them (a ConfigMap,
    an env literal), as ``chartsafe template`` does.
    """
    text = "".join(part for _, part in _manifest_parts(objects, reveal=reveal))
    return secrets.redact(text) if secrets is not None and not reveal else text


def manifest_documents(
    objects: list[K8sObject], *, reveal: bool = False, secrets: SecretValues | None = None
) -> list[tuple[str, str]]:
    """(source template, document) in output order, each document as
    :func:`manifests_yaml` prints it (masked the same way): what ``--output-dir`` writes."""
    parts = _manifest_parts(objects, reveal=reveal)
    if secrets is None or reveal:
        return parts
    return [(source, secrets.redact(text)) for source, text in parts]


def _list_text(document: ListDocument, objects: list[K8sObject], *, reveal: bool) -> str:
    """A List document as Helm prints it, with the values of the Secrets in it masked."""
    held = [o for o in objects if o.listed_in is document]
    if reveal or not secret_value_count(held):
        return document.text
    from ._yaml_dump import dump

    masked = dict(document.body, items=[masked_body(o) for o in held])
    return dump(masked).rstrip("\n")


def _manifest_parts(objects: list[K8sObject], *, reveal: bool) -> list[tuple[str, str]]:
    parts = []
    crd_files: set[str] = set()
    lists: set[int] = set()
    for obj in objects:
        if obj.listed_in is not None:
            if id(obj.listed_in) not in lists:  # the List once, where its first object is
                lists.add(id(obj.listed_in))
                text = _list_text(obj.listed_in, objects, reveal=reveal)
                parts.append((obj.source, f"---\n# Source: {obj.source}\n{text}\n"))
            continue
        if obj.crd and obj.crd_file:
            # helm template --include-crds prints each crds/ file whole, under one header.
            if obj.source not in crd_files:
                crd_files.add(obj.source)
                parts.append((obj.source, f"---\n# Source: {obj.source}\n{obj.crd_file}\n"))
            continue
        text = obj.text
        if not reveal and _is_secret(obj) and secret_value_count([obj]):
            # only masked Secrets are re-dumped (most runs never load PyYAML), quoted as Go
            # reads them: the output stays what Helm and kubectl take, masks aside
            from ._yaml_dump import dump

            text = dump(masked_body(obj)).rstrip("\n")
        parts.append((obj.source, f"---\n# Source: {obj.source}\n{text}\n"))
    return parts


def manifests_json(
    objects: list[K8sObject], *, reveal: bool = False, secrets: SecretValues | None = None
) -> str:
    """Objects as a JSON list: source template, identity, hook data and the object itself.

    Masks as :func:`manifests_yaml` does, ``secrets`` included.
    """
    text = _manifests_json(objects, reveal=reveal)
    return secrets.redact(text) if secrets is not None and not reveal else text


def _manifests_json(objects: list[K8sObject], *, reveal: bool) -> str:
    listing: list[dict[str, Any]] = []
    for obj in objects:
        if obj.kind:
            entry = obj.as_dict()
            if not reveal:
                entry["object"] = masked_body(obj)
            listing.append(entry)
    return json.dumps(listing, indent=2) + "\n"
