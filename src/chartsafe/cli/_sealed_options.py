"""Option types of the commands that seal (as kubeseal): where the certificate comes from.

Shared by ``seal``, ``reseal``, ``sealed``, ``secrets render --as sealed`` and ``up
--deliver sealed``; apart from any command, so that importing them registers none.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from .._cluster_access import ClusterAccess
from ..deliver import CONTROLLER_NAME, CONTROLLER_NAMESPACE

__all__ = [
    "CONTROLLER_NAME",
    "CONTROLLER_NAMESPACE",
    "CertOption",
    "ControllerName",
    "ControllerNamespace",
    "NamespaceOption",
    "SealedFile",
    "SealedSecretFile",
    "cert_source",
    "cluster_options",
    "controller_options",
    "sealed_input",
]

_CERT = "Certificate (as kubeseal)"


CertOption = Annotated[
    str | None,
    typer.Option(
        "--cert",
        envvar="SEALED_SECRETS_CERT",
        help="Controller certificate: a file or an http(s)/file URL (default: ask the "
        "controller through the API server).",
        show_default=False,
        rich_help_panel=_CERT,
    ),
]
ControllerNamespace = Annotated[
    str,
    typer.Option(
        "--controller-namespace",
        envvar="SEALED_SECRETS_CONTROLLER_NAMESPACE",
        help="Namespace of the sealed-secrets controller.",
        rich_help_panel=_CERT,
    ),
]
ControllerName = Annotated[
    str,
    typer.Option(
        "--controller-name",
        envvar="SEALED_SECRETS_CONTROLLER_NAME",
        help="Service name of the controller (the Helm chart's is often 'sealed-secrets').",
        rich_help_panel=_CERT,
    ),
]
#: A Secret or SealedSecret without a namespace is for the context's, as kubeseal takes it.
NamespaceOption = Annotated[
    str | None,
    typer.Option(
        "-n",
        "--namespace",
        help="Namespace it will be applied in (fills a missing one) (default: the "
        "manifest's, else $HELM_NAMESPACE, else the kubeconfig context's, else 'default'; as "
        "kubeseal, which reads no $HELM_NAMESPACE).",
        show_default=False,
    ),
]


def cert_source(
    cert: str | None,
    controller_namespace: str,
    controller_name: str,
    access: ClusterAccess,
) -> Any:
    from ..deliver.sealed_io import CertSource

    return CertSource(
        cert,
        controller_namespace=controller_namespace,
        controller_name=controller_name,
        access=access,
    )


def controller_options(namespace: str, name: str) -> dict[str, str]:
    """The controller flags as delivery options, only where they differ from kubeseal's
    defaults: a backend that does not seal then refuses only what was typed."""
    options = {}
    if namespace != CONTROLLER_NAMESPACE:
        options["controller_namespace"] = namespace
    if name != CONTROLLER_NAME:
        options["controller_name"] = name
    return options


def cluster_options(backend: str, access: ClusterAccess) -> dict[str, ClusterAccess]:
    """The cluster flags as delivery options, for a backend that reads them (sealed asks
    its controller for the certificate). Every command also resolves its namespace with
    them, so another backend is not given them to refuse."""
    from ..deliver import BACKENDS

    known = BACKENDS.get(backend)
    if known is None or "access" not in known.options:
        return {}
    return {"access": access}


#: FILE of unseal, reseal and sealed verify: kept positional; kubeseal's -f names the same
#: input.
SealedFile = Annotated[
    Path | None,
    typer.Argument(
        help="SealedSecret manifest(s), as -f; '-' or neither reads stdin.", show_default=False
    ),
]
SealedSecretFile = Annotated[
    Path | None,
    typer.Option(
        "-f",
        "--secret-file",
        help="SealedSecret manifest(s), YAML or JSON, as kubeseal reads them (default: stdin).",
        show_default=False,
    ),
]


def sealed_input(file: Path | None, secret_file: Path | None) -> tuple[Path | None, str]:
    """The one input of unseal, reseal and sealed verify, and how messages name it: FILE or
    -f FILE (as kubeseal --recovery-unseal, --re-encrypt and --validate take it), else stdin."""
    if file is not None and secret_file is not None:
        from ..deliver.sealed_crypto import SealingError

        raise SealingError(
            f"FILE {file} and -f {secret_file}: two inputs", hint="give the manifest once"
        )
    return (secret_file, "--secret-file") if secret_file is not None else (file, "file")
