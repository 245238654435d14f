"""helm's cluster flags and variables reach Helm's SDK: server, TLS, token, impersonation.

The fake API server here is behind TLS, with a certificate for ``kube.test`` only: Helm's
client (client-go) sends no credentials to a plain http server. The tests' home has no
kubeconfig, so a release read at all proves ``--kube-apiserver``, ``--kube-ca-file`` and
``--kube-tls-server-name`` reached the SDK; what the server saw proves the token and the
identity. Throttling, which no server can observe, is checked in what the SDK's C library
is handed.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from release_fake_api import FakeApi, serving
from tls_server import SERVER_NAME, server_context

from chartsafe.cli import main

TOKEN = "ci-token-0b1d"


@pytest.fixture
def tls_api(records: list[dict[str, Any]], tmp_path: Path) -> Iterator[FakeApi]:
    with serving(FakeApi(records=copy.deepcopy(records)), server_context(tmp_path)) as api:
        yield api


@pytest.fixture
def reach(tls_api: FakeApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeApi:
    """helm's variables set to reach ``tls_api`` as a CI job would: no kubeconfig."""
    monkeypatch.setenv("HELM_KUBEAPISERVER", tls_api.server)
    monkeypatch.setenv("HELM_KUBECAFILE", str(tmp_path / "ca.pem"))
    monkeypatch.setenv("HELM_KUBETLS_SERVER_NAME", SERVER_NAME)
    monkeypatch.setenv("HELM_KUBETOKEN", TOKEN)
    return tls_api


def _list(args: list[str], capsys: pytest.CaptureFixture[str]) -> list[str]:
    code = main(["list", "-n", "apps", "-o", "json", *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert TOKEN not in out + err
    return [release["name"] for release in json.loads(out)]


def test_flags_alone_reach_the_release(
    tls_api: FakeApi, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flags = ["--kube-apiserver", tls_api.server, "--kube-ca-file", str(tmp_path / "ca.pem"),
             "--kube-tls-server-name", SERVER_NAME, "--kube-token", TOKEN]  # fmt: skip
    assert _list(flags, capsys) == ["shop"]
    assert tls_api.sent("Authorization") == {(f"Bearer {TOKEN}",)}


def test_variables_alone_reach_the_release(
    reach: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _list([], capsys) == ["shop"]
    assert reach.sent("Authorization") == {(f"Bearer {TOKEN}",)}


@pytest.mark.parametrize(
    ("flags", "words"),
    [
        (["--kube-tls-server-name", "127.0.0.1"], "doesn't contain any IP SANs"),
        (["--kube-ca-file", "/etc/hostname"], "unable to parse bytes as PEM block"),
    ],
    ids=["a name the certificate lacks", "a CA file that is no certificate"],
)
def test_a_wrong_tls_flag_is_not_ignored(
    flags: list[str], words: str, reach: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    """The flag beats its variable, and Helm's client really checks the certificate."""
    assert main(["list", "-n", "apps", *flags]) == 2
    err = capsys.readouterr().err
    assert words in err and TOKEN not in err
    assert reach.requests == []


@pytest.mark.parametrize(
    ("flags", "environment", "user", "groups"),
    [
        (["--kube-as-user", "alice", "--kube-as-group", "devs", "--kube-as-group", "ops,night"],
         {}, ("alice",), ("devs", "ops,night")),
        ([], {"HELM_KUBEASUSER": "alice", "HELM_KUBEASGROUPS": "devs,ops"},
         ("alice",), ("devs", "ops")),
        (["--kube-as-user", "bob", "--kube-as-group", "qa"],
         {"HELM_KUBEASUSER": "alice", "HELM_KUBEASGROUPS": "devs,ops"}, ("bob",), ("qa",)),
    ],
    ids=["flags", "variables", "flags over variables"],
)  # fmt: skip
def test_impersonation_reaches_helm(
    flags: list[str],
    environment: dict[str, str],
    user: tuple[str, ...],
    groups: tuple[str, ...],
    reach: FakeApi,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Helm splits ``$HELM_KUBEASGROUPS`` on commas; a flag's value is one group."""
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert _list(flags, capsys) == ["shop"]
    assert reach.sent("Impersonate-User") == {user}
    assert reach.sent("Impersonate-Group") == {groups}


@pytest.fixture
def sdk_configs(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The options of every ``helm_config_new`` call (one SDK Config each)."""
    import helm_python._native as native

    seen: list[dict[str, Any]] = []
    real = native.call_handle

    def spy(function: str, *args: Any) -> Any:
        if function == "helm_config_new":
            seen.append(json.loads(args[0]))
        return real(function, *args)

    monkeypatch.setattr(native, "call_handle", spy)
    return seen


def test_every_flag_is_handed_to_the_sdk(
    tls_api: FakeApi,
    sdk_configs: list[dict[str, Any]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ca = str(tmp_path / "ca.pem")
    flags = [
        "--kube-apiserver", tls_api.server, "--kube-token", TOKEN, "--kube-ca-file", ca,
        "--kube-tls-server-name", SERVER_NAME, "--kube-as-user", "alice",
        "--kube-as-group", "devs", "--burst-limit", "7", "--qps", "2.5",
    ]  # fmt: skip
    assert _list(flags, capsys) == ["shop"]
    [options] = sdk_configs
    assert {k: v for k, v in options.items() if k.startswith(("kube_", "burst", "qps"))} == {
        "kube_apiserver": tls_api.server,
        "kube_token": TOKEN,
        "kube_ca_file": ca,
        "kube_tls_server_name": SERVER_NAME,
        "kube_as_user": "alice",
        "kube_as_groups": ["devs"],
        "burst_limit": 7,
        "qps": 2.5,
    }


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"HELM_BURST_LIMIT": "-1", "HELM_QPS": "50"}, {"burst_limit": -1, "qps": 50.0}),
        ({}, {}),
    ],
    ids=["throttling", "none: the SDK's defaults"],
)
def test_throttling_variables_are_handed_to_the_sdk(
    environment: dict[str, str],
    expected: dict[str, Any],
    reach: FakeApi,
    sdk_configs: list[dict[str, Any]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert _list([], capsys) == ["shop"]
    [options] = sdk_configs
    assert {k: v for k, v in options.items() if k in {"burst_limit", "qps"}} == expected


def test_insecure_variable_skips_the_check(
    tls_api: FakeApi, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No CA and no name: only skipping the check reaches the server."""
    monkeypatch.setenv("HELM_KUBEAPISERVER", tls_api.server)
    assert main(["list", "-n", "apps"]) == 2
    capsys.readouterr()
    monkeypatch.setenv("HELM_KUBEINSECURE_SKIP_TLS_VERIFY", "true")
    assert _list([], capsys) == ["shop"]
