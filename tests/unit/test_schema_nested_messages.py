"""Every values-schema violation is named, also those Helm nests under another.

When a key has several violations and another key fails too, Helm's schema library heads
the key's violations with ``- at '/db': validation failed`` and indents them under it; the
alternatives of an ``anyOf``/``oneOf`` are indented under theirs. Reading only the lines
that start a line dropped them (and counted one violation for two).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chartsafe.cli import main

SCHEMA = {
    "type": "object",
    "properties": {
        "port": {"type": "integer"},
        "db": {
            "type": "object",
            "properties": {"password": {"type": "string", "minLength": 12}},
            "additionalProperties": False,
        },
        "mode": {"anyOf": [{"type": "integer"}, {"type": "boolean"}]},
        "size": {"oneOf": [{"type": "integer"}, {"type": "string", "maxLength": 2}]},
    },
}


@pytest.fixture
def chart(tmp_path: Path) -> Path:
    root = tmp_path / "nested"
    (root / "templates").mkdir(parents=True)
    (root / "Chart.yaml").write_text("apiVersion: v2\nname: nested\nversion: 0.1.0\n")
    (root / "values.schema.json").write_text(json.dumps(SCHEMA))
    return root


CASES = [
    (  # two violations under db, one beside it: three, each with its path
        ["port=abc", "db.password=short1", "db.extra=1"],
        3,
        ["db.password: minLength: got 6, want 12", "db: additional properties 'extra' not "
         "allowed", "port: got string, want integer"],
    ),
    (  # the same two alone are not nested: the same words
        ["db.password=short1", "db.extra=1"],
        2,
        ["db.password: minLength: got 6, want 12", "additional properties 'extra'"],
    ),
    (  # alternatives stay one violation, with what each alternative wanted
        ["mode=s", "port=abc"],
        2,
        ["mode: 'anyOf' failed (got string, want integer; got string, want boolean)"],
    ),
    (
        ["size=long"],
        1,
        ["size: 'oneOf' failed, none matched (got string, want integer; maxLength: got 4, "
         "want 2)"],
    ),
]  # fmt: skip


@pytest.mark.parametrize(("sets", "count", "said"), CASES)
def test_nested_violations_are_each_named(
    chart: Path, capsys: pytest.CaptureFixture[str], sets: list[str], count: int, said: list[str]
) -> None:
    args = ["template", "r", str(chart)]
    for expression in sets:
        args += ["--set", expression]
    assert main(args) == 1
    err = capsys.readouterr().err
    plural = "violation" if count == 1 else "violations"
    assert f"({count} {plural})" in err, err
    for words in said:
        assert words in err, err
    assert "validation failed" not in err
