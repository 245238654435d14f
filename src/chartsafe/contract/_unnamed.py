"""References that name nothing: a ``secretKeyRef`` or ``configMapKeyRef``, an ``envFrom``
source or a Secret or ConfigMap volume whose name rendered empty, or a key reference whose
key did.

The usual cause is a value left unset (``existingSecret: ""``, ``passwordKey: ""``) that a
template writes into the reference. There is nothing to look for, so it is not in the
contract's Secrets or ConfigMaps, and the pod cannot get what it asks for: an
``unnamed-reference`` finding, which ``check`` fails on. An ``optional`` reference is left
alone (the pod starts without it). The values most likely meant are the empty ones whose
key speaks of a Secret (``existingSecret``, ``secretName``), a ConfigMap (``configName``),
or of a key (``passwordKey``) for an empty key.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from .._objects import K8sObject
from .._podspec import PodView, dict_at, dicts_in, iter_pods
from ._model import ContractFinding

__all__ = ["unnamed_references"]

#: kind → (the env key reference, the envFrom source, the volume source and its name field)
_FIELDS = {
    "Secret": ("secretKeyRef", "secretRef", "secret", "secretName"),
    "ConfigMap": ("configMapKeyRef", "configMapRef", "configMap", "name"),
}
#: kind → the word in a values key that names such an object
_WORDS = {"Secret": "secret", "ConfigMap": "config"}


class _Unnamed(NamedTuple):
    how: str  # ``[web] env DB_PASSWORD``, ``volume creds``
    kind: str  # Secret or ConfigMap
    named: str | None  # for a key that rendered empty, the object it names; else None


def _unnamed(ref: Any, field: str = "name") -> bool:
    """A reference given (a mapping) whose name is missing or blank, and not optional."""
    if not isinstance(ref, dict) or ref.get("optional") is True:
        return False
    name = ref.get(field)
    return name is None or not str(name).strip()


def _readers(pod: PodView) -> Iterator[_Unnamed]:
    """Each reference of ``pod`` that names nothing, and how it reads."""
    for kind, (key_ref, from_ref, volume_source, name_field) in _FIELDS.items():
        for container in pod.containers:
            for env in container.env:
                ref = dict_at(env.get("valueFrom")).get(key_ref)
                how = f"[{container.name}] env {env.get('name', '')}"
                if _unnamed(ref):
                    yield _Unnamed(how, kind, None)
                elif _unnamed(ref, "key"):
                    yield _Unnamed(how, kind, str(dict_at(ref)["name"]))
            for source in container.env_from:
                if _unnamed(source.get(from_ref)):
                    yield _Unnamed(f"[{container.name}] envFrom", kind, None)
        for volume in pod.volumes:
            name = volume.get("name", "")
            if _unnamed(volume.get(volume_source), name_field):
                yield _Unnamed(f"volume {name}", kind, None)
            sources = dicts_in(dict_at(volume.get("projected")).get("sources"))
            if any(_unnamed(source.get(volume_source)) for source in sources):
                yield _Unnamed(f"projected volume {name}", kind, None)


def _hint(empty_values: list[str], word: str, what: str) -> str:
    likely = [p for p in empty_values if word in p.rsplit(".", 1)[-1].lower()]
    return f"set {' or '.join(likely[:3])}" if likely else f"set the value that names {what}"


def unnamed_references(objects: list[K8sObject], empty_values: list[str]) -> list[ContractFinding]:
    """A finding per reference that names no Secret or ConfigMap, or no key; ``empty_values``:
    the values paths holding an empty string (the likely cause is among them)."""
    found = []
    for pod in iter_pods(objects):
        reader = f"{pod.owner.kind}/{pod.owner.name}"
        for item in _readers(pod):
            if item.named is None:
                what = f"names no {item.kind}: the name"
                hint = _hint(empty_values, _WORDS[item.kind], "it")
            else:
                what = f"names no key of {item.kind} {item.named}: the key"
                hint = _hint(empty_values, "key", "the key")
            message = (
                f"{reader} {item.how} {what} rendered empty, so the pod cannot start with it; "
                f"{hint}"
            )
            namespace = pod.owner.namespace_or_release
            found.append(
                ContractFinding(
                    "unnamed-reference", message, item.named or "", namespace, reader=reader
                )
            )
    return found
