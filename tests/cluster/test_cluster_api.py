"""_cluster against a loopback API server: config lookup, one call per list, clear RBAC errors."""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path

import pytest
from fake_api import CERT, TOKEN, FakeApiServer, write_kubeconfig
from tls_server import SERVER_NAME

from chartsafe._cluster import (
    Cluster,
    ClusterAccess,
    ClusterAccessDenied,
    ClusterError,
    ClusterNotFound,
    load_cluster_config,
)
from chartsafe.cli import main


@pytest.fixture
def cluster(api_server: FakeApiServer, tmp_path: Path) -> Cluster:
    return Cluster.connect(ClusterAccess(write_kubeconfig(tmp_path / "kubeconfig", api_server.url)))


def test_list_namespaces_in_one_call(cluster: Cluster, api_server: FakeApiServer) -> None:
    assert cluster.list_namespaces() == ["default", "kube-system", "tracecat"]
    assert [path for path, _ in api_server.requests] == ["/api/v1/namespaces"]
    assert api_server.requests[0][1]["Authorization"] == f"Bearer {TOKEN}"


def test_list_secrets_in_one_call(cluster: Cluster, api_server: FakeApiServer) -> None:
    secrets = cluster.list_secrets("tracecat")
    assert [s["metadata"]["name"] for s in secrets] == ["tracecat-secrets", "tracecat-redis"]
    assert base64.b64decode(secrets[1]["data"]["url"]) == b"redis://redis:6379"
    assert [path for path, _ in api_server.requests] == ["/api/v1/namespaces/tracecat/secrets"]


def test_get_secret_by_name(cluster: Cluster, api_server: FakeApiServer) -> None:
    secret = cluster.get_named("locked", "secrets", "tracecat-secrets")
    assert secret is not None and secret["metadata"]["name"] == "tracecat-secrets"
    assert cluster.get_named("locked", "secrets", "tracecat-redis") is None  # 404: none there
    with pytest.raises(ClusterAccessDenied) as caught:
        cluster.get_named("closed", "secrets", "tracecat-redis")
    assert (caught.value.verb, caught.value.resource) == ("get", "secrets")
    assert [path for path, _ in api_server.requests] == [
        "/api/v1/namespaces/locked/secrets/tracecat-secrets",
        "/api/v1/namespaces/locked/secrets/tracecat-redis",
        "/api/v1/namespaces/closed/secrets/tracecat-redis",
    ]


def test_forbidden_names_verb_resource_and_namespace(cluster: Cluster) -> None:
    with pytest.raises(ClusterAccessDenied) as caught:
        cluster.list_secrets("locked")
    error = caught.value
    assert (error.verb, error.resource, error.namespace) == ("list", "secrets", "locked")
    assert "forbidden: cannot list secrets in namespace locked" in str(error)
    assert "system:serviceaccount:ci:deployer" in str(error)
    assert error.exit_code == 2


def test_sealing_cert_through_the_service_proxy(
    cluster: Cluster, api_server: FakeApiServer
) -> None:
    pem = cluster.fetch_sealing_cert("kube-system", "sealed-secrets")
    assert pem == CERT.read_bytes()
    paths = [path for path, _ in api_server.requests]
    assert paths == [
        "/api/v1/namespaces/kube-system/services/sealed-secrets",
        "/api/v1/namespaces/kube-system/services/http:sealed-secrets:http/proxy/v1/cert.pem",
    ]
    assert api_server.requests[1][1]["Accept"].startswith("application/x-pem-file")


def test_missing_controller_service_says_which_flag(cluster: Cluster) -> None:
    with pytest.raises(ClusterNotFound, match="no Service sealed-secrets-controller in namespace"):
        cluster.fetch_sealing_cert()


def test_bad_token_is_unauthorized(api_server: FakeApiServer, tmp_path: Path) -> None:
    config = write_kubeconfig(tmp_path / "kc", api_server.url, token="wrong")
    with pytest.raises(ClusterError, match="unauthorized"):
        Cluster.connect(ClusterAccess(config)).list_namespaces()


def test_unreachable_server_is_one_clear_error(tmp_path: Path) -> None:
    config = write_kubeconfig(tmp_path / "kc", "http://127.0.0.1:9")
    with pytest.raises(ClusterError, match=r"cannot reach the API server http://127\.0\.0\.1:9"):
        Cluster.connect(ClusterAccess(config)).list_namespaces()


@pytest.mark.parametrize(
    ("context", "namespace"), [(None, "default"), ("here", "default"), ("elsewhere", "tracecat")]
)
def test_context_selection(tmp_path: Path, context: str | None, namespace: str) -> None:
    path = write_kubeconfig(tmp_path / "kc", "http://127.0.0.1:1")
    config = load_cluster_config(ClusterAccess(path, context))
    assert (config.context, config.namespace) == (context or "here", namespace)
    assert TOKEN not in repr(config)


def test_certificate_data_wrapped_over_lines_is_read_as_kubectl_does(tmp_path: Path) -> None:
    """client-go decodes ``*-data`` with Go's base64, which skips line breaks."""
    pem = CERT.read_bytes()
    encoded = base64.b64encode(pem).decode()
    wrapped = "".join(f"      {encoded[i : i + 64]}\n" for i in range(0, len(encoded), 64))
    path = tmp_path / "kc"
    path.write_text(
        "clusters:\n- name: local\n  cluster:\n    server: https://127.0.0.1:1\n"
        f"    certificate-authority-data: |\n{wrapped}"
        "contexts: [{name: here, context: {cluster: local}}]\ncurrent-context: here\n"
    )
    assert load_cluster_config(ClusterAccess(path)).ca_data == pem


