"""The sealing commands end to end: no value printed without --reveal, verify's verdicts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from sealed_helpers import DATA, GENERATED

from chartsafe.cli import main

CERT2048 = str(GENERATED / "rsa2048.cert.pem")
CERT4096 = str(GENERATED / "rsa4096.cert.pem")
KEY2048 = str(GENERATED / "rsa2048.key.pem")
KEY4096 = str(GENERATED / "rsa4096.key.pem")
FULL = str(DATA / "secret-full.yaml")
VALUES = ("hunter2-sealed", "s3cr3t-string-data", "string-data-wins")


def _run(args: list[str], capsys: pytest.CaptureFixture[str], code: int = 0) -> tuple[str, str]:
    assert main(args) == code
    captured = capsys.readouterr()
    return captured.out, captured.err


def _sealed_file(tmp_path: Path, *extra: str) -> Path:
    target = tmp_path / "sealed.yaml"
    assert main(["seal", "-f", FULL, "--cert", CERT2048, "-w", str(target), *extra]) == 0
    return target


def test_seal_unseal_reseal_print_no_value_without_reveal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sealed = _sealed_file(tmp_path)
    outputs = [sealed.read_text()]
    outputs += _run(["seal", "-f", FULL, "--cert", CERT2048, "-o", "json"], capsys)
    outputs += _run(["unseal", str(sealed), "--private-key", KEY2048], capsys)
    outputs += _run(["unseal", str(sealed), "--private-key", KEY2048, "-o", "json"], capsys)
    resealed = tmp_path / "resealed.yaml"
    outputs += _run(["reseal", str(sealed), "--from-key", KEY2048, "--cert", CERT4096,
                     "-w", str(resealed)], capsys)  # fmt: skip
    outputs.append(resealed.read_text())
    outputs += _run(["sealed", "verify", str(resealed), "--private-key", KEY4096], capsys)
    outputs += _run(["sealed", "verify", str(sealed), "-n", "x", "--private-key", KEY2048,
                     "-o", "json"], capsys, code=1)  # fmt: skip
    for text in outputs:
        for value in VALUES:
            assert value not in text
    out, _ = _run(["unseal", str(resealed), "--private-key", KEY4096, "--reveal"], capsys)
    secret = yaml.safe_load(out)
    assert secret["data"]["userAuthSecret"] == "czNjcjN0LXN0cmluZy1kYXRh"


@pytest.mark.parametrize(
    "given", [["{f}"], ["-f", "{f}"], ["--secret-file", "{f}"], [], ["-"]],
    ids=["FILE", "-f", "--secret-file", "stdin", "- (stdin)"],
)  # fmt: skip
def test_unseal_reseal_and_verify_read_their_input_as_file_as_kubeseal_f_or_from_stdin(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    given: list[str],
) -> None:
    """kubeseal --recovery-unseal, --re-encrypt and --validate read -f or stdin; FILE is
    chartsafe's."""
    import io

    sealed = _sealed_file(tmp_path)
    args = [a.format(f=sealed) for a in given]
    outs = []
    for command in (["unseal", "--private-key", KEY2048, "--reveal"],
                    ["reseal", "--from-key", KEY2048, "--cert", CERT4096],
                    ["sealed", "verify", "--private-key", KEY2048]):  # fmt: skip
        monkeypatch.setattr("sys.stdin", io.StringIO(sealed.read_text()))
        outs.append(_run([*command, *args], capsys)[0])
    assert yaml.safe_load(outs[0])["data"]["userAuthSecret"] == "czNjcjN0LXN0cmluZy1kYXRh"
    resealed = tmp_path / "resealed.yaml"
    resealed.write_text(outs[1])
    shown, _ = _run(["unseal", str(resealed), "--private-key", KEY4096, "--reveal"], capsys)
    assert shown == outs[0]
    assert outs[2].startswith("ok: SealedSecret ") and "opened" in outs[2]


def test_raw_seals_one_value_without_newline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    value = tmp_path / "value"
    value.write_bytes(b"raw-v4lue")
    out, _ = _run(["seal", "--raw", "--from-file", f"password={value}", "--cert", CERT2048,
                   "--scope", "namespace-wide", "-n", "prod"], capsys)  # fmt: skip
    assert not out.endswith("\n") and out.startswith("AQ")
    sealed = tmp_path / "s.yaml"
    sealed.write_text(
        yaml.safe_dump({"apiVersion": "bitnami.com/v1alpha1", "kind": "SealedSecret",
                        "metadata": {"name": "any", "namespace": "prod", "annotations": {
                            "sealedsecrets.bitnami.com/namespace-wide": "true"}},
                        "spec": {"encryptedData": {"password": out}}})
    )  # fmt: skip
    shown, _ = _run(["unseal", str(sealed), "--private-key", KEY2048, "--reveal"], capsys)
    assert yaml.safe_load(shown)["data"]["password"] == "cmF3LXY0bHVl"


# (what is wrong, how to break the sealed file, words one problem line must contain)
PLACEMENT_MISTAKES = [
    ("applied in another namespace", {"-n": "other"}, None,
     ["metadata.namespace is tracecat but it is applied in other",
      "sealed for scope strict as tracecat/tracecat-secrets"]),
    ("renamed after sealing", {}, {"metadata": {"name": "renamed"}},
     ["spec.template.metadata.name is tracecat-secrets",
      "sealed for scope strict as tracecat/tracecat-secrets"]),
    ("moved and renamed everywhere", {"-n": "other"}, {"metadata": {"name": "moved",
     "namespace": "other"}, "spec": {"template": {"metadata": {"name": "moved",
     "namespace": "other"}}}},
     ["opens under no name or namespace this file gives", "moved or renamed everywhere"]),
    ("scope annotation as YAML boolean", {}, {"metadata": {"annotations": {
        "sealedsecrets.bitnami.com/namespace-wide": True}}},
     ["only honours the string \"true\""]),
    ("release reads another name", {"--name": "tracecat-other"}, None,
     ["the release reads a Secret tracecat-other"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("flags", "patch", "words"),
    [case[1:] for case in PLACEMENT_MISTAKES],
    ids=[case[0] for case in PLACEMENT_MISTAKES],
)
def test_verify_finds_placement_mistakes(
    flags: dict[str, str],
    patch: dict[str, dict[str, object]] | None,
    words: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = _sealed_file(tmp_path)
    if patch:
        sealed = yaml.safe_load(path.read_text())
        for section, changes in patch.items():
            for key, value in changes.items():
                if isinstance(value, dict):
                    sealed[section].setdefault(key, {}).update(value)
                else:
                    sealed[section][key] = value
        path.write_text(yaml.safe_dump(sealed))
    args = ["sealed", "verify", str(path), "--private-key", KEY2048, "-o", "json"]
    for flag, value in flags.items():
        args += [flag, value]
    out, err = _run(args, capsys, code=1)
    problems = json.loads(out)[0]["problems"]
    for word in words:
        assert any(word in line for line in problems), (word, problems)
    assert "would not unseal as applied" in err


@pytest.mark.parametrize("scope", ["strict", "namespace-wide", "cluster-wide"])
def test_verify_passes_where_it_belongs(
    scope: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _sealed_file(tmp_path, "--scope", scope)
    out, _ = _run(["sealed", "verify", str(path), "-n", "tracecat", "--private-key", KEY2048],
                  capsys)  # fmt: skip
    assert out.startswith(f"ok: SealedSecret tracecat/tracecat-secrets ({scope}, 2 items, 2 opened")
