"""The contract as a rich table on stdout, laid out to the terminal's width.

Rich's own layout keeps a column's ``min_width`` even where the columns then overrun the
terminal, and the console crops what overruns: the last column lost its border and text.
Here the column widths are chosen to fit (``_fit``), and each cell wraps at spaces, folding
only a word longer than its column, so every name and env var is printed whole.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from rich.cells import cell_len, chop_cells
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from ..contract import Contract
from ..contract._text import origin, qualified, reader_lines

#: Readers named per cell; the rest are counted (``-o json`` and ``-o markdown`` list all).
_READERS_SHOWN = 8


def _lines(lines: list[str]) -> str:
    """One cell's lines, escaped, the ones past ``_READERS_SHOWN`` counted."""
    shown = [escape(line) for line in lines[:_READERS_SHOWN]]
    if len(lines) > _READERS_SHOWN:
        shown.append(f"and {len(lines) - _READERS_SHOWN} more")
    return "\n".join(shown)


#: A column is narrowed below this many cells (or its longest line) only when all are.
_NARROWEST = 10

_WORD = re.compile(r"\S+")


def _cuts(line: str, width: int) -> list[int]:
    """Where a line breaks in a column ``width`` cells wide: before a word that does not fit,
    and inside a word only when the word alone is longer than the column."""
    cuts: list[int] = []
    start = 0
    for word in _WORD.finditer(line):
        if cell_len(line[start : word.end()]) <= width:
            continue
        if word.start() > start:
            start = word.start()
            cuts.append(start)
        while cell_len(line[start : word.end()]) > width:
            start += len(chop_cells(line[start : word.end()], width)[0])
            cuts.append(start)
    return cuts


def _wrap(cell: Text, width: int) -> Text:
    """``cell`` broken into lines of at most ``width`` cells (its styles kept)."""
    lines: list[Text] = []
    for line in cell.split("\n", allow_blank=True):
        for piece in line.divide(_cuts(line.plain, width)):
            piece.rstrip()
            lines.append(piece)
    return Text("\n").join(lines)


def _shape(cell: str) -> list[list[int]]:
    """A cell's lines, each as the widths of its words: all a line count needs."""
    return [[cell_len(word) for word in line.split()] for line in cell.split("\n")]


def _height(shape: list[list[int]], width: int) -> int:
    """The lines a cell of this ``shape`` takes at ``width``, wrapped as ``_cuts`` wraps."""
    lines = 0
    for words in shape:
        lines += 1
        used = 0  # cells taken on the line so far
        for n in words:
            if used and used + 1 + n <= width:
                used += 1 + n
                continue
            lines += used > 0  # the word starts a new line
            folds = (n - 1) // width  # more lines for a word longer than the column
            lines += folds
            used = n - folds * width
    return lines


def _fit(width: int, columns: Sequence[Sequence[str]]) -> list[int]:
    """Content widths for ``columns`` (each its header, then one plain text per row) in a
    table of at most ``width`` terminal cells, borders and padding included.

    Every column as wide as its longest line when they all fit. Otherwise the columns are
    narrowed a cell at a time, each time the one that folds the fewest words (a word folds
    only where it is longer than its column), then adds the fewest lines to the table, then
    the widest; none below ``_NARROWEST`` while another can give. So a column wraps first
    where its cells are shorter than their rows' tallest, and one long values path folds
    before the twenty reader names beside it do.
    """
    natural = [max(cell_len(line) for cell in column for line in cell.split("\n"))
               for column in columns]  # fmt: skip
    room = max(width - (3 * len(columns) + 1), len(columns))  # a border and 2 pads a column
    if sum(natural) <= room:
        return natural
    words = [sorted(cell_len(w) for cell in column for w in cell.split()) for column in columns]
    floors = [min(line, _NARROWEST) for line in natural]
    widths = list(natural)
    shapes = {cell: _shape(cell) for column in columns for cell in column}
    heights: dict[tuple[int, int], list[int]] = {}

    def height(i: int, w: int) -> list[int]:
        """Each row's lines in column ``i`` at width ``w``."""
        if (i, w) not in heights:
            at = {cell: _height(shapes[cell], w) for cell in set(columns[i])}
            heights[i, w] = [at[cell] for cell in columns[i]]
        return heights[i, w]

    def folded(i: int) -> int:
        """The words of column ``i`` that fold once it is a cell narrower."""
        return len(words[i]) - bisect_right(words[i], widths[i] - 1)

    def lines(i: int) -> int:
        """The table's lines once column ``i`` is a cell narrower."""
        others = [height(j, w) for j, w in enumerate(widths) if j != i]
        return sum(map(max, height(i, widths[i] - 1), *others))

    while sum(widths) > room:
        can = [i for i, w in enumerate(widths) if w > floors[i]]
        can = can or [i for i, w in enumerate(widths) if w > 1]
        fewest = min(map(folded, can))
        can = [i for i in can if folded(i) == fewest]
        if len(can) > 1:
            can = [min(can, key=lambda i: (lines(i), -widths[i]))]
        widths[can[0]] -= 1
    return widths


def _print_table(
    console: Console, title: str, headers: Sequence[str], rows: Sequence[Sequence[str]]
) -> None:
    """``rows`` of markup under ``headers``, sized to the console's width."""
    cells = [[Text.from_markup(cell) for cell in row] for row in rows]
    columns = [[header, *(row[i].plain for row in cells)] for i, header in enumerate(headers)]
    widths = _fit(console.width, columns)
    table = Table(title=title, show_lines=True)
    for header, width in zip(headers, widths, strict=True):
        table.add_column(_wrap(Text(header), width), width=width, overflow="fold")
    for row in cells:
        table.add_row(*(_wrap(cell, width) for cell, width in zip(row, widths, strict=True)))
    console.print(table)


def print_contract(contract: Contract) -> None:
    console = Console(soft_wrap=False)
    if not contract.secrets:
        console.print(f"Release {escape(contract.release)} {contract.none_listed()}.")
    else:
        _print_secrets(console, contract)
    if contract.config_maps:
        rows = []
        for need in contract.config_maps:
            keys = "\n".join(escape(k) for k in need.key_words)
            name = escape(qualified(need.name, need.namespace, contract.namespace))
            rows.append([name + (" (optional)" if need.optional else ""), keys,
                         _lines(need.readers)])  # fmt: skip
        title = "ConfigMaps it reads and does not create"
        _print_table(console, title, ["ConfigMap", "Keys", "Read by"], rows)


def _print_secrets(console: Console, contract: Contract) -> None:
    rows: list[list[str]] = []
    for secret in contract.secrets:
        name = qualified(secret.name, secret.namespace, contract.namespace)
        head = f"[bold]{escape(name)}[/bold]\n{escape(origin(secret))}"
        if secret.values_paths:
            head += "\nname from:\n" + "\n".join(escape(p) for p in secret.values_paths)
        if not secret.keys:
            whole = _lines(reader_lines(secret.whole_readers, limit=_READERS_SHOWN))
            rows.append([head, "[italic]unknown[/italic]", "", whole])
            continue
        for i, key in enumerate(sorted(secret.keys.values(), key=lambda k: k.name)):
            rows.append([
                head if i == 0 else "",
                escape(key.name) + (" (optional)" if key.optional else ""),
                escape(key.format),
                _lines(reader_lines(key.readers, limit=_READERS_SHOWN)),
            ])  # fmt: skip
    title = f"Secrets read by release {contract.release} (namespace {contract.namespace})"
    _print_table(console, title, ["Secret", "Key", "Format", "Read by"], rows)
