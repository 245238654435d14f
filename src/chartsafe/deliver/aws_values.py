"""Which chart values take the ARNs of pushed secrets.

Charts that read AWS Secrets Manager expose it in values in two common shapes (Tracecat has
both), and both are found by walking the chart's merged values, not by naming one chart:

- **next to the Secret's name**: a mapping with ``existingSecret`` and ``secretArn``
  (``externalPostgres.auth``). When the pushed Secret is named by that ``existingSecret``, its
  ARN goes into ``secretArn`` and the application reads it itself (Tracecat's ``*__ARN``
  environment variables).
- **a chart's own ExternalSecrets**: a mapping with ``secretArn`` and ``targetSecretName``
  (``externalSecrets.postgres``) whose target is the pushed Secret. It is switched on with
  the ARN; its parent's ``enabled`` is switched on and its ``clusterSecretStoreRef`` set from
  ``--store-ref``. The chart then creates the Secret from the pushed value, in the layout it
  expects (one JSON field per key, or the raw value for a one-key Secret).

Without ``--store-ref`` the second shape is only reported in the notes: the chart's
ExternalSecrets cannot be rendered without a store to read through.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .._values_paths import escape_key, parent_path, split_path
from .external_layout import DeliveredSecret, set_path

__all__ = ["arn_overrides"]

_STORE_REF_KEYS = ("clusterSecretStoreRef", "secretStoreRef")


def _mappings(tree: Mapping[str, Any], path: str = "") -> Iterator[tuple[str, Mapping[str, Any]]]:
    for key, child in tree.items():
        if isinstance(child, Mapping):
            here = f"{path}.{escape_key(str(key))}" if path else escape_key(str(key))
            yield here, child
            yield from _mappings(child, here)


def _get(tree: Mapping[str, Any], dotted: str) -> Any:
    node: Any = tree
    for part in split_path(dotted) if dotted else []:
        node = node.get(part) if isinstance(node, Mapping) else None
    return node


def arn_overrides(
    values: Mapping[str, Any],
    delivered: list[DeliveredSecret],
    push: Any,
    store_ref: str | None,
) -> tuple[dict[str, Any], list[str], set[str]]:
    """The values overrides pointing the chart at the pushed ARNs, notes for people, and the
    names of the Secrets the chart's own ExternalSecrets now create."""
    overrides: dict[str, Any] = {}
    notes: list[str] = []
    covered: set[str] = set()
    by_path = {path: d for d in delivered for path in d.values_paths}
    by_name = {d.name: d for d in delivered}
    for path, node in _mappings(values):
        if "secretArn" not in node:
            continue
        if "existingSecret" in node and f"{path}.existingSecret" in by_path:
            secret = by_path[f"{path}.existingSecret"]
            arn = push.arn(secret.namespace, secret.name)
            if arn:
                set_path(overrides, f"{path}.secretArn", arn)
        target = node.get("targetSecretName")
        if isinstance(target, str) and target in by_name:
            secret = by_name[target]
            arn = push.arn(secret.namespace, secret.name)
            if not arn:
                continue
            if not store_ref:
                notes.append(f"{path} can sync {target} through the chart's ExternalSecret: "
                             "pass --store-ref with your ClusterSecretStore")  # fmt: skip
                continue
            set_path(overrides, f"{path}.secretArn", arn)
            covered.add(target)
            if "enabled" in node:
                set_path(overrides, f"{path}.enabled", True)
            parent = parent_path(path)
            above = _get(values, parent)
            if isinstance(above, Mapping):
                prefix = f"{parent}." if parent else ""
                if "enabled" in above:
                    set_path(overrides, f"{prefix}enabled", True)
                for key in _STORE_REF_KEYS:
                    if key in above:
                        set_path(overrides, f"{prefix}{key}", store_ref)
    for secret in delivered:
        for path in secret.values_paths:
            # Keep naming the Secret: the chart's ExternalSecret (or an existing one) creates it.
            set_path(overrides, path, secret.name)
    return overrides, notes, covered
