"""The delivery backends through the CLI: ``secrets render --as external|aws`` and
``secrets push --to aws`` on Tracecat; no value reaches any output, and the overrides
file renders a release whose contract what was delivered satisfies."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from delivery_helpers import (
    CHART,
    SEED,
    TEMPORAL,
    filled_store,
    schema_errors,
    store_values,
    tracecat,
)

from chartsafe.cli import main


def _argv(tmp: Path, *extra: str) -> list[str]:
    flags = [f for item in [*SEED, *TEMPORAL] for f in ("--set", item)]
    return ["tracecat", str(CHART), "-n", "tracecat", *flags, "--store", str(tmp / "store.yaml"),
            "--age-key-file", str(tmp / "age.txt"), *extra]  # fmt: skip


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    assert main(argv) == 0, capsys.readouterr().err
    captured = capsys.readouterr()
    return captured.out, captured.err


def _no_values(store: Any, *texts: str) -> None:
    joined = "\n".join(texts)
    leaked = [v for v in store_values(store) if v in joined]
    assert not leaked, "a store value was printed"


@pytest.mark.parametrize("provider", ["aws", "gcp", "azure", "vault"])
def test_render_as_external_prints_valid_manifests_and_no_value(
    provider: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract, _ = tracecat()
    store = filled_store(tmp_path / "store.yaml", contract)
    settings = {
        "aws": ["--region", "us-east-1", "--store-setting", "service-account=eso"],
        "gcp": ["--store-setting", "project=acme"],
        "azure": ["--store-setting", "vault-url=https://kv.vault.azure.net"],
        "vault": ["--store-setting", "server=https://vault:8200", "--store-setting",
                  "vault-role=reader"],
    }[provider]  # fmt: skip
    out, err = _run(["secrets", "render", *_argv(tmp_path, "--as", "external", "--store-ref",
                     "sm", "--provider", provider, "--with-store", *settings)], capsys)  # fmt: skip
    objects = [o for o in yaml.safe_load_all(out) if o]
    assert [o["kind"] for o in objects].count("ExternalSecret") == 4
    assert [o["kind"] for o in objects].count("SecretStore") == 1
    assert all(schema_errors(o) == [] for o in objects)
    assert "values overrides" in err
    _no_values(store, out, err)


def test_render_as_external_then_template_with_the_overrides(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract, _ = tracecat()
    store = filled_store(tmp_path / "store.yaml", contract)
    overrides, manifests = tmp_path / "overrides.yaml", tmp_path / "es.yaml"
    files = ["--out", str(manifests), "--values-out", str(overrides)]
    argv = _argv(tmp_path, "--as", "external", "--store-ref", "sm", *files)
    out, err = _run(["secrets", "render", *argv], capsys)
    _no_values(store, out, err, manifests.read_text())
    produced = {
        o["spec"]["target"]["name"]: {d["secretKey"] for d in o["spec"]["data"]}
        for o in yaml.safe_load_all(manifests.read_text())
    }
    names_less = [f for f in [*SEED, *TEMPORAL] if ".existingSecret=" not in f]
    flags = [f for item in names_less for f in ("--set", item)]
    out, _ = _run(["contract", "tracecat", str(CHART), "-n", "tracecat", "-f", str(overrides),
                   *flags, "-o", "json"], capsys)  # fmt: skip
    required = [s for s in json.loads(out)["secrets"] if s["required"]]
    assert {s["name"] for s in required} == set(produced)
    for secret in required:
        assert set(secret["keys"]) <= produced[secret["name"]]


def test_push_to_aws_prints_arns_and_values_but_no_secret(
    aws: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract, _ = tracecat()
    store = filled_store(tmp_path / "store.yaml", contract)
    out, err = _run(["secrets", "push", *_argv(tmp_path, "--to", "aws", "--prefix", "prod/",
                     "--store-ref", "sm", "-o", "json")], capsys)  # fmt: skip
    _no_values(store, out, err)
    result = json.loads(out)
    arns = {s["secret"]: s["arn"] for s in result["secrets"]}
    assert set(arns) == {ref.name for ref in contract.required}
    for secret in result["secrets"]:
        assert secret["action"] == "created"
        assert aws.describe_secret(SecretId=secret["arn"])["Name"] == secret["remoteKey"]
    eso = result["overrides"]["externalSecrets"]
    assert eso["postgres"]["secretArn"] == arns["tracecat-postgres-credentials"]
    assert eso["clusterSecretStoreRef"] == "sm"
    out, err = _run(["secrets", "push", *_argv(tmp_path, "--to", "aws", "--prefix", "prod/")],
                    capsys)  # fmt: skip
    _no_values(store, out, err)
    assert out.count("unchanged ") == 4 and "# values overrides" in out


def test_push_takes_skip_schema_validation(
    aws: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract, _ = tracecat()
    filled_store(tmp_path / "store.yaml", contract)
    argv = ["secrets", "push", *_argv(tmp_path, "--to", "aws", "--set-string", "api.replicas=2")]
    assert main(argv) == 1
    assert "api.replicas: got string, want integer" in capsys.readouterr().err
    _run([*argv, "--skip-schema-validation"], capsys)


def test_render_as_aws_pushes_and_returns_the_overrides(
    aws: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract, _ = tracecat()
    store = filled_store(tmp_path / "store.yaml", contract)
    out, err = _run(["secrets", "render", *_argv(tmp_path, "--as", "aws", "--store-ref", "sm",
                     "-o", "json")], capsys)  # fmt: skip
    _no_values(store, out, err)
    result = json.loads(out)
    # Tracecat's own ExternalSecrets read every pushed secret: nothing more to apply.
    assert result["manifests"] == [] and result["notes"] == []
    assert len(aws.list_secrets()["SecretList"]) == 4
    assert result["overrides"]["externalRedis"]["auth"]["secretArn"].startswith("arn:aws:")
