"""A values-schema violation names its values path, also in a subchart at any depth.

Helm's report heads each chart's violations with the chart's name only (``gc:``), so the path
of a subchart's value (``sub.gc.size``) comes from the chart tree: directories, packaged
subcharts and aliases, read from a chart directory or a packaged chart.
"""

from __future__ import annotations

import io
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest

from chartsafe.cli import main

DATA = Path(__file__).resolve().parents[1] / "data"
SCHEMA = '{"type": "object", "properties": {"size": {"type": "integer"}}}'


def _chart(root: Path, name: str, extra: str = "") -> Path:
    (root / "templates").mkdir(parents=True)
    (root / "Chart.yaml").write_text(f"apiVersion: v2\nname: {name}\nversion: 0.1.0\n{extra}")
    (root / "values.yaml").write_text("size: 1\n")
    (root / "values.schema.json").write_text(SCHEMA)
    (root / "templates" / "cm.yaml").write_text(
        f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n"
    )
    return root


def _nested(tmp: Path, extra: str = "") -> Path:
    """root → sub → gc, each with a schema wanting an integer ``size``."""
    root = _chart(tmp / "root", "root", extra)
    sub = _chart(root / "charts" / "sub", "sub")
    _chart(sub / "charts" / "gc", "gc")
    return root


def _pack(directory: Path, archive: Path) -> Path:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        tar.add(directory, arcname=directory.name)
    archive.write_bytes(buffer.getvalue())
    return archive


def _subchart_packaged_and_aliased(tmp: Path) -> Path:
    alias = "dependencies:\n- name: sub\n  version: 0.1.0\n  alias: other\n"
    root = _nested(tmp, alias)
    sub = root / "charts" / "sub"
    _pack(sub, root / "charts" / "sub-0.1.0.tgz")
    for path in sorted(sub.rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    sub.rmdir()
    return root


CASES: list[tuple[str, Callable[[Path], Path], list[str], str]] = [
    ("subchart", lambda t: DATA / "schema", ["sub.size=big"], "sub.size: got string"),
    ("grandchild", _nested, ["sub.gc.size=big"], "sub.gc.size: got string"),
    (
        "every level",
        _nested,
        ["size=x", "sub.size=y", "sub.gc.size=z"],
        "size: got string, want integer; sub.size: got string, want integer; "
        "sub.gc.size: got string",
    ),
    (
        "packaged chart",
        lambda t: _pack(_nested(t), t / "root-0.1.0.tgz"),
        ["sub.gc.size=big"],
        "sub.gc.size: got string",
    ),
    (
        "packaged, aliased subchart",
        _subchart_packaged_and_aliased,
        ["other.gc.size=big"],
        "other.gc.size: got string",
    ),
]


@pytest.mark.parametrize(
    ("make", "sets", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_schema_violation_names_values_path(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    make: Callable[[Path], Path],
    sets: list[str],
    expected: str,
) -> None:
    flags = [arg for value in sets for arg in ("--set", value)]
    assert main(["template", str(make(tmp_path)), *flags]) == 1  # values that fail a check
    err = capsys.readouterr().err
    assert expected in err, err
    assert len(err.strip().splitlines()) == 1, err
