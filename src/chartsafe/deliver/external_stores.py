"""SecretStore / ClusterSecretStore manifests for the four providers (``--with-store``).

A small registry, provider → builder of ``spec.provider``; adding a provider is one function
and one line in ``_BUILDERS``. The authentication is picked from what the options name:

Per provider, with ``--store-setting service-account=SA`` / with
``--store-setting credentials-secret=S`` / with neither:

- aws: IRSA ``auth.jwt.serviceAccountRef`` / ``auth.secretRef`` with keys ``access-key-id`` and
  ``secret-access-key`` / the ESO pod's own AWS SDK chain;
- gcp: ``auth.workloadIdentity`` / ``auth.secretRef`` with key ``secret-access-credentials`` /
  the ESO pod's application default credentials;
- azure: ``authType: WorkloadIdentity`` / ServicePrincipal with keys ``ClientID`` and
  ``ClientSecret`` / ``ManagedIdentity``;
- vault (KV v2): Kubernetes auth as SA / a token in key ``token`` / Kubernetes auth as ESO's SA.

In a ClusterSecretStore every reference carries a namespace (ESO resolves nothing otherwise);
in a SecretStore the store's own namespace is used, so none is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Final

from .._errors import InputError

__all__ = ["SETTINGS", "StoreOptions", "parse_store_settings", "store_manifest"]


@dataclass(frozen=True)
class StoreOptions:
    """Provider settings for the generated store; only the provider's own fields are used."""

    region: str | None = None  # aws
    role: str | None = None  # aws: role ARN assumed after authenticating
    project: str | None = None  # gcp
    vault_url: str | None = None  # azure: https://NAME.vault.azure.net
    tenant_id: str | None = None  # azure service principal
    server: str | None = None  # vault
    mount: str = "secret"  # vault KV v2 mount
    vault_role: str | None = None  # vault Kubernetes auth role
    auth_mount: str = "kubernetes"  # vault Kubernetes auth mount
    service_account: str | None = None
    credentials_secret: str | None = None
    namespace: str | None = None  # where a ClusterSecretStore's references live


def _needs(value: str | None, flag: str, provider: str) -> str:
    if not value:
        raise InputError(f"--with-store for provider {provider} needs {flag}")
    return value


class _Refs:
    """Builds SecretKeySelector / ServiceAccountSelector, namespaced for a ClusterSecretStore."""

    def __init__(self, namespace: str | None) -> None:
        self.namespace = namespace

    def key(self, name: str, key: str) -> dict[str, Any]:
        ref = {"name": name, "key": key}
        return {**ref, "namespace": self.namespace} if self.namespace else ref

    def account(self, name: str, audiences: list[str] | None = None) -> dict[str, Any]:
        ref: dict[str, Any] = {"name": name}
        if self.namespace:
            ref["namespace"] = self.namespace
        if audiences:
            ref["audiences"] = audiences
        return ref


def _aws(opts: StoreOptions, refs: _Refs) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "service": "SecretsManager",
        "region": _needs(opts.region, "--region", "aws"),
    }
    if opts.role:
        spec["role"] = opts.role
    if opts.credentials_secret:
        spec["auth"] = {
            "secretRef": {
                "accessKeyIDSecretRef": refs.key(opts.credentials_secret, "access-key-id"),
                "secretAccessKeySecretRef": refs.key(opts.credentials_secret, "secret-access-key"),
            }
        }
    elif opts.service_account:
        spec["auth"] = {"jwt": {"serviceAccountRef": refs.account(opts.service_account)}}
    return {"aws": spec}


def _gcp(opts: StoreOptions, refs: _Refs) -> dict[str, Any]:
    spec: dict[str, Any] = {"projectID": _needs(opts.project, "--store-setting project=ID", "gcp")}
    if opts.credentials_secret:
        key = refs.key(opts.credentials_secret, "secret-access-credentials")
        spec["auth"] = {"secretRef": {"secretAccessKeySecretRef": key}}
    elif opts.service_account:
        spec["auth"] = {
            "workloadIdentity": {"serviceAccountRef": refs.account(opts.service_account)}
        }
    return {"gcpsm": spec}


