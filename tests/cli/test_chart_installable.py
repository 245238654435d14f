"""Charts Helm refuses to template or install are refused by every command that renders.

A dependency declared in Chart.yaml but absent from charts/ would otherwise render as
if disabled, and its Secrets would be silently missed (``helm template`` refuses: "found
in Chart.yaml, but missing in charts/ directory"). A library chart renders nothing
("library charts are not installable"). ``lint`` reports the missing dependency as an
error finding and lints a library chart as Helm's lint does.
"""

from __future__ import annotations

import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest

from chartsafe.cli import main

CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: b}\n"
SECRET_USER = """\
apiVersion: v1
kind: Pod
metadata: {name: app}
spec:
  containers:
    - name: app
      image: nginx:1.27
      env:
        - name: PASSWORD
          valueFrom: {secretKeyRef: {name: app-db, key: password}}
"""


def _chart(root: Path, name: str, chart_yaml: str, template: str = CONFIGMAP) -> Path:
    chart = root / name
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text(f"apiVersion: v2\nname: {name}\nversion: 0.1.0\n{chart_yaml}")
    (chart / "templates" / "x.yaml").write_text(template)
    return chart


def missing_dependency(tmp: Path) -> str:
    """Declared, conditional and disabled by default: Helm refuses it all the same."""
    chart = _chart(
        tmp,
        "parent",
        "dependencies:\n  - name: db\n    version: 1.0.0\n"
        "    repository: https://example.com/charts\n    condition: db.enabled\n",
        SECRET_USER,
    )
    (chart / "values.yaml").write_text("db:\n  enabled: false\n")
    return str(chart)


def missing_dependency_tgz(tmp: Path) -> str:
    chart = Path(missing_dependency(tmp))
    archive = tmp / "parent-0.1.0.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(chart, arcname="parent")
    return str(archive)


def library(tmp: Path) -> str:
    chart = _chart(tmp, "lib", "type: library\n", '{{- define "lib.x" }}x{{ end }}\n')
    (chart / "templates" / "x.yaml").rename(chart / "templates" / "_x.tpl")
    return str(chart)


COMMANDS = [
    ["template", "{chart}"],
    ["contract", "{chart}"],
    ["check", "{chart}", "--against", "{tmp}/manifests.yaml"],
    ["audit", "{chart}"],
    ["install", "rel", "{chart}", "--dry-run=client"],
]

CHARTS: list[tuple[str, Callable[[Path], str], list[str]]] = [
    ("missing dependency", missing_dependency,
     ["parent", "dependency db", "missing in charts/ directory", "chartsafe dependency build"]),
    ("missing dependency, packaged", missing_dependency_tgz,
     ["parent-0.1.0.tgz", "dependency db", "missing in charts/ directory",
      "chartsafe dependency build"]),
    ("library chart", library, ["chart", "lib", "library charts are not installable"]),
]  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
@pytest.mark.parametrize(
    ("build", "words"),
    [(build, words) for _, build, words in CHARTS],
    ids=[case[0] for case in CHARTS],
)
def test_uninstallable_chart_is_one_line_exit_2(
    command: list[str],
    build: Callable[[Path], str],
    words: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "manifests.yaml").write_text("")
    chart = build(tmp_path)
    args = [a.format(tmp=tmp_path, chart=chart) for a in command]
    assert main(args) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    lines = [line for line in captured.err.splitlines() if line.strip()]
    assert len(lines) == 1, captured.err
    assert all(word in lines[0] for word in words), lines[0]
    assert "reads no Secrets" not in captured.out


def test_lint_reports_a_missing_dependency_as_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lint", missing_dependency(tmp_path)]) == 1
    out = capsys.readouterr().out
    errors = [line for line in out.splitlines() if line.startswith("[ERROR]")]
    assert len(errors) == 1, out
    assert "db found in Chart.yaml, but missing in charts/ directory" in errors[0]


def test_lint_lints_a_library_chart(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", library(tmp_path)]) == 0
    assert "0 errors" in capsys.readouterr().out
