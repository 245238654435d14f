"""``up`` warns of each key the chart makes anew on every render, told key by key: a chart
keeping one key with ``lookup`` (bitnami's ``postgres-password``) is still warned of for the
key it never keeps (``password``), and a Secret a ``pre-install`` hook makes once is no key an
upgrade replaces (user trial, review-charts §1 and §10)."""

from __future__ import annotations

from pathlib import Path

import pytest
from chart_files import PARTIAL_LOOKUP, write_chart

from chartsafe import RenderOptions, ValuesInput, render_chart
from chartsafe._up import _regenerated_warnings

OPTIONS = RenderOptions(release_name="rel", namespace="ns", validate=False)
OTHER_LOOKUP = """{{- if not (lookup "v1" "ConfigMap" .Release.Namespace "shared") }}
apiVersion: v1
kind: ConfigMap
metadata: {name: shared}
data: {a: b}
{{- end }}
"""
JWT = """apiVersion: v1
kind: Secret
metadata: {name: rel-jwt}
stringData:
  jwt-secret: {{ randAlphaNum 40 | quote }}
"""
HOOK = """apiVersion: v1
kind: Secret
metadata:
  name: rel-bootstrap
  annotations: {helm.sh/hook: pre-install, helm.sh/hook-weight: "-5"}
stringData:
  token: {{ randAlphaNum 32 | quote }}
"""
KEPT = "the chart keeps it with lookup, which a bundle rendered offline cannot do"
ANEW = "each upgrade replaces it"

# (id, templates, bundle, {key warned of: why})
CASES = [
    ("one key kept, one made anew", {"s.yaml": PARTIAL_LOOKUP}, False, {"password": ANEW}),
    ("in a bundle, both", {"s.yaml": PARTIAL_LOOKUP}, True,
     {"password": ANEW, "postgres-password": KEPT}),
    ("a lookup elsewhere keeps nothing", {"s.yaml": JWT, "cm.yaml": OTHER_LOOKUP}, False,
     {"jwt-secret": ANEW}),
    ("a pre-install hook is made once", {"s.yaml": HOOK}, False, {}),
    ("nor is it in a bundle", {"s.yaml": HOOK}, True, {}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("templates", "bundle", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_up_warns_of_each_key_the_chart_does_not_keep(
    tmp_path: Path, templates: dict[str, str], bundle: bool, expected: dict[str, str]
) -> None:
    rendered = render_chart(write_chart(tmp_path / "pg", templates), ValuesInput(), OPTIONS)
    warnings = _regenerated_warnings(rendered, OPTIONS, bundle=bundle)
    found = {w.split(" key ")[1].split(" ")[0]: w for w in warnings}
    assert sorted(found) == sorted(expected)
    for key, why in expected.items():
        assert f"({why})" in found[key]
