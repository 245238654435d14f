"""``registry logout`` refuses a host with no stored credentials, and only then."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chartsafe._helm_oci import RegistryAccess, RegistryError, registry_logout

HUB = "https://index.docker.io/v1/"


@pytest.mark.parametrize(
    ("stored", "host", "logged_in"),
    [
        ("127.0.0.1:5000", "127.0.0.1:5000", True),
        ("127.0.0.1:5000", "oci://127.0.0.1:5000", True),
        ("127.0.0.1:5000", "127.0.0.1", False),  # the port is part of the host
        (HUB, "docker.io", True),  # Docker Hub's login is stored under its index URL
        ("127.0.0.1:5000", "elsewhere.example", False),
    ],
)
def test_logout_knows_stored_hosts(tmp_path: Path, stored: str, host: str, logged_in: bool) -> None:
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"auths": {stored: {"auth": "dXNlcjpwdw=="}}}))
    access = RegistryAccess(registry_config=config)
    if logged_in:
        assert registry_logout(host, access) == config
        assert json.loads(config.read_text())["auths"] == {}
    else:
        with pytest.raises(RegistryError, match="not logged in"):
            registry_logout(host, access)
        assert stored in json.loads(config.read_text())["auths"]
