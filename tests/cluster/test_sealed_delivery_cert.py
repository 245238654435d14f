"""Sealed delivery without --cert asks the controller for its certificate, as ``seal`` does.

``secrets render --as sealed`` and ``up --deliver sealed`` once required ``--cert``; now they
find the certificate as kubeseal does (through the API server's service proxy), and say
how to get one when there is no cluster.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from fake_api import FakeApiServer, write_kubeconfig

from chartsafe.cli import main
from chartsafe.store.age_keys import create_identity_file

REPO = Path(__file__).resolve().parents[2]
TRACECAT = REPO / "charts" / "tracecat"
SEED = [
    "secrets.existingSecret=tracecat-secrets",
    "tracecat.auth.superadminEmail=admin@example.com",
    "ingress.host=tracecat.example.com",
    "externalPostgres.host=db.example.com",
    "externalPostgres.auth.existingSecret=tracecat-postgres-credentials",
    "externalRedis.auth.existingSecret=tracecat-redis-credentials",
]


def _release(store: Path) -> list[str]:
    flags = [arg for value in SEED for arg in ("--set", value)]
    return ["tracecat", str(TRACECAT), "-n", "tracecat", *flags, "--store", str(store)]


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store ``secrets init`` filled for Tracecat (the database user set by hand)."""
    key_file = tmp_path / "keys.txt"
    recipient = create_identity_file(key_file)
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(key_file))
    path = tmp_path / "secrets.sops.yaml"
    assert main(["secrets", "set", "-n", "tracecat", "tracecat-postgres-credentials",
                 "username", "--from-literal", "tracecat", "--store", str(path),
                 "--age", recipient]) == 0  # fmt: skip
    assert main(["secrets", "init", *_release(path), "--generator",
                 "url=url:redis://:{password:32}@redis.example.com:6379"]) == 0  # fmt: skip
    return path


def test_render_as_sealed_fetches_the_certificate(
    store: Path, api_server: FakeApiServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kubeconfig = write_kubeconfig(tmp_path / "kc", api_server.url)
    capsys.readouterr()
    controller = ["--kubeconfig", str(kubeconfig), "--controller-name", "sealed-secrets"]
    code = main(["secrets", "render", *_release(store), "--as", "sealed", *controller])
    assert code == 0
    sealed = list(yaml.safe_load_all(capsys.readouterr().out))
    assert sealed and {d["kind"] for d in sealed} == {"SealedSecret"}
    paths = [path for path, _ in api_server.requests]
    assert "/api/v1/namespaces/kube-system/services/sealed-secrets" in paths


@pytest.mark.parametrize(
    ("args", "words"),
    [
        # no cluster (KUBECONFIG points at nothing): how to get a certificate
        (["--as", "sealed"], ["no --cert", "could not be fetched", "--cert FILE"]),
        # the controller flags belong to sealing only (the cluster flags choose the
        # namespace for every backend: tests/cli/test_namespace_default.py)
        (
            ["--as", "secret", "--out", "s.yaml", "--controller-name", "x"],
            ["--controller-name: not used by --as secret"],
        ),
    ],
)
def test_render_says_what_it_needs(
    store: Path, args: list[str], words: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["secrets", "render", *_release(store), *args]) == 2
    err = capsys.readouterr().err
    assert all(word in err for word in words), err


def test_up_delivers_sealed_with_the_controller_certificate(
    store: Path, api_server: FakeApiServer, tmp_path: Path
) -> None:
    kubeconfig = write_kubeconfig(tmp_path / "kc", api_server.url)
    bundle = tmp_path / "bundle"
    controller = ["--kubeconfig", str(kubeconfig), "--controller-name", "sealed-secrets"]
    code = main(["up", *_release(store), "--deliver", "sealed", "--out", str(bundle), *controller])
    assert code == 0
    delivered = list(yaml.safe_load_all((bundle / "secrets.yaml").read_text()))
    assert delivered and {d["kind"] for d in delivered} == {"SealedSecret"}
