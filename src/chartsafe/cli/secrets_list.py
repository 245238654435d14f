"""``chartsafe secrets list``: names, keys, formats and ages; never a value."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from ._options import Output
from ._print import DATA_FORMATS, print_data, print_table
from .secrets import AgeKeyFile, StoreFile, secrets_app


def _age(stamp: str | None, now: dt.datetime) -> str:
    if not stamp:
        return "-"
    try:
        then = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return "?"
    seconds = max(0, int((now - then).total_seconds()))
    for size, unit in ((86400, "d"), (3600, "h"), (60, "m")):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


@secrets_app.command(
    "list",
    epilog=(
        "Examples:\n\n"
        "  chartsafe secrets list --store secrets.sops.yaml\n\n"
        "  chartsafe secrets list -n tracecat -o json"
    ),
)
def list_(
    store: StoreFile,
    namespace: Annotated[
        str | None, typer.Option("-n", "--namespace", help="Only this namespace.")
    ] = None,
    age_key_file: AgeKeyFile = None,
    output: Output = None,
) -> int:
    """List the store's Secrets and keys with format and age (no values)."""
    from ..store.secret_ops import list_keys

    keys = list_keys(store, namespace=namespace, key_file=age_key_file)
    if output in DATA_FORMATS:
        print_data([info.as_dict() for info in keys], output)
        return 0
    now = dt.datetime.now(dt.UTC)
    rows = [("NAMESPACE", "SECRET", "KEY", "FORMAT", "GENERATOR", "AGE", "ROTATED")]
    for info in keys:
        rotated = f"{_age(info.rotated, now)} ago" if info.rotated else "-"
        rows.append((info.namespace, info.secret, info.key, info.format,
                     info.generator or "-", _age(info.created, now), rotated))  # fmt: skip
    print_table(rows)
    print(f"{len(keys)} key(s) in {store}")
    return 0
