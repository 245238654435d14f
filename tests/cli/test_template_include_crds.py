"""``template --include-crds`` prints each crds/ file whole, as ``helm template`` does.

Helm writes ``---\\n# Source: <chart path>/crds/<file>\\n<file content>\\n`` for
every CRD file of the chart and then of its subcharts, before the templates:
a file holding several CRDs keeps its comments and separators and gets one
header, not one per document.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chartsafe.cli import main

CHART = Path(__file__).resolve().parents[2] / "tests" / "data" / "crd-files"


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_crd_files_are_printed_whole_chart_first(capsys: pytest.CaptureFixture[str]) -> None:
    files = [
        ("crd-files/crds/shapes.yaml", CHART / "crds" / "shapes.yaml"),
        ("crd-files/charts/sub/crds/triangles.yaml", CHART / "charts/sub/crds/triangles.yaml"),
    ]
    expected = "".join(f"---\n# Source: {src}\n{path.read_text()}\n" for src, path in files)
    code, with_crds, _ = _run(["template", "r", str(CHART), "--include-crds"], capsys)
    assert code == 0
    _, without, _ = _run(["template", "r", str(CHART)], capsys)
    assert with_crds == expected + without
    assert with_crds.count("# Source: crd-files/crds/shapes.yaml") == 1


def test_json_lists_every_crd_document(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["template", "r", str(CHART), "--include-crds", "-o", "json"], capsys)
    assert code == 0
    crds = [e["name"] for e in json.loads(out) if e["kind"] == "CustomResourceDefinition"]
    assert crds == ["squares.example.com", "circles.example.com", "triangles.example.com"]


def test_the_crd_files_validate_the_custom_resources(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(["template", "r", str(CHART), "--set", "size=big"], capsys)
    assert code == 1
    assert "Square/r-square at spec.size" in err and "Circle/r-circle at spec.radius" in err
    assert "not validated" not in err
