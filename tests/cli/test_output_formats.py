"""``-o yaml`` prints what ``-o json`` prints, as block-style YAML, for every command offering both.

Each command runs twice from the same fresh workspace, once per format, and the two outputs
must parse to the same data (timestamps aside: the two runs are seconds apart). A secret value
given on the command line appears in neither. The release-reading commands, which need the
fake API server, are in tests/release/test_release_output_yaml.py.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest
import yaml

from chartsafe._helm_oci import PushResult
from chartsafe._release_info import ReleaseInfo
from chartsafe.cli import main
from chartsafe.cli._print import print_data

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data"
MINIMAL = str(DATA / "minimal")
APP = str(DATA / "release" / "app")
READER = str(DATA / "check" / "reader")
SECRET = "hunter2-never-printed"
STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")


def same_data(json_text: str, yaml_text: str) -> None:
    """Both outputs hold the same data; the YAML is block style, one document."""
    assert yaml_text.strip(), "-o yaml printed nothing"
    assert not yaml_text.lstrip().startswith(("{", "[")), f"flow style:\n{yaml_text}"
    assert "!!python" not in yaml_text
    assert _timeless(yaml.safe_load(yaml_text)) == _timeless(json.loads(json_text))


def _timeless(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _timeless(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_timeless(v) for v in data]
    if isinstance(data, str) and STAMP.match(data):
        return "<time>"
    return data


class _Color(StrEnum):
    red = "red"


def test_yaml_is_the_json_data(capsys: pytest.CaptureFixture[str]) -> None:
    """What JSON makes of enums, tuples and integer keys, YAML shows the same way."""
    data = {"b": _Color.red, "a": (1, 2), 3: None, "masked": "<masked>", "nested": [{"x": 1}]}
    print_data(data, "json")
    json_text = capsys.readouterr().out
    print_data(data, "yaml")
    yaml_text = capsys.readouterr().out
    same_data(json_text, yaml_text)
    assert yaml_text.splitlines()[0] == "b: red"  # keys in the order given, not sorted


@pytest.fixture(scope="module")
def age_key(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One age identity for every case (a new one per run would change the recipients)."""
    key = tmp_path_factory.mktemp("age") / "keys.txt"
    assert main(["keys", "init", "--key-file", str(key)]) == 0
    recipient = re.search(r"age1[0-9a-z]+", key.read_text())
    assert recipient is not None
    return key, recipient.group(0)


class Work:
    """A case's workspace: the age key, a store path, and a way to fill the store."""

    def __init__(self, root: Path, key: Path, recipient: str) -> None:
        self.root, self.key, self.recipient = root, key, recipient
        self.store = str(root / "store.sops.yaml")

    def keys(self) -> list[str]:
        return ["--age", self.recipient, "--age-key-file", str(self.key)]

    def with_value(self) -> Work:
        args = ["secrets", "set", "db", "password", "--store", self.store, "-n", "ns",
                "--from-literal", SECRET, *self.keys()]  # fmt: skip
        assert main(args) == 0
        return self


def _rollback(monkeypatch: pytest.MonkeyPatch) -> None:
    info = ReleaseInfo("shop", "apps", 3, "deployed", "app-0.2.0", "2.0", "2026-01-02T03:04:05Z")
    monkeypatch.setattr("chartsafe._release_undo.rollback_release", lambda *a, **k: info)


def _push(monkeypatch: pytest.MonkeyPatch) -> None:
    result = PushResult("oci://127.0.0.1:5000/charts/minimal:0.1.0", "minimal", "0.1.0",
                        "sha256:" + "0" * 64)  # fmt: skip
    monkeypatch.setattr("chartsafe._helm_oci.push_chart", lambda *a, **k: result)


def _package(work: Work) -> str:
    assert main(["package", MINIMAL, "-d", str(work.root)]) == 0
    return str(work.root / "minimal-0.1.0.tgz")


Build = Callable[[Work], list[str]]
Patch = Callable[[pytest.MonkeyPatch], None]
_APP_SETS = ["--set", f"password={SECRET},apiKey={SECRET}-api"]
_DRY = ["-n", "shop", "--dry-run", "client", "--storage", "memory", *_APP_SETS]

# (id, the command's arguments in a fresh workspace, what to patch first (no cluster here))
CASES: list[tuple[str, Build, Patch | None]] = [
    ("lint", lambda w: ["lint", MINIMAL], None),
    ("contract", lambda w: ["contract", "r", READER, "-n", "apps"], None),
    ("check", lambda w: ["check", "r", READER, "-n", "apps", "--against", str(w.root)], None),
    ("install", lambda w: ["install", "shop", APP, *_DRY], None),
    ("upgrade", lambda w: ["upgrade", "shop", APP, "--install", *_DRY], None),
    ("rollback", lambda w: ["rollback", "shop", "2", "-n", "apps"], _rollback),
    ("uninstall", lambda w: ["uninstall", "shop", "-n", "shop", "--storage", "memory",
                             "--ignore-not-found"], None),
    ("up", lambda w: ["up", "t", MINIMAL, "--store", w.store, "--out", str(w.root / "bundle"),
                      *w.keys()], None),
    ("package", lambda w: ["package", MINIMAL, "-d", str(w.root / "dist")], None),
    ("push", lambda w: ["push", _package(w), "oci://127.0.0.1:5000/charts"], _push),
    ("keys init", lambda w: ["keys", "init", "--key-file", str(w.key)], None),
    ("secrets set", lambda w: ["secrets", "set", "db", "password", "--store", w.store, "-n", "ns",
                               "--from-literal", SECRET, *w.keys()], None),
    ("secrets list", lambda w: ["secrets", "list", "--store", w.with_value().store,
                                "--age-key-file", str(w.key)], None),
    ("secrets rotate", lambda w: ["secrets", "rotate", "db", "password", "-n", "ns",
                                  "--generator", "hex:8", "--store", w.with_value().store,
                                  "--age-key-file", str(w.key)], None),
    ("secrets rekey", lambda w: ["secrets", "rekey", "--store", w.with_value().store,
                                 *w.keys()], None),
    ("secrets init", lambda w: ["secrets", "init", "r", READER, "-n", "apps", "--store", w.store,
                                *w.keys()], None),
]  # fmt: skip


