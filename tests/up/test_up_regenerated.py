"""``up`` warns of a Secret key the chart makes anew on every render: the store cannot keep it,
and each upgrade (or each bundle) replaces it. A chart that keeps it with ``lookup`` is quiet
where it installs against the cluster, and still warned of in a bundle rendered offline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from up_helpers import Keys

from chartsafe import RenderOptions, ValuesInput, render_chart
from chartsafe._up import _regenerated_warnings
from chartsafe.cli import main

SECRET = """apiVersion: v1
kind: Secret
metadata:
  name: {{ .Release.Name }}-session
stringData:
  signing: {{ RANDOM }}
  fixed: not-random-at-all
"""
# keeps the key it reads back: a lookup of another object would keep nothing
KEEP = '{{- $old := lookup "v1" "Secret" .Release.Namespace (printf "%s-session" .Release.Name) }}'
KEPT = '{{ if $old }}{{ index $old.data "signing" | b64dec }}{{ else }}{{ randAlphaNum 24 }}{{end}}'


def _chart(root: Path, *, lookup: bool) -> Path:
    (root / "templates").mkdir(parents=True)
    (root / "Chart.yaml").write_text("apiVersion: v2\nname: sess\nversion: 0.1.0\n")
    text = SECRET.replace("{{ RANDOM }}", KEPT if lookup else "{{ randAlphaNum 24 }}")
    (root / "templates" / "secret.yaml").write_text((KEEP + "\n" if lookup else "") + text)
    return root


def test_a_bundle_warns_of_the_regenerated_key(
    tmp_path: Path, age_keys: Keys, capsys: pytest.CaptureFixture[str]
) -> None:
    chart = _chart(tmp_path / "chart", lookup=False)
    args = ["up", "s", str(chart), "-n", "ns", "--out", str(tmp_path / "out"),
            *age_keys.store_flags(tmp_path / "s.sops.yaml"), "--skip-check",
            "-o", "json"]  # fmt: skip
    assert main(args) == 0
    captured = capsys.readouterr()
    (warning,) = json.loads(captured.out)["warnings"]
    assert warning.startswith("Secret ns/s-session key signing is made anew by the chart")
    assert "each upgrade replaces it" in warning
    assert f"warning: {warning}" in captured.err


@pytest.mark.parametrize(
    ("lookup", "bundle", "expected"),
    [
        (False, False, "each upgrade replaces it"),
        (True, True, "a bundle rendered offline cannot do"),
        (True, False, None),
    ],
    ids=["random", "kept by lookup, but not in a bundle", "kept by lookup against the cluster"],
)
def test_lookup_keeps_it_only_against_the_cluster(
    tmp_path: Path, lookup: bool, bundle: bool, expected: str | None
) -> None:
    options = RenderOptions(release_name="s", namespace="ns", validate=False)
    rendered = render_chart(_chart(tmp_path, lookup=lookup), ValuesInput(), options)
    warnings = _regenerated_warnings(rendered, options, bundle=bundle)
    if expected is None:
        assert warnings == []
    else:
        assert len(warnings) == 1 and expected in warnings[0] and "key signing" in warnings[0]
