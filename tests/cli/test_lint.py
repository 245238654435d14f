"""``chartsafe lint``: Helm's findings and chartsafe's validation, merged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chartsafe import lint_chart
from chartsafe.cli import main

DATA = Path(__file__).resolve().parents[1] / "data"


def test_clean_chart_has_only_helms_info(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", str(DATA / "minimal")]) == 0
    out = capsys.readouterr().out
    assert "[INFO] helm: Chart.yaml: icon is recommended" in out


def test_schema_findings_are_merged_and_fail() -> None:
    result = lint_chart(DATA / "invalid-objects")
    origins = {(f.origin, f.severity) for f in result.findings}
    assert ("schema", "error") in origins and ("helm", "info") in origins
    assert not result.ok


def test_values_schema_violation_is_a_finding() -> None:
    from chartsafe import ValuesInput

    result = lint_chart(DATA / "schema", ValuesInput(set=["port=http"]))
    assert not result.ok
    assert any("port" in f.message for f in result.errors)


def test_not_validated_is_a_warning_or_an_error_with_strict() -> None:
    plain = lint_chart(DATA / "custom-resources")
    assert plain.ok and any("not validated" in f.message for f in plain.findings)
    assert not lint_chart(DATA / "custom-resources", strict=True).ok


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", str(DATA / "invalid-objects"), "-o", "json"]) == 1
    (payload,) = json.loads(capsys.readouterr().out)  # a list, one entry per chart
    assert payload["ok"] is False
    assert {"severity", "origin", "path", "message"} <= set(payload["findings"][0])


@pytest.mark.parametrize(
    ("strict", "origin", "severity"), [(False, "schema", "error"), (True, "helm", "error")]
)
def test_a_bad_object_name_is_reported_once(
    strict: bool, origin: str, severity: str, tmp_path: Path
) -> None:
    """Helm's lint warns about the name and chartsafe's schema check refuses it: one finding
    (with --strict, Helm's warning is an error and chartsafe does not render further)."""
    import shutil

    chart = shutil.copytree(DATA / "minimal", tmp_path / "minimal")
    configmap = chart / "templates" / "configmap.yaml"
    configmap.write_text(
        configmap.read_text().replace(
            'name: {{ include "minimal.fullname" . }}', "name: Bad_Name", 1
        )
    )
    result = lint_chart(chart, strict=strict)
    about = [(f.origin, f.severity) for f in result.findings if "Bad_Name" in f.path + f.message]
    assert about == [(origin, severity)]