def _azure(opts: StoreOptions, refs: _Refs) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "vaultUrl": _needs(opts.vault_url, "--store-setting vault-url=URL", "azure")
    }
    if opts.credentials_secret:
        spec["authType"] = "ServicePrincipal"
        spec["tenantId"] = _needs(opts.tenant_id, "--store-setting tenant-id=ID", "azure")
        spec["authSecretRef"] = {
            "clientId": refs.key(opts.credentials_secret, "ClientID"),
            "clientSecret": refs.key(opts.credentials_secret, "ClientSecret"),
        }
    elif opts.service_account:
        spec["authType"] = "WorkloadIdentity"
        spec["serviceAccountRef"] = refs.account(opts.service_account)
    else:
        spec["authType"] = "ManagedIdentity"
    return {"azurekv": spec}


def _vault(opts: StoreOptions, refs: _Refs) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "server": _needs(opts.server, "--store-setting server=URL", "vault"),
        "path": opts.mount,
        "version": "v2",
    }
    if opts.credentials_secret:
        spec["auth"] = {"tokenSecretRef": refs.key(opts.credentials_secret, "token")}
    else:
        kube: dict[str, Any] = {
            "mountPath": opts.auth_mount,
            "role": _needs(opts.vault_role, "--store-setting vault-role=ROLE", "vault"),
        }
        if opts.service_account:
            # Vault 1.21+ requires an audience on the role; "vault" is the documented one.
            kube["serviceAccountRef"] = refs.account(opts.service_account, ["vault"])
        spec["auth"] = {"kubernetes": kube}
    return {"vault": spec}


_BUILDERS: Final[dict[str, Callable[[StoreOptions, _Refs], dict[str, Any]]]] = {
    "aws": _aws,
    "gcp": _gcp,
    "azure": _azure,
    "vault": _vault,
}


def store_manifest(options: Any, namespace: str) -> dict[str, Any]:
    """The store named ``options.store_ref`` for ``options.provider`` (an ExternalOptions).

    ``namespace`` is the store's namespace (SecretStore) or, for a ClusterSecretStore, the
    default namespace of the references it holds.
    """
    from .external import API_VERSION

    opts: StoreOptions = options.store or StoreOptions()
    cluster = options.store_kind == "ClusterSecretStore"
    refs = _Refs((opts.namespace or namespace) if cluster else None)
    metadata: dict[str, Any] = {
        "name": options.store_ref,
        "labels": {"app.kubernetes.io/managed-by": "chartsafe"},
    }
    if not cluster:
        metadata["namespace"] = namespace
    provider = _BUILDERS[options.provider](opts, refs)
    return {
        "apiVersion": API_VERSION,
        "kind": options.store_kind,
        "metadata": metadata,
        "spec": {"provider": provider},
    }


#: ``--store-setting`` names → StoreOptions fields (the flags a store needs beyond --region).
SETTINGS: Final[dict[str, str]] = {
    "role": "role",
    "project": "project",
    "vault-url": "vault_url",
    "tenant-id": "tenant_id",
    "server": "server",
    "mount": "mount",
    "vault-role": "vault_role",
    "auth-mount": "auth_mount",
    "service-account": "service_account",
    "credentials-secret": "credentials_secret",
    "namespace": "namespace",
}


def parse_store_settings(settings: Iterable[str], region: str | None = None) -> StoreOptions:
    """``--store-setting name=value`` items (and ``--region``) as StoreOptions."""
    fields: dict[str, str] = {"region": region} if region else {}
    for item in settings:
        name, sep, value = item.partition("=")
        if not sep or name.strip() not in SETTINGS or not value.strip():
            raise InputError(
                f"--store-setting {item!r}: expected NAME=VALUE",
                hint=f"NAME is one of {', '.join(SETTINGS)}",
            )
        fields[SETTINGS[name.strip()]] = value.strip()
    return StoreOptions(**fields)
