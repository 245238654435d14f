"""Secrets a pod of the release writes through the Kubernetes API, rendered nowhere.

ingress-nginx and kube-prometheus-stack make their admission webhook's certificate Secret
in a pre-install hook Job (``kube-webhook-certgen create --secret-name=NAME``), and the
controller mounts it. Nothing renders that Secret, so without this module the contract
called it one that must exist before install: the preflight failed and ``up`` asked for a
certificate the chart makes itself.

A pod counts as the creator of Secret NAME when both hold, so that neither a pod that
merely mentions the name nor one that merely may write Secrets qualifies:

- the release's RBAC lets its ServiceAccount create Secrets in its namespace
  (:class:`chartsafe._rbac.SecretCreators`);
- NAME appears as a whole word in its containers' command, args or env values.

Its keys are unknown offline (the program decides them). Helm waits for a hook Job or Pod
to finish, so the Secret exists after that hook; a long-running writer is like an operator
that nothing waits for (``Creator.is_operator``).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator

from .._objects import K8sObject
from .._podspec import PodView, iter_pods
from .._rbac import SecretCreators
from ._creators import Created
from ._model import Creator

__all__ = ["written_at_runtime"]


def _words(pod: PodView) -> list[str]:
    words: list[str] = []
    for container in pod.containers:
        words += container.command_words
        words += [str(e["value"]) for e in container.env if e.get("value")]
    return words


def _named(name: str, words: list[str]) -> bool:
    pattern = re.compile(rf"(?<![\w.-]){re.escape(name)}(?![\w.-])")
    return any(pattern.search(word) for word in words)


def written_at_runtime(
    objects: list[K8sObject], wanted: Collection[tuple[str, str]]
) -> Iterator[Created]:
    """The creators, among the release's pods, of the ``wanted`` (namespace, name) Secrets."""
    if not wanted:
        return
    creators = SecretCreators(objects)
    for pod in iter_pods(objects):
        namespace = pod.owner.namespace_or_release
        if not creators.allowed(namespace, pod.service_account_name or "default"):
            continue
        words = _words(pod)
        for secret_namespace, name in sorted(wanted):
            if secret_namespace == namespace and _named(name, words):
                owner = pod.owner
                creator = Creator(owner.kind, owner.name, owner.hook, owner.source, None,
                                  through_api=True)  # fmt: skip
                yield Created(namespace, name, creator)
