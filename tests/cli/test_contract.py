"""`chartsafe contract` from the command line: outputs, --strict, --required."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from chartsafe.cli import main

DATA = Path(__file__).resolve().parents[1] / "data" / "contract"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["contract", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_lists_secrets_keys_readers_and_findings(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rel", str(DATA / "refs"), "-n", "ns", "-o", "json")
    assert code == 0
    doc = json.loads(out)
    assert (doc["release"], doc["namespace"], doc["chart"]) == ("rel", "ns", "refs")
    by_name = {s["name"]: s for s in doc["secrets"]}
    db = by_name["app-db"]
    assert db["required"] and db["valuesPaths"] == ["app.dbSecret"]
    reader = db["keys"]["password"]["readers"][0]
    assert (reader["kind"], reader["workload"], reader["container"], reader["env"]) == (
        "Deployment", "rel-web", "migrate", "DB_PASSWORD"
    )  # fmt: skip
    synced = by_name["app-synced"]
    assert not synced["required"] and synced["createdBy"]["kind"] == "ExternalSecret"
    assert synced["createdByOperator"] and not synced["createdByHook"]
    assert by_name["app-extra"]["keysKnown"] is False


def test_yaml_is_the_same_document_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    _, as_json, _ = run(capsys, str(DATA / "refs"), "-o", "json")
    _, as_yaml, _ = run(capsys, str(DATA / "refs"), "-o", "yaml")
    assert yaml.safe_load(as_yaml) == json.loads(as_json)


def test_markdown_is_a_readme_section(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(DATA / "parent"), "-o", "markdown")
    assert code == 0
    assert out.startswith("## Secrets contract\n")
    assert "### `store-auth`" in out
    assert "Name set by `store.auth.existingSecret`." in out
    assert "| `STORE_ROOT_TOKEN` | hex:16 |" in out


def test_table_names_every_secret(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "160")
    code, out, _ = run(capsys, str(DATA / "switch"))
    assert code == 0
    assert "release-name-switch" in out and "SWITCH_TOKEN" in out


@pytest.mark.parametrize(
    ("chart", "strict", "code", "rule"),
    [
        ("hooks", True, 1, "hook-order"),
        ("hooks", False, 0, "hook-order"),
        ("missing-key", True, 1, "missing-key"),
        ("similar", True, 1, "similar-names"),
        ("refs", True, 0, None),
    ],
)
def test_hazards_go_to_stderr_and_fail_only_with_strict(
    capsys: pytest.CaptureFixture[str], chart: str, strict: bool, code: int, rule: str | None
) -> None:
    args = [str(DATA / chart), "-o", "json", *(["--strict"] if strict else [])]
    got, out, err = run(capsys, *args)
    assert got == code
    findings = json.loads(out)["findings"]
    if rule is None:
        assert findings == [] and "hazard" not in err
    else:
        assert {f["rule"] for f in findings} == {rule}
        assert f"hazard [{rule}]" in err


def test_required_keeps_only_secrets_that_must_exist(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, str(DATA / "refs"), "--required", "-o", "json")
    secrets = json.loads(out)["secrets"]
    assert secrets and all(s["required"] for s in secrets)
    assert "app-synced" not in {s["name"] for s in secrets}


def test_contract_never_prints_a_value(capsys: pytest.CaptureFixture[str]) -> None:
    """The chart creates a Secret from a value; the contract shows its keys, never the value."""
    secret = "hunter2-token-value"
    for output in ("table", "json", "yaml", "markdown"):
        code, out, err = run(
            capsys, str(DATA / "switch"), "--set", f"secrets.token={secret}", "-o", output
        )
        assert code == 0
        assert secret not in out and secret not in err


def test_encrypted_values_file_opens_with_age_key_file_and_prints_no_value(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`-f` a SOPS file: its values set the Secret names; the decrypted token never shows."""
    from chartsafe.store import create_identity_file, encrypt_file

    key = tmp_path / "age.txt"
    recipient = create_identity_file(key)
    secret = "hunter2-from-an-encrypted-file"
    values = tmp_path / "values.enc.yaml"
    data = {"secrets": {"create": False, "existingSecret": "from-sops", "token": secret}}
    encrypt_file(values, data, recipients=recipient)
    assert secret not in values.read_text()

    code, out, err = run(
        capsys, str(DATA / "switch"), "-f", str(values), "--age-key-file", str(key), "-o", "json"
    )
    assert code == 0, err
    (only,) = json.loads(out)["secrets"]
    assert only["name"] == "from-sops" and only["valuesPaths"] == ["secrets.existingSecret"]
    assert secret not in out and secret not in err


def test_table_counts_the_readers_past_eight_and_json_lists_all(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Secret every workload reads: a cell of 20 names is read by nobody (and slow to lay out)."""
    monkeypatch.setenv("COLUMNS", "400")
    code, out, _ = run(capsys, str(DATA / "shared-many"))
    assert code == 0
    assert "env QUEUE_PASSWORD: deploy/worker-0, " in out and "and 12 more" in out
    assert "deploy/worker-8" not in out
    whole = out.split("shared-env")[1]  # read whole: one line, as a key's readers are
    assert out.count("envFrom") == 1 and "envFrom: deploy/worker-0, " in whole
    assert "deploy/worker-7 and 12 more" in whole
    _, as_json, _ = run(capsys, str(DATA / "shared-many"), "-o", "json")
    by_name = {s["name"]: s for s in json.loads(as_json)["secrets"]}
    assert len(by_name["queue"]["keys"]["password"]["readers"]) == 20
    assert len(by_name["shared-env"]["wholeSecretReaders"]) == 20
