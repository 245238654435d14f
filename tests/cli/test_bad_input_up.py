"""Bad input to ``chartsafe up``: one line naming the flag, file or argument, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from bad_input import one_clear_line

from chartsafe.cli import main

REPO = Path(__file__).resolve().parents[2]
APP = str(REPO / "tests" / "data" / "release" / "app")
STORE = ["--store", "{tmp}/s.sops.yaml"]

# (id, args, words the message must contain)
CASES: list[tuple[str, list[str], list[str]]] = [
    ("unknown backend", ["up", "x", APP, *STORE, "--deliver", "nope"],
     ["--deliver 'nope'", "secret"]),
    ("unknown dry-run mode", ["up", "x", APP, *STORE, "--dry-run", "maybe"],
     ["--dry-run maybe", "client or server"]),
    ("timeout not a duration", ["up", "x", APP, *STORE, "--timeout", "soon"],
     ["--timeout soon", "not a duration"]),
    ("unknown -o", ["up", "x", APP, *STORE, "-o", "xml"], ["'--output': 'xml'", "chartsafe up"]),
    ("generator malformed", ["up", "x", APP, *STORE, "--generator", "oops"],
     ["--generator 'oops'", "KEY=SPEC"]),
    ("chart missing", ["up", "x", "/no/chart", *STORE, "--out", "{tmp}/b"], ["/no/chart"]),
    ("values file missing", ["up", "x", APP, *STORE, "-f", "/no/v.yaml", "--out", "{tmp}/b"],
     ["/no/v.yaml"]),
    ("too many arguments", ["up", "x", APP, "extra", *STORE], ["[NAME] CHART"]),
    ("bad release name", ["up", "Bad_Name", APP, *STORE, "--dry-run", "client",
                          "--storage", "memory"], ["Bad_Name"]),
    ("flag of another backend", ["up", "x", APP, *STORE, "--cert", "c.pem"],
     ["--cert", "not used by --deliver secret"]),
    ("store name too long", ["up", "x", APP, "--store", "s" * 5000],
     ["sss... (5000 characters): File name too long"]),
    ("store is a directory", ["up", "x", APP, "--store", "{tmp}"], ["--store", "is a directory"]),
    ("unknown storage", ["up", "x", APP, *STORE, "--dry-run", "client", "--storage", "sql"],
     ["'--storage'", "'sql' is not one of"]),
    ("--out is a file", ["up", "x", APP, *STORE, "--out", f"{APP}/Chart.yaml"],
     ["--out", "Chart.yaml: not a directory"]),
    ("--out under a file", ["up", "x", APP, *STORE, "--out", f"{APP}/Chart.yaml/sub"],
     ["--out", "Chart.yaml is not a directory"]),
    ("sealed: unknown --scope", ["up", "x", APP, *STORE, "--deliver", "sealed", "--scope",
                                 "bogus", "--cert", "c.pem"], ["--scope 'bogus'", "strict"]),
    ("external: unknown --store-setting", ["up", "x", APP, *STORE, "--deliver", "external",
                                           "--store-ref", "st", "--store-setting", "bogus=1"],
     ["--store-setting 'bogus=1'", "NAME is one of"]),
    ("external: no --store-ref", ["up", "x", APP, *STORE, "--deliver", "external"],
     ["--deliver external needs --store-ref"]),
    ("unknown --server-side", ["up", "x", APP, *STORE, "--server-side=maybe"],
     ["--server-side maybe: unknown mode", "auto"]),
    ("--history-max not a number", ["up", "x", APP, *STORE, "--history-max", "few"],
     ["'--history-max'", "'few'"]),
    ("--labels without =", ["up", "x", APP, *STORE, "--labels", "team"], ["--labels", "team"]),
    ("generator with a literal password", ["up", "x", APP, *STORE, "--generator",
                                           "url=url:redis://:Literal-8080@r:6379"],
     ["--generator url=...", "literally", "url:redis://:{password:32}@r:6379"]),
]  # fmt: skip


@pytest.mark.parametrize(("args", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], words: list[str]
) -> None:
    assert main([a.replace("{tmp}", str(tmp_path)) for a in args]) == 2
    _, err = capsys.readouterr()
    message = err.strip()
    one_clear_line(err, 2, words)
    assert "==>" not in message, "a bad flag must be refused before any step runs"
    assert not (tmp_path / "s.sops.yaml").exists(), "nothing may be written before the error"
    assert "Literal-8080" not in message


def test_no_name_and_a_chart_yaml_not_utf8_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Without NAME the release is named after Chart.yaml's name: a Chart.yaml that is not
    text is bad input too, not a crash."""
    chart = tmp_path / "chart"
    chart.mkdir()
    (chart / "Chart.yaml").write_bytes(b"name: \xff\xfe\n")
    assert main(["up", str(chart), "--store", str(tmp_path / "s.sops.yaml")]) == 2
    message = capsys.readouterr().err.strip()
    assert len(message.splitlines()) == 1
    assert f"{chart}: no release NAME given" in message
