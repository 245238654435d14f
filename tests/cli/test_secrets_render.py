"""``chartsafe secrets render`` on Tracecat with the seed's flags (issue 6, part 4, for the
``secret`` and ``sealed`` backends): after ``secrets init``, the delivered Secrets satisfy the
contract of the release rendered with ``-f overrides.yaml``, in the seed's formats."""

from __future__ import annotations

import base64
import json
import re
import stat
from pathlib import Path
from typing import Any

import pytest
import yaml
from secrets_flow import REDIS, SEED, TRACECAT, run, tracecat_args, values_of

from chartsafe import RenderOptions, ValuesInput
from chartsafe.contract import contract_for_chart
from chartsafe.deliver.sealed_keys import parse_private_keys
from chartsafe.deliver.sealed_open import unseal
from chartsafe.store import create_identity_file

SEALED = Path(__file__).resolve().parents[3] / "shared" / "vectors" / "sealed" / "generated"
#: The seed's flags without those naming Secrets: the overrides must bring those back.
NOT_NAMING = [flag for flag in SEED if "existingSecret" not in flag]


@pytest.fixture
def filled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
           ) -> tuple[Path, Path]:  # fmt: skip
    """A store filled by ``secrets init`` for Tracecat (user name set by hand), its key file."""
    key_file = tmp_path / "keys.txt"
    recipient = create_identity_file(key_file)
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(key_file))
    monkeypatch.chdir(tmp_path)
    store = tmp_path / "secrets.sops.yaml"
    assert run(capsys, "secrets", "set", "-n", "tracecat", "tracecat-postgres-credentials",
               "username", "--from-literal", "tracecat", "--store", str(store),
               "--age", recipient)[0] == 0  # fmt: skip
    code, _, _ = run(capsys, "secrets", "init", *tracecat_args(store, "--generator", REDIS))
    assert code == 0
    return store, key_file


def _generated(values: dict[tuple[str, str, str], str]) -> list[str]:
    """The values chartsafe made (the hand-set user name is a word found in any name)."""
    return [value for (_, _, key), value in values.items() if key != "username"]


def _secrets_by_name(documents: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(d["metadata"]["namespace"], d["metadata"]["name"]): d for d in documents}


def _check_delivered(secrets: dict[tuple[str, str], dict[str, Any]], overrides: Path,
                     store_values: dict[tuple[str, str, str], str]) -> None:  # fmt: skip
    """The release rendered with ``-f overrides`` needs exactly what ``secrets`` hold."""
    contract, _ = contract_for_chart(
        TRACECAT,
        ValuesInput(files=[overrides], set=NOT_NAMING),
        RenderOptions(release_name="tracecat", namespace="tracecat", validate=False),
    )
    required = {(ref.namespace, ref.name): ref for ref in contract.required}
    assert (
        set(required)
        == set(secrets)
        == {
            ("tracecat", "tracecat-secrets"),
            ("tracecat", "tracecat-postgres-credentials"),
            ("tracecat", "tracecat-redis-credentials"),
        }
    )
    plain: dict[str, dict[str, str]] = {}
    for where, ref in required.items():
        secret = secrets[where]
        assert secret["type"] == "Opaque"
        data = {k: base64.b64decode(v).decode() for k, v in secret["data"].items()}
        assert set(data) == set(ref.keys), where
        for key, value in data.items():
            assert value == store_values[(*where, key)]
        plain[ref.name] = data
    core = plain["tracecat-secrets"]
    assert len(base64.urlsafe_b64decode(core["dbEncryptionKey"])) == 32
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}=", core["dbEncryptionKey"])
    for key in ("serviceKey", "signingSecret", "userAuthSecret"):
        assert re.fullmatch(r"[0-9a-f]{64}", core[key]), key
    assert plain["tracecat-postgres-credentials"]["username"] == "tracecat"
    assert plain["tracecat-redis-credentials"]["url"].startswith("redis://:")


