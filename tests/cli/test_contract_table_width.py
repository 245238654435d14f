"""The `chartsafe contract` table fits the terminal: no line wider than it, no column cropped,
each cell wrapped at spaces and a word folded only when it is longer than its column."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.text import Text

from chartsafe.cli import main
from chartsafe.cli._contract_table import _height, _shape, _wrap

REPO = Path(__file__).resolve().parents[2]
CHART = REPO / "charts" / "tracecat"
TRACECAT = ["tc", str(CHART), "-f", str(CHART / "examples" / "values-minikube.yaml")]
CONTRACT = REPO / "tests" / "data" / "contract"
CONFIG_MAPS = REPO / "tests" / "data" / "check" / "configmap-reader"

#: A table's cells: per table, per row (the header first), per column, the cell's lines.
Cells = list[list[list[list[str]]]]


def table(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, width: int, *args: str
) -> str:
    monkeypatch.setenv("COLUMNS", str(width))
    assert main(["contract", *args]) == 0
    return capsys.readouterr().out


def cells(out: str) -> Cells:
    """The cells of each table in ``out``, read back from the box drawing."""
    tables: Cells = []
    for line in out.splitlines():
        if line.startswith("┏"):
            tables.append([[]])  # the header row
        elif line.startswith(("┡", "├")):
            tables[-1].append([])
        elif line.startswith(("┃", "│")):
            parts = line[1:-1].split(line[0])
            row = tables[-1][-1]
            row.extend([] for _ in range(len(parts) - len(row)))
            for column, part in zip(row, parts, strict=True):
                column.append(part[1:-1].rstrip())  # a padding cell each side
    return tables


def squeezed(lines: list[str]) -> str:
    return "".join("".join(lines).split())


@pytest.mark.parametrize(
    "args",
    [TRACECAT, [str(CONTRACT / "refs")], [str(CONTRACT / "shared-many")], ["r", str(CONFIG_MAPS)]],
    ids=["tracecat", "refs", "shared-many", "config-maps"],
)
@pytest.mark.parametrize("width", [40, 60, 80, 120])
def test_the_table_fits_and_loses_nothing(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    width: int,
) -> None:
    wide = cells(table(capsys, monkeypatch, 1000, *args))
    out = table(capsys, monkeypatch, width, *args)
    assert max(map(cell_len, out.splitlines())) <= width
    narrow = cells(out)
    assert [len(t) for t in narrow] == [len(t) for t in wide]  # no row lost, none split
    for wide_table, narrow_table in zip(wide, narrow, strict=True):
        for wide_row, narrow_row in zip(wide_table, narrow_table, strict=True):
            # every column there, its right border too, and each cell's text in full
            assert len(narrow_row) == len(wide_row)
            for wide_cell, narrow_cell in zip(wide_row, narrow_row, strict=True):
                assert squeezed(narrow_cell) == squeezed(wide_cell)
                column = max(map(len, narrow_cell))
                for word in " ".join(wide_cell).split():
                    if len(word) <= column:  # fits its column: on one line, whole
                        assert any(word in line.split() for line in narrow_cell), word


def test_names_and_env_vars_whole_at_60_columns(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The QA repro: `TRACECAT__DB_ENCRYPTION_KEY` was cropped to `TRACECAT__` / `_ENCRYPTIO`."""
    for width in (60, 80, 120):
        out = table(capsys, monkeypatch, width, *TRACECAT)
        assert all(line.endswith(("┓", "┃", "┩", "│", "┤", "┘")) for line in out.splitlines()[1:])
        read_by = [squeezed(row[3]) for row in cells(out)[0]]
        for name in ("TRACECAT__DB_ENCRYPTION_KEY:", "deploy/tc-tracecat-agent-executor,",
                     "TRACECAT__SERVICE_KEY:", "deploy/tc-tracecat-api"):  # fmt: skip
            assert any(name in cell for cell in read_by), (width, name)


def test_wide_enough_nothing_wraps(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = table(capsys, monkeypatch, 400, str(CONTRACT / "shared-many"))
    assert "env QUEUE_PASSWORD: deploy/worker-0, deploy/worker-1, " in out


@pytest.mark.parametrize(
    ("cell", "width", "lines"),
    [
        ("env A: deploy/api, deploy/worker", 40, ["env A: deploy/api, deploy/worker"]),
        ("env A: deploy/api, deploy/worker", 18, ["env A: deploy/api,", "deploy/worker"]),
        # a word longer than the column folds; the ones that fit do not
        ("env TRACECAT__DB_ENCRYPTION_KEY: deploy/api", 12,
         ["env", "TRACECAT__DB", "_ENCRYPTION_", "KEY:", "deploy/api"]),
        ("a\n\nb c", 1, ["a", "", "b", "c"]),
    ],
)  # fmt: skip
def test_wrap_breaks_at_spaces_and_folds_only_long_words(
    cell: str, width: int, lines: list[str]
) -> None:
    assert _wrap(Text(cell), width).plain.split("\n") == lines
    assert _height(_shape(cell), width) == len(lines)


def test_wrap_keeps_styles() -> None:
    wrapped = _wrap(Text.from_markup("[bold]some-secret-name[/bold]\nmust exist"), 8)
    assert wrapped.plain == "some-sec\nret-name\nmust\nexist"
    assert [(s.start, s.end, str(s.style)) for s in wrapped.spans] == [
        (0, 8, "bold"),
        (9, 17, "bold"),
    ]
