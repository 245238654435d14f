"""``chartsafe secrets rotate``: make values anew, keeping the old ones for rollback."""

from __future__ import annotations

from typing import Annotated

import typer

from ._cluster_options import release_namespace
from ._options import Output
from ._print import DATA_FORMATS, print_data
from .secrets import AgeKeyFile, SecretName, StoreFile, StoreNamespace, secrets_app


@secrets_app.command(
    "rotate",
    epilog=(
        "Examples:\n\n"
        "  chartsafe secrets rotate -n tracecat tracecat-secrets serviceKey\n\n"
        "  chartsafe secrets rotate -n tracecat tracecat-secrets      # every key\n\n"
        "The old value stays in the store's 'previous' slot: "
        "chartsafe secrets get ... --previous --reveal. Values made from a rotated one by "
        "their recorded generator (a url embedding it, a tls-cert signed by a rotated CA) "
        "are made anew too, and listed."
    ),
)
def rotate(
    secret: SecretName,
    key: Annotated[
        str | None, typer.Argument(metavar="[KEY]", help="One key (default: every key).")
    ] = None,
    store: StoreFile = ...,  # type: ignore[assignment]
    namespace: StoreNamespace = None,
    generator: Annotated[
        str | None,
        typer.Option("--generator", help="Generator spec to use instead of the recorded one."),
    ] = None,
    age_key_file: AgeKeyFile = None,
    output: Output = None,
) -> int:
    """Generate new values for a Secret's keys; a key pair or certificate rotates whole."""
    namespace = release_namespace(namespace, None, None)
    from ..store.secret_ops import rotate_keys

    done = rotate_keys(store, namespace, secret, key, generator=generator, key_file=age_key_file)
    if output in DATA_FORMATS:
        print_data([item.as_dict() for item in done], output)
    else:
        for item in done:
            why = "made from a rotated value; " if item.dependent else ""
            print(f"rotated: {item.namespace}/{item.secret} {item.key} "
                  f"({why}previous value kept)")  # fmt: skip
    return 0
