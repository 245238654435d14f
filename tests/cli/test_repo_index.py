"""``chartsafe repo index DIR``: a folder of packaged charts made a chart repository, as
``helm repo index`` makes it. Proven by reading it back the way helm does: served on
loopback, with ``--repo URL``.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from pathlib import Path

import pytest
import yaml
from chart_repository import serve_charts, sub_charts

from chartsafe.cli import main


@pytest.fixture
def charts(tmp_path: Path) -> Path:
    """``tmp_path/charts``: ``sub`` 0.1.0 and 0.2.0, not indexed yet."""
    sub_charts(tmp_path)
    return tmp_path / "charts"


def test_the_index_lists_every_archive_under_the_url_and_helm_reads_it(
    charts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with serve_charts(charts.parent, index=False) as (url, _):
        assert main(["repo", "index", str(charts), "--url", url]) == 0
        out = capsys.readouterr().out
        assert f"Indexed 2 version(s) of 1 chart(s) into {charts / 'index.yaml'}" in out
        index = yaml.safe_load((charts / "index.yaml").read_text())
        entries = {e["version"]: e for e in index["entries"]["sub"]}
        assert sorted(entries) == ["0.1.0", "0.2.0"]
        for version, entry in entries.items():
            archive = charts / f"sub-{version}.tgz"
            assert entry["urls"] == [f"{url}/{archive.name}"]
            assert entry["digest"] == hashlib.sha256(archive.read_bytes()).hexdigest()
        assert main(["template", "r", "sub", "--repo", url, "--version", "0.1.0"]) == 0
        assert "name: r-0.1.0\n" in capsys.readouterr().out


def test_merge_keeps_the_versions_the_folder_no_longer_holds(
    charts: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    served = "https://charts.example.com/x"
    assert main(["repo", "index", str(charts), "--url", served]) == 0
    capsys.readouterr()
    newer = tmp_path / "newer"
    newer.mkdir()
    shutil.copy(charts / "sub-0.2.0.tgz", newer)
    args = ["repo", "index", str(newer), "--url", served, "--merge", str(charts / "index.yaml")]
    assert main([*args, "--json", "-o", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report == {"index": str(newer / "index.yaml"), "charts": {"sub": ["0.2.0", "0.1.0"]}}
    merged = yaml.safe_load((newer / "index.yaml").read_text())
    kept = [e for e in merged["entries"]["sub"] if e["version"] == "0.1.0"]
    assert kept[0]["urls"] == [f"{served}/sub-0.1.0.tgz"]
    assert json.loads((newer / "index.json").read_text())["entries"].keys() == {"sub"}


#: (id, arguments after ``repo index``, words of the one line); {dir} is a folder of charts.
CASES = [
    ("no such folder", ["{dir}/none"], ["repo index {dir}/none: no such directory"]),
    ("a file", ["{dir}/sub-0.1.0.tgz"], ["repo index {dir}/sub-0.1.0.tgz: not a directory"]),
    ("--merge missing", ["{dir}", "--merge", "{dir}/none.yaml"],
     ["--merge {dir}/none.yaml: no such file"]),
    ("--merge not YAML", ["{dir}", "--merge", "{dir}/broken.yaml"],
     ["--merge {dir}/broken.yaml", "line 1"]),
    ("--url not http", ["{dir}", "--url", "ftp://example.com"],
     ["--url ftp://example.com: not an http:// or https://"]),
]  # fmt: skip


@pytest.mark.parametrize(("args", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_one_line(
    charts: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    words: list[str],
) -> None:
    (charts / "broken.yaml").write_text("entries: [\n")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["repo", "index", *(a.format(dir=charts) for a in args)]) == 2
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    for word in words:
        assert word.format(dir=charts) in lines[0], lines[0]
    assert not (charts / "index.yaml").exists()
