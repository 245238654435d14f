"""``seal --merge-into FILE``: a Secret's keys sealed into an existing SealedSecret, as kubeseal.

kubeseal seals the input Secret under the existing SealedSecret's name and namespace (they
replace the Secret's own, which may be anything: a scratch Secret written only to carry the new
keys), then adds or replaces its items in ``spec.encryptedData`` and copies the template's
labels and annotations, rewriting the file in place; every other key, and the file's own
metadata, stay as they were. chartsafe does the same, and says on stderr when the Secret's name
or namespace was replaced. A file naming no namespace takes the Secret's (else ``-n``, else
the context's), as kubeseal fills a missing one.

What would seal a value for another placement than the file's is still refused, where kubeseal
goes ahead: a ``--name``, ``-n`` or ``--scope`` flag that disagrees with the file (it was typed
to be obeyed, and cannot be), or a Secret whose scope annotation says another scope (kubeseal
seals under it, and the merged value never opens). The file is rewritten atomically in its own
format (JSON or YAML) and mode.
"""

from __future__ import annotations

import copy
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .._podspec import dict_at
from .sealed import KIND, seal_secret, sealed_secret_json, sealed_secret_yaml
from .sealed_crypto import (
    CLUSTER_WIDE_ANNOTATION,
    NAMESPACE_WIDE_ANNOTATION,
    Scope,
    SealingError,
    scope_from_annotations,
)
from .sealed_open import placement

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
    from cryptography.x509 import Certificate

__all__ = ["MergeTarget", "Merged", "merge_sealed", "read_merge_target"]

_FLAG = "--merge-into"


@dataclass(frozen=True)
class MergeTarget:
    """The SealedSecret file to merge into: its object, and whether it is written as JSON."""

    path: Path
    sealed: dict[str, Any]
    json: bool

    def write(self, merged: Mapping[str, Any]) -> None:
        """Rewrite the file atomically with ``merged``, in its format and with its mode."""
        from ..store._atomic import write_atomic

        text = sealed_secret_json(merged) if self.json else sealed_secret_yaml(merged)
        try:
            mode = stat.S_IMODE(os.stat(self.path).st_mode)
            write_atomic(self.path, text.encode(), mode=mode)
        except OSError as exc:
            raise SealingError(f"{_FLAG} {self.path}: {exc.strerror or exc}") from exc


def read_merge_target(path: Path) -> MergeTarget:
    """The one SealedSecret in ``path``; refused if the file holds anything else."""
    from .sealed_io import read_manifests

    objects = read_manifests(path, what=_FLAG)
    if len(objects) != 1 or objects[0].get("kind") != KIND:
        raise SealingError(
            f"{_FLAG} {path}: want one {KIND}, found "
            + ", ".join(str(obj.get("kind")) for obj in objects),
            hint="merge into a file holding a single SealedSecret",
        )
    sealed = objects[0]
    if dict_at(sealed.get("spec")).get("data"):
        raise SealingError(
            f"{_FLAG} {path}: spec.data is the deprecated v1 format; items cannot be added to it",
            hint="rewrite it first: chartsafe reseal FILE --from-key KEY -w FILE",
        )
    try:
        head = path.read_bytes().lstrip()[:1]
    except OSError as exc:  # gone since it was read
        raise SealingError(f"{_FLAG} {path}: {exc.strerror or exc}") from exc
    return MergeTarget(path, sealed, json=head == b"{")


class Merged(NamedTuple):
    """A merge's result: the new object, the keys added and replaced, and, when the Secret's
    own name or namespace gave way to the file's, a note saying so (else "")."""

    sealed: dict[str, Any]
    added: list[str]
    replaced: list[str]
    note: str


