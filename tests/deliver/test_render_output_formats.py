"""``secrets render -o``: the help lists the formats every backend prints, and only those.

Its output is manifests (plus the values overrides), which have no rows: ``-o table`` used to be
listed by the help and refused by every backend.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer.rich_utils
import yaml

from chartsafe.cli import main
from chartsafe.store import create_identity_file

#: A chart that reads no Secret: every backend delivers nothing, quickly.
READER = str(Path(__file__).resolve().parents[1] / "data" / "check" / "configmap-reader")
FORMATS = ("table", "yaml", "json", "markdown", "sarif")


def _help_of_output(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> str:
    monkeypatch.setattr(typer.rich_utils, "MAX_WIDTH", 1000)
    capsys.readouterr()
    assert main(["secrets", "render", "--help"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if "--output" in x)
    return line.split("--output", 1)[1]


def _store(tmp: Path) -> list[str]:
    recipient = create_identity_file(tmp / "age.txt", exist_ok=True)
    store = tmp / "store.yaml"
    if not store.exists():
        argv = ["secrets", "set", "-n", "x", "s", "k", "--from-literal", "v", "--store",
                str(store), "--age", recipient]  # fmt: skip
        assert main(argv) == 0
    return ["--store", str(store), "--age-key-file", str(tmp / "age.txt")]


@pytest.mark.parametrize("fmt", FORMATS)
def test_render_takes_exactly_the_formats_its_help_lists(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    store = _store(tmp_path)
    listed = fmt in _help_of_output(monkeypatch, capsys)
    assert listed == (fmt in ("yaml", "json"))
    code = main(["secrets", "render", "rel", READER, *store, "--as", "secret",
                 "--out", str(tmp_path / "s.yaml"), "-o", fmt])  # fmt: skip
    captured = capsys.readouterr()
    if not listed:
        assert code == 2
        assert f"-o {fmt}: use yaml or json" in captured.err
        return
    assert code == 0, captured.err
    if fmt == "json":
        assert json.loads(captured.out)["manifests"] == str(tmp_path / "s.yaml")
    assert yaml.safe_load((tmp_path / "s.yaml").read_text()) is None  # no Secret to deliver
