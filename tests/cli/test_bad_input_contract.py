"""Bad inputs of `chartsafe contract`: one line naming the file and what is wrong, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from bad_input import one_clear_line

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
    one_clear_line(capsys.readouterr().err, code, words)


# (id, the annotation's entries, words of the one line); written into a copy of bad-entry
ANNOTATIONS = [
    ("valuesPaths a number", "- {valuesPaths: 5}", ["entry 1: 'valuesPaths' must be a list"]),
    ("names holding a mapping", "- {names: [{a: 1}]}", ["entry 1: 'names' must be a list"]),
    ("valuesPath a list", "- {name: made, valuesPath: [a.b]}",
     ["entry 1: 'valuesPath' must be a string"]),
    ("a format that is a list", "- {name: made, keys: {present: {format: [hex:32]}}}",
     ["key present: 'format' must be a format name"]),
    ("optional as text", "- {name: made, keys: {maybe: {optional: 'false'}}}",
     ["key maybe: 'optional' must be true or false"]),
    # a format outside docs/chart-annotations.md's vocabulary: no generator, no check knows it
    ("an unknown format", "- {name: made, keys: {present: {format: 'bogus'}}}",
     ["entry 1: key present: unknown format 'bogus'", "valid formats: hex:N, base64:N"]),
    ("a format's typo", "- {name: made, keys: {present: {format: 'fernett'}}}",
     ["entry 1: key present: unknown format 'fernett'", "valid formats:", "fernet,"]),
    ("a size in letters", "- {name: made, keys: {present: {format: 'hex:abc'}}}",
     ["entry 1: key present: malformed format 'hex:abc'", "write hex or hex:N"]),
    ("a negative size", "- {name: made, keys: {present: {format: 'base64:-5'}}}",
     ["entry 1: key present: malformed format 'base64:-5'", "write base64 or base64:N"]),
    ("a size of zero", "- {name: made, keys: {present: {format: 'hex:0'}}}",
     ["malformed format 'hex:0'", "above 0"]),
    ("a url without its schemes", "- {name: made, keys: {present: {format: 'url:'}}}",
     ["malformed format 'url:'", "url:SCHEME|SCHEME"]),
    ("an argument to a format without one",
     "- {name: made, keys: {present: {format: 'fernet:32'}}}",
     ["malformed format 'fernet:32'", "write fernet, without an argument"]),
    ("the entry is named", "- {name: other}\n- {name: made, keys: {present: {format: 'uuid4'}}}",
     ["entry 2: key present: unknown format 'uuid4'"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("entries", "words"), [a[1:] for a in ANNOTATIONS], ids=[a[0] for a in ANNOTATIONS]
)
def test_an_annotation_of_the_wrong_shape_gets_one_clear_line(
    entries: str, words: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chart = tmp_path / "bad-entry"
    (chart / "templates").mkdir(parents=True)
    source = DATA / "bad-entry"
    (chart / "templates" / "all.yaml").write_text((source / "templates" / "all.yaml").read_text())
    chart_yaml = (source / "Chart.yaml").read_text().split("annotations:")[0]
    indented = "\n".join(f"    {line}" for line in entries.splitlines())
    (chart / "Chart.yaml").write_text(
        f"{chart_yaml}annotations:\n  chartsafe.io/secrets: |\n{indented}\n"
    )
    assert main(["contract", str(chart)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    wanted = ["bad-entry/Chart.yaml: annotation chartsafe.io/secrets", *words]
    assert any(all(w in line for w in wanted) for line in err.splitlines()), err


def test_a_single_string_is_read_as_a_list_of_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chart = tmp_path / "one"
    (chart / "templates").mkdir(parents=True)
    (chart / "templates" / "all.yaml").write_text(
        (DATA / "bad-entry" / "templates" / "all.yaml").read_text()
    )
    (chart / "Chart.yaml").write_text(
        "apiVersion: v2\nname: one\nversion: 0.1.0\nannotations:\n  chartsafe.io/secrets: |\n"
        "    - {names: made, keys: {present: {format: hex:32}}}\n"
    )
    assert main(["contract", str(chart), "-o", "json"]) in (0, 1)
    out = capsys.readouterr().out
    assert '"hex:32"' in out
