"""Delivered manifests read back, through Go's YAML, with the keys and names they were given.

kubectl, kubeseal, the controller and Helm read YAML with Go's parser (sigs.k8s.io/yaml over
go-yaml v2), where ``y``, ``Y`` and ``n`` are booleans and ``1e3`` a number. Written plain, a
Secret's key ``y`` became ``true`` (two keys merged, a value lost) and a Secret named ``y``
could not be applied at all. Each document is read back here by Helm's own parser.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sealed_helpers import GENERATED

from chartsafe._helm_parse import values_from_yaml
from chartsafe._rendered import split_documents
from chartsafe.cli import main
from chartsafe.store import create_identity_file

CHART = str(Path(__file__).resolve().parents[1] / "data" / "delivery" / "odd-keys")
KEYS = ["y", "Y", "n", "1e3", "on", "plain"]
FLAGS = {
    "secret": [],
    "sealed": ["--cert", str(GENERATED / "rsa2048.cert.pem")],
    "external": ["--store-ref", "vault"],
}


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    recipient = create_identity_file(tmp_path / "age.txt")
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(tmp_path / "age.txt"))
    path = str(tmp_path / "store.yaml")
    for number, key in enumerate(KEYS):
        args = ["secrets", "set", "-n", "app", "y", key, "--from-literal", f"value-{number}"]
        assert main([*args, "--store", path, "--age", recipient]) == 0
    return path


def _keys(document: dict[str, object], kind: str) -> list[object]:
    spec = document.get("spec")
    if kind == "secret":
        return sorted(document["data"], key=str)  # type: ignore[call-overload]
    if kind == "sealed":
        return sorted(spec["encryptedData"], key=str)  # type: ignore[index]
    return sorted((d["secretKey"] for d in spec["data"]), key=str)  # type: ignore[index]


@pytest.mark.parametrize("kind", ["secret", "sealed", "external"])
def test_render_writes_what_go_reads_back(
    kind: str, store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"{kind}.yaml"
    render = ["secrets", "render", "r", CHART, "-n", "app", "--store", store, "--as", kind]
    assert main([*render, *FLAGS[kind], "--out", str(out)]) == 0, capsys.readouterr().err
    documents = [values_from_yaml(d) for d in split_documents(out.read_text())]
    (document,) = [d for d in documents if d]
    assert document["metadata"]["name"] == "y"
    assert document["metadata"]["namespace"] == "app"
    assert _keys(document, kind) == sorted(KEYS)


def test_seal_writes_what_go_reads_back(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    secret = tmp_path / "secret.json"
    secret.write_text(
        '{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "n", "namespace": "y"},'
        ' "stringData": {"y": "1", "n": "2", "1e3": "3", "Y": "4"}}'
    )
    cert = str(GENERATED / "rsa2048.cert.pem")
    assert main(["seal", "-f", str(secret), "--cert", cert, "-o", "yaml"]) == 0
    document = values_from_yaml(capsys.readouterr().out)
    assert (document["metadata"]["name"], document["metadata"]["namespace"]) == ("n", "y")
    assert sorted(document["spec"]["encryptedData"]) == sorted(["y", "n", "1e3", "Y"])
