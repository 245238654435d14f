"""``chartsafe check --against cluster`` and the install gate, against the loopback API server
of tests/cluster.

The server answers with recorded response shapes (tests/data/sealed): namespace tracecat holds
tracecat-secrets (dbPassword, userAuthSecret) and tracecat-redis (url); listing Secrets in
namespace locked is forbidden. Each check lists Secrets once per namespace, never per Secret.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from chartsafe.cli import main


def _cluster_fake() -> object:
    """tests/cluster/fake_api.py, loaded from its file (tests/cluster is not on sys.path here)."""
    path = Path(__file__).resolve().parents[1] / "cluster" / "fake_api.py"
    spec = importlib.util.spec_from_file_location("cluster_fake_api", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up there
    spec.loader.exec_module(module)
    return module


_fake = _cluster_fake()
api_server = _fake.api_server  # type: ignore[attr-defined]  # the fixture, used by name
FakeApiServer = _fake.FakeApiServer  # type: ignore[attr-defined]
write_kubeconfig = _fake.write_kubeconfig  # type: ignore[attr-defined]

REPO = Path(__file__).resolve().parents[2]
TRACECAT = str(REPO / "charts" / "tracecat")
READER = str(REPO / "tests" / "data" / "check" / "live-reader")
SEED = [
    "secrets.existingSecret=tracecat-secrets",
    "tracecat.auth.superadminEmail=admin@example.com",
    "ingress.host=tracecat.example.com",
    "externalPostgres.host=your-db-host.example.com",
    "externalPostgres.auth.existingSecret=tracecat-postgres-credentials",
    "externalRedis.auth.existingSecret=tracecat-redis",
]
SEED_FLAGS = [arg for value in SEED for arg in ("--set", value)]
#: The recorded Secrets' values, decoded and as the API sends them: never printed.
VALUES = [
    "cluster-secret-value",
    "another-secret",
    "redis://redis:6379",
    "Y2x1c3Rlci1zZWNyZXQtdmFsdWU=",
    "YW5vdGhlci1zZWNyZXQ=",
    "cmVkaXM6Ly9yZWRpczo2Mzc5",
]


@pytest.fixture
def kubeconfig(api_server: FakeApiServer, tmp_path: Path) -> Path:
    return write_kubeconfig(tmp_path / "kubeconfig", api_server.url)


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_met_contract_in_one_list_call(
    api_server: FakeApiServer, kubeconfig: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(capsys, "check", "r", READER, "-n", "tracecat", "--against", "cluster",
                          "--kubeconfig", str(kubeconfig), "-o", "json")  # fmt: skip
    report = json.loads(out)
    assert code == 0, err
    assert [(s["name"], s["origin"], [k["status"] for k in s["keys"]]) for s in report["secrets"]] \
        == [("tracecat-redis", "cluster", ["present"]),
            ("tracecat-secrets", "cluster", ["present"])]  # fmt: skip
    assert api_server.reads == ["/api/v1/namespaces/tracecat/secrets"]
    # and what Helm's install reads for .Capabilities, which the check's render takes too
    assert {p.split("?")[0] for p, _ in api_server.requests} >= {"/version", "/api", "/apis"}


def test_tracecat_gaps_named_from_the_cluster_without_values(
    api_server: FakeApiServer, kubeconfig: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # No -n: the context "elsewhere" has namespace tracecat.
    code, out, err = _run(capsys, "check", "tracecat", TRACECAT, *SEED_FLAGS, "--against",
                          "cluster", "--kubeconfig", str(kubeconfig), "--kube-context",
                          "elsewhere")  # fmt: skip
    assert code == 1, err
    assert "GAP Secret tracecat/tracecat-secrets: found as Secret (cluster)" in out
    assert "      userAuthSecret  IMPLAUSIBLE  [hex:32]: not hexadecimal (format hex:32)" in out
    assert "      serviceKey  MISSING  [hex:32]" in out
    assert "GAP Secret tracecat/tracecat-postgres-credentials: MISSING" in out
    assert "ok  Secret tracecat/tracecat-redis: found as Secret (cluster)" in out
    assert "&& kubectl apply -n tracecat -f tracecat-secrets.yaml" in out
    assert api_server.reads == ["/api/v1/namespaces/tracecat/secrets"]
    for value in VALUES:
        assert value not in out + err


def test_rbac_denial_is_reported_as_such(
    api_server: FakeApiServer, kubeconfig: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(capsys, "check", "r", READER, "-n", "closed", "--against", "cluster",
                          "--kubeconfig", str(kubeconfig))  # fmt: skip
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert (
        "forbidden: cannot list secrets in namespace closed, nor get the Secrets the release "
        "reads there (tracecat-redis, tracecat-secrets)" in err
    )
    assert "ask for RBAC that allows list on secrets in namespace closed, or get on those" in err
    assert api_server.reads == [
        "/api/v1/namespaces/closed/secrets",
        "/api/v1/namespaces/closed/secrets/tracecat-redis",
    ]


def test_secrets_read_by_name_where_rbac_denies_list(
    api_server: FakeApiServer, kubeconfig: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """RBAC with resourceNames grants get on named Secrets, not list: each needed one is read
    by name, an absent one (404) is a gap as in a listing, and the report says how."""
    code, out, err = _run(capsys, "check", "r", READER, "-n", "locked", "--against", "cluster",
                          "--kubeconfig", str(kubeconfig), "-o", "json")  # fmt: skip
    report = json.loads(out)
    assert code == 1, err
    assert [(s["name"], s["origin"], [k["status"] for k in s["keys"]]) for s in report["secrets"]] \
        == [("tracecat-redis", None, ["missing"]),
            ("tracecat-secrets", "cluster", ["present"])]  # fmt: skip
    assert report["warnings"] == [
        "RBAC denies list secrets in namespace locked: read by name the ones the release needs "
        "there (tracecat-redis, tracecat-secrets)"
    ]
    assert api_server.reads == [
        "/api/v1/namespaces/locked/secrets",
        "/api/v1/namespaces/locked/secrets/tracecat-redis",
        "/api/v1/namespaces/locked/secrets/tracecat-secrets",
    ]
    for value in VALUES:
        assert value not in out + err


def test_install_stops_on_a_gap_before_helm_runs(
    api_server: FakeApiServer, kubeconfig: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(capsys, "install", "tracecat", TRACECAT, "-n", "tracecat", *SEED_FLAGS,
                          "--kubeconfig", str(kubeconfig))  # fmt: skip
    assert code == 1 and out == ""
    assert "      dbEncryptionKey  MISSING  [fernet]" in err
    assert "      userAuthSecret  IMPLAUSIBLE  [hex:32]" in err
    assert err.rstrip().endswith(
        "chartsafe: contract not met: 6 gaps for release tracecat against the cluster of the "
        "current kubeconfig context (fix each gap (`chartsafe check` lists them with their "
        "fixes) or pass --skip-check)"
    )
    # Past discovery, the one request is the Secrets list: no release was read or written.
    assert api_server.reads == ["/api/v1/namespaces/tracecat/secrets"]
    for value in VALUES:
        assert value not in err


def test_skip_check_goes_straight_to_helm(
    api_server: FakeApiServer, kubeconfig: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, "install", "tracecat", TRACECAT, "-n", "tracecat", *SEED_FLAGS,
                        "--kubeconfig", str(kubeconfig), "--skip-check")  # fmt: skip
    assert "/api/v1/namespaces/tracecat/secrets" not in [p for p, _ in api_server.requests]
    assert "contract not met" not in err
    assert code != 0  # the fake server is no Kubernetes: Helm's own install fails after


def test_up_gate_reads_by_name_under_what_it_delivers(
    api_server: FakeApiServer, kubeconfig: Path
) -> None:
    """``up``'s check source passes the names down to the cluster, and its warnings up."""
    from chartsafe import ClusterAccess
    from chartsafe._up_apply import DeliveredSource
    from chartsafe.check import ClusterSource

    delivered = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "tracecat-redis"},
                 "stringData": {"url": "redis://delivered"}}  # fmt: skip
    cluster = ClusterSource(ClusterAccess(kubeconfig=kubeconfig))
    source = DeliveredSource([delivered], "plain", namespace="locked", under=cluster)
    names = {("locked", "tracecat-redis"), ("locked", "tracecat-secrets")}
    found = source.find({"locked"}, names=names)
    assert {k: s.origin for k, s in found.items()} == {
        ("locked", "tracecat-secrets"): "cluster",
        ("locked", "tracecat-redis"): "--deliver plain",
    }
    assert source.warnings == cluster.warnings and len(cluster.warnings) == 1
