"""``chartsafe seal``, ``unseal`` and ``reseal``: Sealed Secrets, kubeseal-compatible."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from ..deliver.sealed_crypto import Scope, SealingError
from ._app import app
from ._cluster_flags import FROM_FLAGS, ClusterAccess, with_cluster_access
from ._cluster_options import release_namespace
from ._print import print_json, print_yaml
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

__all__ = ["SealedFormat", "one_document"]


class SealedFormat(StrEnum):
    yaml = "yaml"
    json = "json"


ScopeOption = Annotated[
    Scope | None,
    typer.Option(
        "--scope",
        help="Where the values may be unsealed (default: the Secret's scope annotations, "
        "else strict).",
        show_default=False,
    ),
]
FormatOption = Annotated[
    SealedFormat,
    typer.Option("-o", "--output", help="Output format (kubeseal's -o json is JSON too)."),
]
WriteOption = Annotated[
    Path | None,
    typer.Option("-w", "--output-file", help="Write here instead of stdout.", show_default=False),
]
PrivateKeys = Annotated[
    list[Path],
    typer.Option(
        "--private-key",
        help="Controller private key: PEM, or a YAML/JSON backup of its key Secrets "
        "(repeatable, or comma-separated).",
    ),
]


def one_document(objects: list[dict[str, Any]]) -> dict[str, Any]:
    """The objects as one JSON document: one stays itself, several become a v1 List.

    JSON has no document separator, so several objects printed one after the other are not
    JSON at all. A v1 List, not a bare JSON array: it is what ``kubectl get -o json`` prints
    for several objects, and what the output of seal/unseal is fed to (``kubectl apply -f -``
    and ``kubectl create -f -`` take a List, not an array; ``jq '.items[]'`` walks it). One
    object stays the bare object, as kubeseal prints it.
    """
    if len(objects) == 1:
        return objects[0]
    return {"apiVersion": "v1", "items": objects, "kind": "List",
            "metadata": {"resourceVersion": ""}}  # fmt: skip


def _emit(objects: list[dict[str, Any]], fmt: SealedFormat, write: Path | None) -> None:
    from ..deliver.sealed import sealed_secret_json, sealed_secret_yaml
    from ..store._atomic import write_atomic

    if fmt is SealedFormat.yaml:
        text = "".join(sealed_secret_yaml(obj) for obj in objects)
    else:
        text = sealed_secret_json(one_document(objects))
    if write is None:
        sys.stdout.write(text)
        return
    try:
        write_atomic(write, text.encode(), mode=0o644)
    except OSError as exc:
        raise SealingError(f"-w {write}: {exc.strerror or exc}") from exc


@app.command(
    epilog=(
        "Examples:\n\n"
        "  chartsafe seal -f secret.yaml --cert cert.pem > sealed.yaml\n\n"
        "  chartsafe seal -f secret.yaml --scope namespace-wide -n prod "
        "--controller-name sealed-secrets\n\n"
        "  echo -n hunter2 | chartsafe seal --raw --cert cert.pem -n prod --name db\n\n"
        "  chartsafe seal -f new-key.yaml --cert cert.pem --merge-into sealed.yaml\n\n"
        "Exit codes: 0 sealed, 2 bad input or the certificate could not be had."
    )
)
@with_cluster_access
def seal(
    secret_file: Annotated[
        Path | None,
        typer.Option("-f", "--secret-file", help="v1 Secret(s), YAML or JSON (default: stdin)."),
    ] = None,
    cert: CertOption = None,
    controller_namespace: ControllerNamespace = CONTROLLER_NAMESPACE,
    controller_name: ControllerName = CONTROLLER_NAME,
    access: ClusterAccess = FROM_FLAGS,
    scope: ScopeOption = None,
    namespace: NamespaceOption = None,
    name: Annotated[
        str | None, typer.Option("--name", help="Secret name (overrides metadata.name).")
    ] = None,
    raw: Annotated[
        bool,
        typer.Option("--raw", help="Seal one value (stdin or --from-file); print only it."),
    ] = False,
    from_file: Annotated[
        Path | None,
        typer.Option("--from-file", help="With --raw: the value is this file's bytes."),
    ] = None,
    allow_empty: Annotated[
        bool, typer.Option("--allow-empty-data", help="Seal a Secret that has no values.")
    ] = False,
    output: FormatOption = SealedFormat.yaml,
    write: WriteOption = None,
    merge_into: Annotated[
        Path | None,
        typer.Option(
            "--merge-into",
            help="Seal the Secret's keys into this SealedSecret file, in place, as kubeseal: "
            "added or replaced, sealed for the file's name, namespace and scope (they replace "
            "the Secret's own), in the file's format.",
            show_default=False,
        ),
    ] = None,
) -> int:
    """Seal Secrets into SealedSecrets for the sealed-secrets controller, as kubeseal does.

    Every value is sealed on its own (RSA-OAEP + AES-GCM) for the controller's certificate and
    bound to the scope: strict (name and namespace), namespace-wide, or cluster-wide. The
    Secret's labels, annotations, type and immutable go into spec.template. Output holds no
    plaintext.
    """
    from ..deliver.sealed import check_names, seal_secret
    from ..deliver.sealed_crypto import label_for, seal_value
    from ..deliver.sealed_io import read_manifests, resolve_certificate

    if from_file is not None and not raw:
        raise SealingError("--from-file works only with --raw", hint="add --raw")
    source = cert_source(cert, controller_namespace, controller_name, access)
    if merge_into is not None:
        if raw or write is not None:
            raise SealingError(
                f"--merge-into and {'--raw' if raw else '-w'}: --merge-into rewrites its file",
                hint="drop one of them",
            )
        return _merge(merge_into, secret_file, source, access, scope=scope,
                      namespace=namespace, name=name, allow_empty=allow_empty)  # fmt: skip
    if raw:
        chosen = scope or Scope.strict
        if chosen is not Scope.cluster_wide and not namespace:
            raise SealingError(f"--raw with scope {chosen} needs -n/--namespace")
        if chosen is Scope.strict and not name:
            raise SealingError("--raw with scope strict needs --name")
        # the label binds the value to these names: one the API server refuses opens nowhere
        check_names(namespace or None, name or None, {})
        value = _raw_value(from_file)
        public_key = resolve_certificate(source)
        sealed = seal_value(public_key, value, label_for(chosen, namespace or "", name or ""))
        if write is None:
            sys.stdout.write(sealed)  # no newline, as kubeseal --raw
        else:
            _write_text(write, sealed)
        return 0
    secrets = read_manifests(secret_file, what="--secret-file")
    public_key = resolve_certificate(source)
    # a Secret without a namespace is sealed for the context's, as kubeseal seals it
    context = release_namespace(namespace, access.kubeconfig, access.context)
    sealed_objects = [
        seal_secret(
            secret,
            public_key,
            scope=scope,
            namespace=namespace,
            name=name,
            allow_empty=allow_empty,
            default_namespace=context,
        )
        for secret in secrets
    ]
    _emit(sealed_objects, output, write)
    return 0


def _merge(
    target_file: Path,
    secret_file: Path | None,
    source: Any,
    access: ClusterAccess,
    *,
    scope: Scope | None,
    namespace: str | None,
    name: str | None,
    allow_empty: bool,
) -> int:
    """kubeseal --merge-into: one Secret's keys sealed into the file's SealedSecret."""
    from ..deliver.sealed_io import read_manifests, resolve_certificate
    from ..deliver.sealed_merge import merge_sealed, read_merge_target

    target = read_merge_target(target_file)
    secrets = read_manifests(secret_file, what="--secret-file")
    if len(secrets) != 1:
        raise SealingError(
            f"--merge-into takes one Secret; --secret-file {secret_file or 'stdin'} has "
            f"{len(secrets)}",
            hint="merge them one at a time",
        )
    public_key = resolve_certificate(source)
    result = merge_sealed(
        target, secrets[0], public_key, scope=scope, namespace=namespace, name=name,
        allow_empty=allow_empty,
        default_namespace=release_namespace(namespace, access.kubeconfig, access.context),
    )  # fmt: skip
    target.write(result.sealed)
    if result.note:
        print(f"chartsafe: note: {result.note}", file=sys.stderr)
    done = [f"added {', '.join(result.added)}" if result.added else "",
            f"replaced {', '.join(result.replaced)}" if result.replaced else ""]  # fmt: skip
    print(f"merged into {target_file}: {'; '.join(filter(None, done)) or 'no keys'}",
          file=sys.stderr)  # fmt: skip
    return 0


def _raw_value(from_file: Path | None) -> bytes:
    if from_file is None:
        return sys.stdin.buffer.read()
    path = Path(str(from_file).split("=", 1)[-1])  # kubeseal's [key=]path; the key is ignored
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SealingError(f"--from-file {path}: {exc.strerror or exc}") from exc


def _write_text(path: Path, text: str) -> None:
    from ..store._atomic import write_atomic

    try:
        write_atomic(path, text.encode(), mode=0o644)
    except OSError as exc:
        raise SealingError(f"-w {path}: {exc.strerror or exc}") from exc


@app.command(
    epilog=(
        "Examples:\n\n"
        "  chartsafe unseal sealed.yaml --private-key backup-keys.yaml\n\n"
        "  chartsafe unseal sealed.yaml --private-key tls.key --reveal -o json\n\n"
        "  kubectl get sealedsecret db -o yaml | chartsafe unseal --private-key tls.key\n\n"
        "Exit codes: 0 unsealed, 2 bad input or no key opens a value."
    )
)
def unseal(
    private_key: PrivateKeys,
    file: SealedFile = None,
    secret_file: SealedSecretFile = None,
    namespace: NamespaceOption = None,
    output: FormatOption = SealedFormat.yaml,
    reveal: Annotated[
        bool, typer.Option("--reveal", help="Print the values instead of masking them.")
    ] = False,
) -> int:
    """Recover the Secrets from SealedSecrets offline with the controller's private key.

    Like kubeseal --recovery-unseal: each value must open under the label the controller
    computes from the SealedSecret's own name, namespace and scope, so a renamed or moved
    object fails here as it would in the cluster. Values are masked unless --reveal. Keys
    the controller renders from spec.template.data (Go templates) are not rendered: a note
    on stderr names them.
    """

    from .._output import MASK
    from ..deliver.sealed_io import read_manifests
    from ..deliver.sealed_keys import load_private_keys
    from ..deliver.sealed_open import unrendered_note
    from ..deliver.sealed_open import unseal as unseal_one

    path, what = sealed_input(file, secret_file)
    keys = load_private_keys(private_key)
    namespace = release_namespace(namespace, None, None)  # fills a missing one only
    objects = read_manifests(path, what=what)
    secrets = [unseal_one(obj, keys, namespace=namespace) for obj in objects]
    notes = [unrendered_note(obj, namespace) for obj in objects]
    if not reveal:
        for secret in secrets:
            secret["data"] = dict.fromkeys(secret["data"], MASK)
    if output is SealedFormat.json:
        print_json(one_document(secrets))
    else:
        for secret in secrets:
            print("---")
            print_yaml(secret)
    for note in filter(None, notes):
        print(f"chartsafe: note: {note}", file=sys.stderr)
    return 0


@app.command(
    epilog=(
        "Examples:\n\n"
        "  chartsafe reseal sealed.yaml --from-key old.pem --cert new-cert.pem -w sealed.yaml\n\n"
        "  chartsafe reseal sealed.yaml --from-key backup-keys.yaml --controller-name "
        "sealed-secrets\n\n"
        "Exit codes: 0 resealed, 2 bad input or no old key opens a value."
    )
)
@with_cluster_access
def reseal(
    from_key: Annotated[
        list[Path],
        typer.Option("--from-key", help="Private key(s) that open the values now."),
    ],
    file: SealedFile = None,
    secret_file: SealedSecretFile = None,
    cert: CertOption = None,
    controller_namespace: ControllerNamespace = CONTROLLER_NAMESPACE,
    controller_name: ControllerName = CONTROLLER_NAME,
    access: ClusterAccess = FROM_FLAGS,
    namespace: NamespaceOption = None,
    output: FormatOption = SealedFormat.yaml,
    write: WriteOption = None,
) -> int:
    """Re-encrypt SealedSecrets for a new certificate offline, keeping name, namespace, scope.

    Every value is opened with the old key(s) and sealed again for the new certificate under
    the same label. Nothing is sent anywhere; no value is printed.
    """
    from ..deliver.sealed_io import read_manifests, resolve_certificate
    from ..deliver.sealed_keys import load_private_keys
    from ..deliver.sealed_open import reseal as reseal_one

    path, what = sealed_input(file, secret_file)
    keys = load_private_keys(from_key)
    objects = read_manifests(path, what=what)
    context = release_namespace(namespace, access.kubeconfig, access.context)  # fills a missing one
    public_key = resolve_certificate(
        cert_source(cert, controller_namespace, controller_name, access)
    )
    _emit([reseal_one(obj, keys, public_key, namespace=context) for obj in objects], output, write)
    return 0