def test_as_secret_satisfies_the_contract_rendered_with_the_overrides(
    filled: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store, key_file = filled
    out, overrides = tmp_path / "s.yaml", tmp_path / "o.yaml"
    code, stdout, err = run(capsys, "secrets", "render", *tracecat_args(store), "--as", "secret",
                            "--out", str(out), "--values-out", str(overrides))  # fmt: skip
    assert code == 0 and stdout == ""
    assert f"wrote 3 manifest(s) to {out}" in err
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert yaml.safe_load(overrides.read_text()) == {
        "secrets": {"existingSecret": "tracecat-secrets"},
        "externalPostgres": {"auth": {"existingSecret": "tracecat-postgres-credentials"}},
        "externalRedis": {"auth": {"existingSecret": "tracecat-redis-credentials"}},
    }
    documents = list(yaml.safe_load_all(out.read_text()))
    assert all(d["apiVersion"] == "v1" and d["kind"] == "Secret" for d in documents)
    _check_delivered(_secrets_by_name(documents), overrides, values_of(store, key_file))


@pytest.mark.parametrize("scope", ["strict", "namespace-wide", "cluster-wide"])
def test_as_sealed_unseals_to_what_as_secret_delivers(
    scope: str, filled: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store, key_file = filled
    overrides = tmp_path / "o.yaml"
    code, stdout, _ = run(capsys, "secrets", "render", *tracecat_args(store), "--as", "sealed",
                          "--cert", str(SEALED / "rsa2048.cert.pem"), "--scope", scope,
                          "--values-out", str(overrides))  # fmt: skip
    assert code == 0
    sealed = list(yaml.safe_load_all(stdout))
    assert {d["apiVersion"] for d in sealed} == {"bitnami.com/v1alpha1"}
    values = values_of(store, key_file)
    for value in _generated(values):  # stdout carries no value, not even base64-encoded
        assert value not in stdout
        assert base64.b64encode(value.encode()).decode() not in stdout
    for document in sealed:
        annotations = document["metadata"].get("annotations", {})
        assert (f"sealedsecrets.bitnami.com/{scope}" in annotations) is (scope != "strict")
    keys = parse_private_keys((SEALED / "rsa2048.key.pem").read_bytes(), source="test key")
    opened = [unseal(document, keys) for document in sealed]
    _check_delivered(_secrets_by_name(opened), overrides, values)


def test_values_reach_stdout_only_with_reveal(
    filled: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    store, _ = filled
    code, stdout, err = run(capsys, "secrets", "render", *tracecat_args(store), "--as", "secret")
    assert code == 2 and stdout == ""
    assert "--reveal" in err and "--out" in err
    code, stdout, err = run(capsys, "secrets", "render", *tracecat_args(store), "--as", "secret",
                            "--reveal")  # fmt: skip
    assert code == 0
    documents = list(yaml.safe_load_all(stdout))
    assert len(documents) == 3  # only manifests on stdout: `| kubectl apply -f -` works
    assert "existingSecret: tracecat-secrets" in err  # the overrides went to stderr
    code, stdout, _ = run(capsys, "secrets", "render", *tracecat_args(store), "--as", "secret",
                          "--reveal", "-o", "json")  # fmt: skip
    payload = json.loads(stdout)
    assert code == 0 and payload["backend"] == "secret" and len(payload["manifests"]) == 3


def test_json_with_out_names_the_file_and_prints_no_value(
    filled: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store, key_file = filled
    out = tmp_path / "s.yaml"
    code, stdout, err = run(capsys, "secrets", "render", *tracecat_args(store), "--as", "secret",
                            "--out", str(out), "-o", "json")  # fmt: skip
    payload = json.loads(stdout)
    assert code == 0 and payload["manifests"] == str(out)
    assert payload["overrides"]["secrets"] == {"existingSecret": "tracecat-secrets"}
    for value in _generated(values_of(store, key_file)):
        assert value not in stdout + err
        assert base64.b64encode(value.encode()).decode() not in stdout + err


def test_as_sealed_into_the_same_file_changes_only_what_changed(
    filled: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Sealing is random: without keeping last run's ciphertexts, every run would rewrite
    every value of a file kept in git. Run twice: the same bytes; set one value: one line."""
    store, _ = filled
    out = tmp_path / "sealed.yaml"
    args = ["secrets", "render", *tracecat_args(store), "--as", "sealed", "--cert",
            str(SEALED / "rsa2048.cert.pem"), "--out", str(out)]  # fmt: skip
    assert run(capsys, *args)[0] == 0
    first = out.read_text()
    assert run(capsys, *args)[0] == 0
    assert out.read_text() == first
    assert run(capsys, "secrets", "set", "-n", "tracecat", "tracecat-secrets", "serviceKey",
               "--from-literal", "ab" * 32, "--store", str(store))[0] == 0  # fmt: skip
    assert run(capsys, *args)[0] == 0
    changed = [
        (old.split(":")[0].strip(), new.split(":")[0].strip())
        for old, new in zip(first.splitlines(), out.read_text().splitlines(), strict=True)
        if old != new
    ]
    # the value's ciphertext, and its proof in the SealedSecret's proofs annotation
    assert changed == [("chartsafe.io/sealed-proofs", "chartsafe.io/sealed-proofs"),
                       ("serviceKey", "serviceKey")]  # fmt: skip


def test_no_values_overrides_is_said_not_printed_as_an_empty_mapping(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A chart that reads its Secret by a fixed name has no values path to point at it."""
    from chart_files import write_chart

    chart = write_chart(tmp_path / "fixed", {"pod.yaml": (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: app}\nspec:\n  containers:\n"
        "    - name: app\n      image: example.com/app:1.0.0\n      env:\n"
        "        - name: TOKEN\n"
        "          valueFrom: {secretKeyRef: {name: app-token, key: token}}\n"
    )})  # fmt: skip
    key_file = tmp_path / "keys.txt"
    recipient = create_identity_file(key_file)
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(key_file))
    store = tmp_path / "s.sops.yaml"
    assert run(capsys, "secrets", "set", "app-token", "token", "--from-literal", "t0ken-value-1",
               "--store", str(store), "--age", recipient)[0] == 0  # fmt: skip
    code, out, err = run(capsys, "secrets", "render", "r", str(chart), "--store", str(store),
                         "--as", "secret", "--out", str(tmp_path / "out.yaml"))  # fmt: skip
    assert code == 0, err
    assert out == (
        "# no values overrides: no values path names these Secrets (the chart reads them by "
        "the names it renders)\n"
    )
