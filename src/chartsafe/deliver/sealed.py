"""SealedSecret manifests from v1 Secrets, and back again with the controller's private key.

``seal_secret`` does what ``kubeseal`` does with a Secret: every value sealed on its own with the
label of the chosen scope, the scope's annotation on the SealedSecret and on its template, the
Secret's cleaned metadata, type and ``immutable`` carried in ``spec.template``. ``unseal`` is the
controller's side (kubeseal's ``--recovery-unseal``): the label is computed from the
SealedSecret's *own* metadata, so an object renamed or moved after sealing fails here exactly as
it would in the cluster. ``reseal`` moves values to a new key offline, keeping every label.

Dicts in, dicts out: callers (the CLI, ``secrets render --as sealed``) decide how to print.
"""

from __future__ import annotations

import base64
import copy
import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .._podspec import dict_at
from .._secret_types import decode_data
from .sealed_crypto import (
    CLUSTER_WIDE_ANNOTATION,
    NAMESPACE_WIDE_ANNOTATION,
    Scope,
    SealingError,
    UnsealError,
    label_for,
    scope_annotations,
    scope_from_annotations,
    seal_value,
    unseal_value,
)

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey
    from cryptography.x509 import Certificate

__all__ = [
    "API_VERSION",
    "KIND",
    "clean_metadata",
    "placement",
    "reseal",
    "seal_secret",
    "sealed_secret_json",
    "sealed_secret_yaml",
    "secret_items",
    "unseal",
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


def _public_key(cert: RSAPublicKey | Certificate) -> RSAPublicKey:
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


def _ordered_metadata(metadata: Mapping[str, Any]) -> dict[str, Any]:
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
    public_key = _public_key(cert)
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
    template: dict[str, Any] = {"metadata": _ordered_metadata(metadata)}
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


def placement(sealed: Mapping[str, Any], namespace: str | None) -> tuple[str, str, Scope]:
    """Name, namespace and scope a SealedSecret's values open under: its own metadata, as the
    controller reads it (``namespace`` fills a missing one). SealingError if it has none."""
    if sealed.get("kind") != KIND:
        raise SealingError(f"expected a {KIND}, got kind {sealed.get('kind')!r}")
    metadata = dict_at(sealed.get("metadata"))
    name = metadata.get("name")
    if not name:
        raise SealingError(f"the {KIND} has no metadata.name")
    scope = scope_from_annotations(dict_at(metadata.get("annotations")))
    own = metadata.get("namespace") or namespace
    if not own and scope is not Scope.cluster_wide:
        raise SealingError(
            f"{KIND} {name} names no namespace", hint="pass -n with the namespace it goes to"
        )
    return str(name), str(own or ""), scope


def unseal(
    sealed: Mapping[str, Any],
    private_keys: Sequence[RSAPrivateKey],
    *,
    namespace: str | None = None,
) -> dict[str, Any]:
    """The v1 Secret the controller would make from ``sealed``, values base64 in ``data``.

    ``namespace`` stands in for a missing ``metadata.namespace`` (where it gets applied).
    Template-rendered keys (``spec.template.data``, Go templates) are refused, not guessed.
    A deprecated ``spec.data`` object gives the sealed Secret's own type and metadata, as the
    controller takes them.
    """
    name, own_namespace, scope = placement(sealed, namespace)
    label = label_for(scope, own_namespace, name)
    spec = dict_at(sealed.get("spec"))
    where = f"{KIND} {own_namespace}/{name}" if own_namespace else f"{KIND} {name}"
    if dict_at(spec.get("template")).get("data") and dict_at(spec.get("encryptedData")):
        raise SealingError(
            f"{where}: spec.template.data holds Go templates, which chartsafe does not render",
            hint="only the encryptedData items can be recovered offline",
        )
    data, template = _open_all(sealed, private_keys, label, where)
    metadata = clean_metadata(template.get("metadata"))
    metadata["name"] = name
    if own_namespace:
        metadata["namespace"] = own_namespace
    secret: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": _ordered_metadata(metadata),
    }
    for field in ("type", "immutable"):
        if template.get(field) is not None:
            secret[field] = template[field]
    secret["data"] = {key: base64.b64encode(data[key]).decode() for key in sorted(data)}
    return secret


