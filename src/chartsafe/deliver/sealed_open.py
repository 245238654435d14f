"""SealedSecrets opened with the controller's private keys: ``unseal`` and ``reseal``.

``unseal`` is the controller's side (kubeseal's ``--recovery-unseal``): the label is computed
from the SealedSecret's *own* metadata, so an object renamed or moved after sealing fails here
exactly as it would in the cluster. ``reseal`` moves values to a new key offline, keeping every
label. Split from ``sealed`` (the sealing side) by direction: only these need private keys.
"""

from __future__ import annotations

import base64
import copy
import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .._podspec import dict_at
from .sealed import KIND, clean_metadata, ordered_metadata, sealing_public_key, secret_items
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

__all__ = ["placement", "reseal", "unrendered_note", "unseal"]


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
    Template-rendered keys (``spec.template.data``, Go templates) are left out, not guessed:
    the items still open, and :func:`unrendered_note` says what the Secret lacks.
    A deprecated ``spec.data`` object gives the sealed Secret's own type and metadata, as the
    controller takes them.
    """
    name, own_namespace, scope = placement(sealed, namespace)
    label = label_for(scope, own_namespace, name)
    where = f"{KIND} {own_namespace}/{name}" if own_namespace else f"{KIND} {name}"
    data, template = _open_all(sealed, private_keys, label, where)
    metadata = clean_metadata(template.get("metadata"))
    metadata["name"] = name
    if own_namespace:
        metadata["namespace"] = own_namespace
    secret: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": ordered_metadata(metadata),
    }
    for field in ("type", "immutable"):
        if template.get(field) is not None:
            secret[field] = template[field]
    secret["data"] = {key: base64.b64encode(data[key]).decode() for key in sorted(data)}
    return secret


def unrendered_note(sealed: Mapping[str, Any], namespace: str | None = None) -> str | None:
    """What :func:`unseal` of ``sealed`` leaves out, for a note; None when nothing.

    The controller renders each ``spec.template.data`` entry as a Go template (with Sprig)
    over the opened items and puts the result in the Secret under that key, replacing an item
    of the same name. chartsafe does not render Go templates: rendering them almost right
    would hand back a wrong value, so the keys are named instead. (With the deprecated
    ``spec.data`` the controller ignores the template, and so nothing is left out.)
    """
    spec = dict_at(sealed.get("spec"))
    templates = dict_at(dict_at(spec.get("template")).get("data"))
    encrypted = dict_at(spec.get("encryptedData"))
    if not templates or not encrypted:
        return None
    metadata = dict_at(sealed.get("metadata"))
    own = metadata.get("namespace") or namespace
    where = f"{KIND} {own}/{metadata.get('name')}" if own else f"{KIND} {metadata.get('name')}"
    keys = sorted(str(key) for key in templates)
    shadowed = [key for key in keys if key in encrypted]
    left_out = [key for key in keys if key not in encrypted]
    parts = [
        f"{where}: spec.template.data key(s) {', '.join(keys)} not rendered (Go templates: "
        "the controller renders them, chartsafe does not)"
    ]
    if left_out:
        parts.append(f"{', '.join(left_out)} left out")
    if shadowed:
        parts.append(
            f"{', '.join(shadowed)} shown as sealed, which the controller replaces with the "
            "rendered template"
        )
    return "; ".join(parts)


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
    public_key = sealing_public_key(cert)
    name, own_namespace, scope = placement(sealed, namespace)
    label = label_for(scope, own_namespace, name)
    where = f"{KIND} {own_namespace}/{name}" if own_namespace else f"{KIND} {name}"
    items, template = _open_all(sealed, old_keys, label, where)
    result = {key: copy.deepcopy(value) for key, value in sealed.items() if key != "status"}
    result["metadata"] = ordered_metadata(clean_metadata(sealed.get("metadata")))
    spec = result["spec"] = dict(result["spec"])
    if spec.pop("data", None) is not None:
        spec["template"] = _v1_template(template, result["metadata"], scope)
    elif isinstance(spec.get("template"), dict):
        spec["template"] = dict(spec["template"])
        if isinstance(spec["template"].get("metadata"), dict):
            spec["template"]["metadata"] = ordered_metadata(
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
    template: dict[str, Any] = {"metadata": ordered_metadata(metadata)}
    for field in ("type", "immutable"):
        if inner.get(field) is not None:
            template[field] = inner[field]
    return template
