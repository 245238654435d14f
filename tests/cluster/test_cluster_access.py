"""helm's cluster flags in chartsafe's own client: server, token, TLS and impersonation.

What the fake API server saw is the proof: the token in ``Authorization``, one
``Impersonate-Group`` line per group, and a TLS handshake that succeeds only when the
certificate was checked against the right CA and name (``api_server`` is behind TLS, for
``kube.test``; ``plain_api_server`` is plain http, where no credentials may go).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from fake_api import TOKEN, FakeApiServer, write_kubeconfig
from tls_server import SERVER_NAME

from chartsafe import ClusterAccess
from chartsafe._cluster import Cluster, ClusterError, load_cluster_config
from chartsafe._errors import InputError

CLOSED = "http://127.0.0.1:9"


def _trusting(server: FakeApiServer) -> dict[str, Any]:
    """The flags that make a TLS fake's certificate check pass."""
    return {"ca_file": server.ca_file, "tls_server_name": SERVER_NAME}


def _plugin_kubeconfig(path: Path, server: FakeApiServer, marker: Path) -> Path:
    """A kubeconfig whose user runs an exec plugin that leaves ``marker`` when it runs."""
    plugin = path.parent / "plugin.py"
    plugin.write_text(
        f"import pathlib\npathlib.Path({str(marker)!r}).touch()\nraise SystemExit(1)\n"
    )
    run = {"apiVersion": "client.authentication.k8s.io/v1", "command": sys.executable,
           "args": [str(plugin)]}  # fmt: skip
    path.write_text(json.dumps({
        "clusters": [{"name": "c", "cluster": {"server": server.url, "tls-server-name":
                      SERVER_NAME, "certificate-authority": str(server.ca_file or "")}}],
        "users": [{"name": "u", "user": {"exec": run}}],
        "contexts": [{"name": "x", "context": {"cluster": "c", "user": "u"}}],
        "current-context": "x",
    }))  # fmt: skip
    return path


def test_apiserver_and_token_need_no_kubeconfig(api_server: FakeApiServer) -> None:
    """A CI job with a token and no kubeconfig (the tests' home has none)."""
    access = ClusterAccess(apiserver=api_server.url, token=TOKEN, **_trusting(api_server))
    assert Cluster.connect(access).list_namespaces()[0] == "default"
    assert api_server.sent("Authorization") == [f"Bearer {TOKEN}"]


def test_apiserver_replaces_the_kubeconfig_server(
    api_server: FakeApiServer, tmp_path: Path
) -> None:
    kubeconfig = write_kubeconfig(tmp_path / "kc", CLOSED)
    access = ClusterAccess(kubeconfig, apiserver=api_server.url, **_trusting(api_server))
    assert Cluster.connect(access).list_namespaces()[0] == "default"
    assert api_server.sent("Authorization") == [f"Bearer {TOKEN}"]  # the kubeconfig user's


@pytest.mark.parametrize(
    ("fields", "scheme"),
    [({}, "http"), ({"insecure_skip_tls_verify": True}, "https"), ({"ca_file": "CA"}, "https")],
    ids=["nothing of TLS", "insecure", "a CA"],
)
def test_host_and_port_alone_takes_its_scheme_from_the_tls_settings(
    fields: dict[str, Any], scheme: str, tmp_path: Path
) -> None:
    """client-go's rule: with no scheme, https when a CA, a client certificate or insecure
    is set, else http."""
    ca = tmp_path / "ca.pem"
    ca.write_text("read, not used: nothing connects\n")
    given = {k: ca if v == "CA" else v for k, v in fields.items()}
    config = load_cluster_config(ClusterAccess(apiserver="127.0.0.1:6443", **given))
    assert config.server == f"{scheme}://127.0.0.1:6443"


def test_token_replaces_the_user_and_runs_no_exec_plugin(
    api_server: FakeApiServer, tmp_path: Path
) -> None:
    """As ``kubectl --token``: the plugin (``aws eks get-token``, seconds) is not run."""
    marker = tmp_path / "plugin-ran"
    kubeconfig = _plugin_kubeconfig(tmp_path / "kc", api_server, marker)
    Cluster.connect(ClusterAccess(kubeconfig=kubeconfig, token=TOKEN)).list_namespaces()
    assert api_server.sent("Authorization") == [f"Bearer {TOKEN}"]
    assert not marker.exists()
    with pytest.raises(ClusterError, match="exec plugin"):  # without the flag it runs
        load_cluster_config(ClusterAccess(kubeconfig=kubeconfig))
    assert marker.exists()