def test_kubeconfig_env_list_is_merged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = tmp_path / "a"
    first.write_text("current-context: elsewhere\n")
    second = write_kubeconfig(tmp_path / "b", "http://127.0.0.1:1")
    monkeypatch.setenv("KUBECONFIG", f"{first}:{second}")
    assert load_cluster_config().namespace == "tracecat"


def test_unknown_context_is_named(tmp_path: Path) -> None:
    path = write_kubeconfig(tmp_path / "kc", "http://127.0.0.1:1")
    with pytest.raises(ClusterError, match="no context named 'nope'"):
        load_cluster_config(ClusterAccess(path, "nope"))


def test_in_cluster_service_account(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "token").write_text("sa-token\n")
    (tmp_path / "namespace").write_text("apps")
    monkeypatch.setenv("KUBERNETES_SERVICE_HOST", "10.96.0.1")
    monkeypatch.setenv("KUBERNETES_SERVICE_PORT", "443")
    config = load_cluster_config(service_account_dir=tmp_path)
    assert (config.server, config.namespace, config.token) == (
        "https://10.96.0.1:443", "apps", "sa-token")  # fmt: skip


def test_no_config_at_all_says_where_it_looked(tmp_path: Path) -> None:
    with pytest.raises(ClusterError, match="no kubeconfig found"):
        load_cluster_config(service_account_dir=tmp_path)


def test_exec_credential_plugin(api_server: FakeApiServer, tmp_path: Path) -> None:
    plugin = tmp_path / "plugin.py"
    status = {"apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential",
              "status": {"token": TOKEN}}  # fmt: skip
    plugin.write_text(
        "import json, os\n"
        "assert json.loads(os.environ['KUBERNETES_EXEC_INFO'])['kind'] == 'ExecCredential'\n"
        f"print(json.dumps({status!r}))\n"
    )
    path = tmp_path / "kc"
    path.write_text(
        json.dumps(
            {
                "clusters": [{"name": "c", "cluster": {
                    "server": api_server.url, "certificate-authority": str(api_server.ca_file),
                    "tls-server-name": SERVER_NAME}}],
                "users": [{"name": "u", "user": {"exec": {
                    "apiVersion": "client.authentication.k8s.io/v1",
                    "command": sys.executable, "args": [str(plugin)]}}}],
                "contexts": [{"name": "x", "context": {"cluster": "c", "user": "u"}}],
                "current-context": "x",
            }
        )
    )  # fmt: skip
    assert Cluster.connect(ClusterAccess(path)).list_namespaces()[0] == "default"


# (id, what the plugin prints or how it fails, words of the error)
BROKEN_PLUGINS = [
    ("status a list", {"status": ["t"]}, "status is not a mapping of strings"),
    ("token a number", {"status": {"token": 5}}, "status is not a mapping of strings"),
    ("no status", {"kind": "ExecCredential"}, "printed no ExecCredential status"),
    ("fails with a blank install hint", None, "exited 3"),
]


@pytest.mark.parametrize(
    ("printed", "words"), [b[1:] for b in BROKEN_PLUGINS], ids=[b[0] for b in BROKEN_PLUGINS]
)
def test_a_broken_exec_plugin_gets_one_clear_error(
    tmp_path: Path, printed: dict[str, object] | None, words: str
) -> None:
    """A plugin's odd output (or a blank installHint) was an internal error before."""
    plugin = tmp_path / "plugin.py"
    body = "raise SystemExit(3)" if printed is None else f"print(json.dumps({printed!r}))"
    plugin.write_text(f"import json\n{body}\n")
    path = tmp_path / "kc"
    path.write_text(
        json.dumps(
            {
                "clusters": [{"name": "c", "cluster": {"server": "https://127.0.0.1:9"}}],
                "users": [{"name": "u", "user": {"exec": {
                    "apiVersion": "client.authentication.k8s.io/v1", "installHint": "  \n",
                    "command": sys.executable, "args": [str(plugin)]}}}],
                "contexts": [{"name": "x", "context": {"cluster": "c", "user": "u"}}],
                "current-context": "x",
            }
        )
    )  # fmt: skip
    with pytest.raises(ClusterError, match=words):
        load_cluster_config(ClusterAccess(path))


def test_seal_fetches_the_cert_from_the_controller(
    api_server: FakeApiServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kubeconfig = write_kubeconfig(tmp_path / "kc", api_server.url)
    secret = tmp_path / "s.yaml"
    secret.write_text("apiVersion: v1\nkind: Secret\nmetadata: {name: a}\nstringData: {k: v4lue}\n")
    args = ["seal", "-f", str(secret), "--kubeconfig", str(kubeconfig)]
    assert main([*args, "--controller-name", "sealed-secrets"]) == 0
    out = capsys.readouterr().out
    assert "kind: SealedSecret" in out and "v4lue" not in out
    assert main(["sealed", "cert", "--kubeconfig", str(kubeconfig),
                 "--controller-name", "sealed-secrets"]) == 0  # fmt: skip
    assert capsys.readouterr().out == CERT.read_text()
    assert main([*args]) == 2
    assert "pass --controller-name" in capsys.readouterr().err
