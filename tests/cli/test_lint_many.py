"""``chartsafe lint CHART...``: several charts, ``--with-subcharts`` and ``--quiet``, as helm lint.

Each chart is linted with the same values; the exit code is 1 when any has an error. One
chart prints what it always did; several are each headed, then counted. ``-o json`` and
``-o yaml`` are a list with one entry per chart, one chart or several: one shape to read.
"""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from chartsafe._lint import subchart_paths
from chartsafe.cli import main

DATA = Path(__file__).resolve().parents[1] / "data"
MINIMAL = str(DATA / "minimal")
BROKEN = str(DATA / "invalid-objects")
NEEDS_X = (
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
    '  name: {{ .Chart.Name }}-{{ required "x" .Values.x }}\n'
)


def _chart(root: Path, name: str, template: str = NEEDS_X) -> Path:
    (root / name / "templates").mkdir(parents=True)
    (root / name / "Chart.yaml").write_text(f"apiVersion: v2\nname: {name}\nversion: 0.1.0\n")
    (root / name / "templates" / "cm.yaml").write_text(template)
    return root / name


def test_several_charts_each_linted_then_counted(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", MINIMAL, BROKEN]) == 1
    out = capsys.readouterr().out
    assert out.index(f"==> Linting {MINIMAL}") < out.index(f"==> Linting {BROKEN}")
    assert f"{MINIMAL}: 0 errors" in out and f"{BROKEN}: 0 errors" not in out
    assert out.rstrip().endswith("2 chart(s) linted, 1 chart(s) failed")


@pytest.mark.parametrize(("fmt", "load"), [("json", json.loads), ("yaml", yaml.safe_load)])
@pytest.mark.parametrize("charts", [[MINIMAL], [MINIMAL, BROKEN]], ids=["one", "two"])
def test_data_output_is_a_list_of_charts_however_many(
    capsys: pytest.CaptureFixture[str], fmt: str, load: Any, charts: list[str]
) -> None:
    """One chart or several: a list with an entry per chart, so a script reads one shape."""
    assert main(["lint", *charts, "-o", fmt]) == (1 if BROKEN in charts else 0)
    payload = load(capsys.readouterr().out)
    assert isinstance(payload, list)
    assert [(p["chart"], p["ok"]) for p in payload] == [(c, c == MINIMAL) for c in charts]
    assert all(isinstance(p["findings"], list) for p in payload)


def test_the_help_says_the_data_is_a_list(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import typer.rich_utils

    monkeypatch.setattr(typer.rich_utils, "MAX_WIDTH", 1000)
    assert main(["lint", "--help"]) == 0
    (line,) = [x for x in capsys.readouterr().out.splitlines() if "--output" in x]
    assert "a list with one entry per chart, even for one chart" in line


def test_values_from_stdin_reach_every_chart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = _chart(tmp_path, "one"), _chart(tmp_path, "two")
    monkeypatch.setattr("sys.stdin", io.StringIO("x: from-stdin\n"))
    assert main(["lint", str(first), str(second), "-f", "-", "-o", "json"]) == 0
    assert all(p["ok"] for p in json.loads(capsys.readouterr().out))


def test_subcharts_are_found_as_helm_walks_them(tmp_path: Path) -> None:
    parent = _chart(tmp_path, "parent")
    nested = _chart(parent / "charts", "a")
    _chart(nested / "charts", "x")
    (parent / "charts" / "b.tgz").write_bytes(b"")
    (parent / "charts" / "z.tar.gz").write_bytes(b"")
    elsewhere = _chart(tmp_path, "elsewhere")
    (parent / "charts" / "c").symlink_to(elsewhere)  # filepath.Walk does not follow it
    assert subchart_paths(parent) == [
        parent / "charts" / "a",
        parent / "charts" / "a" / "charts" / "x",
        parent / "charts" / "b.tgz",
        parent / "charts" / "z.tar.gz",
    ]
    assert subchart_paths(elsewhere) == []


def test_with_subcharts_lints_them_with_the_same_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parent = _chart(tmp_path, "parent", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: p\n")
    (parent / "Chart.yaml").write_text(
        "apiVersion: v2\nname: parent\nversion: 0.1.0\ndependencies:\n"
        "  - {name: sub, version: 0.1.0}\n  - {name: packed, version: 0.1.0}\n"
    )
    _chart(parent / "charts", "sub")  # each needs x: as sub.x in the parent, x alone
    packaged = _chart(tmp_path, "packed")
    with tarfile.open(parent / "charts" / "packed-0.1.0.tgz", "w:gz") as archive:
        archive.add(packaged, arcname="packed")
    both = "x=a,sub.x=a,packed.x=a"
    assert main(["lint", str(parent), "--set", both]) == 0
    assert "==> Linting" not in capsys.readouterr().out  # without the flag: the parent alone
    assert main(["lint", str(parent), "--with-subcharts", "--set", both, "-o", "json"]) == 0
    linted = [p["chart"] for p in json.loads(capsys.readouterr().out)]
    assert linted == [str(parent), f"{parent}/charts/packed-0.1.0.tgz", f"{parent}/charts/sub"]
    assert main(["lint", str(parent), "--with-subcharts", "--set", "sub.x=a,packed.x=a"]) == 1
    assert capsys.readouterr().out.rstrip().endswith("3 chart(s) linted, 2 chart(s) failed")


def test_quiet_prints_only_warnings_and_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", MINIMAL, "--quiet"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["lint", MINIMAL, BROKEN, "--quiet"]) == 1
    out = capsys.readouterr().out
    assert "[INFO]" not in out and MINIMAL not in out
    assert f"==> Linting {BROKEN}" in out and "[ERROR]" in out
    assert main(["lint", MINIMAL, "--quiet", "-o", "json"]) == 0
    assert [p["findings"] for p in json.loads(capsys.readouterr().out)] == [[]]


def test_a_chart_that_cannot_be_linted_fails_and_the_others_go_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """As helm lint: the chart is counted as failed and the next is linted; the exit code is
    bad input's (2), and the reason is one line on stderr too."""
    missing = str(tmp_path / "nowhere")
    assert main(["lint", missing, MINIMAL]) == 2
    out, err = capsys.readouterr()
    assert out.index(f"==> Linting {missing}") < out.index(f"==> Linting {MINIMAL}")
    assert f"[ERROR] not linted: chart {missing}: no such file" in out
    assert f"{MINIMAL}: 0 errors" in out
    assert out.rstrip().endswith("2 chart(s) linted, 1 chart(s) failed")
    assert len(err.strip().splitlines()) == 1
    assert err.startswith(f"chartsafe: error: chart {missing}")
    assert main(["lint", missing, MINIMAL, "-o", "json"]) == 2
    out, err = capsys.readouterr()
    first, second = json.loads(out)
    assert (first["chart"], first["ok"], second["ok"]) == (missing, False, True)
    assert missing in first["error"] and first["findings"] == []
    assert len(err.strip().splitlines()) == 1  # named on stderr with -o json too
    assert err.startswith(f"chartsafe: error: chart {missing}")


def test_one_chart_that_cannot_be_linted_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = str(tmp_path / "nowhere")
    assert main(["lint", missing]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1 and missing in err


def test_a_packaged_subchart_that_is_no_chart_fails_and_the_others_go_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Helm's loader refuses the top chart too (its subchart does not unpack), as helm lint
    does; the good subchart is still linted."""
    top = _chart(tmp_path, "top", "")
    (top / "charts").mkdir()
    _chart(top / "charts", "good", "")
    with tarfile.open(top / "charts" / "junk.tgz", "w:gz") as tar:
        readme = tmp_path / "README.md"
        readme.write_text("not a chart\n")
        tar.add(readme, arcname="junk/README.md")
    assert main(["lint", str(top), "--with-subcharts"]) == 2
    out, err = capsys.readouterr()
    assert f"[ERROR] not linted: chart {top / 'charts' / 'junk.tgz'} is not a chart" in out
    assert f"[ERROR] not linted: chart {top} is not a chart directory" in out
    assert f"{top / 'charts' / 'good'}: 0 errors" in out
    assert out.rstrip().endswith("3 chart(s) linted, 2 chart(s) failed")
    assert len(err.strip().splitlines()) == 2
