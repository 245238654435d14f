"""Which regenerated Secret keys a chart keeps with ``lookup``: told key by key.

One ``lookup`` anywhere in a chart used to silence the warning for every key made anew on
each render (user trial, review-charts §1), and a Secret made once by a ``pre-install`` hook
was reported as replaced by every upgrade (§10). A key counts as kept only where the chart,
rendered as an upgrade renders it against a cluster holding the release's own Secrets, gives
it the same value twice (``chartsafe._regenerated_lookup``).
"""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest
from chart_files import PARTIAL_LOOKUP, write_chart

from chartsafe import RenderOptions, ValuesInput, render_chart
from chartsafe._lookup_calls import rewrite_lookups
from chartsafe._regenerated import regenerated_keys
from chartsafe.audit import audit_chart

OPTIONS = RenderOptions(release_name="r", namespace="ns", validate=False)

#: a lookup in another template, of another object (review-charts/regen)
ELSEWHERE = {
    "secret.yaml": "apiVersion: v1\nkind: Secret\nmetadata: {name: jwt}\n"
    "stringData:\n  jwt-secret: {{ randAlphaNum 40 | quote }}\n",
    "ns-check.yaml": '{{- if not (lookup "v1" "ConfigMap" .Release.Namespace "shared") }}\n'
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shared}\ndata: {a: b}\n{{- end }}\n",
}
#: the lookup in a named template the Secret's template includes (bitnami's common library)
HELPERS = {
    "_helpers.tpl": """{{- define "t.kept" -}}
{{- $secret := lookup "v1" "Secret" .ns .name | default dict -}}
{{- $data := get $secret "data" | default dict -}}
{{- get $data .key | default (randAlphaNum 20 | b64enc) -}}
{{- end -}}
""",
    "secret.yaml": """apiVersion: v1
kind: Secret
metadata: {name: app}
data:
  token: {{ include "t.kept" (dict "ns" .Release.Namespace "name" "app" "key" "token") | quote }}
  other: {{ randAlphaNum 20 | b64enc | quote }}
""",
}
#: the name piped into lookup: the call cannot be rewritten, so nothing can be told
PIPED = """{{- $old := "app" | lookup "v1" "Secret" .Release.Namespace }}
apiVersion: v1
kind: Secret
metadata: {name: app}
data:
  token: {{ if $old }}{{ index $old.data "token" }}{{ else }}{{ randAlphaNum 20 | b64enc }}{{ end }}
  other: {{ randAlphaNum 20 | b64enc | quote }}
"""
#: the word in a comment and in a string: no call, nothing kept
WORDS = """{{- /* lookup "v1" "Secret" .Release.Namespace "app" keeps nothing here */ -}}
apiVersion: v1
kind: Secret
metadata:
  name: app
  annotations: {note: {{ "lookup \\"v1\\" \\"Secret\\"" | quote }}}
stringData:
  token: {{ randAlphaNum 20 | quote }}
"""
HOOK = """apiVersion: v1
kind: Secret
metadata:
  name: bootstrap
  annotations: {helm.sh/hook: "EVENTS"}
stringData:
  token: {{ randAlphaNum 32 | quote }}
"""


