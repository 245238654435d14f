"""``template --no-validate`` renders a chart whose values.schema.json is not even JSON.

Helm's ``--skip-schema-validation`` never reads the file, so a broken one does not stop
the render; without the flag it is still refused. The subchart's (valid) schema is set
aside too: the values below violate it.
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


@pytest.mark.parametrize("build", [_directory, _archive], ids=["directory", "packaged"])
def test_no_validate_renders_past_a_schema_that_is_not_json(
    build: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chart = str(build(tmp_path))  # type: ignore[operator]
    assert main(["template", "r", chart, *SUB_VIOLATION, "--no-validate"]) == 0
    captured = capsys.readouterr()
    assert "name: sub-big" in captured.out
    assert captured.err == ""


def test_without_the_flag_the_broken_schema_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["template", "r", str(_directory(tmp_path))]) != 0
    assert "schema" in capsys.readouterr().err
