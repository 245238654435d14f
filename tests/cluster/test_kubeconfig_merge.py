"""``$KUBECONFIG``'s files merged as client-go merges them, for chartsafe's own client and for
what Helm's SDK is given.

client-go reads a relative path in a kubeconfig (a CA, a token file, a client certificate)
next to the file that holds it, whatever the working directory; the first file to name a
user wins it. What the SDK is given names the kubeconfig in every case: left to itself it
takes ``$KUBECONFIG`` as one path.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from fake_api import TOKEN, FakeApiServer
from tls_server import SERVER_NAME

from chartsafe._cluster import Cluster
from chartsafe._cluster_kubeconfig import sdk_kubeconfig

#: Writes a kubeconfig into the folder for the TLS fake and returns its user entry.
User = Callable[[Path], dict[str, object]]


def _token(folder: Path) -> dict[str, object]:
    return {"token": TOKEN}


def _relative_token_file(folder: Path) -> dict[str, object]:
    (folder / "token").write_text(f"{TOKEN}\n")
    return {"tokenFile": "token"}


@pytest.mark.parametrize(
    ("user", "ca"),
    [(_token, "ca.pem"), (_relative_token_file, "ca.pem"), (_relative_token_file, "./ca.pem")],
    ids=["relative CA", "relative CA and token file", "dotted relative CA and token file"],
)
def test_relative_paths_are_the_files_own(
    user: User,
    ca: str,
    api_server: FakeApiServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = tmp_path / "kube"
    folder.mkdir()
    assert api_server.ca_file is not None
    shutil.copy(api_server.ca_file, folder / "ca.pem")
    cluster = {"server": api_server.url, "certificate-authority": ca,
               "tls-server-name": SERVER_NAME}  # fmt: skip
    (folder / "config").write_text(yaml.safe_dump({
        "clusters": [{"name": "c", "cluster": cluster}],
        "users": [{"name": "u", "user": user(folder)}],
        "contexts": [{"name": "x", "context": {"cluster": "c", "user": "u"}}],
        "current-context": "x",
    }))  # fmt: skip
    # a second file naming the same user with another token: the first file's stands
    (tmp_path / "later").write_text("users: [{name: u, user: {token: later-token}}]\n")
    monkeypatch.setenv("KUBECONFIG", os.pathsep.join([str(folder / "config"), "later"]))
    monkeypatch.chdir(tmp_path)  # neither ca.pem nor token is here
    assert Cluster.connect().list_namespaces()[0] == "default"
    assert api_server.sent("Authorization") == [f"Bearer {TOKEN}"]


def _contexts(content: str) -> tuple[object, list[object]]:
    document = yaml.safe_load(content)
    return document.get("current-context"), [c["name"] for c in document.get("contexts", [])]


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (["one"], "path one"),
        (["missing", "one"], "path one"),
        (["one", "two"], ("a", ["a", "b"])),
        (["two", "one"], ("b", ["b", "a"])),
        (["missing"], (None, [])),
        ([], (None, [])),
    ],
    ids=["one file", "one file and a missing one", "first sets the context",
         "second file first", "only a missing file", "KUBECONFIG unset, no ~/.kube/config"],
)  # fmt: skip
def test_what_the_sdk_is_given(
    files: list[str],
    expected: str | tuple[object, list[object]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One file in use by its path; otherwise content: the merge, or an empty kubeconfig
    (``--kube-apiserver`` or the pod's service account then)."""
    for name, context in (("one", "a"), ("two", "b")):
        (tmp_path / name).write_text(
            f"contexts: [{{name: {context}, context: {{cluster: c}}}}]\n"
            f"current-context: {context}\n"
        )
    if files:
        monkeypatch.setenv("KUBECONFIG", os.pathsep.join(str(tmp_path / f) for f in files))
    else:
        monkeypatch.delenv("KUBECONFIG")
    given = sdk_kubeconfig(None)
    if isinstance(expected, str):
        assert given == {"kubeconfig_path": str(tmp_path / expected.split()[1])}
    else:
        assert list(given) == ["kubeconfig_content"]
        assert _contexts(given["kubeconfig_content"]) == expected
