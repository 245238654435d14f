"""``chartsafe audit`` on the command line: exit codes, profiles, rule selection,
suppressions, output formats, and that no value ever reaches the output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from audit_helpers import CASES, CHART, CHART_SETS, CORPUS, FILES

from chartsafe.audit import all_rules
from chartsafe.cli import main

PLANTED = [str(p) for p in FILES["planted"]]
BAD = [str(p) for p in FILES["bad"]]
REFERENCES = [str(p) for p in FILES["references"]]


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--files", *PLANTED], 1),
        (["--files", *PLANTED, "--fail-on", "critical"], 0),
        (["--files", *PLANTED, "--disable", "credential-in-values"], 0),
        (["--files", *REFERENCES, "--profile", "production", "--fail-on", "info"], 0),
        (["--files", str(CASES / "values-bad.yaml")], 0),  # its rules are production only
        (["--files", str(CASES / "values-bad.yaml"), "--profile", "production"], 1),
        ([str(CHART), *(f"--set={s}" for s in CHART_SETS["chart-bad"])], 1),
        ([str(CHART), *(f"--set={s}" for s in CHART_SETS["chart-good"])], 0),
    ],
)
def test_exit_codes(args: list[str], code: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["audit", *args], capsys)[0] == code


def _rules_found(args: list[str], capsys: pytest.CaptureFixture[str]) -> set[str]:
    code, out, _ = run(["audit", *args, "-o", "json"], capsys)
    assert code in (0, 1)
    return {f["rule"] for f in json.loads(out)["findings"]}


def test_profiles_and_enable(capsys: pytest.CaptureFixture[str]) -> None:
    dev = _rules_found(["--files", *BAD], capsys)
    production = _rules_found(["--files", *BAD, "--profile", "production"], capsys)
    production_only = {r.id for r in all_rules() if r.profiles == {"production"}}
    assert not dev & production_only
    assert production_only - {"placeholder-credential"} <= production
    assert "hpa-missing" in _rules_found(["--files", *BAD, "--enable", "hpa-missing"], capsys)


def test_list_rules_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["audit", "--list-rules", "-o", "json"], capsys)
    listed = json.loads(out)
    assert code == 0
    assert [r["id"] for r in listed] == [r.id for r in all_rules()]
    assert all(r["why"] and r["fix"] and r["title"] for r in listed)


SUPPRESSED = """\
db:
  password: Vt7qLm2xZp9rKw3d  # chartsafe: ignore credential-in-values test fixture, not deployed
# chartsafe: ignore credential-in-values the whole block is a throwaway CI database
ci:
  user: ci
  nested:
    password: Jx8nB2vQ5mWz
prod:
  password: Rk4hG7tY1uPeQw
unused:
  a: 1  # chartsafe: ignore credential-in-values nothing here
