"""``audit -o sarif`` read back through Microsoft's SARIF 2.1.0 object model (sarif-om).

Every object in our output is built into its sarif-om class: an unknown property, a missing
required one or a nested object we did not map fails the test.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlparse

import attr
import pytest
import sarif_om
from audit_helpers import CHART, DATA, FILES, audited

from chartsafe.audit import to_sarif
from chartsafe.cli import main

#: (class, property) -> the class of the property's value ([cls] for an array of them).
NESTED: dict[tuple[type, str], Any] = {
    (sarif_om.SarifLog, "runs"): [sarif_om.Run],
    (sarif_om.Run, "tool"): sarif_om.Tool,
    (sarif_om.Run, "results"): [sarif_om.Result],
    (sarif_om.Run, "originalUriBaseIds"): {str: sarif_om.ArtifactLocation},
    (sarif_om.Tool, "driver"): sarif_om.ToolComponent,
    (sarif_om.ToolComponent, "rules"): [sarif_om.ReportingDescriptor],
    (sarif_om.ReportingDescriptor, "shortDescription"): sarif_om.MultiformatMessageString,
    (sarif_om.ReportingDescriptor, "fullDescription"): sarif_om.MultiformatMessageString,
    (sarif_om.ReportingDescriptor, "help"): sarif_om.MultiformatMessageString,
    (sarif_om.ReportingDescriptor, "defaultConfiguration"): sarif_om.ReportingConfiguration,
    (sarif_om.Result, "message"): sarif_om.Message,
    (sarif_om.Result, "locations"): [sarif_om.Location],
    (sarif_om.Result, "suppressions"): [sarif_om.Suppression],
    (sarif_om.Location, "physicalLocation"): sarif_om.PhysicalLocation,
    (sarif_om.Location, "logicalLocations"): [sarif_om.LogicalLocation],
    (sarif_om.PhysicalLocation, "artifactLocation"): sarif_om.ArtifactLocation,
    (sarif_om.PhysicalLocation, "region"): sarif_om.Region,
}
FREE_FORM = {"properties"}  # property bags hold anything, by the spec
LEVELS = {"none", "note", "warning", "error"}
ENUMS: dict[tuple[type, str], set[str]] = {
    (sarif_om.Result, "level"): LEVELS,
    (sarif_om.ReportingConfiguration, "level"): LEVELS,
    (sarif_om.Suppression, "kind"): {"inSource", "external"},
    # the spec's list of logical location kinds we may use
    (sarif_om.LogicalLocation, "kind"): {"member", "object", "resource", "property", "value"},
}


def build(cls: type, data: dict[str, Any]) -> Any:
    """``data`` as an instance of the sarif-om class ``cls``, strictly."""
    fields = {f.metadata["schema_property_name"]: f.name for f in attr.fields(cls)}
    fields.setdefault("$schema", "schema_uri")
    kwargs: dict[str, Any] = {}
    for name, value in data.items():
        assert name in fields, f"{cls.__name__} has no property {name!r}"
        if (cls, name) in ENUMS:
            assert value in ENUMS[cls, name], f"{cls.__name__}.{name} = {value!r}"
        target = NESTED.get((cls, name))
        if isinstance(target, list):
            value = [build(target[0], item) for item in value]
        elif isinstance(target, dict):
            value = {key: build(target[str], item) for key, item in value.items()}
        elif target is not None:
            value = build(target, value)
        else:
            nested = isinstance(value, dict) or (
                isinstance(value, list) and any(isinstance(v, dict) for v in value)
            )
            assert not nested or name in FREE_FORM, f"unmapped object {cls.__name__}.{name}"
        kwargs[fields[name]] = value
    return cls(**kwargs)  # a missing required property raises TypeError


@pytest.mark.parametrize("name", ["bad", "planted", "chart-bad", "chart-schema", "references"])
def test_sarif_builds_into_the_object_model(name: str) -> None:
    result = audited(name)
    log = build(sarif_om.SarifLog, json.loads(json.dumps(to_sarif(result))))
    assert log.version == "2.1.0"
    (run,) = log.runs
    rules = run.tool.driver.rules
    assert [r.id for r in rules] == [r.id for r in result.rules]
    assert len(run.results) == len(result.findings)
    for item, finding in zip(run.results, result.findings, strict=True):
        assert rules[item.rule_index].id == item.rule_id == finding.rule
        assert item.message.text == finding.message
        if finding.line and finding.obj is None:
            assert item.locations[0].physical_location.region.start_line == finding.line


def test_suppressed_findings_are_reported_as_suppressed() -> None:
    from audit_helpers import DATA

    from chartsafe import ValuesInput
    from chartsafe.audit import audit_chart

    chart = DATA.parents[2] / "charts" / "tracecat"
    result = audit_chart(chart, ValuesInput(files=[chart / "examples" / "values-aws.yaml"]))
    log = build(sarif_om.SarifLog, to_sarif(result))
    suppressed = [r for r in log.runs[0].results if r.suppressions]
    assert len(suppressed) == len(result.suppressed) > 0
    assert all(r.suppressions[0].justification for r in suppressed)


def test_cli_writes_the_same_sarif(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["audit", "--files", *map(str, FILES["planted"]), "-o", "sarif"])
    printed = json.loads(capsys.readouterr().out)
    assert code == 1
    build(sarif_om.SarifLog, printed)
    assert len(printed["runs"][0]["results"]) == 18


def _resolved(log: Any, location: Any) -> Path:
    """The file a physical location names, resolved as a code-scanning upload does."""
    artifact = location.physical_location.artifact_location
    base = log.runs[0].original_uri_base_ids[artifact.uri_base_id].uri if artifact.uri_base_id \
        else ""  # fmt: skip
    uri = urljoin(base, artifact.uri)
    assert urlparse(uri).scheme == "file", uri
    return Path(unquote(urlparse(uri).path))


@pytest.mark.parametrize("name", ["bad", "planted", "chart-bad", "chart-schema"])
def test_every_location_resolves_to_a_real_file(name: str) -> None:
    result = audited(name)
    log = build(sarif_om.SarifLog, json.loads(json.dumps(to_sarif(result))))
    bases = log.runs[0].original_uri_base_ids
    assert set(bases) == {"%SRCROOT%"} and bases["%SRCROOT%"].uri.endswith("/")
    located = [r for r in log.runs[0].results if r.locations and r.locations[0].physical_location]
    assert located
    for item in located:
        assert _resolved(log, item.locations[0]).is_file(), item.locations[0]


# (-f file or None, --set flags, the finding's rule, the repo-relative URI it must point at)
REPO = DATA.parents[2]
RELATIVE: list[tuple[str | None, list[str], str, str]] = [
    (None, ["auth.password=Qw8rTy3uIo1p", "rolloutChecksum=false"], "no-rollout-on-rotation",
     "tests/data/audit/chart/templates/deployment.yaml"),
    ("tests/data/audit/corpus/planted/values-env.yaml", [], "credential-in-values",
     "tests/data/audit/corpus/planted/values-env.yaml"),
]  # fmt: skip


@pytest.mark.parametrize(("values", "flags", "rule", "uri"), RELATIVE, ids=["template", "values"])
def test_uris_are_relative_to_the_directory_the_audit_ran_from(
    values: str | None, flags: list[str], rule: str, uri: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chartsafe import RenderOptions, ValuesInput
    from chartsafe.audit import audit_chart

    monkeypatch.chdir(REPO)
    given = ValuesInput(files=[Path(values)] if values else [], set=flags)
    result = audit_chart(CHART.relative_to(REPO), given, RenderOptions(validate=False))
    log = to_sarif(result)
    assert log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == REPO.as_uri() + "/"
    found = [r for r in log["runs"][0]["results"] if r["ruleId"] == rule]
    assert found
    for item in found:
        artifact = item["locations"][0]["physicalLocation"]["artifactLocation"]
        assert artifact == {"uri": uri, "uriBaseId": "%SRCROOT%"}


def test_a_file_outside_the_directory_gets_an_absolute_uri(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chartsafe.audit import audit_files

    values = tmp_path / "my values.yaml"
    values.write_text("db:\n  password: Vt7qLm2xZp9rKw3d\n")
    monkeypatch.chdir(REPO)
    log = to_sarif(audit_files([values]))
    (item,) = log["runs"][0]["results"]
    physical = item["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": values.as_uri()}
    assert physical["region"] == {"startLine": 2}