def _packed(root: Path, files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(f"{root.name}/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _packaged(tmp: Path, templates: dict[str, str]) -> Path:
    """A packaged chart whose packaged subchart holds ``templates``."""
    sub = {"Chart.yaml": b"apiVersion: v2\nname: sub\nversion: 0.1.0\n"}
    sub |= {f"templates/{k}": v.encode() for k, v in templates.items()}
    top = {
        "Chart.yaml": b"apiVersion: v2\nname: top\nversion: 0.1.0\n"
        b"dependencies: [{name: sub, version: 0.1.0}]\n",
        "charts/sub-0.1.0.tgz": _packed(Path("sub"), sub),
    }
    path = tmp / "top-0.1.0.tgz"
    path.write_bytes(_packed(Path("top"), top))
    return path


# (id, templates, packaged, {key: kept by lookup}); a key absent: not reported at all
CASES = [
    ("a lookup of another object keeps nothing", ELSEWHERE, False, {"jwt-secret": False}),
    ("bitnami: one key kept, one made anew", {"secret.yaml": PARTIAL_LOOKUP}, False,
     {"password": False, "postgres-password": True}),
    ("the same in a packaged subchart", {"secret.yaml": PARTIAL_LOOKUP}, True,
     {"password": False, "postgres-password": True}),
    ("kept through a named template", HELPERS, False, {"other": False, "token": True}),
    ("a call not rewritten: cannot tell, kept", {"secret.yaml": PIPED}, False,
     {"other": True, "token": True}),
    ("lookup in a comment and a string", {"secret.yaml": WORDS}, False, {"token": False}),
    ("a pre-install hook is created once", {"s.yaml": HOOK.replace("EVENTS", "pre-install")},
     False, {}),
    ("a test hook is no upgrade's", {"s.yaml": HOOK.replace("EVENTS", "test")}, False, {}),
    ("a pre-upgrade hook is made anew on each upgrade",
     {"s.yaml": HOOK.replace("EVENTS", "pre-install,pre-upgrade")}, False, {"token": False}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("templates", "packaged", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_kept_by_lookup_is_told_key_by_key(
    tmp_path: Path, templates: dict[str, str], packaged: bool, expected: dict[str, bool]
) -> None:
    chart = _packaged(tmp_path, templates) if packaged else write_chart(tmp_path / "c", templates)
    rendered = render_chart(chart, ValuesInput(), OPTIONS)
    found = regenerated_keys(rendered, OPTIONS)
    assert {c.key: c.kept_by_lookup for c in found} == expected


def test_audit_says_lookup_only_of_the_key_it_keeps(tmp_path: Path) -> None:
    chart = write_chart(tmp_path / "pg", {"secret.yaml": PARTIAL_LOOKUP})
    result = audit_chart(chart, ValuesInput(), OPTIONS)
    messages = {
        f.message.split(" differs")[0]: f.message
        for f in result.findings
        if f.rule == "secret-regenerated"
    }
    assert sorted(messages) == ["key password", "key postgres-password"]
    assert "lookup" not in messages["key password"]
    assert "calls lookup to keep it" in messages["key postgres-password"]


def test_audit_reports_no_pre_install_hook_secret(tmp_path: Path) -> None:
    chart = write_chart(tmp_path / "app", {"s.yaml": HOOK.replace("EVENTS", "pre-install")})
    result = audit_chart(chart, ValuesInput(), OPTIONS)
    assert [f for f in result.findings if f.rule == "secret-regenerated"] == []


_INCLUDE = '(fromYaml (include "chartsafe.internal.lookup" (list {})))'

# (id, template, rewritten, every call rewritten)
REWRITES = [
    ("assigned", '{{ $s := lookup "v1" "Secret" .Release.Namespace "x" }}',
     '{{ $s := ' + _INCLUDE.format('"v1" "Secret" .Release.Namespace "x"') + " }}", True),
    ("trim markers, in parentheses", '{{- if not (lookup "v1" "ConfigMap" $ns "a") -}}',
     "{{- if not (" + _INCLUDE.format('"v1" "ConfigMap" $ns "a"') + ") -}}", True),
    ("operands in parentheses, a field after",
     '{{ (lookup "v1" "Secret" (include "ns" .) (printf "%s-x" $n)).data }}',
     "{{ (" + _INCLUDE.format('"v1" "Secret" (include "ns" .) (printf "%s-x" $n)') + ").data }}",
     True),
    ("the name piped in", '{{ "a" | lookup "v1" "Secret" $ns }}',
     '{{ "a" | lookup "v1" "Secret" $ns }}', False),
    ("a variable and a field of that name", "{{ $lookup := .Values.lookup }}",
     "{{ $lookup := .Values.lookup }}", True),
    ("text outside actions", 'lookup "v1" "Secret" a b', 'lookup "v1" "Secret" a b', True),
    ("a comment", '{{/* lookup "v1" "Secret" a b */}}', '{{/* lookup "v1" "Secret" a b */}}',
     True),
    ("a string", '{{ printf "lookup %s x y z" "a" }}', '{{ printf "lookup %s x y z" "a" }}',
     True),
]  # fmt: skip


@pytest.mark.parametrize(
    ("template", "rewritten", "complete"),
    [r[1:] for r in REWRITES],
    ids=[r[0] for r in REWRITES],
)
def test_lookup_calls_are_rewritten_inside_actions_only(
    template: str, rewritten: str, complete: bool
) -> None:
    assert rewrite_lookups(template) == (rewritten, complete)
