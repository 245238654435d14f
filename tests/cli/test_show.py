"""``chartsafe show all|chart|values|readme|crds``: a chart's files as ``helm show`` prints them.

Helm's show action prints each file as it is on disk, with one newline after it; ``all``
joins Chart.yaml, values, README and CRDs with ``---`` lines. Checked against the files
themselves, for a directory and for the same chart packaged.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from chartsafe._helm_oci import package_chart
from chartsafe.cli import main

REPO = Path(__file__).resolve().parents[2]
AGENTAPI = REPO / "charts" / "agentapi-proxy"
WITH_CRDS = REPO / "tests" / "data" / "crd-files"


@pytest.fixture(scope="module", params=["directory", "archive"])
def chart(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if request.param == "directory":
        return AGENTAPI
    return package_chart(AGENTAPI, tmp_path_factory.mktemp("dist"))


def _show(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["show", *args]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return out


@pytest.mark.parametrize(("part", "file"), [("values", "values.yaml"), ("readme", "README.md")])
def test_a_file_as_it_is_on_disk(
    chart: Path, capsys: pytest.CaptureFixture[str], part: str, file: str
) -> None:
    assert _show(capsys, part, str(chart)) == (AGENTAPI / file).read_text() + "\n"


def test_chart_is_chart_yaml(chart: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shown = yaml.safe_load(_show(capsys, "chart", str(chart)))
    on_disk = yaml.safe_load((AGENTAPI / "Chart.yaml").read_text())
    assert {k: shown[k] for k in ("name", "version", "appVersion")} == {
        k: on_disk[k] for k in ("name", "version", "appVersion")
    }


def test_crds_and_all(capsys: pytest.CaptureFixture[str]) -> None:
    crds = _show(capsys, "crds", str(WITH_CRDS))
    for file in sorted((WITH_CRDS / "crds").iterdir()):
        assert file.read_text().strip() in crds
    everything = _show(capsys, "all", str(WITH_CRDS))
    assert (WITH_CRDS / "values.yaml").read_text().strip() in everything
    assert crds.strip() in everything
    assert everything.count("\n---\n") >= 2


def test_show_reads_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                         capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    _show(capsys, "all", str(AGENTAPI))
    assert os.listdir(tmp_path) == []


# (id, args, words of the one line); exit 2
BAD = [
    ("missing chart", ["values", "{tmp}/nope"], ["{tmp}/nope", "no such file"]),
    ("not a chart", ["chart", str(REPO / "README.md")], ["README.md", "not a chart archive"]),
    ("--version with a local chart", ["values", str(AGENTAPI), "--version", "1.0.0"],
     ["--version 1.0.0", "local chart"]),
    ("--verify with a directory", ["values", str(AGENTAPI), "--verify"],
     ["a chart directory cannot be verified"]),
]  # fmt: skip


@pytest.mark.parametrize(("args", "words"), [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_input_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], words: list[str]
) -> None:
    assert main(["show", *(a.format(tmp=tmp_path) for a in args)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    for word in words:
        assert word.format(tmp=tmp_path) in lines[0]
