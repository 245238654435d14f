"""``template --no-validate`` skips values.schema.json too, as ``--skip-schema-validation``.

The oracle is Helm's engine itself: the same chart with its schema files
deleted, rendered through ``helm_python`` directly.
"""

from __future__ import annotations

import json
import shutil
import tarfile
from pathlib import Path
from typing import Any

import helm_python
import pytest

from chartsafe import RenderOptions, ValuesSchemaError, render_chart
from chartsafe.cli import main

DATA = Path(__file__).resolve().parents[2] / "tests" / "data"
CHART = DATA / "schema"
# Violates the parent's schema (port, an unknown key) and the subchart's (sub.size).
BAD = ["--set", "port=high", "--set", "colour=red", "--set", "sub.size=big"]
BAD_VALUES: dict[str, Any] = {"port": "high", "colour": "red", "sub": {"size": "big"}}


def _helm_without_schemas(tmp_path: Path, values: dict[str, Any]) -> list[dict[str, Any]]:
    copy = tmp_path / "schema"
    shutil.copytree(CHART, copy)
    for schema in copy.rglob("values.schema.json"):
        schema.unlink()
    with helm_python.Chart.load(str(copy)) as chart:
        rendered = chart.render(values, name="r", namespace="ns")
    docs = [helm_python.values_from_yaml(text) for text in rendered.values() if text.strip()]
    return sorted((d for d in docs if d), key=json.dumps)


def test_schema_violations_fail_without_the_flag(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["template", "r", str(CHART), "-n", "ns", *BAD])
    err = capsys.readouterr().err
    assert code == 1
    assert "port" in err and "sub.size" in err


def test_no_validate_renders_what_helm_renders_without_the_schemas(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["template", "r", str(CHART), "-n", "ns", *BAD, "--no-validate", "-o", "json"])
    out = capsys.readouterr().out
    assert code == 0
    ours = sorted((entry["object"] for entry in json.loads(out)), key=json.dumps)
    assert ours == _helm_without_schemas(tmp_path, BAD_VALUES)
    assert "sub-big" in [o["metadata"]["name"] for o in ours]  # the invalid value was used


def test_the_library_option_works_on_packaged_charts(tmp_path: Path) -> None:
    archive = tmp_path / "schema.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(CHART, arcname="schema")
    with pytest.raises(ValuesSchemaError):
        render_chart(archive, BAD_VALUES, RenderOptions(validate=False))
    result = render_chart(archive, BAD_VALUES, RenderOptions(validate=False, values_schema=False))
    assert result.objects


def test_the_chart_on_disk_is_untouched() -> None:
    render_chart(CHART, BAD_VALUES, RenderOptions(validate=False, values_schema=False))
    assert (CHART / "values.schema.json").is_file()
    assert (CHART / "charts" / "sub" / "values.schema.json").is_file()
