"""``template --no-validate`` renders a chart whose values.schema.json is not even JSON.

Helm's ``--skip-schema-validation`` never reads the files, so a broken one (the chart's or a
subchart's, packaged or not) does not stop the render; without the flag it is still refused.
The subchart's (valid) schema is set aside too: the values below violate it.
"""

from __future__ import annotations

import shutil
import tarfile
from pathlib import Path

import pytest

from chartsafe.cli import main

CHART = Path(__file__).resolve().parents[1] / "data" / "schema"
SUB_VIOLATION = ["--set", "sub.size=big"]


def _directory(tmp: Path) -> Path:
    copy = tmp / "schema"
    shutil.copytree(CHART, copy)
    (copy / "values.schema.json").write_text('{"type": "object", ')
    return copy


def _archive(tmp: Path) -> Path:
    archive = tmp / "schema-0.1.0.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(_directory(tmp), arcname="schema")
    return archive


def _broken_subchart(tmp: Path) -> Path:
    copy = tmp / "schema"
    shutil.copytree(CHART, copy)
    (copy / "charts" / "sub" / "values.schema.json").write_text("{broken")
    return copy


def _broken_subchart_packaged_inside(tmp: Path) -> Path:
    chart = _broken_subchart(tmp)
    with tarfile.open(chart / "charts" / "sub-0.1.0.tgz", "w:gz") as tar:
        tar.add(chart / "charts" / "sub", arcname="sub")
    shutil.rmtree(chart / "charts" / "sub")
    return chart


def _broken_subchart_all_packaged(tmp: Path) -> Path:
    chart = _broken_subchart_packaged_inside(tmp)
    archive = tmp / "schema-0.1.0.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(chart, arcname="schema")
    return archive


#: Helm's Save parses every schema: for a subchart's the chart is read again from its source.
BUILDS = [_directory, _archive, _broken_subchart, _broken_subchart_packaged_inside,
          _broken_subchart_all_packaged]  # fmt: skip
IDS = ["directory", "packaged", "subchart", "subchart-tgz", "subchart-all-packaged"]


@pytest.mark.parametrize("build", BUILDS, ids=IDS)
def test_no_validate_renders_past_a_schema_that_is_not_json(
    build: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chart = str(build(tmp_path))  # type: ignore[operator]
    assert main(["template", "r", chart, *SUB_VIOLATION, "--no-validate"]) == 0
    captured = capsys.readouterr()
    assert "name: sub-big" in captured.out
    assert captured.err == ""


@pytest.mark.parametrize("build", BUILDS, ids=IDS)
def test_without_the_flag_the_broken_schema_is_refused(
    build: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["template", "r", str(build(tmp_path))]) == 2  # type: ignore[operator]
    assert "schema" in capsys.readouterr().err
