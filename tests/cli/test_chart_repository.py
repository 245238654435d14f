"""CHART from a classic HTTP chart repository: ``NAME --repo URL [--version V]``, as
``helm install --repo`` reads it, on every command that takes CHART and on ``pull``.
The ``REPO/NAME`` form, of Helm's repository list, is in test_chart_repository_list.py.

A loopback HTTP server serves a folder indexed by Helm's own ``repo index`` (through the
SDK): chart ``sub`` at 0.1.0 (unsigned), 0.2.0 (signed, its ``.prov`` beside it) and
0.3.0-rc.1, a pre-release only ``--devel`` takes when no ``--version`` is given. Each
version's ConfigMap is named after the chart version, so the output says which one was
read.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from chart_repository import PUBRING, serve_charts, sub_charts

from chartsafe.cli import main


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The repository's URL, its folder, and a local copy of each archive it serves."""
    root = tmp_path_factory.mktemp("chart-repository")
    sub_charts(root, prerelease=True)
    with serve_charts(root) as (url, _):
        yield {"url": url, "served": str(root / "charts"), "local": str(root / "local")}


def _template(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["template", "r", *args]) == 0, capsys.readouterr().err
    return capsys.readouterr().out


@pytest.mark.parametrize(
    ("version", "read"),
    [([], "0.2.0"), (["--version", "0.1.0"], "0.1.0"), (["--version", "~0.1"], "0.1.0"),
     (["--version", ">=0.1.0 <1.0.0"], "0.2.0"), (["--devel"], "0.3.0-rc.1"),
     (["--devel", "--version", "0.1.0"], "0.1.0")],
    ids=["newest", "a version", "a range", "a range of two", "--devel", "--version wins"],
)  # fmt: skip
def test_template_renders_the_version_asked_as_the_archive_itself_renders(
    repo: dict[str, str], capsys: pytest.CaptureFixture[str], version: list[str], read: str
) -> None:
    fetched = _template(["sub", "--repo", repo["url"], *version], capsys)
    assert f"name: r-{read}\n" in fetched
    assert fetched == _template([f"{repo['local']}/sub-{read}.tgz"], capsys)


