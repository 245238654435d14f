"""What chartsafe relies on in helm-python-sdk's registry calls, against a real registry.

Facts the OCI commands are built on (``chartsafe._helm_oci``): a package -> push -> pull
round trip returns the very archive pushed; pull reports a missing tag or name as
"NAME:TAG: not found"; an anonymous client against an htpasswd registry gets "basic
credential not found"; a wrong password at login gets a 401; a closed port gets
"connection refused". If an SDK upgrade changes one of these, this file says which.
"""

from __future__ import annotations

from pathlib import Path

import helm_python as h
import pytest

from .conftest import NEEDS_REGISTRY
from .registry_server import PASSWORD, USER, Registry

pytestmark = NEEDS_REGISTRY


def _client(registry: Registry, name: str = "credentials.json") -> h.RegistryClient:
    """A client whose credentials file is private to this registry, never ~/.config."""
    return h.RegistryClient(plain_http=True, credentials_file=registry.root / name)


def _logged_in(registry: Registry) -> h.RegistryClient:
    client = _client(registry)
    if registry.auth:
        client.login(registry.host, USER, PASSWORD, plain_http=True)
    return client


def test_push_pull_round_trip(registry: Registry, archive: Path, tmp_path: Path) -> None:
    client = _logged_in(registry)
    h.push(archive, f"{registry.url}/sdk", client=client, plain_http=True)
    assert client.tags(f"{registry.host}/sdk/agentapi-proxy") == ["0.1.0"]
    client.pull(
        f"{registry.url}/sdk/agentapi-proxy", version="0.1.0", destination=tmp_path, plain_http=True
    )
    assert (tmp_path / "agentapi-proxy-0.1.0.tgz").read_bytes() == archive.read_bytes()


@pytest.mark.parametrize(
    ("ref", "version", "message"),
    [
        ("sdk/agentapi-proxy", "9.9.9", "agentapi-proxy:9.9.9: not found"),
        ("sdk/nothing-here", "0.1.0", "nothing-here:0.1.0: not found"),
    ],
    ids=["wrong-tag", "wrong-name"],
)
def test_pull_of_a_missing_chart_fails(
    registry: Registry, archive: Path, tmp_path: Path, ref: str, version: str, message: str
) -> None:
    client = _logged_in(registry)
    h.push(archive, f"{registry.url}/sdk", client=client, plain_http=True)
    with pytest.raises(h.HelmRepoError, match=message):
        client.pull(f"{registry.url}/{ref}", version=version, destination=tmp_path, plain_http=True)


@pytest.mark.parametrize("registry", [True], ids=["htpasswd"], indirect=True)
def test_credentials_are_required_and_checked(registry: Registry, archive: Path) -> None:
    assert registry.auth
    with pytest.raises(h.HelmRegistryError, match="basic credential not found"):
        h.push(
            archive, f"{registry.url}/sdk", client=_client(registry, "none.json"), plain_http=True
        )
    with pytest.raises(h.HelmRegistryError, match="401"):
        _client(registry, "bad.json").login(registry.host, USER, "wrong", plain_http=True)


def test_unreachable_registry_fails(tmp_path: Path, refused_port: int) -> None:
    host = f"127.0.0.1:{refused_port}"
    client = h.RegistryClient(plain_http=True, credentials_file=tmp_path / "c.json")
    with pytest.raises(h.HelmRepoError, match="connection refused"):
        client.pull(
            f"oci://{host}/charts/agentapi-proxy",
            version="0.1.0",
            destination=tmp_path,
            plain_http=True,
        )
