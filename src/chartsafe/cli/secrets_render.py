"""``chartsafe secrets render``: the release's required Secrets delivered from the store.

The backend (``--as``) comes from the registry in :mod:`chartsafe.deliver`. Where things go:

- manifests: ``--out FILE`` (written atomically; 0600 when they hold values), else stdout;
  manifests that hold values (``--as secret``) reach stdout only with ``--reveal``;
- values overrides: ``--values-out FILE``, else stdout after the manifests went to a file, else
  stderr, so that stdout stays a clean manifest stream for ``kubectl apply -f -``.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from .._errors import InputError
from ._cluster_flags import FROM_FLAGS, ClusterAccess, with_cluster_access
from ._cluster_options import release_namespace
from ._external_options import (
    CreationPolicy,
    DeletionPolicy,
    Prefix,
    Provider,
    RefreshInterval,
    Region,
    StoreKind,
    StoreRef,
    StoreSetting,
    WithStore,
)
from ._options import (
    ApiVersions,
    EnableDns,
    KubeVersion,
    Namespace,
    ReleaseArgs,
    SkipSchemaValidation,
    backends_help,
    release_and_chart,
    render_options,
)
from ._print import overrides_block, print_json
from ._sealed_options import (
    CONTROLLER_NAME,
    CONTROLLER_NAMESPACE,
    CertOption,
    ControllerName,
    ControllerNamespace,
    cluster_options,
    controller_options,
)
from ._source_options import FROM_SOURCE_FLAGS, SourceFlags, takes_chart
from ._value_options import FROM_VALUE_FLAGS, ValueFlags, takes_values
from .secrets import AgeKeyFile, StoreFile, secrets_app

_BACKEND = "Backend flags"
#: The values the examples render Tracecat with: the chart's own, all it requires set.
_MINIKUBE = "charts/tracecat/examples/values-minikube.yaml"

AsOption = Annotated[
    str,
    typer.Option(
        "--as",
        help=f"Delivery backend. {backends_help()}.",
        show_default=False,
    ),
]


#: What -o can be: the manifests and overrides as YAML (the default), or one JSON document. No
#: table: a manifest stream has no rows, and every backend's output is manifests.
RenderOutput = Annotated[
    str | None,
    typer.Option(
        "-o",
        "--output",
        help="yaml (default: the manifests, then the overrides) or json (one document).",
        show_default=False,
    ),
]
#: What ``-o`` prints (completion offers them).
RENDER_FORMATS = ("yaml", "json")


def _write(path: Path, text: str, *, mode: int, flag: str) -> None:
    from ..store._atomic import write_atomic

    try:
        write_atomic(path, text.encode("utf-8"), mode=mode)
    except FileNotFoundError:
        raise InputError(
            f"{flag} {path}: its folder {path.parent} does not exist",
            hint=f"create it first: mkdir -p {shlex.quote(str(path.parent))}",
        ) from None
    except OSError as exc:
        raise InputError(f"{flag} {path}: {exc.strerror or exc}") from None


def _yaml(documents: list[dict[str, Any]]) -> str:
    """Manifests for kubectl: a key or name such as ``y`` or ``1e3`` quoted, as Go reads YAML."""
    from .._yaml_dump import dump_all

    return dump_all(documents)


def _yaml_one(document: dict[str, Any]) -> str:
    from .._yaml_dump import dump

    return dump(document)


@secrets_app.command(
    "render",
    epilog=(
        "Examples (the store filled by secrets init and secrets set):\n\n"
        f"  chartsafe secrets render tracecat charts/tracecat -n tracecat -f {_MINIKUBE} "
        "--store secrets.sops.yaml --as secret --out secrets.yaml --values-out overrides.yaml"
        "\n\n"
        f"  chartsafe secrets render tracecat charts/tracecat -n tracecat -f {_MINIKUBE} "
        "--store secrets.sops.yaml --as sealed --cert cert.pem --scope strict > sealed.yaml\n\n"
        f"  chartsafe template tracecat charts/tracecat -n tracecat -f {_MINIKUBE} "
        "-f overrides.yaml\n\n"
        "Exit codes: 0 delivered, 2 bad input (a needed key missing from the store, a flag the "
        "backend does not read, values on stdout without --reveal)."
    ),
)
@with_cluster_access
@takes_chart
@takes_values
def render(
    args: ReleaseArgs,
    store: StoreFile,
    backend: AsOption,
    namespace: Namespace = None,
    values: ValueFlags = FROM_VALUE_FLAGS,
    kube_version: KubeVersion = None,
    api_versions: ApiVersions = None,
    skip_schema_validation: SkipSchemaValidation = False,
    enable_dns: EnableDns = False,
    age_key_file: AgeKeyFile = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write the manifests here (atomic; 0600 if they hold values)."),
    ] = None,
    values_out: Annotated[
        Path | None,
        typer.Option("--values-out", help="Write the values overrides (Secret names) here."),
    ] = None,
    reveal: Annotated[
        bool, typer.Option("--reveal", help="Allow manifests holding values on stdout.")
    ] = False,
    cert: CertOption = None,
    controller_namespace: ControllerNamespace = CONTROLLER_NAMESPACE,
    controller_name: ControllerName = CONTROLLER_NAME,
    access: ClusterAccess = FROM_FLAGS,
    scope: Annotated[
        str | None,
        typer.Option(
            "--scope",
            help="sealed: strict (default), namespace-wide or cluster-wide.",
            rich_help_panel=_BACKEND,
        ),
    ] = None,
    store_ref: StoreRef = None,
    store_kind: StoreKind = None,
    provider: Provider = None,
    prefix: Prefix = None,
    region: Region = None,
    refresh_interval: RefreshInterval = None,
    creation_policy: CreationPolicy = None,
    deletion_policy: DeletionPolicy = None,
    with_store: WithStore = False,
    store_setting: StoreSetting = None,
    source: SourceFlags = FROM_SOURCE_FLAGS,
    output: RenderOutput = None,
) -> int:
    """Write the release's required Secrets from the store, and the values naming them."""
    namespace = release_namespace(namespace, access.kubeconfig, access.context)
    from ..contract import contract_for_chart
    from ..deliver import DeliveryRequest, deliver, read_previous
    from ..store.secret_store import SecretStore

    name, chart = release_and_chart(args)
    if output is not None and output not in RENDER_FORMATS:
        raise InputError(f"-o {output}: use yaml or json")
    opened = SecretStore.open(store, key_file=age_key_file)
    with source.open(chart) as path:
        contract, rendered = contract_for_chart(
            path,
            values.input(age_key_file=age_key_file, store=store),
            render_options(name, namespace, kube_version, api_versions, None, True,
                           values_schema=not skip_schema_validation, enable_dns=enable_dns),
        )  # fmt: skip
    options = {"cert": cert, "scope": scope,
               **cluster_options(backend, access),
               **controller_options(controller_namespace, controller_name),
               "store_ref": store_ref, "store_kind": store_kind,
               "provider": provider, "prefix": prefix, "region": region,
               "refresh_interval": refresh_interval, "creation_policy": creation_policy,
               "deletion_policy": deletion_policy, "with_store": with_store,
               "store_setting": tuple(store_setting or ())}  # fmt: skip
    # What an earlier run sealed into the same --out file and is unchanged is kept.
    previous = read_previous(out) if out is not None and backend == "sealed" else []
    request = DeliveryRequest(contract, opened, options, values=rendered.values,
                              previous=previous)  # fmt: skip
    delivery = deliver(backend, request)
    if delivery.holds_values and out is None and not reveal:
        raise InputError(
            f"--as {backend} puts the values in the manifests; not printing them",
            hint="write them with --out FILE (0600), or pass --reveal to print them",
        )
    summary = []
    if out is not None:
        _write(out, _yaml(delivery.manifests), mode=0o600 if delivery.holds_values else 0o644,
               flag="--out")  # fmt: skip
        summary.append(f"wrote {len(delivery.manifests)} manifest(s) to {out}")
    overrides_text = _yaml_one(delivery.overrides)
    if values_out is not None:
        _write(values_out, overrides_text, mode=0o644, flag="--values-out")
        summary.append(f"values overrides to {values_out}")
    if output == "json":
        payload = delivery.as_dict()
        if out is not None:
            payload["manifests"] = str(out)
        print_json(payload)
    else:
        if out is None:
            sys.stdout.write(_yaml(delivery.manifests))
        if values_out is None:
            stream = sys.stdout if out is not None else sys.stderr
            stream.write(overrides_block(delivery.overrides, overrides_text))
    if summary:
        print("; ".join(summary), file=sys.stderr)
    return 0