@pytest.mark.parametrize(("build", "patch"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_yaml_prints_the_json_data(
    build: Build,
    patch: Patch | None,
    age_key: tuple[Path, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if patch is not None:
        patch(monkeypatch)
    outputs, codes = {}, {}
    for fmt in ("json", "yaml"):
        root = tmp_path / "work"
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir()
        key = root / "keys.txt"
        shutil.copy(age_key[0], key)
        args = build(Work(root, key, age_key[1]))
        capsys.readouterr()
        codes[fmt] = main([*args, "-o", fmt])
        captured = capsys.readouterr()
        assert SECRET not in captured.out + captured.err
        outputs[fmt] = captured.out
    assert codes["json"] == codes["yaml"] in (0, 1), outputs
    same_data(outputs["json"], outputs["yaml"])


SEALED_KEYS = REPO.parent / "shared" / "vectors" / "sealed" / "generated"
CERT = str(SEALED_KEYS / "rsa2048.cert.pem")
KEY = str(SEALED_KEYS / "rsa2048.key.pem")


def _secrets_file(tmp: Path, count: int) -> Path:
    docs = [{"apiVersion": "v1", "kind": "Secret",
             "metadata": {"name": f"db-{i}", "namespace": "apps"},
             "stringData": {"password": f"{SECRET}-{i}"}} for i in range(count)]  # fmt: skip
    path = tmp / "secrets.yaml"
    path.write_text(yaml.safe_dump_all(docs))
    return path


def _sealed_file(tmp: Path, count: int) -> Path:
    sealed = tmp / "sealed.yaml"
    assert main(["seal", "-f", str(_secrets_file(tmp, count)), "--cert", CERT,
                 "-w", str(sealed)]) == 0  # fmt: skip
    return sealed


# (id, the command, given a file of `count` Secrets, printing -o json)
SEALING: list[tuple[str, Callable[[Path, int], list[str]]]] = [
    ("seal", lambda tmp, n: ["seal", "-f", str(_secrets_file(tmp, n)), "--cert", CERT]),
    ("unseal", lambda tmp, n: ["unseal", str(_sealed_file(tmp, n)), "--private-key", KEY]),
    ("reseal", lambda tmp, n: ["reseal", str(_sealed_file(tmp, n)), "--from-key", KEY,
                               "--cert", CERT]),
]  # fmt: skip


@pytest.mark.parametrize("build", [c[1] for c in SEALING], ids=[c[0] for c in SEALING])
@pytest.mark.parametrize("count", [1, 2])
def test_sealing_json_is_one_document(
    build: Callable[[Path, int], list[str]],
    count: int,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Several objects are one v1 List, as kubectl prints them; one is the object itself."""
    if not SEALED_KEYS.is_dir():
        pytest.skip("the shared sealed-secrets vectors are not here")
    args = build(tmp_path, count)
    capsys.readouterr()
    assert main([*args, "-o", "json"]) == 0
    out = capsys.readouterr().out
    printed = json.loads(out)  # one valid JSON document, or this raises
    assert SECRET not in out
    if count == 1:
        assert printed["metadata"]["name"] == "db-0"
    else:
        assert (printed["apiVersion"], printed["kind"]) == ("v1", "List")
        assert [item["metadata"]["name"] for item in printed["items"]] == ["db-0", "db-1"]


@pytest.mark.parametrize("build", [c[1] for c in SEALING], ids=[c[0] for c in SEALING])
def test_a_sealing_list_reads_back(
    build: Callable[[Path, int], list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What seal -o json prints for several Secrets is read again by unseal, reseal, verify."""
    if not SEALED_KEYS.is_dir():
        pytest.skip("the shared sealed-secrets vectors are not here")
    listed = tmp_path / "list.json"
    args = build(tmp_path, 2)
    capsys.readouterr()
    assert main([*args, "-o", "json"]) == 0
    listed.write_text(capsys.readouterr().out)
    if json.loads(listed.read_text())["items"][0]["kind"] == "SealedSecret":
        capsys.readouterr()
        assert main(["unseal", str(listed), "--private-key", KEY, "-o", "json"]) == 0
        names = [i["metadata"]["name"] for i in json.loads(capsys.readouterr().out)["items"]]
        assert names == ["db-0", "db-1"]
        assert main(["sealed", "verify", str(listed), "--private-key", KEY]) == 0
    else:  # unseal's List of Secrets (with their values) seals again
        assert main([*args, "--reveal", "-o", "json"]) == 0
        listed.write_text(capsys.readouterr().out)
        assert main(["seal", "-f", str(listed), "--cert", CERT, "-o", "json"]) == 0
        assert len(json.loads(capsys.readouterr().out)["items"]) == 2
