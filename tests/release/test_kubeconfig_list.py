"""``$KUBECONFIG`` as a list of files reaches Helm's SDK as client-go reads it.

client-go merges the files (the first to set current-context, or to name a cluster, user or
context, wins; missing files are skipped; relative paths are the file's own). Helm's SDK took
the whole variable as one path (``stat a:b: no such file or directory``), so every release
command failed with two files, and with one missing file even under ``--kube-apiserver``.

The commands run in a child process: the SDK's Go code reads the environment the process
started with, not ``os.environ`` as a test changes it, so only a fresh process sees
``$KUBECONFIG`` as a user's shell gives it.
"""

from __future__ import annotations

import copy
import glob
import json
import os
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from release_fake_api import FakeApi, serving
from tls_server import SERVER_NAME, server_context

from chartsafe._helm_release import ClusterTarget, HelmReleases

TOKEN = "first-file-token-7c1e"


def _kubeconfig(
    path: Path, server: str, *, name: str = "fake", token: str = TOKEN, current: bool = True,
    cluster: dict[str, Any] | None = None,
) -> str:  # fmt: skip
    document: dict[str, Any] = {
        "clusters": [{"name": name, "cluster": {"server": server, **(cluster or {})}}],
        "users": [{"name": name, "user": {"token": token}}],
        "contexts": [{"name": name, "context": {"cluster": name, "user": name,
                                                "namespace": "apps"}}],
    }  # fmt: skip
    if current:
        document["current-context"] = name
    path.write_text(yaml.safe_dump(document))
    return str(path)


#: Each case: (folder, the fake's URL, a refusing URL) -> ($KUBECONFIG, extra flags).
Case = Callable[[Path, str, str], tuple[str, list[str]]]


def _first_file_holds_it(tmp: Path, server: str, closed: str) -> tuple[str, list[str]]:
    # the second names the same context, cluster and user for a refusing port: first wins
    first = _kubeconfig(tmp / "kubeconfig", server)
    second = _kubeconfig(tmp / "extra.kubeconfig", closed, token="second-file-token")
    return os.pathsep.join([first, second]), []


def _second_file_holds_it(tmp: Path, server: str, closed: str) -> tuple[str, list[str]]:
    first = _kubeconfig(tmp / "other.kubeconfig", closed, name="other", current=False)
    return os.pathsep.join([first, _kubeconfig(tmp / "kubeconfig", server)]), []


def _current_context_of_first_in_second(
    tmp: Path, server: str, closed: str
) -> tuple[str, list[str]]:
    (tmp / "first").write_text("current-context: fake\n")
    second = _kubeconfig(tmp / "second", server, current=False)
    return os.pathsep.join([str(tmp / "first"), second]), []


def _a_missing_file_in_the_list(tmp: Path, server: str, closed: str) -> tuple[str, list[str]]:
    return os.pathsep.join([str(tmp / "missing"), _kubeconfig(tmp / "kubeconfig", server)]), []


def _apiserver_with_a_missing_kubeconfig(
    tmp: Path, server: str, closed: str
) -> tuple[str, list[str]]:
    return str(tmp / "nonexistent"), ["--kube-apiserver", server]


CASES: list[tuple[str, Case]] = [
    ("context in the first file", _first_file_holds_it),
    ("context in the second file", _second_file_holds_it),
    ("current-context of the first, context in the second", _current_context_of_first_in_second),
    ("a missing file in the list", _a_missing_file_in_the_list),
    ("--kube-apiserver, KUBECONFIG naming a missing file", _apiserver_with_a_missing_kubeconfig),
]


def _chartsafe(args: list[str], kubeconfig: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KUBECONFIG": kubeconfig, "HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "chartsafe", *args],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


@pytest.mark.parametrize("case", [case for _, case in CASES], ids=[name for name, _ in CASES])
@pytest.mark.parametrize("command", [["list", "-o", "json"], ["status", "shop", "-o", "json"]])
def test_kubeconfig_list_reaches_the_release(
    case: Case, command: list[str], fake_api: FakeApi, tmp_path: Path, refused_port: int
) -> None:
    kubeconfig, flags = case(tmp_path, fake_api.server, f"http://127.0.0.1:{refused_port}")
    done = _chartsafe([*command, "-n", "apps", *flags], kubeconfig, tmp_path)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert (answer[0] if isinstance(answer, list) else answer)["name"] == "shop"
    assert TOKEN not in done.stdout + done.stderr


@pytest.fixture
def tls_api(records: list[dict[str, Any]], tmp_path: Path) -> Iterator[FakeApi]:
    with serving(FakeApi(records=copy.deepcopy(records)), server_context(tmp_path)) as api:
        yield api


def test_relative_ca_path_is_the_files_own(tls_api: FakeApi, tmp_path: Path) -> None:
    """``certificate-authority: ca.pem`` is next to the file that says it, not in the working
    directory, nor next to the merged copy the SDK is given."""
    (tmp_path / "empty").write_text("")
    tls = {"certificate-authority": "ca.pem", "tls-server-name": SERVER_NAME}
    kubeconfig = _kubeconfig(tmp_path / "kubeconfig", tls_api.server, cluster=tls)
    kubeconfigs = os.pathsep.join([kubeconfig, str(tmp_path / "empty")])
    done = _chartsafe(["list", "-n", "apps", "-o", "json"], kubeconfigs, tmp_path)
    assert done.returncode == 0, done.stderr
    assert [release["name"] for release in json.loads(done.stdout)] == ["shop"]
    assert tls_api.sent("Authorization") == {(f"Bearer {TOKEN}",)}


def test_kubeconfig_flag_is_one_file(fake_api: FakeApi, tmp_path: Path) -> None:
    """``--kubeconfig`` names one file, which must exist: a list there is a path."""
    kubeconfig = _kubeconfig(tmp_path / "kubeconfig", fake_api.server)
    both = os.pathsep.join([kubeconfig, kubeconfig])
    done = _chartsafe(["list", "-n", "apps", "--kubeconfig", both], kubeconfig, tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"chartsafe: error: --kubeconfig {both}: no such file (pass the path of a file)"
    ]


def test_merged_kubeconfig_is_private_and_removed(
    fake_api: FakeApi, tmp_path: Path, refused_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The merge (credentials in it) goes to the SDK as content: the library writes it
    readable by its owner only, and removes it when the release client is closed."""
    kubeconfig, _ = _first_file_holds_it(
        tmp_path, fake_api.server, f"http://127.0.0.1:{refused_port}"
    )
    monkeypatch.setenv("KUBECONFIG", kubeconfig)

    def holding_the_merge() -> list[str]:
        found = []
        for path in glob.glob(os.path.join(tempfile.gettempdir(), "helm-c-kubeconfig-*")):
            try:
                if fake_api.server in Path(path).read_text():
                    found.append(path)
            except OSError:  # another test's, closed meanwhile
                continue
        return found

    releases = HelmReleases(ClusterTarget(namespace="apps"))
    try:
        written = holding_the_merge()
        assert len(written) == 1
        assert stat.S_IMODE(os.stat(written[0]).st_mode) == 0o600
        assert [release["name"] for release in releases.list(name_filter=None)] == ["shop"]
    finally:
        releases.close()
    assert not os.path.exists(written[0])
