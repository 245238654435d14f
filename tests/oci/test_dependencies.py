"""``chartsafe dependency list|update|build`` and ``--dependency-update``, against a registry.

A parent chart declares a subchart published to Debian's docker-registry on loopback
(anonymous, plain HTTP). Helm's own resolver fetches it into the parent's ``charts/``;
nothing is written to the user's Helm configuration or caches.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from chartsafe._helm_oci import package_chart, push_chart
from chartsafe.cli import main

from .conftest import NEEDS_REGISTRY, parent_chart
from .registry_server import Registry, start_registry

pytestmark = NEEDS_REGISTRY

SUB_CONFIGMAP = """apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-sub
data:
  greeting: {{ .Values.greeting | quote }}
"""


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    yield from start_registry(tmp_path_factory.mktemp("registry") / "r", auth=False)


@pytest.fixture(scope="module")
def published(registry: Registry, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A subchart ``sub`` 0.1.0 pushed to the registry; its repository URL."""
    from chartsafe._helm_oci import RegistryAccess

    sub = tmp_path_factory.mktemp("sub") / "sub"
    (sub / "templates").mkdir(parents=True)
    (sub / "Chart.yaml").write_text("apiVersion: v2\nname: sub\nversion: 0.1.0\n")
    (sub / "values.yaml").write_text("greeting: hello\n")
    (sub / "templates" / "configmap.yaml").write_text(SUB_CONFIGMAP)
    archive = package_chart(sub, tmp_path_factory.mktemp("dist"))
    push_chart(archive, f"{registry.url}/charts", RegistryAccess(plain_http=True))
    return f"{registry.url}/charts"


@pytest.fixture
def parent(published: str, tmp_path: Path) -> Path:
    """A chart that declares ``sub`` from the registry and has not fetched it."""
    chart = parent_chart(tmp_path, published, "~0.1.0")
    (chart / "values.yaml").write_text("sub:\n  greeting: hi\n")
    return chart


def _statuses(chart: Path, capsys: pytest.CaptureFixture[str]) -> list[tuple[str, str]]:
    assert main(["dependency", "list", str(chart), "-o", "json"]) == 0
    return [(d["name"], d["status"]) for d in json.loads(capsys.readouterr().out)]


def test_update_fetches_into_charts_and_writes_the_lock(
    parent: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _statuses(parent, capsys) == [("sub", "missing")]
    assert main(["dependency", "update", str(parent), "--plain-http"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[1].split()[-1] == "ok"  # the table: sub ... ok
    assert [p.name for p in (parent / "charts").iterdir()] == ["sub-0.1.0.tgz"]
    assert "version: 0.1.0" in (parent / "Chart.lock").read_text()  # ~0.1.0 resolved
    assert _statuses(parent, capsys) == [("sub", "ok")]


def test_build_fetches_what_the_lock_pins(parent: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["dependency", "update", str(parent), "--plain-http"]) == 0
    capsys.readouterr()
    (parent / "charts" / "sub-0.1.0.tgz").unlink()
    assert _statuses(parent, capsys) == [("sub", "missing")]
    assert main(["dependency", "build", str(parent), "--plain-http"]) == 0
    capsys.readouterr()
    assert _statuses(parent, capsys) == [("sub", "ok")]


@pytest.mark.parametrize(
    "command",
    [
        ["template", "rel", "{chart}"],
        ["install", "rel", "{chart}", "--dry-run", "client", "--storage", "memory"],
        ["upgrade", "-i", "rel", "{chart}", "--dry-run", "client", "--storage", "memory"],
    ],
    ids=["template", "install", "upgrade --install"],
)
def test_dependency_update_fetches_what_is_missing_first(
    command: list[str], parent: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [a.replace("{chart}", str(parent)) for a in command]
    assert main(args) == 2  # as helm: a declared dependency missing from charts/
    assert "chartsafe dependency build" in capsys.readouterr().err
    assert main([*args, "--dependency-update", "--plain-http"]) == 0
    out, err = capsys.readouterr()
    assert "rel-sub" in out and "fetched the missing dependencies" in err
    assert main([*args, "--dependency-update", "--plain-http"]) == 0  # nothing missing now
    assert "fetched" not in capsys.readouterr().err


def test_the_users_helm_configuration_is_untouched(
    parent: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["dependency", "update", str(parent), "--plain-http"]) == 0
    home = Path.home()
    assert not [p for p in home.rglob("*") if "helm" in p.name.lower()]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["dependency", "update", "{chart}", "--plain-http", "--version-missing"],
         ["No such option", "--version-missing"]),
        (["dependency", "list", "{chart}/Chart.yaml"],
         ["dependency list", "not a chart directory"]),
        (["dependency", "update", "{missing}", "--plain-http"],
         ["dependency update", "{missing}", "check the repository URLs and versions"]),
        (["dependency", "update", "{chart}"],
         ["dependency update", "{chart}", "--plain-http"]),
        (["dependency", "update", "{http}"],
         ["dependency update", "a chart repository in Chart.yaml (http://127.0.0.1:9/charts) "
          "could not be read: its index did not download"]),
    ],
    ids=["unknown flag", "not a directory", "no such version", "https to a plain registry",
         "chart repository unreachable"],
)  # fmt: skip
def test_bad_input_is_one_line(
    args: list[str], words: list[str], parent: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = parent.parent / "missing-version"
    missing.mkdir()
    (missing / "Chart.yaml").write_text(
        (parent / "Chart.yaml").read_text().replace("~0.1.0", "9.9.9").replace("parent", "mv")
    )

    http = parent.parent / "http-repository"  # port 9 (discard): nothing listens on loopback
    http.mkdir()
    (http / "Chart.yaml").write_text(
        "apiVersion: v2\nname: web\nversion: 1.0.0\ndependencies:\n  - name: sub\n"
        "    version: 0.1.0\n    repository: http://127.0.0.1:9/charts\n"
    )

    def fill(text: str) -> str:
        filled = text.replace("{chart}", str(parent)).replace("{missing}", str(missing))
        return filled.replace("{http}", str(http))

    assert main([fill(a) for a in args]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    for word in words:
        assert fill(word) in err


def test_package_u_packs_the_fetched_dependencies(parent: Path, tmp_path: Path) -> None:
    """``package -u`` (as helm): the archive carries the subchart it fetched."""
    import tarfile

    assert main(["package", str(parent), "-u", "--plain-http", "-d", str(tmp_path / "d")]) == 0
    with tarfile.open(tmp_path / "d" / "parent-1.0.0.tgz") as archive:
        assert "parent/charts/sub/Chart.yaml" in archive.getnames()  # as Helm saves it
