"""moto's AWS emulator for the tests that reach AWS Secrets Manager (``ref+awssecrets://``
values, ``secrets push --to aws``, ``--as aws``): one server on loopback for the session,
and boto3 (and chartsafe's own calls) pointed at it with fake credentials.
"""

from __future__ import annotations

import os
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

__all__ = ["moto_endpoint", "secrets_manager"]


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """moto's AWS emulator in server mode on loopback, for the whole session."""
    server_mod = pytest.importorskip("moto.server", reason="pip install 'moto[server]'")
    # port 0: the system picks one as the server binds, so no other test process can take
    # it in between (a free_port() number could be, under pytest-xdist)
    server = server_mod.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def secrets_manager(endpoint: str, monkeypatch: pytest.MonkeyPatch, region: str) -> Any:
    """A Secrets Manager client on the emulator, emptied first; the environment points boto3
    (and so chartsafe and the CLI) at it, with fake credentials and no shared config."""
    boto3 = pytest.importorskip("boto3")
    reset = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")
    with urllib.request.urlopen(reset, timeout=30):  # every test starts with no secrets
        pass
    for name, value in {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": region,
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
    }.items():
        monkeypatch.setenv(name, value)
    return boto3.client("secretsmanager", region_name=region, endpoint_url=endpoint)
