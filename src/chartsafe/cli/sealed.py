"""``chartsafe sealed verify`` and ``sealed cert``: checks and the controller's certificate."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .._errors import CheckFailed
from ._app import app
from ._cluster_flags import FROM_FLAGS, ClusterAccess, with_cluster_access
from ._cluster_options import release_namespace
from ._print import print_json
from ._sealed_options import (
    CONTROLLER_NAME,
    CONTROLLER_NAMESPACE,
    CertOption,
    ControllerName,
    ControllerNamespace,
    NamespaceOption,
    SealedFile,
    SealedSecretFile,
    cert_source,
    sealed_input,
)

sealed_app = typer.Typer(
    name="sealed",
    help="Sealed Secrets: check manifests before they are applied; fetch the certificate.",
    no_args_is_help=True,
)
app.add_typer(sealed_app)

__all__ = ["VERIFY_OUTPUTS", "sealed_app"]

#: What ``sealed verify -o`` prints (completion offers them).
VERIFY_OUTPUTS = ("text", "json")


@sealed_app.command(
    epilog=(
        "Examples:\n\n"
        "  chartsafe sealed verify sealed.yaml -n prod\n\n"
        "  chartsafe sealed verify sealed.yaml -n prod --name tracecat-secrets "
        "--private-key backup-keys.yaml -o json\n\n"
        "Exit codes: 0 every SealedSecret will open there, 1 a problem found, 2 bad input."
    )
)
def verify(
    file: SealedFile = None,
    secret_file: SealedSecretFile = None,
    namespace: NamespaceOption = None,
    name: Annotated[
        str | None,
        typer.Option("--name", help="The Secret name the release reads (checks metadata.name)."),
    ] = None,
    private_key: Annotated[
        list[Path] | None,
        typer.Option(
            "--private-key",
            help="Also open every value with this key, under the label the controller will use.",
        ),
    ] = None,
    output: Annotated[
        str, typer.Option("-o", "--output", help="text or json.", show_default=False)
    ] = "text",
) -> int:
    """Check offline that SealedSecrets match the name, namespace and scope they are applied with.

    The controller derives each value's label from the SealedSecret's own name, namespace and
    scope annotation, so a manifest sealed for one namespace and applied in another, renamed
    after sealing, or with a scope annotation that is not the string "true" never unseals.
    With --private-key every value is opened as the controller would, and a failure says
    which placement it was sealed for. No value is ever printed.
    """
    from ..deliver.sealed import KIND
    from ..deliver.sealed_crypto import SealingError
    from ..deliver.sealed_io import read_manifests
    from ..deliver.sealed_keys import load_private_keys
    from ..deliver.sealed_verify import check_placement

    if output not in VERIFY_OUTPUTS:
        raise SealingError(f"-o {output}: want text or json")
    path, what = sealed_input(file, secret_file)
    keys = load_private_keys(private_key) if private_key else []
    objects = [obj for obj in read_manifests(path, what=what) if obj.get("kind") == KIND]
    if not objects:
        raise SealingError(f"{what} {path or 'stdin'}: no {KIND} in it")
    context = release_namespace(namespace, None, None)  # kubectl apply's namespace
    results = [
        check_placement(
            o, namespace=namespace, name=name, private_keys=keys, default_namespace=context
        )
        for o in objects
    ]
    if output == "json":
        print_json([r.as_dict() for r in results])
    else:
        for result in results:
            state = "ok" if result.ok else "PROBLEM"
            opened = "" if result.opened is None else f", {result.opened} opened"
            sys.stdout.write(
                f"{state}: {KIND} {result.namespace}/{result.name} ({result.scope}, "
                f"{len(result.items)} items{opened})\n"
            )
            for line in result.problems:
                sys.stdout.write(f"  problem: {line}\n")
            for line in result.notes:
                sys.stdout.write(f"  note: {line}\n")
    failed = [r for r in results if not r.ok]
    if failed:
        raise CheckFailed(
            f"{len(failed)} of {len(results)} SealedSecrets would not unseal as applied",
            hint="re-seal with the right -n/--name/--scope",
        )
    return 0


@sealed_app.command(
    epilog=(
        "Examples:\n\n"
        "  chartsafe sealed cert > cert.pem\n\n"
        "  chartsafe sealed cert --controller-name sealed-secrets --kube-context prod\n\n"
        "Exit codes: 0 printed, 2 the certificate could not be had or is unusable."
    )
)
@with_cluster_access
def cert(
    cert: CertOption = None,
    controller_namespace: ControllerNamespace = CONTROLLER_NAMESPACE,
    controller_name: ControllerName = CONTROLLER_NAME,
    access: ClusterAccess = FROM_FLAGS,
) -> int:
    """Print the controller's certificate (kubeseal --fetch-cert), after checking it can seal.

    Fetched through the API server's service proxy, as kubeseal does; keep it to seal offline.
    """
    from ..deliver.sealed_keys import load_certificate

    pem, where = cert_source(cert, controller_namespace, controller_name, access).pem()
    load_certificate(pem, source=where)
    sys.stdout.write(pem.decode("ascii", errors="replace"))
    return 0