def test_no_credentials_go_over_plain_http(plain_api_server: FakeApiServer, tmp_path: Path) -> None:
    """client-go reads no user credentials for a server that is not https (helm sends no
    token there, measured): a token must not cross the network in clear text. Neither the
    kubeconfig's token nor --kube-token is sent, and no exec plugin runs for one."""
    kubeconfig = write_kubeconfig(tmp_path / "kc", plain_api_server.url)
    Cluster.connect(ClusterAccess(kubeconfig)).list_namespaces()
    Cluster.connect(ClusterAccess(apiserver=plain_api_server.url, token=TOKEN)).list_namespaces()
    assert [a for lines in plain_api_server.header_lines for a, _ in lines if a == "Authorization"]\
        == []  # fmt: skip
    marker = tmp_path / "plugin-ran"
    plugin = _plugin_kubeconfig(tmp_path / "kc2", plain_api_server, marker)
    Cluster.connect(ClusterAccess(plugin)).list_namespaces()
    assert not marker.exists()


def test_impersonation_flags_go_over_plain_http(plain_api_server: FakeApiServer) -> None:
    """What helm does there too (measured): the flags' identity is sent, no credentials."""
    access = ClusterAccess(apiserver=plain_api_server.url, as_user="alice", as_groups=("devs",))
    Cluster.connect(access).list_namespaces()
    assert (plain_api_server.sent("Impersonate-User"), plain_api_server.sent("Impersonate-Group"))\
        == (["alice"], ["devs"])  # fmt: skip


@pytest.mark.parametrize(
    ("access", "user", "groups"),
    [
        (ClusterAccess(as_user="alice"), ["alice"], []),
        (ClusterAccess(as_user="alice", as_groups=("devs", "ops,night")), ["alice"],
         ["devs", "ops,night"]),
        (ClusterAccess(), [], []),
    ],
    ids=["user", "user and two groups", "none"],
)  # fmt: skip
def test_impersonation_sends_one_header_line_per_group(
    access: ClusterAccess,
    user: list[str],
    groups: list[str],
    api_server: FakeApiServer,
    tmp_path: Path,
) -> None:
    """The API server reads each ``Impersonate-Group`` line as one group: a group named
    ``ops,night`` must stay one line, and two groups must be two lines."""
    kubeconfig = write_kubeconfig(tmp_path / "kc", api_server.url)
    given = ClusterAccess(kubeconfig, as_user=access.as_user, as_groups=access.as_groups)
    Cluster.connect(given).list_namespaces()
    assert api_server.sent("Impersonate-User") == user
    assert api_server.sent("Impersonate-Group") == groups


def test_groups_without_a_user_are_refused_as_client_go_refuses_them(
    api_server: FakeApiServer, tmp_path: Path
) -> None:
    with pytest.raises(InputError, match=r"--kube-as-group: .* only together with a user"):
        load_cluster_config(ClusterAccess(apiserver=CLOSED, as_groups=("system:masters",)))
    path = _tls_kubeconfig(tmp_path / "kc", api_server, ", as-groups: [qa]")
    with pytest.raises(InputError, match=r"as-groups in kubeconfig .*kc, context x: .* a user"):
        load_cluster_config(ClusterAccess(path))
    assert load_cluster_config(ClusterAccess(path, as_user="bob")).as_groups == ("qa",)


def test_kubeconfig_impersonation_is_used_and_flags_replace_it(
    api_server: FakeApiServer, tmp_path: Path
) -> None:
    """A kubeconfig user's ``as``/``as-groups`` are sent, as client-go sends them."""
    path = _tls_kubeconfig(tmp_path / "kc", api_server, ", as: bob, as-groups: [qa, dev]")
    Cluster.connect(ClusterAccess(path)).list_namespaces()
    assert (api_server.sent("Impersonate-User"), api_server.sent("Impersonate-Group")) == (
        ["bob"], ["qa", "dev"])  # fmt: skip
    Cluster.connect(ClusterAccess(path, as_user="carol", as_groups=("ops",))).list_namespaces()
    assert (api_server.sent("Impersonate-User"), api_server.sent("Impersonate-Group")) == (
        ["carol"], ["ops"])  # fmt: skip


def _tls_kubeconfig(path: Path, server: FakeApiServer, user: str = "", tls: str = "") -> Path:
    """A kubeconfig for ``server`` with ``tls`` fields (its CA and name, when not given)."""
    tls = tls or f", certificate-authority: '{server.ca_file}', tls-server-name: {SERVER_NAME}"
    path.write_text(
        f"clusters: [{{name: c, cluster: {{server: '{server.url}'{tls}}}}}]\n"
        f"users: [{{name: u, user: {{token: {TOKEN}{user}}}}}]\n"
        "contexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n"
    )
    return path


