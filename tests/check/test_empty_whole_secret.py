"""A Secret the release reads whole (envFrom, a volume) with no key list: ``check`` can only
look at its presence, but one that exists with no key at all is a gap. The pods start, and
get nothing from it (no env var, an empty folder), which is never what a release reading it
wants. An optional read, or a Secret holding any key, passes."""

from __future__ import annotations

from pathlib import Path

import pytest
from chart_files import write_chart

from chartsafe.cli import main

_POD = """apiVersion: v1
kind: Pod
metadata: {name: app}
spec:
  containers:
    - name: app
      image: example.com/app:1.0.0
      envFrom:
        - secretRef: {name: app-env, optional: OPTIONAL}
"""


@pytest.mark.parametrize(
    ("optional", "data", "code", "line"),
    [
        ("false", "data: {}", 1, "GAP Secret ns/app-env: found as Secret"),
        ("false", "", 1, "EMPTY (no key)"),
        ("false", "stringData: {TOKEN: t0ken-value-1}", 0, "ok  Secret ns/app-env: found"),
        ("true", "data: {}", 0, "ok  Secret ns/app-env: found"),
    ],
    ids=["empty-data", "no-data", "a-key", "optional"],
)
def test_an_empty_secret_read_whole_is_a_gap(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], optional: str, data: str, code: int,
    line: str,
) -> None:  # fmt: skip
    chart = write_chart(tmp_path / "whole", {"pod.yaml": _POD.replace("OPTIONAL", optional)})
    manifests = tmp_path / "gitops"
    manifests.mkdir()
    (manifests / "secret.yaml").write_text(
        f"apiVersion: v1\nkind: Secret\nmetadata: {{name: app-env, namespace: ns}}\n{data}\n"
    )
    assert main(["check", "rel", str(chart), "-n", "ns", "--against", str(manifests)]) == code
    out = capsys.readouterr().out
    assert line in out
    if code:
        assert "note: it holds no key: the pods that read it whole get nothing from it" in out
        assert "chartsafe secrets set -n ns app-env KEY --store" in out
        assert "contract not met: 1 gap for release rel" in out
