"""``seal --merge-into FILE`` (kubeseal's flag): a Secret's keys sealed into an existing
SealedSecret file in place; the merged file unseals to the union of the keys. The refusals
are rows of tests/cli/test_bad_input_sealed.py."""

from __future__ import annotations

import base64
import io
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from sealed_helpers import GENERATED

from chartsafe.cli import main

CERT = str(GENERATED / "rsa2048.cert.pem")
KEY = str(GENERATED / "rsa2048.key.pem")


def _secret(path: Path, values: dict[str, str], **metadata: Any) -> Path:
    body = {"apiVersion": "v1", "kind": "Secret", "metadata": metadata, "stringData": values}
    path.write_text(yaml.safe_dump(body))
    return path


def _unsealed(path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    capsys.readouterr()
    assert main(["unseal", str(path), "--private-key", KEY, "--reveal"]) == 0
    secret: dict[str, Any] = yaml.safe_load(capsys.readouterr().out)
    secret["data"] = {k: base64.b64decode(v).decode() for k, v in secret["data"].items()}
    return secret


@pytest.mark.parametrize("fmt", ["yaml", "json"])
@pytest.mark.parametrize(
    ("scope", "metadata"),
    [("strict", {}), ("namespace-wide", {"name": "db"}),
     ("cluster-wide", {"name": "db", "namespace": "prod"})],
    ids=["strict, the Secret names nothing", "namespace-wide, the Secret names itself",
         "cluster-wide, name and namespace"],
)  # fmt: skip
def test_merge_adds_and_replaces_keys_in_place_and_unseals_to_the_union(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    fmt: str,
    scope: str,
    metadata: dict[str, str],
) -> None:
    target = tmp_path / f"sealed.{fmt}"
    first = _secret(tmp_path / "first.yaml", {"user": "admin", "password": "old"}, name="db",
                    namespace="prod", labels={"app": "demo"})  # fmt: skip
    assert main(["seal", "-f", str(first), "--cert", CERT, "--scope", scope, "-o", fmt,
                 "-w", str(target)]) == 0  # fmt: skip
    target.chmod(0o640)
    before = yaml.safe_load(target.read_text())
    more = _secret(tmp_path / "more.yaml", {"password": "new", "apikey": "k-1"},
                   labels={"tier": "db"}, **metadata)  # fmt: skip
    capsys.readouterr()
    assert main(["seal", "-f", str(more), "--cert", CERT, "--merge-into", str(target)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"merged into {target}: added apikey; replaced password" in captured.err

    text = target.read_text()
    assert text.startswith("{" if fmt == "json" else "---\n")
    assert os.stat(target).st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["first.yaml", "more.yaml", target.name]
    after = yaml.safe_load(text)
    assert after["metadata"] == before["metadata"]
    kept = after["spec"]["encryptedData"]["user"]
    assert kept == before["spec"]["encryptedData"]["user"]  # untouched keys keep their bytes
    assert after["spec"]["template"]["metadata"]["labels"] == {"app": "demo", "tier": "db"}
    secret = _unsealed(target, capsys)
    assert secret["data"] == {"user": "admin", "password": "new", "apikey": "k-1"}
    assert secret["metadata"]["labels"] == {"app": "demo", "tier": "db"}


def test_merge_reads_the_secret_from_stdin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "sealed.yaml"
    first = _secret(tmp_path / "first.yaml", {"a": "1"}, name="db", namespace="prod")
    assert main(["seal", "-f", str(first), "--cert", CERT, "-w", str(target)]) == 0
    more = yaml.safe_dump({"apiVersion": "v1", "kind": "Secret", "stringData": {"b": "2"}})
    monkeypatch.setattr("sys.stdin", io.StringIO(more))
    assert main(["seal", "--cert", CERT, "--merge-into", str(target)]) == 0
    assert _unsealed(target, capsys)["data"] == {"a": "1", "b": "2"}


def test_a_refused_merge_leaves_the_file_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "sealed.json"
    first = _secret(tmp_path / "first.yaml", {"a": "1"}, name="db", namespace="prod")
    assert main(["seal", "-f", str(first), "--cert", CERT, "-o", "json", "-w", str(target)]) == 0
    before = target.read_bytes()
    other = _secret(tmp_path / "other.yaml", {"b": "2"}, name="db")
    assert main(["seal", "-f", str(other), "--cert", CERT, "--merge-into", str(target),
                 "-n", "staging"]) == 2  # fmt: skip
    assert "is for namespace prod but -n says staging" in capsys.readouterr().err
    assert target.read_bytes() == before
