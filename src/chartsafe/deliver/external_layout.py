"""Where each Secret lives in a remote secret manager: one remote secret per Secret.

Both the ExternalSecret backend (which reads remote secrets) and the AWS push (which writes
them) use this one layout, so what is pushed is exactly what the ExternalSecrets read
(``docs/delivery.md``):

- one remote secret per Kubernetes Secret, named from its namespace and name;
- a Secret with several keys is one JSON object, one field per key (``remoteRef.property``);
- a Secret with one key holds the bare value ("raw string"), as Tracecat's seed asks for the
  Redis URL and the Temporal API key; Vault is the exception: a KV entry is always a map, so
  there every key is a field.

Remote names per provider (``P`` = ``--prefix``):

====== ================================ ============================================
aws    ``P{namespace}/{secret}``        Secrets Manager allows ``/`` in names
vault  ``P{namespace}/{secret}``        a path below the store's KV mount
gcp    ``P{namespace}_{secret}``        IDs allow ``[A-Za-z0-9_-]``: ``.`` becomes ``_``
azure  ``P{namespace}-{secret}``        names allow ``[0-9A-Za-z-]``: ``.`` becomes ``-``
====== ================================ ============================================

Namespaces never contain ``_`` or ``.`` and Secret names never ``_``, so the GCP mapping is
one-to-one; the Azure one is not (``a.b`` and ``a-b``), and a clash is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

from .._errors import InputError

__all__ = [
    "PROVIDERS",
    "DeliveredSecret",
    "Provider",
    "RemoteSecret",
    "plan_layout",
    "remote_name",
    "secrets_to_deliver",
    "set_path",
]

Provider = Literal["aws", "gcp", "azure", "vault"]
PROVIDERS: Final[tuple[Provider, ...]] = ("aws", "gcp", "azure", "vault")

_NAME_RULES: Final[dict[str, tuple[re.Pattern[str], int, str]]] = {
    "aws": (re.compile(r"^[A-Za-z0-9/_+=.@-]+$"), 512, "letters, digits and /_+=.@-"),
    "vault": (re.compile(r"^[A-Za-z0-9/_.-]+$"), 512, "letters, digits and /_.-"),
    "gcp": (re.compile(r"^[A-Za-z0-9_-]+$"), 255, "letters, digits, _ and -"),
    "azure": (re.compile(r"^[A-Za-z0-9-]+$"), 127, "letters, digits and -"),
}


@dataclass(frozen=True)
class RemoteSecret:
    """One remote secret of the layout: which Secret it feeds and how its keys are stored.

    ``raw`` means the remote value is the bare value of the single key; otherwise it is a
    JSON object (a KV map for Vault) with one field per key.
    """

    namespace: str
    secret: str
    keys: tuple[str, ...]
    remote_key: str
    raw: bool
    provider: Provider

    def property_for(self, key: str) -> str | None:
        """``remoteRef.property`` for ``key``: None for a raw secret (the whole value)."""
        return None if self.raw else key

    def payload(self, values: Mapping[str, str]) -> str:
        """The remote value for ``values`` (this Secret's keys): raw text or a JSON object."""
        import json

        if self.raw:
            return values[self.keys[0]]
        return json.dumps({key: values[key] for key in self.keys}, sort_keys=True)

    def as_dict(self) -> dict[str, Any]:
        return {
            "namespace": self.namespace,
            "secret": self.secret,
            "remoteKey": self.remote_key,
            "format": "raw" if self.raw else ("kv" if self.provider == "vault" else "json"),
            "keys": {key: self.property_for(key) for key in self.keys},
        }


def remote_name(provider: Provider, namespace: str, secret: str, prefix: str = "") -> str:
    """The remote secret name of Secret ``namespace/secret`` (table in the module doc)."""
    if provider == "gcp":
        name = f"{prefix}{namespace}_{secret.replace('.', '_')}"
    elif provider == "azure":
        name = f"{prefix}{namespace}-{secret.replace('.', '-')}"
    else:
        name = f"{prefix}{namespace}/{secret}"
    pattern, limit, allowed = _NAME_RULES[provider]
    if not pattern.match(name) or len(name) > limit:
        raise InputError(
            f"--prefix {prefix!r}: remote name {name!r} is not a valid {provider} secret name",
            secret=secret,
            hint=f"{provider} names allow {allowed}, at most {limit} characters",
        )
    return name


def plan_layout(
    secrets: Iterable[tuple[str, str, Iterable[str]]],
    provider: Provider,
    prefix: str = "",
) -> list[RemoteSecret]:
    """The remote secrets for ``(namespace, secret, keys)`` triples, in a stable order."""
    if provider not in PROVIDERS:
        raise InputError(
            f"--provider {provider!r} is not supported", hint=f"use one of {', '.join(PROVIDERS)}"
        )
    plan: list[RemoteSecret] = []
    seen: dict[str, str] = {}
    for namespace, secret, keys in sorted(secrets, key=lambda item: (item[0], item[1])):
        ordered = tuple(sorted(set(keys)))
        if not ordered:
            raise InputError(
                f"Secret {namespace}/{secret} has no known keys to deliver",
                secret=secret,
                hint="declare its keys in the chart's chartsafe.io/secrets annotation",
            )
        name = remote_name(provider, namespace, secret, prefix)
        if name in seen:
            raise InputError(
                f"Secrets {seen[name]} and {namespace}/{secret} map to the same {provider} "
                f"secret {name!r}",
                secret=secret,
                hint="rename one of them, or deliver them with different --prefix values",
            )
        seen[name] = f"{namespace}/{secret}"
        raw = len(ordered) == 1 and provider != "vault"
        plan.append(RemoteSecret(namespace, secret, ordered, name, raw, provider))
    return plan


@dataclass(frozen=True)
class DeliveredSecret:
    """A Secret the release needs before install, with the keys a backend delivers."""

    namespace: str
    name: str
    keys: tuple[str, ...]
    type: str | None
    values_paths: tuple[str, ...]


def secrets_to_deliver(
    contract: Any, store: Any = None, *, names_from: Any = None
) -> list[DeliveredSecret]:
    """The contract's required Secrets and the keys to deliver for each.

    Every key the release needs is delivered; an optional key only when the store holds it
    (or, without a store, always). With a store, a needed key it lacks is an input error,
    since the backend would deliver a Secret the release cannot start with. A Secret whose
    keys the chart cannot show is delivered with the keys set for it in the store
    (``keys_for``); ``names_from`` is a store consulted for those names only, as if no
    store were given otherwise (a check of the layout before the values are looked at).
    """
    from ..store.secret_init import keys_for

    found: list[DeliveredSecret] = []
    for ref in contract.required:
        keys: list[str] = []
        for name in keys_for(ref, store if store is not None else names_from):
            held = store is None or store.get(ref.namespace, ref.name, name) is not None
            if held:
                keys.append(name)
            elif not ref.key_optional(name):
                raise InputError(
                    f"store {store.path}: no value for key {name} of Secret "
                    f"{ref.namespace}/{ref.name}",
                    secret=ref.name,
                    key=name,
                    hint=f"chartsafe secrets set -n {ref.namespace} {ref.name} {name} ...",
                )
        if not keys and ref.optional:
            continue  # read optionally, and nothing set for it: the release starts without it
        found.append(
            DeliveredSecret(ref.namespace, ref.name, tuple(keys), ref.type, tuple(ref.values_paths))
        )
    return found


def set_path(tree: dict[str, Any], dotted: str, value: Any) -> None:
    """Set ``a.b.c`` in a nested values mapping (the overrides a backend returns); an
    escaped dot (``files.admin\\.env``) stays inside its key, as in ``--set``."""
    from .._values_paths import split_path

    *parents, leaf = split_path(dotted)
    node = tree
    for part in parents:
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            raise InputError(f"values path {dotted}: {part} is not a mapping", values_path=dotted)
        node = child
    node[leaf] = value