"""


def test_inline_suppressions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    values = tmp_path / "values.yaml"
    values.write_text(SUPPRESSED)
    code, out, _ = run(["audit", "--files", str(values), "-o", "json"], capsys)
    report = json.loads(out)
    assert code == 1
    assert [f["valuesPath"] for f in report["findings"]] == ["prod.password"]
    assert {f["valuesPath"]: f["suppressed"] for f in report["suppressed"]} == {
        "db.password": "test fixture, not deployed",
        "ci.nested.password": "the whole block is a throwaway CI database",
    }
    assert report["notes"] == [f"{values}:11: suppression of credential-in-values matched nothing"]


def test_object_suppression_in_a_manifest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = tmp_path / "bad.yaml"
    text = (CASES / "bad-workload.yaml").read_text()
    manifest.write_text(
        "# chartsafe: ignore privileged object=Deployment/b* lab cluster only\n" + text
    )
    code, out, _ = run(["audit", "--files", str(manifest), "-o", "json"], capsys)
    report = json.loads(out)
    assert code == 1
    assert "privileged" not in {f["rule"] for f in report["findings"]}
    assert [f["object"] for f in report["suppressed"]] == ["Deployment/bad"]


def test_values_glob_scans_the_charts_own_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    chart = tmp_path / "chart"
    shutil.copytree(CHART, chart)
    shutil.copy(CORPUS / "planted" / "values-app.yaml", chart / "values-staging.yaml")
    assert "credential-in-values" not in _rules_found([str(chart)], capsys)
    found = _rules_found([str(chart), "--values-glob", "values-*.yaml"], capsys)
    assert "credential-in-values" in found


def _planted_values() -> list[str]:
    """Every value of 10+ characters in the planted files; env names (``- name: X``) are
    not values, and a finding says which env entry holds the credential."""
    values = []
    for path in FILES["planted"]:
        for line in path.read_text().splitlines():
            key = line.split(":", 1)[0].strip().removeprefix("- ")
            if ":" in line and not line.lstrip().startswith("#") and key != "name":
                value = line.split(":", 1)[1].strip().strip('"')
                if len(value) >= 10 and not value.startswith("|"):
                    values.append(value)
    return values


@pytest.mark.parametrize("output", ["table", "json", "sarif"])
def test_no_value_reaches_the_output(output: str, capsys: pytest.CaptureFixture[str]) -> None:
    secrets = [*_planted_values(), "Qw8rTy3uIo1p", "Jm3vQ8xP1wLz", "Hq4sN8vW2kLz"]
    assert len(secrets) >= 12
    printed = ""
    for args in (
        ["--files", *PLANTED, *BAD],
        [str(CHART), *(f"--set={s}" for s in CHART_SETS["chart-bad"])],
    ):
        code, out, err = run(["audit", *args, "--profile", "production", "-o", output], capsys)
        assert code == 1
        printed += out + err
    leaked = [s for s in secrets if s in printed or s.split("@")[0] in printed]
    assert leaked == []


def test_json_report_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["audit", "--files", *PLANTED, "-o", "json"], capsys)
    report = json.loads(out)
    assert code == 1 and report["failed"] is True and report["failOn"] == "high"
    first = report["findings"][0]
    assert set(first) == {
        "rule", "severity", "message", "file", "line", "valuesPath", "object", "suppressed"
    }  # fmt: skip
    truth = yaml.safe_load((CORPUS / "planted.yaml").read_text())
    assert len(report["findings"]) == sum(len(v) for v in truth.values())


def test_auditing_manifests_imports_no_render_code(tmp_path: Path) -> None:
    """``audit --files`` on manifests is start-up bound: it must not pay for the render
    path (schemas, chart loading) or PyYAML, which only values files need."""
    import subprocess
    import sys

    manifest = tmp_path / "m.yaml"
    manifest.write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n---\n"
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n"
        "    spec:\n      containers:\n        - {name: app, image: 'app:1.0', securityContext: "
        "{privileged: true}}\n"
    )
    code = (
        "import sys, io, contextlib\n"
        "from chartsafe.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    code = main(['audit', '--files', {str(manifest)!r}, '-o', 'json'])\n"
        "print(code, sorted(m for m in ('chartsafe._render', 'chartsafe._schema', 'yaml')"
        " if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1 []"  # findings at or above high: exit 1


@pytest.mark.parametrize("output", ["table", "json", "sarif"])
@pytest.mark.parametrize("more", [[], ["--fail-on", "critical"], ["--disable", "values-schema"]])
def test_values_failing_the_schema_still_give_a_report(
    output: str, more: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Nothing renders, so nothing else is audited: exit 1 (a failed check), and the
    report, which a code-scanning job uploads, says why and where."""
    values = tmp_path / "values.yaml"
    values.write_text("auth:\n  existingSecret: app-auth\nmigrationHook: sometimes\n")
    code, out, err = run(["audit", str(CHART), "-f", str(values), *more, "-o", output], capsys)
    assert code == 1, err
    assert "Traceback" not in err
    if output == "table":
        assert f"{values}:3 migrationHook" in out and out.rstrip().endswith("FAIL")
        assert "was not rendered" in err
        return
    document = json.loads(out)
    if output == "json":
        (finding,) = document["findings"]
        assert (finding["rule"], finding["file"], finding["line"]) == (
            "values-schema", str(values), 3
        )  # fmt: skip
        assert document["failed"] is True
        assert "migrationHook does not match the chart's values.schema.json" in finding["message"]
    else:
        (result,) = document["runs"][0]["results"]
        assert result["ruleId"] == "values-schema" and result["level"] == "error"
        physical = result["locations"][0]["physicalLocation"]
        assert physical["region"] == {"startLine": 3}
