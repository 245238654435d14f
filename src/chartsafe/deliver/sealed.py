"""SealedSecret manifests from v1 Secrets, as ``kubeseal`` writes them.

``seal_secret`` does what ``kubeseal`` does with a Secret: every value sealed on its own with the
label of the chosen scope, the scope's annotation on the SealedSecret and on its template, the
Secret's cleaned metadata, type and ``immutable`` carried in ``spec.template``. The other way
(``unseal``, ``reseal``: the controller's private key) is in ``sealed_open``.

Dicts in, dicts out: callers (the CLI, ``secrets render --as sealed``) decide how to print.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._podspec import dict_at
from .._secret_types import decode_data
from .sealed_crypto import (
    CLUSTER_WIDE_ANNOTATION,
    NAMESPACE_WIDE_ANNOTATION,
    Scope,
    SealingError,
    label_for,
    scope_annotations,
    scope_from_annotations,
    seal_value,
)

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
    from cryptography.x509 import Certificate

__all__ = [
    "API_VERSION",
    "KIND",
    "check_names",
    "clean_metadata",
    "ordered_metadata",
    "seal_secret",
    "sealed_secret_json",
    "sealed_secret_yaml",
    "sealing_public_key",
    "secret_items",
]

API_VERSION = "bitnami.com/v1alpha1"
KIND = "SealedSecret"

#: Metadata kubeseal drops before copying a Secret's metadata into the template.
_DROPPED_METADATA = (
    "selfLink",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "ownerReferences",
    "managedFields",
)
_DROPPED_ANNOTATIONS = (
    "kubectl.kubernetes.io/last-applied-configuration",
    "kubecfg.ksonnet.io/last-applied-configuration",
)
#: Go's ObjectMeta field order, which kubeseal's JSON output follows.
_METADATA_ORDER = ("name", "generateName", "namespace", "labels", "annotations", "finalizers")


def sealing_public_key(cert: RSAPublicKey | Certificate) -> RSAPublicKey:
    """The RSA key of ``cert`` (or ``cert`` itself), refused when too small to seal with."""
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

    from .sealed_keys import check_sealing_key

    key = cert if isinstance(cert, RSAPublicKey) else cert.public_key()
    if not isinstance(key, RSAPublicKey):
        raise SealingError("the certificate's key is not RSA; sealing needs RSA")
    return check_sealing_key(key, source="the certificate")


def secret_items(secret: Mapping[str, Any], *, where: str) -> dict[str, bytes]:
    """The Secret's values as bytes: ``data`` decoded from base64, ``stringData`` winning.

    A null value is empty, as the API server reads it; one that is not text is refused
    (``seal_secret`` has said why already, against the schema).
    """
    items: dict[str, bytes] = {}
    for key, encoded in (secret.get("data") or {}).items():
        text = _text(encoded, f"{where}: data.{key}")
        try:
            items[str(key)] = decode_data(text)
        except ValueError as exc:
            raise SealingError(
                f"{where}: data.{key} is not base64", hint="put plain text under stringData"
            ) from exc
    for key, text in (secret.get("stringData") or {}).items():
        items[str(key)] = _text(text, f"{where}: stringData.{key}").encode()
    return items


def _text(value: Any, what: str) -> str:
    from .._secret_types import not_text

    kind = not_text(value)
    if kind is not None:
        raise SealingError(f"{what} is {kind}, not text", hint="quote it in YAML")
    return str(value or "")


def check_names(namespace: str | None, name: str | None, items: Mapping[str, bytes]) -> None:
    """Kubernetes' rules for the namespace, the name and every key, as ``secrets set`` has.

    None for either: nothing to check (``seal --raw`` may name neither)."""
    from .._errors import InputError
    from ..store._store_layout import validate_names

    try:
        validate_names(namespace, name)
        for key in items:
            validate_names(namespace, name, key)
    except InputError as exc:
        raise SealingError(exc.message, hint="the API server would refuse the Secret") from None


def _refuse_malformed(secret: Mapping[str, Any]) -> None:
    """Refuse a Secret the API server would refuse, checked against its Kubernetes schema.

    YAML reads ``enabled: true``, ``port: 8080`` and ``day: 2024-01-02`` as a boolean, a
    number and a date; Kubernetes (and kubeseal, which decodes into a typed Secret) wants text
    there. Sealing ``str()`` of them put ``True`` where ``true`` was meant, and a ``data`` or
    ``metadata`` that is no mapping was an internal error. Unknown fields are refused as
    ``template`` refuses them: ``stringdata:`` would otherwise drop its values unseen.
    """
    from .._objects import K8sObject
    from .._schema import DEFAULT_KUBE_VERSION, SchemaValidator

    body = {"apiVersion": "v1", "kind": "Secret", **secret}
    obj = K8sObject(text="", body=body, source="", release_namespace="default")
    problems = SchemaValidator(DEFAULT_KUBE_VERSION).problems(obj) or []
    if not problems:
        return
    shown = "; ".join(f"{p.path}: {p.message}" if p.path else p.message for p in problems[:3])
    more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    name = obj.name if isinstance(obj.metadata.get("name"), str) else ""
    text_wanted = any(p.path.startswith(_TEXT_FIELDS) for p in problems)
    raise SealingError(
        f"Secret {name}: {shown}{more}" if name else f"the Secret: {shown}{more}",
        hint="quote YAML values such as true, 8080 or 2024-01-02 where Kubernetes wants text"
        if text_wanted
        else "the API server would refuse the Secret too",
    )


#: Where a Secret holds only text: a value YAML reads as something else must be quoted.
_TEXT_FIELDS = ("data.", "stringData.", "metadata.labels.", "metadata.annotations.")


def clean_metadata(metadata: Any) -> dict[str, Any]:
    """A copy of ``metadata`` without what the API server fills in (uid, resourceVersion,
    managedFields...), owner references and the last-applied annotations, as kubeseal cleans
    the Secret it seals: what is left is what a user wrote, fit to apply again."""
    cleaned = {
        key: copy.deepcopy(value)
        for key, value in dict_at(metadata).items()
        if key not in _DROPPED_METADATA
    }
    annotations = {
        key: value
        for key, value in dict_at(cleaned.pop("annotations", None)).items()
        if key not in _DROPPED_ANNOTATIONS
    }
    if annotations:
        cleaned["annotations"] = annotations
    return cleaned


def ordered_metadata(metadata: Mapping[str, Any]) -> dict[str, Any]:
    """``metadata`` in Go's ObjectMeta field order, as kubeseal's output has it."""
    known = {key: metadata[key] for key in _METADATA_ORDER if key in metadata}
    return known | {key: value for key, value in metadata.items() if key not in known}


def seal_secret(
    secret: Mapping[str, Any],
    cert: RSAPublicKey | Certificate,
    *,
    scope: Scope | None = None,
    namespace: str | None = None,
    name: str | None = None,
    allow_empty: bool = False,
    default_namespace: str = "default",
) -> dict[str, Any]:
    """The SealedSecret for a v1 Secret body, as kubeseal builds it.

    ``scope=None`` lets the Secret's own scope annotations decide (kubeseal's default); an
    explicit scope rewrites them, ``strict`` included. ``namespace`` is where it will be
    applied: it fills a missing namespace and must agree with one the Secret names.
    Without it, ``default_namespace`` fills a missing one (kubeseal takes the kubeconfig
    context's) and never disagrees.
    """
    public_key = sealing_public_key(cert)
    if secret.get("kind", "Secret") != "Secret" or secret.get("apiVersion", "v1") != "v1":
        raise SealingError(
            f"expected a v1 Secret, got {secret.get('apiVersion')}/{secret.get('kind')}"
        )
    _refuse_malformed(secret)
    metadata = clean_metadata(secret.get("metadata"))
    annotations = metadata.pop("annotations", {})
    if scope is not None:
        annotations.pop(NAMESPACE_WIDE_ANNOTATION, None)
        annotations.pop(CLUSTER_WIDE_ANNOTATION, None)
        annotations |= scope_annotations(scope)
    effective = scope_from_annotations(annotations)
    if name is not None:
        metadata["name"] = name
    if not metadata.get("name"):
        raise SealingError("the Secret has no metadata.name", hint="add one or pass --name")
    where = f"Secret {metadata['name']}"
    own_namespace = metadata.get("namespace")
    if namespace and own_namespace and namespace != own_namespace:
        raise SealingError(
            f"{where}: its namespace is {own_namespace} but -n says {namespace}",
            hint="the sealed values would only open in one of them; make them agree",
        )
    if not own_namespace and (namespace or effective is not Scope.cluster_wide):
        metadata["namespace"] = namespace or default_namespace
    if annotations:
        metadata["annotations"] = annotations
    items = secret_items(secret, where=where)
    if not items and not allow_empty:
        raise SealingError(f"{where}: no data and no stringData to seal")
    # what the API server would refuse when the controller creates the Secret
    check_names(metadata.get("namespace") or None, str(metadata["name"]), items)
    label = label_for(effective, metadata.get("namespace", ""), metadata["name"])
    template: dict[str, Any] = {"metadata": ordered_metadata(metadata)}
    if secret.get("type"):
        template["type"] = secret["type"]
    if secret.get("immutable") is not None:
        template["immutable"] = secret["immutable"]
    outer: dict[str, Any] = {"name": metadata["name"]}
    if metadata.get("namespace"):
        outer["namespace"] = metadata["namespace"]
    if selector := scope_annotations(effective):
        outer["annotations"] = selector
    return {
        "kind": KIND,
        "apiVersion": API_VERSION,
        "metadata": outer,
        "spec": {
            "template": template,
            "encryptedData": {
                key: seal_value(public_key, items[key], label) for key in sorted(items)
            },
        },
    }


def sealed_secret_json(sealed: Mapping[str, Any]) -> str:
    """kubeseal's default ``-o json``: two-space indent, ``<>&`` escaped as Go escapes them."""
    text = json.dumps(sealed, indent=2, ensure_ascii=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + "\n"


def sealed_secret_yaml(sealed: Mapping[str, Any]) -> str:
    """kubeseal's ``-o yaml``: ``---``, keys sorted, ambiguous strings double-quoted, no wrap.

    Ambiguous as Go's YAML reads it (kubeseal writes with it, kubectl and the controller read
    with it): ``y``, ``n`` and ``1e3`` too, which PyYAML's own resolver reads as strings."""
    import yaml

    from .._yaml_dump import read_as_other_than_string

    class _Dumper(yaml.SafeDumper):
        pass

    resolver = yaml.resolver.Resolver()

    def _string(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        implicit = resolver.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
        ambiguous = implicit != "tag:yaml.org,2002:str" or read_as_other_than_string(value)
        style = '"' if ambiguous else None
        if "\n" in value:
            style = "|"
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    _Dumper.add_representer(str, _string)
    body = yaml.dump(dict(sealed), Dumper=_Dumper, sort_keys=True, width=2**31, allow_unicode=True)
    return "---\n" + body
