"""A registry behind a certificate a private CA signed: refused, with the way to trust it.

Helm's registry client (in the SDK) takes no CA file; it trusts the system's CAs and, as
Go does on Linux, the file ``$SSL_CERT_FILE`` names in the process's environment. So
chartsafe's one line says to set it, and a process started with it pushes and reads the
chart. Go reads the environment once, when the SDK loads: hence a child process here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from chartsafe._helm_oci import package_chart
from chartsafe.cli import main

from .conftest import CHART, NEEDS_REGISTRY
from .registry_server import Registry, start_registry

pytestmark = NEEDS_REGISTRY


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    yield from start_registry(tmp_path_factory.mktemp("registry") / "r", auth=False, tls=True)


def _chartsafe(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "chartsafe", *args], capture_output=True, text=True,
        env={**os.environ, **env}, check=False,
    )  # fmt: skip


def test_an_untrusted_registry_is_one_line_naming_ssl_cert_file(
    registry: Registry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = package_chart(CHART, tmp_path)
    assert main(["push", str(archive), f"{registry.url}/charts"]) == 2
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "TLS failure" in lines[0] and "unknown authority" in lines[0]
    assert "SSL_CERT_FILE=CA.pem" in lines[0]


def test_with_ssl_cert_file_the_chart_goes_up_and_comes_back(
    registry: Registry, tmp_path: Path
) -> None:
    archive = package_chart(CHART, tmp_path)
    ca = str(registry.root / "ca.pem")
    pushed = _chartsafe("push", str(archive), f"{registry.url}/charts", SSL_CERT_FILE=ca)
    assert pushed.returncode == 0, pushed.stderr
    reference = f"{registry.url}/charts/agentapi-proxy"
    shown = _chartsafe("show", "values", reference, "--version", "0.1.0", SSL_CERT_FILE=ca)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout == (CHART / "values.yaml").read_text() + "\n"
