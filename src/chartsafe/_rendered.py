"""Helm's rendered output turned into objects: documents split as Helm splits them, parsed
by Helm's own YAML reader, hooks read, ``List`` documents expanded, CRD files kept whole.

Apart from ``_objects`` (what an object is) because ``audit --files`` needs objects but
never a render: it reads manifests its own way (``audit._manifests``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from ._errors import TemplateError
from ._objects import HookInfo, K8sObject, _hook_info, expand_list

__all__ = ["ParsedRelease", "parse_crds", "parse_rendered", "split_documents"]

# Helm's document separator (releaseutil.SplitManifests).
_SEPARATOR = re.compile(r"(?:^|\s*\n)---\s*")


def split_documents(text: str) -> list[str]:
    """Split a rendered file into documents exactly as Helm 4's install prints them.

    Observed against the SDK's own install action (tests/unit/test_helm_engine.py):
    the file's leading white space goes, the separator eats the white space
    around it, a document keeps its trailing white space, blank ones are dropped.
    """
    return [doc for doc in _SEPARATOR.split(text.lstrip(" \t\r\n")) if doc.strip()]


#: What a document that YAML reads as something other than a mapping is, by Python type.
_NOT_A_MAPPING = {str: "a string", list: "a list", int: "a number", float: "a number",
                  bool: "a boolean"}  # fmt: skip


def _yaml_problem(doc: str, exc: ValueError) -> str:
    """Helm's parse error, or, for YAML that is no mapping, what it is (Helm's says
    ``cannot unmarshal string into Go value of type common.Values``)."""
    import yaml  # only on this error path

    try:
        read = yaml.safe_load(doc)
    except (yaml.YAMLError, RecursionError):
        read = None
    what = _NOT_A_MAPPING.get(type(read))
    if what is None:
        return f"is not valid YAML: {exc}"
    return f"is {what}, not a mapping (a Kubernetes object is a mapping with apiVersion and kind)"


def _invalid_yaml(source: str, number: int, doc: str, exc: ValueError) -> TemplateError:
    from ._errors import RenderedYamlError

    return RenderedYamlError(
        f"template {source}: its rendered document {number} {_yaml_problem(doc, exc)}",
        document=doc,
        hint="chartsafe template --reveal prints that document with line numbers; it may hold "
        "Secret values",
    )


class ParsedRelease(NamedTuple):
    """All documents of a render, split into objects and the files Helm prints but skips.
    (A NamedTuple: cheaper to define than a dataclass on every start, see KindPath.)"""

    objects: list[K8sObject]
    notes: str
    skipped: list[str]  # human-readable notes on documents Helm would skip


def parse_rendered(rendered: dict[str, str], release_namespace: str) -> ParsedRelease:
    """Turn the engine's {template path: text} into objects, in Helm's file order."""
    from ._helm_parse import values_from_yaml_each

    objects: list[K8sObject] = []
    notes = ""
    skipped: list[str] = []
    documents: list[tuple[str, str]] = []  # (source, text), parsed together below
    for source in sorted(rendered):
        text = rendered[source]
        base = source.rsplit("/", 1)[-1]
        if base.startswith("_") or not text.strip():
            continue
        if base == "NOTES.txt":
            # Only the top chart's notes are shown by helm; subchart notes are ignored.
            if source.count("/templates/") == 1 and "/charts/" not in source:
                notes = text
            continue
        documents.extend((source, doc) for doc in split_documents(text))
    parsed = values_from_yaml_each([doc for _, doc in documents])
    for index, ((source, doc), body) in enumerate(zip(documents, parsed, strict=True)):
        if isinstance(body, ValueError):
            number = sum(1 for other, _ in documents[: index + 1] if other == source)
            raise _invalid_yaml(source, number, doc, body)
        # Wrong shapes (``metadata: 5``, ``annotations: [..]``) are the schema check's to
        # report; here they only mean "not a hook".
        metadata = body.get("metadata")
        raw = metadata.get("annotations") if isinstance(metadata, dict) else None
        annotations = {str(k): str(v) for k, v in raw.items()} if isinstance(raw, dict) else {}
        hook = _hook_info(annotations)
        if hook is False:
            hook_name = annotations.get("helm.sh/hook")
            skipped.append(f"{source}: unknown hook {hook_name!r}; Helm skips it")
            continue
        obj = K8sObject(
            text=doc,
            body=body,
            source=source,
            release_namespace=release_namespace,
            hook=hook if isinstance(hook, HookInfo) else None,
        )
        objects.extend(expand_list(obj))
    return ParsedRelease(objects=objects, notes=notes, skipped=skipped)


def parse_crds(crds: Iterable[dict[str, str]], release_namespace: str) -> list[K8sObject]:
    """The chart's ``crds/`` files as objects (``--include-crds``)."""
    from ._helm_parse import values_from_yaml

    objects = []
    for crd in crds:
        source = crd.get("filename") or crd.get("name") or "crds"
        for number, doc in enumerate(split_documents(crd.get("data", "")), 1):
            try:
                body = values_from_yaml(doc)
            except ValueError as exc:
                raise _invalid_yaml(source, number, doc, exc) from None
            if body:
                objects.append(
                    K8sObject(
                        text=doc,
                        body=body,
                        source=source,
                        release_namespace=release_namespace,
                        crd=True,
                        crd_file=crd.get("data", ""),
                    )
                )
    return objects
