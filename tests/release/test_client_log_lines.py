"""Kubernetes client (klog) lines from Helm's release actions, in chartsafe's words.

client-go writes ``E1123 09:21:12.539809   24249 memcache.go:265] "Unhandled Error" err=...``
straight to fd 2 when discovery fails; the failure itself is already chartsafe's one line.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import release_fake_api
from release_fake_api import APP

from chartsafe.cli import main

KLOG = re.compile(r"^[IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d+", re.M)


def test_a_failed_discovery_is_one_line_without_the_client_log(
    fake_kubeconfig: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(release_fake_api, "DISCOVERY", {})  # every discovery path a 404
    args = ["upgrade", "shop", str(APP), "--kubeconfig", str(fake_kubeconfig), "-n", "apps",
            "--dry-run", "client"]  # fmt: skip
    assert main(args) == 1
    err = capfd.readouterr().err
    assert not KLOG.search(err), err
    # Helm wraps this error twice in the same words; said once
    assert "upgrade shop failed: could not get apiVersions from Kubernetes: the server" in err
    assert err.count("could not get apiVersions") == 1
