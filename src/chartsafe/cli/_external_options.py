"""The flags of the External Secrets and AWS delivery backends, shared by ``secrets render``
(``--as external``, ``--as aws``) and ``secrets push``; typer types only, no logic."""

from __future__ import annotations

from typing import Annotated

import typer

__all__ = [
    "CreationPolicy",
    "DeletionPolicy",
    "Prefix",
    "Provider",
    "RefreshInterval",
    "Region",
    "StoreKind",
    "StoreRef",
    "StoreSetting",
    "WithStore",
]

_PANEL = "Backend flags"

StoreRef = Annotated[
    str | None,
    typer.Option(
        "--store-ref",
        help="external, aws: the SecretStore/ClusterSecretStore the ExternalSecrets read.",
        rich_help_panel=_PANEL,
    ),
]
StoreKind = Annotated[
    str | None,
    typer.Option(
        "--store-kind",
        help="external: SecretStore (default) or ClusterSecretStore; aws: ClusterSecretStore.",
        rich_help_panel=_PANEL,
    ),
]
Provider = Annotated[
    str | None,
    typer.Option(
        "--provider",
        help="external: aws (default), gcp, azure or vault; decides the remote layout.",
        rich_help_panel=_PANEL,
    ),
]
Prefix = Annotated[
    str | None,
    typer.Option(
        "--prefix",
        help="external, aws: prefix of every remote secret name (e.g. prod/).",
        rich_help_panel=_PANEL,
    ),
]
Region = Annotated[
    str | None,
    typer.Option(
        "--region",
        help="aws: region to push to; external: the AWS store's region (--with-store).",
        rich_help_panel=_PANEL,
    ),
]
RefreshInterval = Annotated[
    str | None,
    typer.Option(
        "--refresh-interval",
        help="external, aws: ExternalSecret refreshInterval (default 1h, ESO's own).",
        rich_help_panel=_PANEL,
    ),
]
CreationPolicy = Annotated[
    str | None,
    typer.Option(
        "--creation-policy",
        help="external, aws: target.creationPolicy (default Owner).",
        rich_help_panel=_PANEL,
    ),
]
DeletionPolicy = Annotated[
    str | None,
    typer.Option(
        "--deletion-policy",
        help="external, aws: target.deletionPolicy (default Retain: keep the Secret).",
        rich_help_panel=_PANEL,
    ),
]
WithStore = Annotated[
    bool,
    typer.Option(
        "--with-store",
        help="external: also write the SecretStore/ClusterSecretStore for --provider.",
        rich_help_panel=_PANEL,
    ),
]
StoreSetting = Annotated[
    list[str] | None,
    typer.Option(
        "--store-setting",
        help="external --with-store: NAME=VALUE for the store (project, vault-url, tenant-id, "
        "server, mount, vault-role, auth-mount, service-account, credentials-secret, role, "
        "namespace); repeatable.",
        rich_help_panel=_PANEL,
    ),
]
