"""The bad-input table for ``chartsafe audit``: one line naming what is wrong, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from bad_input import one_clear_line

from chartsafe.cli import main

DATA = Path(__file__).resolve().parents[1] / "data"
AUDIT = DATA / "audit"
CHART = str(AUDIT / "chart")
PLANTED = str(AUDIT / "corpus" / "planted" / "values-app.yaml")


def _values(tmp: Path, text: str) -> str:
    path = tmp / "values.yaml"
    path.write_text(text)
    return str(path)


def _directory(tmp: Path, *names: str) -> str:
    folder = tmp / "holds-none"
    folder.mkdir()
    for name in names:
        (folder / name).write_text("a: 1\n")
    return str(folder)


# (id, args builder, exit code, words the message must contain)
CASES: list[tuple[str, object, int, list[str]]] = [
    ("no chart and no --files", ["audit"], 2, ["audit needs a CHART"]),
    ("chart path missing", ["audit", "/no/such/chart"], 2, ["/no/such/chart"]),
    ("unknown profile", ["audit", CHART, "--profile", "staging"], 2,
     ["--profile staging", "unknown profile"]),
    ("unknown --fail-on", ["audit", CHART, "--fail-on", "severe"], 2,
     ["--fail-on: unknown severity 'severe'"]),
    ("unknown --disable rule", ["audit", CHART, "--disable", "no-such-rule"], 2,
     ["--disable no-such-rule", "no such audit rule"]),
    ("unknown --enable rule", ["audit", CHART, "--enable", "nope"], 2, ["--enable nope"]),
    ("--files with a missing file", ["audit", "--files", "/no/values.yaml"], 2,
     ["/no/values.yaml", "no such file"]),
    ("--files with a chart directory", ["audit", "--files", CHART], 2,
     [f"{CHART}: is a chart", f"chartsafe audit {CHART} renders"]),
    ("--files with a directory of no YAML file",
     lambda tmp: ["audit", "--files", _directory(tmp, "notes.txt", "config.json", ".hidden.yaml")],
     2, ["holds-none: no .yaml or .yml file in it"]),
    ("--files with - twice", ["audit", "--files", "-", "-"], 2,
     ["--files -: stdin is named twice"]),
    ("--files with nothing", ["audit", "--files"], 2, ["--files needs at least one file"]),
    ("values file missing", ["audit", CHART, "-f", "/no/v.yaml"], 2, ["/no/v.yaml"]),
    ("values file with a URL scheme helm does not read values from (password masked)",
     ["audit", CHART, "-f", "oci://user:pw-x9@127.0.0.1:9/v"], 2,
     ["values file oci://user:***@127.0.0.1:9/v", "not from oci://"]),
    ("--values-glob on a packaged chart", ["audit", PLANTED, "--values-glob", "values*.yaml"], 2,
     ["--values-glob needs a chart directory"]),
    ("--values-glob absolute", ["audit", CHART, "--values-glob", "/etc/*.yaml"], 2,
     ["--values-glob '/etc/*.yaml'", "not a pattern inside the chart directory"]),
    ("--values-glob out of the chart", ["audit", CHART, "--values-glob", "../*.yaml"], 2,
     ["--values-glob '../*.yaml'", "not a pattern inside the chart directory"]),
    ("--values-glob empty", ["audit", CHART, "--values-glob", ""], 2,
     ["--values-glob ''", "not a pattern inside"]),
    ("--values-glob with a partial **", ["audit", CHART, "--values-glob", "a/**b"], 2,
     ["--values-glob 'a/**b'", "'**' can only be an entire path component"]),
    ("--files nested too deeply",
     lambda tmp: ["audit", "--files", _values(tmp, "a: " + "[" * 3000 + "]" * 3000 + "\n")], 2,
     ["values.yaml", "nested too deeply"]),
    ("suppression without a reason",
     lambda tmp: ["audit", "--files", _values(tmp, "a: 1  # chartsafe: ignore privileged\n")], 2,
     ["values.yaml:1", "suppression of privileged gives no reason"]),
    ("suppression of an unknown rule",
     lambda tmp: ["audit", "--files", _values(tmp, "# chartsafe: ignore nope because\na: 1\n")], 2,
     ["values.yaml:1", "nope", "no such audit rule"]),
    ("suppression on no key",
     lambda tmp: ["audit", "--files", _values(tmp, "a: 1\n# chartsafe: ignore privileged why\n")],
     2, ["values.yaml:2", "is on no key"]),
    ("suppression naming no rule",
     lambda tmp: ["audit", "--files", _values(tmp, "a: 1 # chartsafe: ignore\n")], 2,
     ["values.yaml:1", "names no rule"]),
    ("broken YAML with --files",
     lambda tmp: ["audit", "--files", _values(tmp, "a: [1\nb: 2\n")], 2,
     ["values.yaml", "YAML syntax error"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [(args, code, words) for _, args, code, words in CASES],
    ids=[case[0] for case in CASES],
)
def test_bad_input_gets_one_clear_line(
    args: object,
    code: int,
    words: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = args(tmp_path) if callable(args) else args
    assert main(list(argv)) == code  # type: ignore[arg-type]
    err = capsys.readouterr().err
    one_clear_line(err, code, words)
