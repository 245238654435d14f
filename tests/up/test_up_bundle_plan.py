"""``up --out``: PLAN.md's commands and notes, and no half bundle after a failed run.

The plan's ``helm`` line names the release namespace (the delivered Secrets are there),
``--deliver external`` says what the provider must hold first, and a run that fails after
delivering (here the check) leaves no bundle directory behind.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_up_cli import run, set_username, up_args
from up_helpers import Keys


@pytest.mark.parametrize(
    ("more", "wanted"),
    [
        ([], ["    kubectl apply -f secrets.yaml\n    helm upgrade --install tracecat CHART "
              "-n tracecat -f <your values> -f values-overrides.yaml"]),
        (["--create-namespace"], ["    kubectl create namespace tracecat\n    kubectl apply -f "
                                  "secrets.yaml\n    helm upgrade --install tracecat CHART -n "
                                  "tracecat --create-namespace -f"]),
    ],
    ids=["namespace", "create-namespace"],
)  # fmt: skip
def test_plan_helm_line_names_the_namespace(
    more: list[str],
    wanted: list[str],
    tmp_path: Path,
    age_keys: Keys,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store, bundle = tmp_path / "s.sops.yaml", tmp_path / "bundle"
    set_username(capsys, store, age_keys, "demo-tracecat")
    code, _, err = run(capsys, *up_args(store, age_keys, "--out", str(bundle), *more))
    assert code == 0, err
    plan = (bundle / "PLAN.md").read_text()
    for text in wanted:
        assert text in plan


@pytest.mark.parametrize(
    ("provider", "wanted"),
    [
        ("aws", ["AWS Secrets Manager must hold the values", "chartsafe secrets push tracecat ",
                 " -n tracecat -f <your values> --store ", " --to aws --prefix prod/"]),
        ("vault", ["vault must hold these 3 remote secret(s)",
                   "`prod/tracecat/tracecat-redis-credentials`: fields `url`",
                   "`prod/tracecat/tracecat-secrets`: fields "]),
    ],
)  # fmt: skip
def test_deliver_external_says_what_the_provider_must_hold_first(
    provider: str,
    wanted: list[str],
    tmp_path: Path,
    age_keys: Keys,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store, bundle = tmp_path / "s.sops.yaml", tmp_path / "bundle"
    set_username(capsys, store, age_keys, "demo-tracecat")
    flags = ["--deliver", "external", "--store-ref", "remote", "--provider", provider]
    code, _, err = run(
        capsys, *up_args(store, age_keys, "--out", str(bundle), *flags, "--prefix", "prod/")
    )
    assert code == 0, err
    plan = (bundle / "PLAN.md").read_text()
    for text in wanted:
        assert text in plan
    assert ("push first" if provider == "aws" else "must hold 3 remote secret(s) first") in err


def test_a_failed_run_leaves_no_bundle(
    tmp_path: Path, age_keys: Keys, capsys: pytest.CaptureFixture[str]
) -> None:
    store, bundle = tmp_path / "s.sops.yaml", tmp_path / "bundle"
    set_username(capsys, store, age_keys, "demo-tracecat")
    code, _, err = run(
        capsys,
        "secrets", "set", "-n", "tracecat", "tracecat-secrets", "userAuthSecret",
        "--from-literal", "changeme", "--store", str(store),
        "--age-key-file", str(age_keys.key_file),
    )  # fmt: skip
    assert code == 0, err
    code, _, err = run(capsys, *up_args(store, age_keys, "--out", str(bundle)))
    assert code == 1, err
    assert "contract not met" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["age-key.txt", "s.sops.yaml"]


def test_a_bundle_leaves_config_maps_it_cannot_see_unverified(
    tmp_path: Path, age_keys: Keys, capsys: pytest.CaptureFixture[str]
) -> None:
    # No cluster to list them in: the ConfigMaps the release reads are the cluster's, named
    # in the report, and neither passed as found nor failed as missing.
    reader = Path(__file__).resolve().parents[1] / "data" / "check" / "configmap-reader"
    code, out, err = run(capsys, "up", "r", str(reader), "-n", "apps",
                         *age_keys.store_flags(tmp_path / "s.sops.yaml"), "--out",
                         str(tmp_path / "bundle"), "-o", "json")  # fmt: skip
    assert code == 0, err
    (app,) = [c for c in json.loads(out)["check"]["configMaps"] if c["name"] == "app-config"]
    assert app["status"] == "unverified" and "where the bundle is applied" in app["note"]


def test_up_stops_on_a_hook_that_reads_the_releases_config_map_too_early(
    tmp_path: Path, age_keys: Keys, capsys: pytest.CaptureFixture[str]
) -> None:
    reader = Path(__file__).resolve().parents[1] / "data" / "check" / "configmap-reader"
    code, _, err = run(capsys, "up", "r", str(reader), "-n", "apps", "--set", "hookJob=true",
                       *age_keys.store_flags(tmp_path / "s.sops.yaml"), "--out",
                       str(tmp_path / "bundle"))  # fmt: skip
    assert code == 1
    assert (
        "  ConfigMap apps/r-own: pre-install hook Job/r-migrate (weight 5) reads it, and it is "
        "created only after the hook has run"
    ) in err.splitlines()
    assert not (tmp_path / "bundle").exists()  # no half bundle after a failed check


def test_up_writes_no_bundle_of_an_invalid_render(
    tmp_path: Path, age_keys: Keys, capsys: pytest.CaptureFixture[str]
) -> None:
    reader = Path(__file__).resolve().parents[1] / "data" / "check" / "configmap-reader"
    code, _, err = run(capsys, "up", "r", str(reader), "-n", "apps",
                       "--set-json", "existingConfigMap=5",
                       *age_keys.store_flags(tmp_path / "s.sops.yaml"), "--out",
                       str(tmp_path / "bundle"))  # fmt: skip
    assert code == 1
    assert "2 validation problems in the rendered objects; no bundle written" in err
    assert "configMapKeyRef.name: must be of type string" in err
    assert not (tmp_path / "bundle").exists()