def merge_sealed(
    target: MergeTarget,
    secret: Mapping[str, Any],
    cert: RSAPublicKey | Certificate,
    *,
    scope: Scope | None = None,
    namespace: str | None = None,
    name: str | None = None,
    allow_empty: bool = False,
    default_namespace: str = "default",
) -> Merged:
    """The target's SealedSecret with ``secret``'s keys sealed for its placement and merged
    in. ``scope``, ``namespace`` and ``name`` are the flags: they may only agree with the
    target's. The Secret's own name and namespace are replaced by the target's, as kubeseal
    replaces them."""
    where = f"{_FLAG} {target.path}"
    metadata = dict_at(secret.get("metadata"))
    own_namespace = dict_at(target.sealed.get("metadata")).get("namespace")
    secret_namespace = metadata.get("namespace")
    if namespace and own_namespace and namespace != own_namespace:
        raise SealingError(f"{where} is for namespace {own_namespace} but -n says {namespace}")
    if namespace and not own_namespace and secret_namespace and namespace != secret_namespace:
        raise SealingError(
            f"{where} names no namespace, the Secret's is {secret_namespace} but -n says "
            f"{namespace}",
            hint="the sealed values would only open in one of them; make them agree",
        )
    # a file naming no namespace: the Secret's, as kubeseal keeps it, else -n or the context's
    fill = namespace or (None if own_namespace else secret_namespace) or default_namespace
    file_name, file_namespace, file_scope = placement(target.sealed, str(fill))
    if name and name != file_name:
        raise SealingError(f"{where} is {KIND} {file_name} but --name is {name}")
    if scope is not None and scope is not file_scope:
        raise SealingError(f"{where} is sealed {file_scope} but --scope says {scope}")
    annotations = dict_at(metadata.get("annotations"))
    if any(annotations.get(key) == "true" for key in _SCOPE_ANNOTATIONS):
        secret_scope = scope_from_annotations(annotations)
        if secret_scope is not file_scope:
            raise SealingError(
                f"{where} is sealed {file_scope} but the Secret's annotations say {secret_scope}"
            )
    placed, given_metadata = dict(secret), secret.get("metadata")
    if given_metadata is None or isinstance(given_metadata, dict):  # else seal_secret refuses it
        placed["metadata"] = {**metadata, "name": file_name}
        if file_namespace:
            placed["metadata"]["namespace"] = file_namespace
    update = seal_secret(
        placed, cert, scope=file_scope, allow_empty=allow_empty,
        default_namespace=default_namespace,
    )  # fmt: skip
    merged, added, replaced = _merged(target.sealed, update)
    return Merged(merged, added, replaced, _replaced_note(metadata, file_name, own_namespace))


def _replaced_note(metadata: Mapping[str, Any], file_name: str, file_namespace: Any) -> str:
    """The note when the Secret named another name or namespace than the file's."""
    given_name, given_namespace = metadata.get("name"), metadata.get("namespace")
    gone = []
    if given_name and str(given_name) != file_name:
        gone.append(f"name {given_name}")
    if given_namespace and file_namespace and str(given_namespace) != str(file_namespace):
        gone.append(f"namespace {given_namespace}")
    if not gone:
        return ""
    own = f"{file_namespace}/{file_name}" if file_namespace else file_name
    return (
        f"the Secret's {' and '.join(gone)} {'were' if len(gone) > 1 else 'was'} replaced "
        f"by the {KIND}'s ({own}), as kubeseal --merge-into does"
    )


_SCOPE_ANNOTATIONS = (NAMESPACE_WIDE_ANNOTATION, CLUSTER_WIDE_ANNOTATION)


def _merged(
    existing: Mapping[str, Any], update: Mapping[str, Any]
) -> tuple[dict[str, Any], list[str], list[str]]:
    """kubeseal's merge: encryptedData items, then the template's annotations and labels."""
    merged = copy.deepcopy(dict(existing))
    spec = merged["spec"] = dict_at(merged.get("spec"))
    encrypted = dict_at(spec.get("encryptedData"))
    new = update["spec"]["encryptedData"]
    added = sorted(key for key in new if key not in encrypted)
    replaced = sorted(key for key in new if key in encrypted)
    spec["encryptedData"] = dict(sorted({**encrypted, **new}.items()))
    template = spec["template"] = dict_at(spec.get("template"))
    template_meta = template["metadata"] = dict_at(template.get("metadata"))
    for field in ("annotations", "labels"):
        given = update["spec"]["template"]["metadata"].get(field) or {}
        if given:
            template_meta[field] = {**dict_at(template_meta.get(field)), **given}
    return merged, added, replaced
