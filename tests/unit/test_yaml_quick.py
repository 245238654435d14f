"""``_yaml_quick.read_documents`` gives what Helm's parser gives, and uses yaml-rs where it can.

Every document is compared with ``values_from_yaml_each`` (Helm's parser) down to the
types and the key order: the JSON of the two. A table of the places YAML 1.1 (go-yaml) and
YAML 1.2 (yaml-rs) part proves the checks send each to Helm's parser; every chart's render
and the ordinary documents prove the quick reader is the one that reads them.
"""

from __future__ import annotations

import itertools
import json
import string
from pathlib import Path
from typing import Any

import pytest

from chartsafe import _yaml_quick
from chartsafe._helm_parse import values_from_yaml_each
from chartsafe.audit._manifests import _cut

REPO = Path(__file__).resolve().parents[2]

#: Scalars where the two readers can part: YAML 1.1 booleans and numbers, floats, integers
#: float64 cannot hold, underscores, leading zeros, keys Go turns into strings, timestamps.
SCALARS = [
    "0777", "00", "08", "0_777", "-0777", "+0777", "0o17", "0O17", "0x1F", "0X1F", "0b101",
    "0B101", "-0b101", "+0x1F", "1_000", "1__0", "_1", "-_1", "1_0.5", "+12", "-0", "1e3",
    "1.0", ".5", "1.", "1e999", ".inf", "-.Inf", ".NaN", "yes", "Yes", "on", "ON", "y", "Y",
    "n", "No", "off", "OFF", "True", "TRUE", "tRue", "false", "~", "Null", "null",
    "2001-12-14", "2001-12-14T21:59:43.10-05:00", "1:20", "9223372036854775808",
    "9007199254740993", "9007199254740992", "0xFFFFFFFFFFFFFFFF", "123", "-123", "0", "3.14",
    "1e-7", "0x", "0o", "+", ".", "1e", "foo", "foo bar", "a:b", "http://x:80/?a=b", "<<",
    "é", "日本", "500m", "1Gi", "1.29.1", "--port=80",
]  # fmt: skip
#: Where a scalar sits: value, key, flow, block sequence, quoted, block scalar.
FORMS = [
    "k: {}", "k: '{}'", 'k: "{}"', "{}: v", "'{}': v", "k: [{}]", "k: [a, {}]", "k:\n- {}",
    "k: {{a: {}}}", "k: |\n  {}\n", "k:\n  x: {}\n  y: 1\n",
]  # fmt: skip
#: Punctuation at a scalar's start, inside it, in flow collections: indicators differ.
PUNCTUATION_FORMS = [
    "k: {c}x", "k: x{c}y", "k: x {c}y", "k: [{c}x]", "k: [x{c}y]", "k: {{a: {c}x}}",
    "k: {{a{c}: x}}", "{c}x: v", "x{c}: v", "k:\n- {c}x", "k: [{c}]", "k: {c}", "k: [a, {c} b]",
    'k: "a\\{c}b"',
]  # fmt: skip
#: Whole documents: escapes, characters, block scalars, collections, markers, errors.
DOCUMENTS = [
    *(f'k: "a{e}b"' for e in ["\\x41", "\\u00e9", "\\U0001F600", "\\N", "\\_", "\\L", "\\P",
                               "\\e", "\\0", "\\/", "\\\\/", "\\ ", "\\t", "\\'", '\\"']),
    *(f"k: a{c}b" for c in ["\t", "\r", "\x01", "\x7f", "\x85", "\u2028", "\u2029", "\ufeff",
                            "\xa0", "\U0001f600"]),
    "k: a\r\nj: b\r\n", "\ufeffk: v", "k:\ta", "k: [a,\tb]", "k: |\n\ta\n", 'k: "a\tb"',
    "k: |2\n   a\n", "k: |-\n  a\n\n", "k: |+\n  a\n\n", "k: >\n  a\n  b\n\n  c\n", "k: |1\n  a\n",
    "k: a\n  b\n  c", 'k: "a\n  b\n\n  c"', "k: 'a\n  b'", "k: 'it''s'", "? k\n: v",
    "? [a, b]\n: v", "k" * 1100 + ": v", "k: v\n...\n", "k: v\n---\nj: w\n", "--- k: v",
    "%YAML 1.1\n---\nk: yes", "k: v # c", "k: v#c", "# only a comment", "", "k:", "k: []",
    "k: {}", "k: [a, b, ]", "k: [a: 1]", 'k: {"a": [1, "2"], "b": {"c": null}}', "a: 1\na: 2",
    "a: &x {c: 1}\nd: *x", "a: &x {c: 1}\nd:\n  <<: *x\n  e: 2", "k: !!str 1",
    "k: !!binary aGk=", "k: ! 1", "k: !foo 1", "!x: v", "&x: v", "k: -", "- a\n- b", "a", "1",
    "[a]", "k: [a\n  , b]", "k: [\n  a, ?b\n]", "k: [x,y]", "k: [x, on]", "k: a: b",
    "  k: v\n j: w", "k:\n  - a\n  -b", "k:\n  script: |\n    if [ -n x ]; then {\n      y\n",
    "k: |\n", "k: >\n", "k: |-\n", "k: |+\n", "k: >+\n\n", "k: |\nj: 1\n", "k: |\n\n\n",
    "k: |+\n\n\n", "k: >\n  \n", "k: |2\n  \n", "k:\n- |\n- a", "k: |\n # c\n", 'k: "\\n"',
    'k: ["a", "b"]', 'k: {"a": "?"}', "k:\n" + "  - [" * 3 + "]" * 3, "k: " + "[" * 300 + "]" * 300,
]  # fmt: skip


