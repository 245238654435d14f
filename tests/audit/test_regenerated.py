"""secret-regenerated: a Secret key the chart makes anew on every render (DESIGN.md: "a
randAlphaNum password changes on every upgrade"), found by rendering twice."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest
from audit_helpers import audited

from chartsafe import RenderOptions, ValuesInput
from chartsafe._regenerated import calls_lookup
from chartsafe.audit import audit_chart

CHART_YAML = "apiVersion: v2\nname: {name}\nversion: 0.1.0\n"
KEPT = """{{- $old := lookup "v1" "Secret" .Release.Namespace "kept" }}
apiVersion: v1
kind: Secret
metadata:
  name: kept
data:
  token: {{ if $old }}{{ index $old.data "token" }}{{ else }}{{ randAlphaNum 20 | b64enc }}{{ end }}
  fixed: {{ "same" | b64enc }}
"""


def _chart(root: Path, name: str, templates: dict[str, str]) -> Path:
    (root / "templates").mkdir(parents=True)
    (root / "Chart.yaml").write_text(CHART_YAML.format(name=name))
    for file, text in templates.items():
        (root / "templates" / file).write_text(text)
    return root


def test_only_the_random_key_is_reported() -> None:
    found = [f for f in audited("chart-bad").findings if f.rule == "secret-regenerated"]
    assert [f.message.split(" differs")[0] for f in found] == ["key sessionKey"]
    assert "lookup" not in found[0].message  # the fixture chart does not call it


def test_a_chart_that_keeps_it_with_lookup_is_told_where_that_fails(tmp_path: Path) -> None:
    chart = _chart(tmp_path / "kept", "kept", {"secret.yaml": KEPT})
    result = audit_chart(chart, ValuesInput(), RenderOptions(validate=False))
    (finding,) = [f for f in result.findings if f.rule == "secret-regenerated"]
    assert finding.obj == "Secret/kept" and finding.message.startswith("key token differs")
    assert "calls lookup" in finding.message and "Argo CD" in finding.message


def _archive(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("template", "expected"),
    [(KEPT, True), ("# the lookup function is not called here\nkind: x\n", False)],
    ids=["a call", "the word in a comment"],
)
def test_lookup_is_found_in_packaged_subcharts(
    tmp_path: Path, template: str, expected: bool
) -> None:
    sub = _archive({"sub/Chart.yaml": b"", "sub/templates/s.yaml": template.encode()})
    top = _archive({"top/Chart.yaml": b"", "top/charts/sub-0.1.0.tgz": sub})
    (tmp_path / "top.tgz").write_bytes(top)
    assert calls_lookup(tmp_path / "top.tgz") is expected
    unpacked = _chart(tmp_path / "dir", "dir", {"a.yaml": "kind: x\n"})
    (unpacked / "charts").mkdir()
    (unpacked / "charts" / "sub-0.1.0.tgz").write_bytes(sub)
    assert calls_lookup(unpacked) is expected