@pytest.mark.parametrize(
    "args",
    [["lint", "sub", "-o", "json"], ["contract", "r", "sub", "-o", "json"],
     ["audit", "r", "sub", "-o", "json"],
     ["check", "r", "sub", "--against", "{empty}", "-o", "json"], ["show", "chart", "sub"]],
    ids=["lint", "contract", "audit", "check", "show"],
)  # fmt: skip
def test_every_command_that_takes_chart_reads_it_from_the_repository(
    repo: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    filled = [a.format(empty=empty) for a in args]
    assert main([*filled, "--repo", repo["url"]]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    if filled[0] == "show":
        assert out.startswith("apiVersion: v2\nname: sub\nversion: 0.2.0\n")
    else:
        assert json.loads(out)


def test_pull_writes_the_archive_the_repository_serves(
    repo: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["pull", "sub", "--repo", repo["url"], "--version", "0.1.0", "-d", str(tmp_path)]
    assert main([*args, "-o", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    written = tmp_path / "sub-0.1.0.tgz"
    assert report == {
        "chart": "sub", "repository": repo["url"], "version": "0.1.0", "path": str(written)
    }  # fmt: skip
    assert written.read_bytes() == (Path(repo["served"]) / "sub-0.1.0.tgz").read_bytes()
    assert main(["pull", "sub", "--repo", repo["url"], "-d", str(tmp_path), "--untar"]) == 0
    assert "version: 0.2.0" in (tmp_path / "sub" / "Chart.yaml").read_text()
    assert f"Pulled: sub:0.2.0 from {repo['url']} to {tmp_path / 'sub'}" in capsys.readouterr().out
    assert main(["pull", "sub", "--repo", repo["url"], "-d", str(tmp_path), "--devel"]) == 0
    assert (tmp_path / "sub-0.3.0-rc.1.tgz").is_file()


def test_verify_checks_what_the_repository_serves_against_its_provenance(
    repo: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    verify = ["--repo", repo["url"], "--verify", "--keyring", str(PUBRING)]
    assert "name: r-0.2.0\n" in _template(["sub", *verify], capsys)
    assert main(["template", "r", "sub", *verify, "--version", "0.1.0"]) == 1
    err = capsys.readouterr().err
    assert f"sub from {repo['url']} --version 0.1.0: provenance check failed" in err
    assert "Traceback" not in err


#: (id, arguments after the command, words the one line must hold); {url} is the served
#: repository, {dead} one where nothing listens.
CASES = [
    ("not http", ["template", "r", "sub", "--repo", "ftp://example.com/charts"],
     ["--repo ftp://example.com/charts", "not an http:// or https://"]),
    ("an oci:// --repo", ["template", "r", "sub", "--repo", "oci://example.com/charts"],
     ["--repo oci://example.com/charts", "give CHART as oci://"]),
    ("no host", ["template", "r", "sub", "--repo", "https://"], ["--repo https://"]),
    ("an oci:// CHART", ["template", "r", "oci://example.com/charts/sub", "--repo", "{url}"],
     ["CHART oci://example.com/charts/sub is an oci:// reference"]),
    ("--plain-http", ["template", "r", "sub", "--repo", "{url}", "--plain-http"],
     ["--plain-http with --repo {url}", "is for oci:// registries"]),
    ("--registry-config", ["template", "r", "sub", "--repo", "{url}", "--registry-config", "x"],
     ["--registry-config with --repo {url}"]),
    ("no such chart", ["template", "r", "nope", "--repo", "{url}"],
     ["nope from {url}", 'chart "nope" not found', "index.yaml"]),
    ("no such version", ["template", "r", "sub", "--repo", "{url}", "--version", "9.9.9"],
     ["sub from {url} --version 9.9.9", 'version "9.9.9" not found']),
    ("nothing listens", ["template", "r", "sub", "--repo", "{dead}"],
     ["sub from {dead}", "cannot be reached", "URL/index.yaml"]),
    ("not a repository", ["template", "r", "sub", "--repo", "{url}/nothing"],
     ["sub from {url}/nothing", "404", "URL/index.yaml"]),
    ("--verify, no such chart", ["template", "r", "nope", "--repo", "{url}", "--verify",
                                 "--keyring", str(PUBRING)],
     ["nope from {url}", "index.yaml"]),
    ("pull: a bare name without --repo", ["pull", "sub"],
     ["pull sub: a chart name alone says no repository", "chartsafe pull sub --repo URL"]),
    ("install", ["install", "r", "sub", "--repo", "ftp://x"], ["--repo ftp://x", "http://"]),
    ("upgrade", ["upgrade", "r", "sub", "--repo", "ftp://x"], ["--repo ftp://x", "http://"]),
    ("diff upgrade", ["diff", "upgrade", "r", "sub", "--repo", "ftp://x"], ["--repo ftp://x"]),
    ("up", ["up", "r", "sub", "--repo", "ftp://x", "--store", "s.yaml", "--out", "o"],
     ["--repo ftp://x"]),
    ("secrets init", ["secrets", "init", "r", "sub", "--repo", "ftp://x", "--store", "s.yaml"],
     ["--repo ftp://x"]),
    ("a local chart with --version", ["template", "r", "{local}/sub-0.1.0.tgz", "--version", "1"],
     ["--version 1", "is a local chart"]),
    ("a local chart with --devel", ["template", "r", "{local}/sub-0.1.0.tgz", "--devel"],
     ["--devel: CHART {local}/sub-0.1.0.tgz is a local chart"]),
]  # fmt: skip


@pytest.mark.parametrize(("args", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_one_line(
    repo: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    words: list[str],
    refused_port: int,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    fill = {**repo, "dead": f"http://127.0.0.1:{refused_port}"}
    assert main([a.format(**fill) for a in args]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    for word in words:
        assert word.format(**fill) in lines[0], lines[0]
    assert not (tmp_path / "o").exists() and not (tmp_path / "s.yaml").exists()


PASSWORD_IN_URL = "url-pw-Zq81x"


@pytest.mark.parametrize(
    ("args", "code"),
    [(["template", "r", "sub", "--repo", "{dead}"], 2),
     (["template", "r", "nope", "--repo", "{url}"], 2),
     (["template", "r", "nope", "--repo", "{url}", "--verify", "--keyring", str(PUBRING)], 2),
     (["template", "r", "sub", "--repo", "{url}", "--version", "0.1.0", "--verify",
       "--keyring", str(PUBRING)], 1),
     (["template", "r", "oci://example.com/charts/sub", "--repo", "{url}"], 2),
     (["template", "r", "sub", "--repo", "{url}", "--plain-http"], 2),
     (["pull", "sub", "--repo", "{url}", "-d", "{tmp}"], 0),
     (["pull", "sub", "--repo", "{url}", "-d", "{tmp}", "-o", "json"], 0)],
    ids=["unreachable", "no such chart", "--verify, no such chart", "--verify fails",
         "an oci:// CHART", "--plain-http", "pull", "pull -o json"],
)  # fmt: skip
def test_a_password_in_the_repository_url_is_shown_masked(
    repo: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    code: int,
    refused_port: int,
) -> None:
    """Go's HTTP client sends a URL's user info as basic auth, so ``--repo
    https://user:password@host`` works; the password must not come back in a message."""
    with_user = f"//ci:{PASSWORD_IN_URL}@"
    fill = {
        "url": repo["url"].replace("//", with_user, 1),
        "dead": f"http://127.0.0.1:{refused_port}".replace("//", with_user, 1),
        "tmp": str(tmp_path),
    }
    assert main([a.format(**fill) for a in args]) == code
    out, err = capsys.readouterr()
    assert PASSWORD_IN_URL not in out + err
    assert "ci:***@" in out + err  # the repository is named, its password masked
