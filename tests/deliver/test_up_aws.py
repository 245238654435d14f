"""``up --deliver aws --out DIR`` against moto on loopback: the push is the backend's nature,
so the step line and PLAN.md name what was pushed (names and ARNs, never a value), and the
bundle has no empty secrets.yaml for PLAN.md to apply when nothing goes into the cluster."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from delivery_helpers import CHART, SEED, TEMPORAL, filled_store, store_values, tracecat

from chartsafe.cli import main


def test_up_deliver_aws_says_what_it_pushed(
    aws: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract, _ = tracecat()
    store = filled_store(tmp_path / "store.yaml", contract)
    bundle = tmp_path / "bundle"
    sets = [arg for item in [*SEED, *TEMPORAL] for arg in ("--set", item)]
    capsys.readouterr()
    code = main(
        ["up", "tracecat", str(CHART), "-n", "tracecat", *sets, "--store", str(store.path),
         "--age-key-file", str(tmp_path / "age.txt"), "--deliver", "aws", "--out", str(bundle),
         "--skip-check"]
    )  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0, err
    pushed = aws.list_secrets()["SecretList"]
    assert len(pushed) == 4
    last = next(line for line in err.splitlines() if "[6/6]" in line)
    assert "pushed 4 secret(s) to AWS Secrets Manager" in last
    assert "nothing applied:" not in last
    plan = (bundle / "PLAN.md").read_text()
    for secret in pushed:
        assert secret["Name"] in last
        assert f"`{secret['Name']}` (created): `{secret['ARN']}`" in plan
    assert "secrets.yaml" not in plan
    assert not (bundle / "secrets.yaml").exists()
    overrides = str(bundle / "values-overrides.yaml")
    check = ["check", "tracecat", str(CHART), "-n", "tracecat", *sets, "-f", overrides]
    assert main([*check, "--against", str(bundle)]) in (0, 1)  # read, not refused (2)
    text = out + err + plan + capsys.readouterr().err
    assert "no Kubernetes manifests" not in text
    assert not [value for value in store_values(store) if value in text]
