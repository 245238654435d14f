"""References that name no Secret: a ``secretKeyRef``, an ``envFrom`` ``secretRef`` or a
Secret volume whose name rendered empty.

The usual cause is a value left unset (``existingSecret: ""``) that a template writes into
the name. There is no Secret to look for, so it is not in the contract's Secrets, and the pod
cannot get what it asks for: an ``unnamed-secret`` finding, which ``check`` fails on. An
``optional`` reference is left alone (the pod starts without it). The values most likely
meant are the empty ones whose key speaks of a Secret (``existingSecret``, ``secretName``).
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


def _readers(pod: PodView) -> Iterator[str]:
    """How each unnamed reference of ``pod`` reads: ``[web] env DB_PASSWORD``."""
    for container in pod.containers:
        for env in container.env:
            if _unnamed(dict_at(env.get("valueFrom")).get("secretKeyRef")):
                yield f"[{container.name}] env {env.get('name', '')}"
        for source in container.env_from:
            if _unnamed(source.get("secretRef")):
                yield f"[{container.name}] envFrom"
    for volume in pod.volumes:
        name = volume.get("name", "")
        if _unnamed(volume.get("secret"), "secretName"):
            yield f"volume {name}"
        sources = dicts_in(dict_at(volume.get("projected")).get("sources"))
        if any(_unnamed(source.get("secret")) for source in sources):
            yield f"projected volume {name}"


def unnamed_references(objects: list[K8sObject], empty_values: list[str]) -> list[ContractFinding]:
    """A finding per reference that names no Secret; ``empty_values``: the values paths
    holding an empty string (the likely cause is among them)."""
    likely = [p for p in empty_values if "secret" in p.rsplit(".", 1)[-1].lower()]
    hint = f"; set {' or '.join(likely[:3])}" if likely else "; set the value that names it"
    found = []
    for pod in iter_pods(objects):
        for how in _readers(pod):
            message = (
                f"{pod.owner.kind}/{pod.owner.name} {how} names no Secret: the name rendered "
                f"empty, so the pod cannot start with it{hint}"
            )
            found.append(
                ContractFinding("unnamed-secret", message, "", pod.owner.namespace_or_release)
            )
    return found
