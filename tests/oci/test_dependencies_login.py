"""Dependencies from a registry behind a login: ``registry login``, then ``dependency update``.

Helm's resolver reads credentials from Helm's registry config at its usual place; the SDK
takes no other file for it. Go reads the environment once, when Helm's library loads, so
each step is its own ``chartsafe`` process with its own HOME (as a user's shell runs them).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from chartsafe._helm_oci import RegistryAccess, package_chart, push_chart, registry_login

from .conftest import NEEDS_REGISTRY, parent_chart
from .registry_server import PASSWORD, USER, Registry, start_registry

pytestmark = NEEDS_REGISTRY


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    yield from start_registry(tmp_path_factory.mktemp("registry") / "r", auth=True)


@pytest.fixture(scope="module")
def published(registry: Registry, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A subchart ``sub`` 0.1.0 pushed behind the login; its repository URL."""
    access = RegistryAccess(plain_http=True, registry_config=tmp_path_factory.mktemp("c") / "c")
    registry_login(registry.host, USER, PASSWORD, access)
    sub = tmp_path_factory.mktemp("sub") / "sub"
    (sub / "templates").mkdir(parents=True)
    (sub / "Chart.yaml").write_text("apiVersion: v2\nname: sub\nversion: 0.1.0\n")
    push_chart(package_chart(sub, tmp_path_factory.mktemp("dist")), f"{registry.url}/c", access)
    return f"{registry.url}/c"


def _chartsafe(
    home: Path, *args: str, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("HELM_", "XDG_"))}
    return subprocess.run(
        [sys.executable, "-m", "chartsafe", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**clean, "HOME": str(home), **env},
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("where", ["default", "HELM_CONFIG_HOME", "XDG_CONFIG_HOME"])
def test_update_uses_the_login(
    where: str, registry: Registry, published: str, tmp_path: Path
) -> None:
    home, parent = tmp_path / "home", parent_chart(tmp_path, published)
    home.mkdir()
    env = {where: str(tmp_path / "config")} if where != "default" else {}
    update = ["dependency", "update", str(parent), "--plain-http"]
    before = _chartsafe(home, *update, **env)
    assert before.returncode == 2
    assert (
        before.stderr.count("\n") == 1 and "log in first: chartsafe registry login" in before.stderr
    )
    login = ["registry", "login", registry.host, "-u", USER, "--password-stdin", "--plain-http"]
    done = _chartsafe(home, *login, stdin=PASSWORD, **env)
    assert done.returncode == 0, done.stderr
    after = _chartsafe(home, *update, **env)
    assert after.returncode == 0, after.stderr
    assert [p.name for p in (parent / "charts").iterdir()] == ["sub-0.1.0.tgz"]
    assert PASSWORD not in before.stderr + done.stdout + done.stderr + after.stdout + after.stderr


def test_a_registry_config_variable_is_not_read_and_the_hint_says_so(
    registry: Registry, published: str, tmp_path: Path
) -> None:
    """The SDK's resolver reads only Helm's default place; ``registry login`` follows
    ``$HELM_REGISTRY_CONFIG`` as Helm does. When the SDK reads it, this test fails: then
    drop the hint's exception."""
    home, parent = tmp_path / "home", parent_chart(tmp_path, published)
    home.mkdir()
    env = {"HELM_REGISTRY_CONFIG": str(tmp_path / "registry.json")}
    login = ["registry", "login", registry.host, "-u", USER, "--password-stdin", "--plain-http"]
    assert _chartsafe(home, *login, stdin=PASSWORD, **env).returncode == 0
    assert (tmp_path / "registry.json").is_file()
    after = _chartsafe(home, "dependency", "update", str(parent), "--plain-http", **env)
    assert after.returncode == 2
    assert "reads no $HELM_REGISTRY_CONFIG" in after.stderr
