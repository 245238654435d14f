"""Each of Helm's warnings prints once, in chartsafe's words.

Helm logs the same warning from several calls: coalescing runs in render and again in
merge_values ("skipped value for img.image: Not a table."), and lint renders the chart
many times ("missing required value"). Go writes them to fd 2 with a timestamp, so the
test reads fd 2 (capfd), not only Python's stderr.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from chartsafe.cli import main

REQUIRED = """\
apiVersion: v1
kind: ConfigMap
metadata: {{name: {name}}}
data:
  token: {{{{ required "token is required" .Values.token | quote }}}}
"""
GO_TIMESTAMP = re.compile(r"^\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}")


def _chart(tmp: Path) -> Path:
    chart = tmp / "img"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: img\nversion: 0.1.0\n")
    (chart / "values.yaml").write_text("image: nginx\n")
    for name in ("a", "b", "c"):
        (chart / "templates" / f"{name}.yaml").write_text(REQUIRED.format(name=name))
    return chart


CASES = [
    ("template: merge warning", ["template", "{chart}", "--set", "image.tag=1", "--set", "token=t"],
     ["chartsafe: warning: helm: skipped value for img.image: Not a table."]),
    ("lint: required warnings", ["lint", "{chart}"],
     ['chartsafe: warning: helm: missing required value message="token is required"']),
    ("lint: merge warning", ["lint", "{chart}", "--set", "image.tag=1"],
     ["chartsafe: warning: helm: skipped value for img.image: Not a table."]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "expected"),
    [(args, expected) for _, args, expected in CASES],
    ids=[case[0] for case in CASES],
)
def test_each_helm_warning_prints_once(
    args: list[str], expected: list[str], tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    chart = _chart(tmp_path)
    main([a.format(chart=chart) for a in args])
    err = capfd.readouterr().err.splitlines()
    assert not [line for line in err if GO_TIMESTAMP.match(line)], err
    counts = Counter(err)
    for line in expected:
        assert counts[line] == 1, err
    warnings = [line for line in err if line.startswith("chartsafe: warning: helm:")]
    assert len(warnings) == len(set(warnings)), err
