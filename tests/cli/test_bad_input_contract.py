"""Bad inputs of `chartsafe contract`: one line naming the file and what is wrong, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from chartsafe.cli import main

DATA = Path(__file__).resolve().parents[1] / "data" / "contract"

CASES: list[tuple[str, list[str], int, list[str]]] = [
    ("annotation is not YAML", ["contract", str(DATA / "bad-annotation")], 2,
     ["bad-annotation/Chart.yaml", "chartsafe.io/secrets", "not valid YAML"]),
    ("annotation entry names no Secret", ["contract", str(DATA / "bad-entry")], 2,
     ["bad-entry/Chart.yaml", "entry 1 needs a name or a valuesPath"]),
    ("unknown output format", ["contract", str(DATA / "refs"), "-o", "sarif"], 2,
     ["'sarif' is not one of"]),
    ("chart missing", ["contract", "/no/such/chart"], 2, ["/no/such/chart", "no such"]),
    ("three positional arguments", ["contract", "a", "b", "c"], 2, ["[NAME] CHART"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "code", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_gets_one_clear_line(
    args: list[str], code: int, words: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == code
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert any(all(w in line for w in words) for line in err.splitlines()), err
