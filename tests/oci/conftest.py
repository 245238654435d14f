"""Fixtures for the OCI tests: a registry on loopback (anonymous and htpasswd) and a packaged chart.

No test reads or writes a real Helm registry config: ``HELM_REGISTRY_CONFIG`` and
``HELM_CONFIG_HOME`` are cleared, and HOME/XDG_CONFIG_HOME already point into a temp folder.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .registry_server import AVAILABLE, Registry, start_registry

#: Every OCI test module starts with ``pytestmark = NEEDS_REGISTRY``.
NEEDS_REGISTRY = pytest.mark.skipif(
    not AVAILABLE, reason="Debian's docker-registry is not installed (.ci/run installs it)"
)

REPO = Path(__file__).resolve().parents[2]
CHART = REPO / "charts" / "agentapi-proxy"
ROLE_EXAMPLE = CHART / "values-role-env-example.yaml"


def parent_chart(root: Path, repository: str, version: str = "0.1.0") -> Path:
    """``root/parent``: a chart whose one dependency is ``sub`` (``version``, a version or a
    range) from ``repository``, not fetched yet."""
    chart = root / "parent"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text(
        "apiVersion: v2\nname: parent\nversion: 1.0.0\ndependencies:\n"
        f"  - name: sub\n    version: {version}\n    repository: {repository}\n"
    )
    return chart


@pytest.fixture(autouse=True)
def _no_helm_registry_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HELM_REGISTRY_CONFIG", "HELM_CONFIG_HOME"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module", params=[False, True], ids=["anonymous", "htpasswd"])
def registry(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Registry]:
    root = tmp_path_factory.mktemp("registry") / "r"
    yield from start_registry(root, auth=request.param)


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """agentapi-proxy packaged by chartsafe's library (Helm's packager)."""
    from chartsafe._helm_oci import package_chart

    return package_chart(CHART, tmp_path_factory.mktemp("package"))
