"""The API server's 1 MiB limit, held to the Secrets delivery builds before any is written.

The API server refuses a Secret whose data together exceed 1 MiB. ``template`` says so of a
Secret a chart renders (``_api_rules``), but a Secret built from the store was written to
``--out`` or a bundle and planned for apply, and failed only at ``kubectl apply`` or, sealed,
in the controller's log, where nobody looks. The sealed backend seals the bodies the secret
backend builds (``secret.bodies``), so one check there covers the Secret the controller would
create too.

The rule itself is ``_api_rules.size_problem``, not a second copy of it. Messages name the
Secret, its size and its largest key, never a value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .._errors import InputError

__all__ = ["refuse_oversized"]


def refuse_oversized(secrets: Sequence[Mapping[str, Any]]) -> None:
    """Refuse, in one line naming each, the v1 Secret bodies too large for the API server."""
    from .._api_rules import size_problem
    from .._objects import K8sObject

    problems: list[str] = []
    largest = ""
    for secret in secrets:
        namespace = str((secret.get("metadata") or {}).get("namespace") or "")
        obj = K8sObject(text="", body=dict(secret), source="", release_namespace=namespace)
        problem = size_problem(obj)
        if problem:
            problems.append(f"Secret {namespace}/{obj.name}: {problem}")
            largest = largest or _largest_key(secret)
    if problems:
        raise InputError(
            "; ".join(problems),
            hint=f"{largest}; the chart must take a value that large from elsewhere (a volume, "
            "an image), or the store hold a smaller one",
        )


def _largest_key(secret: Mapping[str, Any]) -> str:
    """Which key holds the most, and how much (counted from the base64, not decoded again)."""
    sizes = {
        str(key): len(text) * 3 // 4 - text.count("=")
        for key, text in ((k, str(v)) for k, v in (secret.get("data") or {}).items())
    }
    if not sizes:
        return "it has no data key"
    key = max(sorted(sizes), key=sizes.__getitem__)
    return f"its largest key {key} holds {sizes[key]} bytes"
