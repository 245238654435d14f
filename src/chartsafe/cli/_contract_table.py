"""The contract as a rich table on stdout."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from ..contract import Contract
from ..contract._text import origin, reader_lines


def print_contract(contract: Contract) -> None:
    console = Console(soft_wrap=False)
    if not contract.secrets:
        console.print(f"Release {contract.release} reads no Secrets.")
        return
    table = Table(
        title=f"Secrets read by release {contract.release} (namespace {contract.namespace})",
        show_lines=True,
    )
    for column in ("Secret", "Key", "Format", "Read by"):
        table.add_column(column, overflow="fold")
    for secret in contract.secrets:
        head = f"[bold]{secret.name}[/bold]\n{origin(secret)}"
        if secret.values_paths:
            head += "\nname from: " + ", ".join(secret.values_paths)
        if not secret.keys:
            whole = "\n".join(r.describe() for r in secret.whole_readers)
            table.add_row(head, "[italic]unknown[/italic]", "", whole)
            continue
        for i, key in enumerate(sorted(secret.keys.values(), key=lambda k: k.name)):
            table.add_row(
                head if i == 0 else "",
                key.name + (" (optional)" if key.optional else ""),
                key.format,
                "\n".join(reader_lines(key)),
            )
    console.print(table)
