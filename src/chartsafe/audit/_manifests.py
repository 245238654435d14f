"""Manifest files given to ``audit --files``: their documents, objects and suppressions.

A file on disk is split on YAML's document markers (a ``---`` line, maybe with a comment);
each document is read as Helm's parser reads it (``_yaml_quick``). A ``# chartsafe: ignore
RULE reason`` comment on a key's line, or on the line above it, covers that rule for the
object of the key's document (``_inputs.parse_suppressions``), in this file only.
"""

from __future__ import annotations

import re
from pathlib import Path

from .._errors import InputError
from .._objects import HookInfo, K8sObject, expand_list
from ._inputs import ObjectSpan

__all__ = ["manifest_objects", "split_documents"]

#: A ``---`` line, maybe with a comment, after the newline that ends the line before it.
#: Starting with that newline, not with ``(?m)^``, lets the regular expression engine
#: look for the literal ``\n---`` (4 times faster on a 5.5 MB manifest).
_DOCUMENT_MARKER = re.compile(r"\n---[ \t]*(?:#[^\n]*)?(?=\n|\Z)")


def _cut(text: str) -> list[tuple[int, str]]:
    """(offset in ``text``, document) for the text between ``---`` lines."""
    pieces = []
    start = 0
    for marker in _DOCUMENT_MARKER.finditer("\n" + text):  # the first line may be a marker
        pieces.append((start, text[start : marker.start()]))
        start = marker.end() - 1
    pieces.append((start, text[start:]))
    return pieces


def split_documents(text: str) -> list[str]:
    """The text between ``---`` lines, each document's own newlines kept."""
    return [piece for _, piece in _cut(text)]


def manifest_objects(
    path: Path, text: str, namespace: str
) -> tuple[list[K8sObject], list[ObjectSpan]] | None:
    """The file's Kubernetes objects, and where each document starts with the object it
    is (None for a List or a document that is no object), or None when it is not a
    manifest file.

    Each document is read as Helm's parser reads rendered output (``_yaml_quick``: by
    yaml-rs where that gives the same value, by Helm's parser elsewhere); a GitOps
    repository holds thousands of them. Not
    ``_objects.split_documents``: that one reproduces how Helm splits its own rendered
    output; the document number an error names counts empty documents, as an editor
    shows them.
    """
    from .._objects import _hook_info
    from .._yaml_quick import read_documents

    if "apiVersion" not in text or "kind" not in text:
        return None
    docs = [
        (number, offset, doc) for number, (offset, doc) in enumerate(_cut(text), 1) if doc.strip()
    ]
    bodies = read_documents(text, [(offset, doc) for _, offset, doc in docs])
    objects: list[K8sObject] = []
    spans: list[ObjectSpan] = []
    first_line, counted = 1, 0  # lines counted on from the document before: linear
    for (number, offset, _), body in zip(docs, bodies, strict=True):
        if isinstance(body, ValueError):
            raise InputError(f"{path}: document {number}: {body}", values_file=path)
        first_line += text.count("\n", counted, offset)
        counted = offset
        if not (body.get("apiVersion") and body.get("kind")):
            spans.append(ObjectSpan(first_line, None))
            continue
        meta = body.get("metadata")
        raw = meta.get("annotations") if isinstance(meta, dict) else None
        annotations = {str(k): str(v) for k, v in raw.items()} if isinstance(raw, dict) else {}
        hook = _hook_info(annotations)
        obj = K8sObject(
            text="",
            body=body,
            source=str(path),
            release_namespace=namespace,
            hook=hook if isinstance(hook, HookInfo) else None,
        )
        items = expand_list(obj)  # kubectl apply creates a List's items
        objects.extend(items)
        single = items == [obj]
        spans.append(ObjectSpan(first_line, f"{obj.kind}/{obj.name}" if single else None))
    return (objects, spans) if objects else None