def _cases() -> list[str]:
    docs = [form.replace("{}", scalar) if "{{" not in form else form.format(scalar)
            for scalar, form in itertools.product(SCALARS, FORMS)]  # fmt: skip
    docs += [form.format(c=c) for c in string.punctuation for form in PUNCTUATION_FORMS]
    return docs + DOCUMENTS


def _as_json(result: dict[str, Any] | ValueError) -> str:
    if isinstance(result, ValueError):
        return f"error: {result}"
    return json.dumps(result)  # types and key order


def _read(text: str) -> list[dict[str, Any] | ValueError]:
    return _yaml_quick.read_documents(text, [(o, d) for o, d in _cut(text) if d.strip()])


def test_every_case_reads_as_helm_reads_it() -> None:
    """Each case as one document, as ``audit --files`` hands one over."""
    cases = _cases()
    assert len(cases) > 1000
    helm = values_from_yaml_each(cases)
    differing = [
        (doc, _as_json(quick), _as_json(expected))
        for doc, expected in zip(cases, helm, strict=True)
        for quick in _yaml_quick.read_documents(doc, [(0, doc)])
        if _as_json(quick) != _as_json(expected)
    ]
    assert differing == []


def test_many_documents_in_one_file_keep_their_order() -> None:
    """One file of all the cases: each result lands on its own document, threads or not."""
    cases = [doc for doc in _cases() if doc.strip() and "---" not in doc and "..." not in doc]
    text = "\n---\n".join(cases)
    quick = _read(text)
    helm = values_from_yaml_each([d for _, d in _cut(text) if d.strip()])
    assert [_as_json(r) for r in quick] == [_as_json(r) for r in helm]


@pytest.fixture
def helm_parser_forbidden(monkeypatch: pytest.MonkeyPatch) -> None:
    """Helm's parser fails the test if it is asked: the document must be read by yaml-rs."""

    def refuse(texts: list[str]) -> list[Any]:
        raise AssertionError(f"Helm's parser was asked for {texts[:1]!r}")

    monkeypatch.setattr("chartsafe._helm_parse.values_from_yaml_each", refuse)