# (id, ClusterAccess fields beyond the server and token, whether the handshake succeeds)
TLS_CASES: list[tuple[str, dict[str, Any], str | None]] = [
    ("CA and the certificate's name", {"ca_file": "CA", "tls_server_name": "kube.test"}, None),
    ("CA, checked against the IP", {"ca_file": "CA"}, "certificate verify failed"),
    ("no CA", {"tls_server_name": "kube.test"}, "certificate verify failed"),
    ("a name the certificate lacks", {"ca_file": "CA", "tls_server_name": "other.test"},
     "certificate verify failed"),
    ("insecure", {"insecure_skip_tls_verify": True}, None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("fields", "failure"), [c[1:] for c in TLS_CASES], ids=[c[0] for c in TLS_CASES]
)
def test_tls_flags(fields: dict[str, Any], failure: str | None, api_server: FakeApiServer) -> None:
    """The server's certificate names ``kube.test`` only and is signed by the fixture's CA."""
    given = {k: api_server.ca_file if v == "CA" else v for k, v in fields.items()}
    access = ClusterAccess(apiserver=api_server.url, token=TOKEN, **given)
    cluster = Cluster.connect(access)
    if failure is None:
        assert cluster.list_namespaces()[0] == "default"
        return
    with pytest.raises(ClusterError, match=failure):
        cluster.list_namespaces()
    assert api_server.requests == []


def test_kubeconfig_tls_server_name_is_honoured(api_server: FakeApiServer, tmp_path: Path) -> None:
    """``tls-server-name`` in a kubeconfig was read and then ignored: the client checked the
    certificate against the URL's host and could not reach a server helm reaches."""
    named = _tls_kubeconfig(tmp_path / "kc", api_server)
    assert Cluster.connect(ClusterAccess(named)).list_namespaces()[0] == "default"
    ca_only = f", certificate-authority: '{api_server.ca_file}'"
    unnamed = _tls_kubeconfig(tmp_path / "kc2", api_server, tls=ca_only)
    with pytest.raises(ClusterError, match="certificate verify failed"):
        Cluster.connect(ClusterAccess(unnamed)).list_namespaces()
    flagged = ClusterAccess(unnamed, tls_server_name=SERVER_NAME)
    assert Cluster.connect(flagged).list_namespaces()[0] == "default"


def test_ca_file_flag_replaces_the_kubeconfig_ca(api_server: FakeApiServer, tmp_path: Path) -> None:
    kubeconfig = _tls_kubeconfig(
        tmp_path / "kc", api_server, tls=f", tls-server-name: {SERVER_NAME}"
    )
    with pytest.raises(ClusterError, match="certificate verify failed"):
        Cluster.connect(ClusterAccess(kubeconfig)).list_namespaces()
    access = ClusterAccess(kubeconfig, ca_file=api_server.ca_file)
    assert Cluster.connect(access).list_namespaces()[0] == "default"


def test_missing_ca_file_names_the_flag(tmp_path: Path) -> None:
    access = ClusterAccess(apiserver=CLOSED, ca_file=tmp_path / "no-ca.pem")
    with pytest.raises(InputError, match=r"--kube-ca-file .*no-ca\.pem: No such file"):
        load_cluster_config(access)
    with pytest.raises(InputError, match=r"--kube-ca-file .*no-ca\.pem: no such file"):
        access.verify_files()


def test_token_is_named_not_shown(api_server: FakeApiServer) -> None:
    """A refused token: the message says where it came from, never what it is."""
    access = ClusterAccess(apiserver=api_server.url, token="refused-token-5f1e",
                           **_trusting(api_server))  # fmt: skip
    assert "refused-token-5f1e" not in repr(access)
    with pytest.raises(ClusterError) as raised:
        Cluster.connect(access).list_namespaces()
    message = f"{raised.value.message} {raised.value.hint}"
    assert "unauthorized" in message and "--kube-token" in message
    assert "refused-token-5f1e" not in message


def test_context_without_kubeconfig_is_refused_even_with_apiserver() -> None:
    with pytest.raises(ClusterError, match="--kube-context x: there is no kubeconfig"):
        load_cluster_config(ClusterAccess(context="x", apiserver=CLOSED))


def test_apiserver_wins_over_the_pod_service_account(
    api_server: FakeApiServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """client-go: in a pod with no kubeconfig, ``--kube-apiserver`` alone says where."""
    (tmp_path / "token").write_text("sa-token\n")
    monkeypatch.setenv("KUBERNETES_SERVICE_HOST", "10.96.0.1")
    monkeypatch.setenv("KUBERNETES_SERVICE_PORT", "443")
    access = ClusterAccess(apiserver=api_server.url, token=TOKEN)
    config = load_cluster_config(access, service_account_dir=tmp_path)
    assert (config.server, config.token) == (api_server.url, TOKEN)
