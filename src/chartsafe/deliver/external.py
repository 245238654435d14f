"""External Secrets Operator delivery: ExternalSecrets that produce every Secret a release needs.

One ``ExternalSecret`` (``external-secrets.io/v1``; v1beta1 is no longer served since ESO 0.17)
per required Secret, ``target.name`` equal to the Secret name the workloads read and one
``data[]`` item per key, read from the remote layout of :mod:`.external_layout`. Optionally the
``SecretStore`` / ``ClusterSecretStore`` for the provider (:mod:`.external_stores`).

Defaults, and why:

- ``refreshInterval: 1h`` (ESO's own default): a rotation reaches the cluster within the hour
  without paying one provider API call per Secret every minute.
- ``creationPolicy: Owner``: the Secret belongs to its ExternalSecret, so ESO refuses to fight
  over a Secret someone else owns, and removing the ExternalSecret from git removes the Secret.
- ``deletionPolicy: Retain``: when the remote secret disappears (a typo, a deleted secret), the
  running Secret stays and the ExternalSecret reports ``SecretSyncedError``; the pods keep
  their credentials.

No object holds a value: the manifests only name remote secrets, so they are safe to print.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from .._errors import InputError
from . import Delivery, DeliveryRequest
from .external_layout import (
    PROVIDERS,
    DeliveredSecret,
    Provider,
    RemoteSecret,
    plan_layout,
    secrets_to_deliver,
    set_path,
)

__all__ = [
    "API_VERSION",
    "CREATION_POLICIES",
    "DELETION_POLICIES",
    "OPTION_NAMES",
    "ExternalDelivery",
    "ExternalOptions",
    "check_options",
    "deliver",
    "external_secret",
    "options_from",
    "render_external",
]

API_VERSION: Final = "external-secrets.io/v1"
CREATION_POLICIES: Final = ("Owner", "Orphan", "Merge", "None", "CreateOrMerge")
DELETION_POLICIES: Final = ("Retain", "Delete", "Merge")
StoreKind = Literal["SecretStore", "ClusterSecretStore"]
_DURATION = re.compile(r"^(0|([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+)$")


@dataclass(frozen=True)
class ExternalOptions:
    """How to write the ExternalSecrets (the ``--as external`` flags)."""

    store_ref: str
    store_kind: StoreKind = "SecretStore"
    provider: Provider = "aws"
    prefix: str = ""
    refresh_interval: str = "1h"
    creation_policy: str = "Owner"
    deletion_policy: str = "Retain"
    with_store: bool = False
    store: Any = None  # StoreOptions from external_stores, when with_store

    def check(self) -> None:
        """One-line errors for flag values ESO (or its admission webhook) would refuse."""
        if not re.match(r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", self.store_ref):
            raise InputError(f"--store-ref {self.store_ref!r} is not a valid object name")
        if self.store_kind not in ("SecretStore", "ClusterSecretStore"):
            raise InputError(
                f"--store-kind {self.store_kind!r}", hint="use SecretStore or ClusterSecretStore"
            )
        if not _DURATION.match(self.refresh_interval):
            raise InputError(
                f"--refresh-interval {self.refresh_interval!r} is not a duration",
                hint="a Go duration such as 1h, 30m or 0s (fetch once)",
            )
        if self.provider not in PROVIDERS:
            raise InputError(
                f"--provider {self.provider!r} is not supported",
                hint=f"use one of {', '.join(PROVIDERS)}",
            )
        if self.creation_policy not in CREATION_POLICIES:
            raise InputError(
                f"--creation-policy {self.creation_policy!r}",
                hint=f"use one of {', '.join(CREATION_POLICIES)}",
            )
        if self.deletion_policy not in DELETION_POLICIES:
            raise InputError(
                f"--deletion-policy {self.deletion_policy!r}",
                hint=f"use one of {', '.join(DELETION_POLICIES)}",
            )
        # The admission webhook's rules (DELIVERY-FACTS 1.2), checked before anything is applied.
        if self.deletion_policy == "Delete" and self.creation_policy != "Owner":
            raise InputError(
                "--deletion-policy Delete needs --creation-policy Owner",
                hint="ESO's webhook rejects Delete with any other creation policy",
            )
        if self.deletion_policy == "Merge" and self.creation_policy == "None":
            raise InputError(
                "--deletion-policy Merge cannot go with --creation-policy None",
                hint="ESO's webhook rejects this pair",
            )


@dataclass
class ExternalDelivery:
    """What ``--as external`` returns: manifests, the remote layout and the values overrides."""

    manifests: list[dict[str, Any]]
    layout: list[RemoteSecret]
    overrides: dict[str, Any] = field(default_factory=dict)
    secrets: list[DeliveredSecret] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "backend": "external",
            "manifests": self.manifests,
            "layout": [remote.as_dict() for remote in self.layout],
            "overrides": self.overrides,
        }


def external_secret(
    remote: RemoteSecret, delivered: DeliveredSecret, options: ExternalOptions
) -> dict[str, Any]:
    """The ExternalSecret producing Secret ``delivered`` from ``remote``."""
    target: dict[str, Any] = {
        "name": delivered.name,
        "creationPolicy": options.creation_policy,
        "deletionPolicy": options.deletion_policy,
    }
    if delivered.type and delivered.type != "Opaque":
        # Without template data ESO keeps the fetched keys and only sets the type.
        target["template"] = {"type": delivered.type, "engineVersion": "v2"}
    data = []
    for key in remote.keys:
        ref: dict[str, Any] = {"key": remote.remote_key}
        prop = remote.property_for(key)
        if prop is not None:
            ref["property"] = prop
        data.append({"secretKey": key, "remoteRef": ref})
    return {
        "apiVersion": API_VERSION,
        "kind": "ExternalSecret",
        "metadata": {
            "name": delivered.name,
            "namespace": delivered.namespace,
            "labels": {"app.kubernetes.io/managed-by": "chartsafe"},
        },
        "spec": {
            "refreshInterval": options.refresh_interval,
            "secretStoreRef": {"kind": options.store_kind, "name": options.store_ref},
            "target": target,
            "data": data,
        },
    }


def render_external(contract: Any, options: ExternalOptions, store: Any = None) -> ExternalDelivery:
    """ExternalSecrets for every Secret ``contract`` requires, and the overrides naming them.

    ``store`` (a :class:`~chartsafe.store.secret_store.SecretStore`), when given, decides
    which optional keys are delivered and makes a missing needed key an error; no value is
    read into the result.
    """
    options.check()
    # Every flag is checked (names, store settings) before the store is consulted.
    plan_layout(
        ((d.namespace, d.name, d.keys) for d in secrets_to_deliver(contract, names_from=store)),
        options.provider,
        options.prefix,
    )
    manifests: list[dict[str, Any]] = []
    if options.with_store:
        from .external_stores import store_manifest

        namespaces = sorted({ref.namespace for ref in contract.required}) or [contract.namespace]
        if options.store_kind == "ClusterSecretStore":
            namespaces = namespaces[:1]
        for namespace in namespaces:
            manifests.append(store_manifest(options, namespace))
    delivered = secrets_to_deliver(contract, store)
    layout = plan_layout(
        ((d.namespace, d.name, d.keys) for d in delivered), options.provider, options.prefix
    )
    by_name = {(d.namespace, d.name): d for d in delivered}
    for remote in layout:
        manifests.append(
            external_secret(remote, by_name[(remote.namespace, remote.secret)], options)
        )
    return ExternalDelivery(manifests, layout, values_overrides(delivered), delivered)


def values_overrides(delivered: list[DeliveredSecret]) -> dict[str, Any]:
    """Values that make the chart read the delivered Secrets: each naming value set to its name.

    The Secret names are the contract's own, so this mostly pins what the values already
    say; it matters when a naming value came from a ``--set`` the later install would lack.
    """
    overrides: dict[str, Any] = {}
    for secret in delivered:
        for path in secret.values_paths:
            set_path(overrides, path, secret.name)
    return overrides


#: The ``secrets render`` flags ``--as external`` reads (registry entry in ``deliver``).
OPTION_NAMES: Final = (
    "store_ref",
    "store_kind",
    "provider",
    "prefix",
    "region",
    "refresh_interval",
    "creation_policy",
    "deletion_policy",
    "with_store",
    "store_setting",
)


def options_from(request: DeliveryRequest) -> ExternalOptions:
    """ExternalOptions from a :class:`~chartsafe.deliver.DeliveryRequest`'s flags."""
    from .external_stores import parse_store_settings

    store_ref = request.option("store_ref")
    if not store_ref:
        raise InputError(
            "--as external needs --store-ref",
            hint="the SecretStore or ClusterSecretStore the ExternalSecrets read through",
        )
    return ExternalOptions(
        store_ref=str(store_ref),
        store_kind=request.option("store_kind", "SecretStore"),
        provider=request.option("provider", "aws"),
        prefix=str(request.option("prefix", "")),
        refresh_interval=str(request.option("refresh_interval", "1h")),
        creation_policy=str(request.option("creation_policy", "Owner")),
        deletion_policy=str(request.option("deletion_policy", "Retain")),
        with_store=bool(request.option("with_store", False)),
        store=parse_store_settings(request.option("store_setting", ()), request.option("region")),
    )


def check_options(options: Mapping[str, Any]) -> None:
    """Flag values refused before any work (the registry's hook): the same checks as
    ``deliver``'s, without a contract or a store."""
    options_from(DeliveryRequest(None, None, options)).check()


def deliver(request: DeliveryRequest) -> Delivery:
    """``--as external``: the registry's entry point (returns a ``Delivery``)."""

    found = render_external(request.contract, options_from(request), store=request.store)
    details = {"layout": [remote.as_dict() for remote in found.layout]}
    return Delivery("external", found.manifests, found.overrides, details=details)