def _open_all(
    sealed: Mapping[str, Any], keys: Sequence[RSAPrivateKey], label: bytes, where: str
) -> tuple[dict[str, bytes], dict[str, Any]]:
    """Every value opened, and the template the controller makes the Secret's metadata, type
    and ``immutable`` from: ``spec.template``, or for the deprecated ``spec.data`` (the whole
    Secret sealed as one JSON blob, its template ignored) the sealed Secret's own."""
    spec = dict_at(sealed.get("spec"))
    encrypted = dict_at(spec.get("encryptedData"))
    if encrypted:
        items = {
            str(key): unseal_value(keys, str(text), label, where=f"{where} item {key}")
            for key, text in encrypted.items()
        }
        return items, dict_at(spec.get("template"))
    if spec.get("data"):
        blob = unseal_value(keys, str(spec["data"]), label, where=f"{where} spec.data")
        try:
            inner = json.loads(blob)
        except (ValueError, RecursionError) as exc:
            raise UnsealError(f"{where}: spec.data opens but is not a JSON Secret") from exc
        if not isinstance(inner, dict) or not isinstance(inner.get("metadata") or {}, dict):
            raise UnsealError(f"{where}: spec.data opens but is not a JSON Secret")
        template = {field: inner[field] for field in ("metadata", "type", "immutable")
                    if inner.get(field) is not None}  # fmt: skip
        return secret_items(inner, where=where), template
    raise SealingError(f"{where}: spec.encryptedData is empty")


def reseal(
    sealed: Mapping[str, Any],
    old_keys: Sequence[RSAPrivateKey],
    cert: RSAPublicKey | Certificate,
    *,
    namespace: str | None = None,
) -> dict[str, Any]:
    """``sealed`` with every value opened by ``old_keys`` and sealed again for ``cert``.

    Labels are kept (same name, namespace and scope), so the result opens where the input did.
    What the API server filled in (uid, resourceVersion, managedFields, status...) and the
    last-applied annotation (the old ciphertexts) are dropped, as kubeseal --re-encrypt drops
    them: the result is fit for ``kubectl apply``. A deprecated ``spec.data`` object comes back
    in the current ``encryptedData`` form, its sealed Secret's type, labels and annotations
    moved into ``spec.template``, where the controller now reads them.
    """
    public_key = _public_key(cert)
    name, own_namespace, scope = placement(sealed, namespace)
    label = label_for(scope, own_namespace, name)
    where = f"{KIND} {own_namespace}/{name}" if own_namespace else f"{KIND} {name}"
    items, template = _open_all(sealed, old_keys, label, where)
    result = {key: copy.deepcopy(value) for key, value in sealed.items() if key != "status"}
    result["metadata"] = _ordered_metadata(clean_metadata(sealed.get("metadata")))
    spec = result["spec"] = dict(result["spec"])
    if spec.pop("data", None) is not None:
        spec["template"] = _v1_template(template, result["metadata"], scope)
    elif isinstance(spec.get("template"), dict):
        spec["template"] = dict(spec["template"])
        if isinstance(spec["template"].get("metadata"), dict):
            spec["template"]["metadata"] = _ordered_metadata(
                clean_metadata(spec["template"]["metadata"])
            )
    spec["encryptedData"] = {
        key: seal_value(public_key, items[key], label) for key in sorted(items)
    }
    return result


def _v1_template(
    inner: Mapping[str, Any], outer: Mapping[str, Any], scope: Scope
) -> dict[str, Any]:
    """``spec.template`` for what a deprecated ``spec.data`` sealed: the Secret's cleaned
    metadata under the SealedSecret's name and namespace, with its scope annotation (as
    ``seal_secret`` writes it), then its type and ``immutable``."""
    metadata = clean_metadata(inner.get("metadata"))
    metadata["name"] = outer["name"]
    metadata.pop("namespace", None)
    if outer.get("namespace"):
        metadata["namespace"] = outer["namespace"]
    annotations = {key: value for key, value in dict_at(metadata.pop("annotations", None)).items()
                   if key not in (NAMESPACE_WIDE_ANNOTATION, CLUSTER_WIDE_ANNOTATION)}  # fmt: skip
    annotations |= scope_annotations(scope)
    if annotations:
        metadata["annotations"] = annotations
    template: dict[str, Any] = {"metadata": _ordered_metadata(metadata)}
    for field in ("type", "immutable"):
        if inner.get(field) is not None:
            template[field] = inner[field]
    return template


def sealed_secret_json(sealed: Mapping[str, Any]) -> str:
    """kubeseal's default ``-o json``: two-space indent, ``<>&`` escaped as Go escapes them."""
    text = json.dumps(sealed, indent=2, ensure_ascii=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + "\n"


def sealed_secret_yaml(sealed: Mapping[str, Any]) -> str:
    """kubeseal's ``-o yaml``: ``---``, keys sorted, ambiguous strings double-quoted, no wrap."""
    import yaml

    class _Dumper(yaml.SafeDumper):
        pass

    resolver = yaml.resolver.Resolver()

    def _string(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        implicit = resolver.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
        style = '"' if implicit != "tag:yaml.org,2002:str" else None
        if "\n" in value:
            style = "|"
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    _Dumper.add_representer(str, _string)
    body = yaml.dump(dict(sealed), Dumper=_Dumper, sort_keys=True, width=2**31, allow_unicode=True)
    return "---\n" + body
