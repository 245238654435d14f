"""CHART as ``REPO/NAME`` of Helm's repository list (what ``helm repo add`` writes), as
``helm install REPO/NAME`` reads it: the repository's URL and credentials come from
``repositories.yaml`` (``$HELM_REPOSITORY_CONFIG``, else Helm's config home), which is read,
never written.

Two loopback servers serve the same indexed folder (``tests/chart_repository.py``): one
open, one that answers only requests carrying the list's user and password.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from chart_repository import PUBRING, serve_charts, sub_charts

from chartsafe.cli import main

USER, PASSWORD = "ci", "repo-pass-Qw7Zx"


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    roots = [tmp_path_factory.mktemp("open-repository"), tmp_path_factory.mktemp("locked")]
    for root in roots:  # each its own index: it names its own server's URLs
        sub_charts(root)
    basic = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    with serve_charts(roots[0]) as (open_url, _), serve_charts(roots[1], basic) as (locked, seen):
        yield {"open": open_url, "locked": locked, "seen": seen, "local": roots[0] / "local"}


def _write_list(path: Path, entries: list[dict[str, str]]) -> Path:
    lines = ["apiVersion: ''", "generated: '0001-01-01T00:00:00Z'", "repositories:"]
    for entry in entries:
        lines += [
            f"- {k}: {v}" if i == 0 else f"  {k}: {v}" for i, (k, v) in enumerate(entry.items())
        ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def repo_list(servers: dict[str, object], _isolated_home: Path) -> Path:
    """Helm's default list (``$XDG_CONFIG_HOME/helm/repositories.yaml``): ``open``, ``locked``
    with the right credentials, ``wrong`` with a wrong password."""
    return _write_list(
        _isolated_home / ".config" / "helm" / "repositories.yaml",
        [
            {"name": "open", "url": str(servers["open"])},
            {"name": "locked", "url": str(servers["locked"]), "username": USER,
             "password": PASSWORD},
            {"name": "wrong", "url": str(servers["locked"]), "username": USER,
             "password": "not-it"},
        ],
    )  # fmt: skip


def _template(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["template", "r", *args]) == 0, capsys.readouterr().err
    return capsys.readouterr().out


@pytest.mark.parametrize(
    ("chart", "version", "read"),
    [("open/sub", [], "0.2.0"), ("open/sub", ["--version", "0.1.0"], "0.1.0"),
     ("locked/sub", [], "0.2.0"), ("locked/sub", ["--version", "~0.1"], "0.1.0")],
    ids=["newest", "a version", "with credentials", "a range with credentials"],
)  # fmt: skip
def test_repo_slash_name_is_read_from_the_repository_the_list_names(
    servers: dict[str, object],
    repo_list: Path,
    capsys: pytest.CaptureFixture[str],
    chart: str,
    version: list[str],
    read: str,
) -> None:
    seen = servers["seen"]
    assert isinstance(seen, list)
    seen.clear()
    fetched = _template([chart, *version], capsys)
    assert f"name: r-{read}\n" in fetched
    assert fetched == _template([f"{servers['local']}/sub-{read}.tgz"], capsys)
    if chart.startswith("locked/"):  # the index and the archive, each with the list's user
        basic = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        assert [path.rsplit("/", 1)[-1] for path, _ in seen] == ["index.yaml", f"sub-{read}.tgz"]
        assert {given for _, given in seen} == {basic}


def test_the_list_helm_repository_config_names_is_read(
    servers: dict[str, object],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    listed = _write_list(
        tmp_path / "elsewhere.yaml", [{"name": "mine", "url": str(servers["open"])}]
    )
    monkeypatch.setenv("HELM_REPOSITORY_CONFIG", str(listed))
    assert "name: r-0.2.0\n" in _template(["mine/sub"], capsys)
    before = listed.read_bytes()
    assert main(["pull", "mine/sub", "--version", "0.1.0", "-d", str(tmp_path / "d")]) == 0
    assert (tmp_path / "d" / "sub-0.1.0.tgz").read_bytes() == (
        Path(str(servers["local"])) / "sub-0.1.0.tgz"
    ).read_bytes()
    assert "Pulled: mine/sub:0.1.0 to" in capsys.readouterr().out
    assert listed.read_bytes() == before  # read, never written


def test_a_path_that_exists_wins_over_the_list_as_in_helm(
    servers: dict[str, object],
    repo_list: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    chart = tmp_path / "open" / "sub"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: sub\nversion: 9.0.0\n")
    (chart / "templates" / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: local-{{ .Chart.Version }}\n"
    )
    monkeypatch.chdir(tmp_path)
    assert "name: local-9.0.0\n" in _template(["open/sub"], capsys)


def test_verify_checks_the_provenance_the_listed_repository_serves(
    repo_list: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    verify = ["--verify", "--keyring", str(PUBRING)]
    assert "name: r-0.2.0\n" in _template(["open/sub", *verify], capsys)
    assert main(["template", "r", "open/sub", *verify, "--version", "0.1.0"]) == 1
    assert "provenance check failed" in capsys.readouterr().err


#: (id, list entries or None for the default list, arguments, words of the one line).
CASES = [
    ("wrong password", None, ["template", "r", "wrong/sub"],
     ["wrong/sub", "401", "helm repo add REPO URL --username"]),
    ("no such chart", None, ["template", "r", "open/nope"], ["open/nope", "not found"]),
    ("no such version", None, ["template", "r", "open/sub", "--version", "7"],
     ["open/sub --version 7", 'version "7" not found']),
    ("not in the list: a missing path", None, ["template", "r", "elsewhere/sub"],
     ["elsewhere/sub"]),
    ("--plain-http", None, ["template", "r", "open/sub", "--plain-http"],
     ["--plain-http with open/sub", "is for oci:// registries"]),
    ("--verify with credentials", None,
     ["template", "r", "locked/sub", "--verify", "--keyring", str(PUBRING)],
     ["--verify: locked/sub", "repository locked's credentials"]),
    ("a CA file", [{"name": "ca", "url": "https://127.0.0.1:9", "caFile": "/ca.pem"}],
     ["template", "r", "ca/sub"], ["repository ca in {list}", "caFile", "SSL_CERT_FILE"]),
    ("a client certificate",
     [{"name": "mtls", "url": "https://127.0.0.1:9", "certFile": "/c.pem", "keyFile": "/k.pem"}],
     ["template", "r", "mtls/sub"], ["repository mtls in {list}", "client certificate"]),
    ("no url", [{"name": "bare", "username": USER}], ["template", "r", "bare/sub"],
     ["repository bare in {list}: no url"]),
    ("an oci:// url", [{"name": "reg", "url": "oci://127.0.0.1:9/charts"}],
     ["template", "r", "reg/sub"],
     ["repository reg in {list}: url oci://127.0.0.1:9/charts: not an http:// or https://",
      "helm repo add"]),
    ("pull: a repository the list lacks", None, ["pull", "elsewhere/sub"],
     ["pull elsewhere/sub: repository elsewhere is not in Helm's repository list ({list})",
      "helm repo add elsewhere URL", "chartsafe pull sub --repo URL"]),
    ("pull: a bare name", None, ["pull", "sub"],
     ["pull sub: a chart name alone says no repository", "--repo URL", "oci://HOST/PATH/sub"]),
    ("pull: a path that is none of them", None, ["pull", "a/b/c"],
     ["pull a/b/c: no such file, and neither REPO/NAME nor an oci:// reference"]),
    ("pull: a local chart", None, ["pull", "."], ["REPO/NAME", "a local chart"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("entries", "args", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_is_one_line_and_never_the_password(
    repo_list: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    entries: list[dict[str, str]] | None,
    args: list[str],
    words: list[str],
) -> None:
    if entries is not None:
        _write_list(repo_list, [{**e, "password": PASSWORD} for e in entries])
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(args) == 2
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    for word in words:
        assert word.format(list=repo_list) in lines[0], lines[0]
    assert PASSWORD not in out + err


@pytest.mark.parametrize(
    ("text", "words"),
    [(f"repositories:\n- name: open\n  password: {PASSWORD}\n  url: [\n", ["line 5, column 1"]),
     ("repositories: {name: open}\n", ["repositories: expected a list"]),
     (b"\xff\xfe".decode("latin-1"), ["not UTF-8 text"])],
    ids=["broken YAML", "not a list", "not UTF-8"],
)  # fmt: skip
def test_a_list_that_cannot_be_read_is_one_line_naming_it(
    repo_list: Path, capsys: pytest.CaptureFixture[str], text: str, words: list[str]
) -> None:
    repo_list.write_bytes(text.encode("latin-1" if "\xff" in text else "utf-8"))
    assert main(["template", "r", "open/sub"]) == 2
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and f"repository list {repo_list}" in lines[0], err
    for word in words:
        assert word in lines[0], lines[0]
    assert PASSWORD not in err
