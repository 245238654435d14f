"""``chartsafe secrets rotate``: make values anew, keeping the old ones for rollback."""

from __future__ import annotations

from typing import Annotated

import typer

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
        "chartsafe secrets get ... --previous --reveal."
    ),
)
def rotate(
    secret: SecretName,
    key: Annotated[
        str | None, typer.Argument(metavar="[KEY]", help="One key (default: every key).")
    ] = None,
    store: StoreFile = ...,  # type: ignore[assignment]
    namespace: StoreNamespace = "default",
    generator: Annotated[
        str | None,
        typer.Option("--generator", help="Generator spec to use instead of the recorded one."),
    ] = None,
    age_key_file: AgeKeyFile = None,
    output: Output = None,
) -> int:
    """Generate new values for a Secret's keys; a key pair or certificate rotates whole."""
    from ..store.secret_ops import rotate_keys

    done = rotate_keys(store, namespace, secret, key, generator=generator, key_file=age_key_file)
    if output in DATA_FORMATS:
        print_data([{"namespace": namespace, "secret": s, "key": k} for s, k in done], output)
    else:
        for name, k in done:
            print(f"rotated: {namespace}/{name} {k} (previous value kept)")
    return 0
