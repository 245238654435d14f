"""``chartsafe secrets get``: print one value, only with ``--reveal``.

Into a pipe or a file the value is written exactly, with nothing added, as ``kubectl get
secret -o jsonpath`` and ``sops -d --extract`` write it: ``abc`` and ``abc\n`` must stay two
values, so that ``get --reveal > f`` then ``set --from-file f`` keeps the value. On a terminal
a newline is always added after it (never only sometimes), so the prompt does not run on and a
value's own final newline still shows as an empty line.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from .._errors import InputError
from ._cluster_options import release_namespace
from .secrets import AgeKeyFile, SecretName, StoreFile, StoreNamespace, secrets_app


@secrets_app.command(
    "get",
    epilog=(
        "Examples:\n\n"
        "  chartsafe secrets get -n tracecat tracecat-secrets serviceKey --reveal\n\n"
        "  chartsafe secrets get -n fl pcs-ed25519-agent-secret PCS_ED25519_PRIV_B64 "
        "--part public --reveal\n\n"
        "Without --reveal nothing is printed and the command fails (exit 2). Into a pipe or "
        "a file the value is written exactly, with no newline added (as kubectl's jsonpath "
        "and sops --extract write it), so '--reveal > f' then 'set --from-file f' keeps it; "
        "on a terminal one newline is always added after it."
    ),
)
def get(
    secret: SecretName,
    key: Annotated[str, typer.Argument(metavar="KEY", help="Key in the Secret.")],
    store: StoreFile,
    namespace: StoreNamespace = None,
    reveal: Annotated[bool, typer.Option("--reveal", help="Print the value.")] = False,
    previous: Annotated[
        bool, typer.Option("--previous", help="The value before the last rotation.")
    ] = False,
    part: Annotated[
        str | None,
        typer.Option("--part", help="A part the generator kept with the key (e.g. public)."),
    ] = None,
    age_key_file: AgeKeyFile = None,
) -> int:
    """Print the value of one key of a Secret in the store (needs --reveal)."""
    namespace = release_namespace(namespace, None, None)
    from ..store.secret_ops import get_value

    if not reveal:
        raise InputError("secrets get prints a secret value only with --reveal")
    value = get_value(store, namespace, secret, key, previous=previous, part=part,
                      key_file=age_key_file)  # fmt: skip
    sys.stdout.write(value + "\n" if sys.stdout.isatty() else value)
    return 0
