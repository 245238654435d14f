"""``chartsafe up`` end to end on Tracecat (values-minikube.yaml plus the demo values).

Client dry run with memory storage (Helm's own install action, no cluster), the deploy bundle
(twice: nothing changes; after a rotation only the readers' digests change), a key only a
person knows stopping the run with its ``secrets set`` line, a placeholder failing the check,
and no value of the store in any output.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import pytest
import yaml
from up_helpers import DATA, MINIKUBE, REDIS, TRACECAT, Keys, store_values

from chartsafe._rollout import DIGEST_ANNOTATION
from chartsafe.cli import main

SEALED_CERT = (
    Path(__file__).resolve().parents[3] / "shared/vectors/sealed/generated/rsa2048.cert.pem"
)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def up_args(store: Path, keys: Keys, *more: str) -> list[str]:
    return [
        "up",
        "tracecat",
        str(TRACECAT),
        "-n",
        "tracecat",
        "-f",
        str(MINIKUBE),
        "-f",
        str(DATA / "demo-values.yaml"),
        "--store",
        str(store),
        "--age",
        keys.recipient,
        "--age-key-file",
        str(keys.key_file),
        "--generator",
        REDIS,
        *more,
    ]


def set_username(capsys: pytest.CaptureFixture[str], store: Path, keys: Keys, value: str) -> None:
    code, _, err = run(
        capsys,
        "secrets",
        "set",
        "-n",
        "tracecat",
        "tracecat-postgres-credentials",
        "username",
        "--from-literal",
        value,
        "--store",
        str(store),
        "--age",
        keys.recipient,
        "--age-key-file",
        str(keys.key_file),
    )
    assert code == 0, err


def assert_no_value(text: str, store: Path, keys: Keys) -> None:
    for where, value in store_values(store, keys.key_file).items():
        encoded = base64.b64encode(value.encode()).decode()
        assert value not in text, f"value of {where} printed"
        assert encoded not in text, f"base64 value of {where} printed"


def test_dry_run_client_end_to_end(
    tmp_path: Path, age_keys: Keys, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "s.sops.yaml"
    set_username(capsys, store, age_keys, "demo-tracecat")
    before = store.read_bytes()
    code, out, err = run(
        capsys, *up_args(store, age_keys, "--dry-run", "client", "--storage", "memory")
    )
    assert code == 0, err
    assert store.read_bytes() == before, "a dry run wrote the store"
    assert f"6 key(s) generated, 1 kept, not saved (dry run): {store} unchanged" in err
    assert "Plan for release tracecat in namespace tracecat (would apply (dry run)" in out
    lines = out.splitlines()
    delivered = [line for line in lines if " deliver " in line]
    assert len(delivered) == 3
    first_resource = next(i for i, line in enumerate(lines) if " resource " in line)
    assert all(lines.index(line) < first_resource for line in delivered)
    assert any(
        "Job/tracecat-temporal-schema" in line and "HOOK post-install" in line for line in lines
    )
    for step in (
        "[1/6] render",
        "[2/6] secrets init",
        "[3/6] deliver",
        "[4/6] check: contract met",
        "[5/6] install",
        "[6/6] rollout",
    ):
        assert step in err
    assert_no_value(out + err, store, age_keys)

    code, out, err = run(
        capsys,
        *up_args(store, age_keys, "--dry-run", "client", "--storage", "memory", "-o", "json"),
    )
    assert code == 0, err
    result = json.loads(out)
    assert result["mode"] == "dry-run"
    assert result["store"] == {  # generated again: the first dry run saved nothing
        "added": result["store"]["added"],
        "kept": ["tracecat/tracecat-postgres-credentials/username"],
        "optionalUnset": [],
        "optionalSecretsUnset": [],
        "written": False,
    }
    assert len(result["store"]["added"]) == 6
    assert store.read_bytes() == before
    assert result["check"]["ok"] is True
    assert result["release_info"]["name"] == "tracecat"
    assert {d["name"] for d in result["digests"]} >= {"tracecat-api", "tracecat-ui"}
    assert_no_value(out + err, store, age_keys)


def test_a_key_no_generator_can_make_stops_with_its_set_line(
    tmp_path: Path, age_keys: Keys, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "s.sops.yaml"
    code, out, err = run(capsys, *up_args(store, age_keys, "--out", str(tmp_path / "b")))
    assert code == 1
    assert (
        f"chartsafe secrets set -n tracecat tracecat-postgres-credentials username --store {store}"
    ) in err
    assert not (tmp_path / "b" / "PLAN.md").exists()
    generated = store_values(store, age_keys.key_file)
    assert len(generated) == 6  # what could be made was kept for the next run
    assert_no_value(out + err, store, age_keys)


def test_missing_keys_are_printed_as_json(
    tmp_path: Path, age_keys: Keys, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "s.sops.yaml"
    code, out, err = run(capsys, *up_args(store, age_keys, "--out", str(tmp_path / "b"), "-o",
                                          "json"))  # fmt: skip
    assert code == 1
    missing = json.loads(out)["missing"]
    assert [(m["namespace"], m["secret"], m["key"]) for m in missing] == [
        ("tracecat", "tracecat-postgres-credentials", "username")
    ]
    assert missing[0]["command"] == (
        f"chartsafe secrets set -n tracecat tracecat-postgres-credentials username --store {store}"
    )
    assert_no_value(out + err, store, age_keys)


def _annotations(bundle: Path) -> dict[str, str]:
    found = {}
    for body in yaml.safe_load_all((bundle / "manifests.yaml").read_text()):
        template = (body.get("spec") or {}).get("template") or {}
        digest = ((template.get("metadata") or {}).get("annotations") or {}).get(DIGEST_ANNOTATION)
        if digest:
            found[f"{body['kind']}/{body['metadata']['name']}"] = digest
    return found


def _snapshot(paths: list[Path]) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in paths}


#: Delivery flags: sealing is random, so a stable sealed bundle keeps last run's ciphertexts.
DELIVERIES = {
    "secret": [],
    "sealed": ["--deliver", "sealed", "--cert", str(SEALED_CERT)],
}


@pytest.mark.parametrize("deliver", sorted(DELIVERIES))
def test_bundle_is_stable_and_rotation_restarts_only_the_readers(
    deliver: str, tmp_path: Path, age_keys: Keys, capsys: pytest.CaptureFixture[str]
) -> None:
    store, bundle = tmp_path / "s.sops.yaml", tmp_path / "bundle"
    set_username(capsys, store, age_keys, "demo-tracecat")
    flags = [*DELIVERIES[deliver], "--out", str(bundle)]
    code, out, err = run(capsys, *up_args(store, age_keys, *flags))
    assert code == 0, err
    names = sorted(p.name for p in bundle.iterdir())
    assert names == [
        "CONTRACT.md",
        "PLAN.md",
        "manifests.yaml",
        "secrets.yaml",
        "values-overrides.yaml",
    ]
    assert (bundle / "secrets.yaml").stat().st_mode & 0o777 == 0o600
    assert "Job/tracecat-temporal-schema" in (bundle / "PLAN.md").read_text()
    assert "tracecat-postgres-credentials" in (bundle / "CONTRACT.md").read_text()
    overrides = yaml.safe_load((bundle / "values-overrides.yaml").read_text())
    assert overrides["secrets"]["existingSecret"] == "tracecat-secrets"
    delivered = list(yaml.safe_load_all((bundle / "secrets.yaml").read_text()))
    assert {d["metadata"]["name"] for d in delivered} == {
        "tracecat-secrets",
        "tracecat-postgres-credentials",
        "tracecat-redis-credentials",
    }
    assert_no_value(out + err, store, age_keys)

    files = [store, *sorted(bundle.iterdir())]
    before = _snapshot(files)
    first = _annotations(bundle)
    assert "Deployment/tracecat-api" in first and "Deployment/tracecat-ui" in first
    code, _, err = run(capsys, *up_args(store, age_keys, *flags))
    assert code == 0, err
    assert _snapshot(files) == before, "a second up with nothing changed rewrote something"

    code, _, err = run(
        capsys,
        "secrets",
        "rotate",
        "-n",
        "tracecat",
        "tracecat-secrets",
        "userAuthSecret",
        "--store",
        str(store),
        "--age-key-file",
        str(age_keys.key_file),
    )
    assert code == 0, err
    delivered_before = (bundle / "secrets.yaml").read_text().splitlines()
    code, _, err = run(capsys, *up_args(store, age_keys, *flags))
    assert code == 0, err
    delivered_after = (bundle / "secrets.yaml").read_text().splitlines()
    changed = {
        new.split(":")[0].strip()
        for old, new in zip(delivered_before, delivered_after, strict=True)
        if old != new
    }
    # only the rotated value (and, sealed, its proof): the others keep their bytes
    assert changed == {"userAuthSecret", "chartsafe.io/sealed-proofs"} - (
        set() if deliver == "sealed" else {"chartsafe.io/sealed-proofs"}
    )
    second = _annotations(bundle)
    assert second.keys() == first.keys()
    assert {ref for ref in first if first[ref] != second[ref]} == {"Deployment/tracecat-api"}


def test_a_placeholder_in_the_store_fails_the_check(
    tmp_path: Path, age_keys: Keys, capsys: pytest.CaptureFixture[str]
) -> None:
    store, bundle = tmp_path / "s.sops.yaml", tmp_path / "bundle"
    set_username(capsys, store, age_keys, "demo-tracecat")
    code, _, err = run(
        capsys,
        "secrets",
        "set",
        "-n",
        "tracecat",
        "tracecat-secrets",
        "userAuthSecret",
        "--from-literal",
        "changeme",
        "--store",
        str(store),
        "--age-key-file",
        str(age_keys.key_file),
    )
    assert code == 0, err
    code, _, err = run(capsys, *up_args(store, age_keys, "--out", str(bundle)))
    assert code == 1
    assert "contract not met" in err
    assert "userAuthSecret: implausible" in err
    # up knows its store: the fix names it, not check's $CHARTSAFE_STORE placeholder
    assert (
        f"fix: chartsafe secrets set -n tracecat tracecat-secrets userAuthSecret --store {store}\n"
    ) in err
    assert not (bundle / "PLAN.md").exists()
    code, _, err = run(capsys, *up_args(store, age_keys, "--out", str(bundle), "--skip-check"))
    assert code == 0, err
    assert "check: skipped" in err


def test_no_cluster_reachable_writes_a_bundle(
    tmp_path: Path,
    age_keys: Keys,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    store = tmp_path / "s.sops.yaml"
    set_username(capsys, store, age_keys, "demo-tracecat")
    assert not Path(os.environ["KUBECONFIG"]).exists()
    code, out, err = run(capsys, *up_args(store, age_keys))
    assert code == 0, err
    assert "no cluster reachable" in err
    assert (tmp_path / "tracecat-bundle" / "PLAN.md").is_file()
    assert "Plan for release tracecat" in out