#: Documents the quick reader must read itself: what rendered manifests are made of.
ORDINARY = [
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: '1'\n  b: \"true\"\n",
    "k: [a, b]\nj: {}\nl: []\nm: {a: 1, b: [x, 'z']}\n", 'args: ["--port", "8080", "--x=1"]',
    "ports:\n- containerPort: 8080\n  name: http\nreplicas: 0\ncpu: 500m\nmode: 420\n",
    "command:\n- sh\n- -c\n- |\n  if [ -n \"$X\" ]; then { echo 0777; } fi\n  a=$((1 * 2)) && b\n",
    "annotations:\n  checksum/config: 0a1b2c\n  a: 'true'\n  b: \"1.5\"\n  c: '0777'\n",
    "image: repo/x:1.0.0-beta.35\nurl: \"http://x/?a=b\"\nkeys: {\"a\": \"b\"}\n",
    "k: \"\\\\/\"\n", "é: 日本\nk: \"\\u00e9\"\n", "k: null\nj: ~\nl: true\n", "",
]  # fmt: skip


@pytest.mark.parametrize("doc", ORDINARY)
def test_ordinary_documents_are_read_by_yaml_rs(doc: str, helm_parser_forbidden: None) -> None:
    (result,) = _yaml_quick.read_documents(doc, [(0, doc)])
    assert not isinstance(result, ValueError)


#: A hazard of each kind, each in an otherwise ordinary document: sent to Helm's parser.
HAZARDS = [
    "mode: 0777", "k: [0777]", "k: _1", "k: [_1]", "k: !!binary aGk=", "k: &a 1\nj: *a",
    "%YAML 1.1\n---\nk: 1", "k: 1\n...\n", 'k: "a\\/b"', "k: a\x85b", "k: a\u2028b",
    "k: a\x01b", "k: a\tb", "k: a\r\nj: b", "k: [?x]", "k: [>x]", "k: [\n a]", "on: 1",
    "k: yes", "k: 1.5", "k: 9007199254740993", "80: http", "<<: {a: 1}", "a: 1\na: 2", "[a]",
    "k: |\n" + "  x\n" * 300 + "  a && b\n",  # a script too long to look back over
]  # fmt: skip


@pytest.mark.parametrize("doc", HAZARDS)
def test_hazards_go_to_helms_parser(doc: str) -> None:
    asked: list[str] = []

    def helm(texts: list[str]) -> list[dict[str, Any] | ValueError]:
        asked.extend(texts)
        return values_from_yaml_each(texts)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("chartsafe._helm_parse.values_from_yaml_each", helm)
        _yaml_quick.read_documents(doc, [(0, doc)])
    assert asked == [doc]


#: Every chart under charts/ with the example values files that render alone (the others
#: need values only a user has: an external database's password).
RENDERS = [
    ("agentapi-proxy", ""), ("agentapi-proxy", "values-role-env-example.yaml"),
    ("agentapi-proxy", "examples/values-file-persistence.yaml"),
    ("agentapi-proxy", "examples/values-s3-irsa.yaml"), ("fractal-lba", "values-hmac.yaml"),
    ("fractal-lba", "values-production.yaml"), ("incidentfox", ""),
    ("incidentfox", "values.pilot.yaml"), ("incidentfox", "values.prod.yaml"),
    ("llmtrace", "values-dev.yaml"), ("tracecat", "examples/values-aws.yaml"),
    ("tracecat", "examples/values-minikube.yaml"), ("tracecat", "examples/values-orbstack.yaml"),
]  # fmt: skip


@pytest.mark.parametrize(("chart", "values"), RENDERS)
def test_chart_renders_read_by_yaml_rs_as_helm_reads_them(chart: str, values: str) -> None:
    """Helm's own output, which is what ``audit --files`` is mostly given."""
    from chartsafe import RenderOptions, ValuesInput, render_chart

    folder = REPO / "charts" / chart
    files = [folder / values] if values else []
    result = render_chart(
        folder, ValuesInput(files=files), RenderOptions(release_name="r", validate=False)
    )
    text = "\n---\n".join(o.text for o in result.objects)
    pieces = [(o, d) for o, d in _cut(text) if d.strip()]
    assert pieces
    assert _yaml_quick._unsafe_pieces(text, [o for o, _ in pieces]) == set()
    quick = _yaml_quick.read_documents(text, pieces)
    helm = values_from_yaml_each([d for _, d in pieces])
    assert [_as_json(r) for r in quick] == [_as_json(r) for r in helm]
