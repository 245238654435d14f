"""References that name no Secret: a ``secretKeyRef``, an ``envFrom`` ``secretRef`` or a
Secret volume whose name rendered empty, or a ``secretKeyRef`` whose key did.

The usual cause is a value left unset (``existingSecret: ""``, ``passwordKey: ""``) that a
template writes into the reference. There is nothing to look for, so it is not in the
contract's Secrets, and the pod cannot get what it asks for: an ``unnamed-secret`` finding,
which ``check`` fails on. An ``optional`` reference is left alone (the pod starts without
it). The values most likely meant are the empty ones whose key speaks of a Secret
(``existingSecret``, ``secretName``), or of a key (``passwordKey``) for an empty key.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .._objects import K8sObject
from .._podspec import PodView, dict_at, dicts_in, iter_pods
from ._model import ContractFinding

__all__ = ["unnamed_references"]


def _unnamed(ref: Any, field: str = "name") -> bool:
    """A reference given (a mapping) whose name is missing or blank, and not optional."""
    if not isinstance(ref, dict) or ref.get("optional") is True:
        return False
    name = ref.get(field)
    return name is None or not str(name).strip()


def _readers(pod: PodView) -> Iterator[tuple[str, str | None]]:
    """How each unnamed reference of ``pod`` reads (``[web] env DB_PASSWORD``), and for a
    key that rendered empty, the Secret it names (None: the name is what is missing)."""
    for container in pod.containers:
        for env in container.env:
            ref = dict_at(env.get("valueFrom")).get("secretKeyRef")
            how = f"[{container.name}] env {env.get('name', '')}"
            if _unnamed(ref):
                yield how, None
            elif _unnamed(ref, "key"):
                yield how, str(dict_at(ref)["name"])
        for source in container.env_from:
            if _unnamed(source.get("secretRef")):
                yield f"[{container.name}] envFrom", None
    for volume in pod.volumes:
        name = volume.get("name", "")
        if _unnamed(volume.get("secret"), "secretName"):
            yield f"volume {name}", None
        sources = dicts_in(dict_at(volume.get("projected")).get("sources"))
        if any(_unnamed(source.get("secret")) for source in sources):
            yield f"projected volume {name}", None


def _hint(empty_values: list[str], word: str, what: str) -> str:
    likely = [p for p in empty_values if word in p.rsplit(".", 1)[-1].lower()]
    return f"set {' or '.join(likely[:3])}" if likely else f"set the value that names {what}"


def unnamed_references(objects: list[K8sObject], empty_values: list[str]) -> list[ContractFinding]:
    """A finding per reference that names no Secret, or no key; ``empty_values``: the
    values paths holding an empty string (the likely cause is among them)."""
    found = []
    for pod in iter_pods(objects):
        reader = f"{pod.owner.kind}/{pod.owner.name}"
        for how, secret in _readers(pod):
            if secret is None:
                what = "names no Secret: the name"
                hint = _hint(empty_values, "secret", "it")
            else:
                what = f"names no key of Secret {secret}: the key"
                hint = _hint(empty_values, "key", "the key")
            message = (
                f"{reader} {how} {what} rendered empty, so the pod cannot start with it; {hint}"
            )
            namespace = pod.owner.namespace_or_release
            found.append(
                ContractFinding("unnamed-secret", message, secret or "", namespace, reader=reader)
            )
    return found
