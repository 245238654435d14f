"""``chartsafe template``: Helm's output, JSON, masking, validation exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from chartsafe.cli import main

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data"
ESO_CRDS = REPO.parent / "shared" / "vectors" / "eso-crds"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_yaml_output_with_sources(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["template", "web", str(DATA / "minimal"), "-n", "apps"], capsys)
    assert code == 0
    assert out.startswith("---\n# Source: minimal/templates/configmap.yaml\n")
    docs = [d for d in yaml.safe_load_all(out) if d]
    assert [d["kind"] for d in docs] == ["ConfigMap", "Service", "Deployment"]
    assert docs[0]["metadata"]["name"] == "web-minimal"


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["template", "r", str(DATA / "hooks"), "-o", "json"], capsys)
    assert code == 0
    listing = json.loads(out)
    migrate = next(e for e in listing if e["name"] == "r-migrate")
    assert migrate["hook"]["events"] == ["pre-install", "pre-upgrade"]
    assert migrate["source"] == "hooks/templates/jobs.yaml"
    assert migrate["object"]["spec"]["template"]["spec"]["restartPolicy"] == "Never"


@pytest.mark.parametrize("output", [[], ["-o", "json"]])
def test_secret_values_masked_unless_reveal(
    output: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["template", str(DATA / "minimal"), "--set", "password=pa55-word-xyz", *output]
    code, out, err = run(args, capsys)
    assert code == 0
    assert "pa55-word-xyz" not in out + err
    assert "masked" in err and "password" in out  # the key stays visible
    code, out, _ = run([*args, "--reveal"], capsys)
    assert code == 0 and "pa55-word-xyz" in out


def test_schema_violations_exit_1_and_still_print(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["template", str(DATA / "invalid-objects")], capsys)
    assert code == 1
    assert "kind: Deployment" in out
    assert "invalid: invalid-objects/templates/bad.yaml: Deployment/bad at spec.replicas" in err
    assert "3 validation problems" in err


def test_no_validate(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["template", str(DATA / "invalid-objects"), "--no-validate"], capsys)
    assert code == 0 and "invalid" not in err


def test_not_validated_is_said(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        ["template", str(DATA / "custom-resources"), "--crd-dir", str(ESO_CRDS)], capsys
    )
    assert code == 0
    assert "not validated: custom-resources/templates/eso.yaml: Gadget/nobody-knows-me" in err
    assert "ExternalSecret" not in err


def test_include_crds(capsys: pytest.CaptureFixture[str]) -> None:
    _, without, _ = run(["template", str(DATA / "hooks")], capsys)
    _, with_crds, _ = run(["template", str(DATA / "hooks"), "--include-crds"], capsys)
    assert "CustomResourceDefinition" not in without
    assert with_crds.startswith("---\n# Source: hooks/crds/widgets.yaml\n")


def test_values_file_and_set(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    values = tmp_path / "v.yaml"
    values.write_text("replicas: 3\ngreeting: from-file\n")
    code, out, _ = run(
        ["template", str(DATA / "minimal"), "-f", str(values), "--set", "greeting=from-set"],
        capsys,
    )
    docs = {d["kind"]: d for d in yaml.safe_load_all(out) if d}
    assert code == 0
    assert docs["Deployment"]["spec"]["replicas"] == 3
    assert docs["ConfigMap"]["data"]["greeting"] == "from-set"


@pytest.mark.parametrize("command", [[], ["template"], ["lint"]])
def test_help_has_examples(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run([*command, "--help"], capsys)
    assert code == 0
    assert "Usage" in out and "Examples" in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from chartsafe import __version__

    assert run(["--version"], capsys) == (0, f"chartsafe {__version__}\n", "")


def test_python_dash_m_and_console_script_agree() -> None:
    by_module = subprocess.run(
        [sys.executable, "-m", "chartsafe", "template", str(DATA / "minimal")],
        capture_output=True,
        text=True,
        check=False,
    )
    script = Path(sys.executable).with_name("chartsafe")
    by_script = subprocess.run(
        [str(script), "template", str(DATA / "minimal")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert by_module.returncode == by_script.returncode == 0
    assert by_module.stdout == by_script.stdout != ""


def test_a_failure_is_one_line_without_traceback() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "chartsafe", "template", "/no/chart"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


def test_what_the_api_server_refuses_in_metadata_fails_validation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A label value Helm prints happily but the API server refuses (over 63 characters)."""
    chart = tmp_path / "labels"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: labels\nversion: 0.1.0\n")
    (chart / "templates" / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n"
        '  labels:\n    helm.sh/chart: {{ printf "%s-%s" (repeat 60 "x") .Chart.Version }}\n'
    )
    code, out, err = run(["template", str(chart)], capsys)
    assert code == 1
    assert "kind: ConfigMap" in out
    assert "ConfigMap/cm at metadata.labels.helm.sh/chart: not a valid label" in err
    assert "(66 characters)" in err
    assert run(["template", str(chart), "--no-validate"], capsys)[0] == 0
