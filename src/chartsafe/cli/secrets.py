"""``chartsafe secrets``: the secret store's command group, one module per subcommand.

This module holds the typer sub-app and the options every subcommand shares; each subcommand
lives in its own ``secrets_*`` module, listed in ``SUBCOMMAND_MODULES`` (adding one is adding
its module and one line there).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Annotated

import typer

from ._app import app

__all__ = [
    "AgeKeyFile",
    "AgeRecipients",
    "SecretName",
    "StoreFile",
    "StoreNamespace",
    "secrets_app",
]

secrets_app = typer.Typer(
    name="secrets",
    help=(
        "Keep a release's secret values in one SOPS/age-encrypted store file.\n\n"
        "The store opens with 'sops -d' too; values are never regenerated unless rotated.\n\n"
        "Examples:\n\n"
        "  chartsafe keys init\n\n"
        "  chartsafe secrets set -n tracecat tracecat-postgres-credentials username "
        "--from-literal tracecat --store secrets.sops.yaml --age age1...\n\n"
        "  chartsafe secrets list --store secrets.sops.yaml"
    ),
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(secrets_app, name="secrets")

StoreFile = Annotated[
    Path,
    typer.Option(
        "--store",
        envvar="CHARTSAFE_STORE",
        help="The store: a SOPS YAML file (env CHARTSAFE_STORE).",
        show_default=False,
    ),
]
StoreNamespace = Annotated[
    str | None,
    typer.Option(
        "-n",
        "--namespace",
        help="Namespace of the Secret (default: $HELM_NAMESPACE, else the kubeconfig context's, "
        "else default; as install and up).",
        show_default=False,
    ),
]
SecretName = Annotated[str, typer.Argument(metavar="SECRET", help="Name of the Secret.")]
AgeRecipients = Annotated[
    list[str] | None,
    typer.Option(
        "--age",
        help="Age recipient (age1...) to encrypt to; repeatable or comma-separated. "
        "Default: the nearest .sops.yaml creation rule.",
    ),
]
AgeKeyFile = Annotated[
    Path | None,
    typer.Option(
        "--age-key-file",
        help="Age identity file to decrypt with, instead of SOPS_AGE_KEY, SOPS_AGE_KEY_FILE "
        "and the sops key file.",
    ),
]


#: Subcommand modules of ``chartsafe secrets``; importing one registers it.
SUBCOMMAND_MODULES: tuple[str, ...] = (
    "secrets_set",
    "secrets_get",
    "secrets_list",
    "secrets_rotate",
    "secrets_rekey",
    "secrets_init",
    "secrets_render",
    "secrets_push",
)

for _module in SUBCOMMAND_MODULES:
    importlib.import_module(f"{__package__}.{_module}")
