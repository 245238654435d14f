"""The contract as a rich table on stdout."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..contract import Contract
from ..contract._text import origin, reader_lines

#: Readers named per cell; the rest are counted (``-o json`` and ``-o markdown`` list all).
_READERS_SHOWN = 8


def _lines(lines: list[str]) -> str:
    """One cell's lines, escaped, the ones past ``_READERS_SHOWN`` counted."""
    shown = [escape(line) for line in lines[:_READERS_SHOWN]]
    if len(lines) > _READERS_SHOWN:
        shown.append(f"and {len(lines) - _READERS_SHOWN} more")
    return "\n".join(shown)


def print_contract(contract: Contract) -> None:
    console = Console(soft_wrap=False)
    if not contract.secrets:
        console.print(f"Release {contract.release} reads no Secrets.")
    else:
        _print_secrets(console, contract)
    if contract.config_maps:
        table = Table(title="ConfigMaps it reads and does not create", show_lines=True)
        table.add_column("ConfigMap", overflow="fold", min_width=16, max_width=34)
        table.add_column("Keys", overflow="fold", min_width=8, max_width=28)
        table.add_column("Read by", overflow="fold", ratio=1)
        for need in contract.config_maps:
            keys = "\n".join(escape(k) for k in need.key_words)
            name = escape(need.name) + (" (optional)" if need.optional else "")
            table.add_row(name, keys, _lines(need.readers))
        console.print(table)


def _print_secrets(console: Console, contract: Contract) -> None:
    table = Table(
        title=f"Secrets read by release {contract.release} (namespace {contract.namespace})",
        show_lines=True,
    )
    table.add_column("Secret", overflow="fold", min_width=16, max_width=34)
    table.add_column("Key", overflow="fold", min_width=8, max_width=28)
    table.add_column("Format", overflow="fold", max_width=18)
    table.add_column("Read by", overflow="fold", ratio=1)
    for secret in contract.secrets:
        head = f"[bold]{escape(secret.name)}[/bold]\n{escape(origin(secret))}"
        if secret.values_paths:
            head += "\nname from:\n" + "\n".join(escape(p) for p in secret.values_paths)
        if not secret.keys:
            whole = _lines(reader_lines(secret.whole_readers, limit=_READERS_SHOWN))
            table.add_row(head, "[italic]unknown[/italic]", "", whole)
            continue
        for i, key in enumerate(sorted(secret.keys.values(), key=lambda k: k.name)):
            table.add_row(
                head if i == 0 else "",
                key.name + (" (optional)" if key.optional else ""),
                key.format,
                _lines(reader_lines(key.readers, limit=_READERS_SHOWN)),
            )
    console.print(table)
