"""``chartsafe secrets push --to aws``: the store's values into AWS Secrets Manager.

Prints where each Secret went (remote name, ARN, created/updated/unchanged) and the values
overrides that point the chart at the ARNs; never a value.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .._errors import InputError
from ._cluster_options import Kubeconfig, KubeContext, release_namespace
from ._external_options import Prefix, Region, StoreRef
from ._options import (
    ApiVersions,
    DataFormat,
    EnableDns,
    KubeVersion,
    Namespace,
    ReleaseArgs,
    SkipSchemaValidation,
    release_and_chart,
    render_options,
)
from ._print import DATA_FORMATS, overrides_block, print_data
from ._value_options import FROM_VALUE_FLAGS, ValueFlags, takes_values
from .secrets import AgeKeyFile, StoreFile, secrets_app

#: Where ``--to`` pushes (completion offers them).
PUSH_TARGETS = ("aws",)

#: What -o can be: the pushes and the overrides as one document. No table: the plain output
#: is a line per push and then the overrides' YAML, which has no rows.
PushOutput = Annotated[
    DataFormat | None,
    typer.Option(
        "-o",
        "--output",
        help="yaml or json: the pushes and the overrides as one document (default: a line "
        "per pushed Secret, then the overrides).",
        show_default=False,
    ),
]


@secrets_app.command(
    "push",
    epilog=(
        "Examples:\n\n"
        "  chartsafe secrets push tracecat charts/tracecat -n tracecat -f values.yaml "
        "--store secrets.sops.yaml --to aws --prefix prod/ --region us-east-1 "
        "--store-ref aws-secrets-manager --values-out overrides.yaml\n\n"
        "  chartsafe template tracecat charts/tracecat -f values.yaml -f overrides.yaml\n\n"
        "Exit codes: 0 pushed, 2 bad input or AWS refused (the message names the secret)."
    ),
)
@takes_values
def push(
    args: ReleaseArgs,
    store: StoreFile,
    to: Annotated[str, typer.Option("--to", help="Where to push: aws.", show_default=False)],
    namespace: Namespace = None,
    kube_context: KubeContext = None,
    kubeconfig: Kubeconfig = None,
    values: ValueFlags = FROM_VALUE_FLAGS,
    kube_version: KubeVersion = None,
    api_versions: ApiVersions = None,
    skip_schema_validation: SkipSchemaValidation = False,
    enable_dns: EnableDns = False,
    age_key_file: AgeKeyFile = None,
    prefix: Prefix = None,
    region: Region = None,
    store_ref: StoreRef = None,
    values_out: Annotated[
        Path | None,
        typer.Option("--values-out", help="Write the values overrides (ARNs) here."),
    ] = None,
    output: PushOutput = None,
) -> int:
    """Create or update one AWS secret per required Secret; print ARNs and chart values."""
    namespace = release_namespace(namespace, kubeconfig, kube_context)
    from .._yaml_dump import dump  # a values file Helm (Go) reads: y, 1e3 quoted
    from ..contract import contract_for_chart
    from ..deliver.aws import push_to_aws
    from ..store.secret_store import SecretStore

    if to not in PUSH_TARGETS:
        raise InputError(f"--to {to!r} is not a push target", hint="use --to aws")
    name, chart = release_and_chart(args)
    opened = SecretStore.open(store, key_file=age_key_file)
    contract, rendered = contract_for_chart(
        chart,
        values.input(age_key_file=age_key_file, store=store),
        render_options(name, namespace, kube_version, api_versions, None, True,
                       values_schema=not skip_schema_validation, enable_dns=enable_dns),
    )  # fmt: skip
    result = push_to_aws(
        contract, opened, prefix=prefix or "", region=region, values=rendered.values,
        store_ref=store_ref,
    )  # fmt: skip
    overrides = dump(result.overrides)
    if values_out is not None:
        from ..store._atomic import write_atomic

        try:
            write_atomic(values_out, overrides.encode("utf-8"), mode=0o644)
        except OSError as exc:
            raise InputError(f"--values-out {values_out}: {exc.strerror or exc}") from None
    if output in DATA_FORMATS:
        print_data(result.as_dict(), output)
        return 0
    for pushed in result.pushed:
        remote = pushed.remote
        print(f"{pushed.action:9} {remote.namespace}/{remote.secret} -> {remote.remote_key}  "
              f"{pushed.arn}")  # fmt: skip
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    if values_out is None:
        sys.stdout.write(overrides_block(result.overrides, overrides))
    else:
        print(f"values overrides to {values_out}", file=sys.stderr)
    return 0
