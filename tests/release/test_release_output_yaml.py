"""``-o yaml`` prints what ``-o json`` prints for the commands that read releases (fake API).

The other commands offering both formats are in tests/cli/test_output_formats.py. The
records hold secret values: masked in JSON, they are masked the same way in YAML.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
import yaml
from release_fake_api import APP, DATA

from chartsafe.cli import main

REVISIONS = yaml.safe_load((DATA / "revisions.yaml").read_text())
SECRETS = sorted({v for r in REVISIONS for v in (r["values"]["password"], r["values"]["apiKey"])})
LEAKS = SECRETS + [base64.b64encode(s.encode()).decode() for s in SECRETS]


@pytest.mark.parametrize(
    "args",
    [
        ["status", "shop"],
        ["status", "shop", "--revision", "1"],
        ["history", "shop"],
        ["list", "-A"],
        ["get", "values", "shop"],
        ["get", "values", "shop", "--all", "--revision", "1"],
        ["diff", "upgrade", "shop", str(APP), "--set", "replicas=3"],
    ],
    ids=lambda args: " ".join(a for a in args if "/" not in a),
)
def test_yaml_prints_the_json_data(
    args: list[str], fake_kubeconfig: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outputs = {}
    for fmt in ("json", "yaml"):
        assert main([*args, "--kubeconfig", str(fake_kubeconfig), "-o", fmt]) == 0
        captured = capsys.readouterr()
        for leak in LEAKS:
            assert leak not in captured.out + captured.err
        outputs[fmt] = captured.out
    assert not outputs["yaml"].lstrip().startswith(("{", "[")), outputs["yaml"]
    assert yaml.safe_load(outputs["yaml"]) == json.loads(outputs["json"])
