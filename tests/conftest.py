"""Test-wide guards: no network beyond loopback, no reading the user's home or kube config."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aws_emulator import moto_endpoint
from loopback import refused_port

# One AWS emulator and one refusing port for the session, wherever they are needed.
__all__ = ["moto_endpoint", "refused_port"]

#: The variables helm reads for its global flags that chartsafe reads too.
HELM_ENVIRONMENT = ("HELM_NAMESPACE", "HELM_KUBECONTEXT", "HELM_MAX_HISTORY", "HELM_DRIVER",
                    "HELM_REGISTRY_CONFIG", "HELM_CONFIG_HOME")  # fmt: skip

_real_connect = socket.socket.connect

#: Helm's folders, which its Go code (the SDK) looks up itself (see pytest_configure).
HELM_FOLDERS = ("HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME")


def pytest_configure(config: pytest.Config) -> None:
    """Private Helm folders for the test processes pytest-xdist starts (``make test``).

    Helm's Go code reads the environment the process started with, not ``os.environ``
    as a test changes it: in-process, a fetch from a chart repository would make Helm's
    cache folders under the developer's real home, whatever ``_isolated_home`` says.
    Workers start with the controller's environment of this moment, so this is where they
    get folders of their own. In a run without ``-n`` only the Python side sees them.
    """
    if hasattr(config, "workerinput"):  # a worker: its environment is already set
        return
    import os
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="chartsafe-tests-helm-"))
    config.stash[_HELM_BASE] = base
    for name in HELM_FOLDERS:
        os.environ[name] = str(base / name.lower())


def pytest_unconfigure(config: pytest.Config) -> None:
    import shutil

    base = config.stash.get(_HELM_BASE, None)
    if base is not None:
        shutil.rmtree(base, ignore_errors=True)


_HELM_BASE = pytest.StashKey[Path]()


def _is_loopback(address: Any) -> bool:
    if isinstance(address, tuple) and address:
        host = str(address[0])
        if host == "localhost":
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False
    return isinstance(address, (str, bytes))  # unix sockets stay local


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection to a non-loopback address fails the test loudly."""

    def guarded(self: socket.socket, address: Any) -> Any:
        if not _is_loopback(address):
            raise AssertionError(f"test tried to reach the network: {address!r}")
        return _real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """HOME, XDG folders and KUBECONFIG point into a temp folder: nothing of the user's is read.

    Helm's own variables are unset too: a developer's ``HELM_NAMESPACE`` would move every
    release these tests render."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("KUBECONFIG", str(home / "no-kubeconfig"))
    for name in ("SOPS_AGE_KEY_FILE", "SOPS_AGE_KEY", "SOPS_AGE_RECIPIENTS", "CHARTSAFE_DEBUG",
                 *HELM_ENVIRONMENT):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    yield home


@pytest.fixture(autouse=True)
def _sigint_handler_kept() -> Iterator[None]:
    """``chartsafe.cli.run`` installs its own Ctrl-C handler; pytest keeps its own after."""
    import signal

    before = signal.getsignal(signal.SIGINT)
    yield
    signal.signal(signal.SIGINT, before)
