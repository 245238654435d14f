"""``check --against DIR``: every manifest shape a GitOps directory holds, read as what it will
create (tests/data/check/sources.yaml), and the optional Secret and key that never fail."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from check_helpers import DATA, run

from chartsafe.generate import generate

READER = DATA / "reader"
CASES: list[dict[str, Any]] = yaml.safe_load((DATA / "sources.yaml").read_text())


@pytest.fixture(scope="module")
def ca_b64() -> str:
    return base64.b64encode(generate("tls-ca:cert").encode()).decode()


def _check(capsys: pytest.CaptureFixture[str], folder: Path, *more: str) -> tuple[int, Any]:
    code, out, err = run(capsys, "check", "r", str(READER), "-n", "apps", "--against",
                         str(folder), "-o", "json", *more)  # fmt: skip
    assert code in (0, 1), err
    return code, json.loads(out)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_manifests_on_disk(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], ca_b64: str, case: dict[str, Any]
) -> None:
    for name, text in case["files"].items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.replace("$CA", ca_b64))
    code, report = _check(capsys, tmp_path)
    creds = next(s for s in report["secrets"] if s["name"] == "app-creds")
    assert creds["status"] == case["secret"]
    statuses = {k["key"]: k["status"] for k in creds["keys"] if k["key"] in case["keys"]}
    assert statuses == case["keys"]
    assert (code, report["ok"]) == ((0, True) if case["ok"] else (1, False))
    if "warning" in case:
        assert any(case["warning"] in w for w in report["warnings"])
    else:
        assert report["warnings"] == []


def test_optional_secret_and_key_never_fail(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], ca_b64: str
) -> None:
    (tmp_path / "s.yaml").write_text(CASES[0]["files"]["s.yaml"].replace("$CA", ca_b64))
    code, report = _check(capsys, tmp_path)
    assert code == 0
    by_name = {s["name"]: s for s in report["secrets"]}
    assert by_name["extras"]["status"] == "missing" and by_name["extras"]["ok"] is True
    assert by_name["extras"]["optional"] is True and by_name["extras"]["fix"] == []
    debug = next(k for k in by_name["app-creds"]["keys"] if k["key"] == "debug")
    assert (debug["status"], debug["optional"], debug["ok"]) == ("missing", True, True)
    code, text, _ = run(capsys, "check", "r", str(READER), "-n", "apps", "--against", str(tmp_path))
    assert code == 0
    assert "      debug  MISSING (optional: not needed)  [unknown]" in text
    assert "ok  Secret apps/extras: missing (optional: not needed)" in text


def test_a_file_is_checked_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], ca_b64: str
) -> None:
    good, other = tmp_path / "good.yaml", tmp_path / "other.yaml"
    good.write_text(CASES[0]["files"]["s.yaml"].replace("$CA", ca_b64))
    other.write_text(CASES[-1]["files"]["s.yaml"])  # the same Secret, implausible
    assert _check(capsys, good)[0] == 0
    assert _check(capsys, other)[0] == 1
    assert _check(capsys, tmp_path)[0] == 1  # both: the later file (other.yaml) counts


def test_the_llmtrace_example_secret_has_placeholder_passwords(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """charts/llmtrace/examples/manual-secret.yaml is a template to fill in: check says so."""
    example = DATA.parents[2] / "charts" / "llmtrace" / "examples" / "manual-secret.yaml"
    code, out, err = run(capsys, "check", "llmtrace", str(example.parents[1]), "-n", "llmtrace",
                         "--set", "secrets.create=false",
                         "--set", "secrets.existingSecret=llmtrace-manual",
                         "--set", "redis.auth.enabled=false",
                         "--set", "postgresql.auth.password=pg-Q8v2x",
                         "--set", "clickhouse.auth.password=ch-Q8v2x",
                         "--against", str(example))  # fmt: skip
    assert code == 1, err
    for key in ("LLMTRACE_POSTGRES_URL", "LLMTRACE_REDIS_URL", "LLMTRACE_CLICKHOUSE_URL"):
        assert f"{key}  IMPLAUSIBLE  [url:" in out
    assert "the password in the URL is a placeholder" in out
    assert "LLMTRACE_CLICKHOUSE_DATABASE  ok  [text]" in out
    assert f"--out llmtrace-secrets.yaml  # then replace the Secrets in {example} with it" in out
    assert "CHANGE-ME" not in out + err


CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n"


@pytest.mark.parametrize(
    "files",
    [
        {},  # the empty GitOps directory the Secrets are yet to be rendered into
        {"README.md": "apiVersion: v1\nkind: Secret\n"},  # nothing the walk reads
        {"c.yaml": CONFIGMAP},  # manifests, just no Secret among them
        {"values.yaml": "a: 1\n", "apps/c.yaml": CONFIGMAP},  # one manifest is enough
        {"c.json": '{"apiVersion": "v1", "kind": "List", "items": []}'},
    ],
    ids=["empty", "no YAML", "ConfigMap only", "values beside a manifest", "empty List"],
)
def test_a_directory_without_secrets_is_a_target(
    files: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Everything required is missing there (exit 1); only paths holding no Kubernetes object
    at all are bad input (tests/cli/test_bad_input_check.py)."""
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    code, report = _check(capsys, tmp_path)
    assert code == 1
    assert {s["status"] for s in report["secrets"]} == {"missing"}
    if "c.yaml" in files:
        assert _check(capsys, tmp_path / "c.yaml")[0] == 1  # the file alone, too
