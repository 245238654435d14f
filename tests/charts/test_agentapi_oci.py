"""agentapi-proxy through a real OCI registry on loopback (seed 004, "From OCI Registry").

Debian's ``docker-registry`` (distribution 2.8) is started per module on 127.0.0.1 with its
own config and storage in a temporary directory, over plain HTTP, once anonymous and once
behind htpasswd. The chart goes package -> push -> pull through the Helm SDK, and the pulled
archive must render exactly like the chart directory. The fixture is meant to move to a
shared conftest once chartsafe itself pulls ``oci://`` charts.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import helm_python as h
import pytest
from conftest import CHARTS, render
from test_agentapi_config import DATA, ROLE_EXAMPLE
from test_agentapi_params import CHART

REGISTRY = shutil.which("docker-registry") or "/usr/bin/docker-registry"
USER, PASSWORD = "tester", "chartsafe-test"  # bcrypt hash in registry.htpasswd

pytestmark = pytest.mark.skipif(
    not Path(REGISTRY).exists(), reason="Debian's docker-registry is not installed"
)


@dataclass
class Registry:
    host: str  # 127.0.0.1:PORT
    auth: bool
    root: Path

    def client(self, name: str = "credentials.json") -> h.RegistryClient:
        """A client whose credentials file is private to this registry, never ~/.config."""
        return h.RegistryClient(plain_http=True, credentials_file=self.root / name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _wait_ready(url: str, proc: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except urllib.error.HTTPError:  # 401 behind htpasswd: up
            return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"docker-registry did not start on {url}") from None
            time.sleep(0.05)


def _start(root: Path, auth: bool) -> Iterator[Registry]:
    root.mkdir()
    port = _free_port()
    config = {
        "version": 0.1,
        "log": {"level": "error", "accesslog": {"disabled": True}},
        "storage": {"filesystem": {"rootdirectory": str(root / "data")}},
        "http": {"addr": f"127.0.0.1:{port}", "secret": "chartsafe-tests"},
    }
    if auth:
        config["auth"] = {
            "htpasswd": {"realm": "chartsafe", "path": str(DATA / "registry.htpasswd")}
        }
    (root / "config.yml").write_text(json.dumps(config))  # JSON is YAML
    with (root / "registry.log").open("wb") as log:
        proc = subprocess.Popen(
            [REGISTRY, "serve", str(root / "config.yml")], stdout=log, stderr=subprocess.STDOUT
        )
    try:
        _wait_ready(f"http://127.0.0.1:{port}/v2/", proc)
        yield Registry(f"127.0.0.1:{port}", auth, root)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module", params=[False, True], ids=["anonymous", "htpasswd"])
def registry(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Registry]:
    root = tmp_path_factory.mktemp("registry") / "r"
    yield from _start(root, auth=request.param)


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Path(h.package(CHARTS / CHART, destination=tmp_path_factory.mktemp("package")))


def _logged_in(registry: Registry) -> h.RegistryClient:
    client = registry.client()
    if registry.auth:
        client.login(registry.host, USER, PASSWORD, plain_http=True)
    return client


def test_push_pull_render_round_trip(registry: Registry, archive: Path, tmp_path: Path) -> None:
    client = _logged_in(registry)
    h.push(archive, f"oci://{registry.host}/charts", client=client, plain_http=True)
    assert client.tags(f"{registry.host}/charts/agentapi-proxy") == ["0.1.0"]
    ref = f"oci://{registry.host}/charts/agentapi-proxy"
    client.pull(ref, version="0.1.0", destination=tmp_path, plain_http=True)
    pulled = tmp_path / "agentapi-proxy-0.1.0.tgz"
    assert render(pulled, ROLE_EXAMPLE).objects == render(CHART, ROLE_EXAMPLE).objects


@pytest.mark.parametrize(
    ("ref", "version", "message"),
    [
        ("charts/agentapi-proxy", "9.9.9", "agentapi-proxy:9.9.9: not found"),
        ("charts/nothing-here", "0.1.0", "nothing-here:0.1.0: not found"),
    ],
    ids=["wrong-tag", "wrong-name"],
)
def test_pull_of_a_missing_chart_fails(
    registry: Registry, archive: Path, tmp_path: Path, ref: str, version: str, message: str
) -> None:
    client = _logged_in(registry)
    h.push(archive, f"oci://{registry.host}/charts", client=client, plain_http=True)
    with pytest.raises(h.HelmRepoError, match=message):
        client.pull(
            f"oci://{registry.host}/{ref}", version=version, destination=tmp_path, plain_http=True
        )


@pytest.mark.parametrize("registry", [True], ids=["htpasswd"], indirect=True)
def test_credentials_are_required_and_checked(registry: Registry, archive: Path) -> None:
    assert registry.auth
    remote = f"oci://{registry.host}/charts"
    with pytest.raises(h.HelmRegistryError, match="basic credential not found"):
        h.push(archive, remote, client=registry.client("none.json"), plain_http=True)
    with pytest.raises(h.HelmRegistryError, match="401"):
        registry.client("bad.json").login(registry.host, USER, "wrong", plain_http=True)


def test_unreachable_registry_fails(tmp_path: Path) -> None:
    host = f"127.0.0.1:{_free_port()}"  # nothing listens there
    client = h.RegistryClient(plain_http=True, credentials_file=tmp_path / "c.json")
    with pytest.raises(h.HelmRepoError, match="connection refused"):
        client.pull(
            f"oci://{host}/charts/agentapi-proxy",
            version="0.1.0",
            destination=tmp_path,
            plain_http=True,
        )
