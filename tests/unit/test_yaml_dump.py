"""``_yaml_dump``: what chartsafe re-dumps, Helm's own parser (Go's YAML) reads back unchanged.

PyYAML leaves plain what YAML 1.1 reads as a string, and Go's YAML reads more as numbers or
booleans (``1e3``, ``0o17``, ``y``): a label or env value written so is rejected by the API
server. Each tricky string goes through the dumper and back through
``chartsafe._helm_parse.values_from_yaml`` as a value, a key and a list item; ``template``'s
masked Secrets (re-dumped) keep their strings and their non-ASCII text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from chartsafe import RenderOptions, manifests_yaml, render_chart
from chartsafe._helm_parse import values_from_yaml
from chartsafe._output import MASK
from chartsafe._yaml_dump import dump, dump_all, read_as_other_than_string

CHART = Path(__file__).resolve().parents[1] / "data" / "up" / "bundle-quote"

TRICKY = [
    "1e3", "5e1234", "1E-3", "1.e3", "0x1F", "0X1f", "+0x1F", "0o17", "-0o17", "0b101",
    "-0b101", "0B1", "1_000", "1_", "0.1_5", "+1", "-.5", ".5", "1.", "08", "012", "007",
    "9223372036854775808", ".inf", "-.Inf", "+.INF", ".nan", ".NaN", "yes", "Yes", "y", "Y",
    "n", "N", "on", "OFF", "true", "False", "null", "Null", "~", "1:20", "2024-01-02",
    "2024-1-2", "2024-01-02T10:00:00Z", "<<", "=", "", "café ☃", "-", ".", "+",
    "plain words", "a: b", "#x", "x\ny",
]  # fmt: skip


@pytest.mark.parametrize("text", TRICKY)
def test_helm_reads_back_every_string_as_dumped(text: str) -> None:
    data = {"value": text, "list": [text], "nested": {text: "key"}}
    assert values_from_yaml(dump(data)) == data


@pytest.mark.parametrize("text", TRICKY)
def test_each_document_of_dump_all_reads_back(text: str) -> None:
    documents = dump_all([{"a": text}, {"b": [text]}]).split("---\n")[1:]
    assert [values_from_yaml(d) for d in documents] == [{"a": text}, {"b": [text]}]


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("1e3", True), ("5e1234", True), ("0o17", True), ("0b101", True), ("1_000", True),
        ("08", True), ("y", True), ("n", True), (".inf", True), ("<<", True), ("", True),
        ("2024-1-2", True), ("1e", False), ("0x", False), ("_1", False), ("inf", False),
        ("v1.2.3", False), ("busybox:1e3", False), ("-", False), ("café", False),
    ],
)  # fmt: skip
def test_what_go_reads_as_another_type(text: str, quoted: bool) -> None:
    assert read_as_other_than_string(text) is quoted


def test_non_ascii_is_written_as_text() -> None:
    text = dump({"name": "café-secret", "x": "vålue ☃"})
    assert text == "name: café-secret\nx: vålue ☃\n"


def _documents(text: str) -> dict[str, dict[str, object]]:
    """The printed documents, each read with Helm's parser, by ``Kind/name``."""
    found = {}
    for document in text.split("---\n")[1:]:
        body = values_from_yaml(document)
        found[f"{body['kind']}/{body['metadata']['name']}"] = body
    return found


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (("metadata", "annotations", "note"), "1e3"),
        (("metadata", "annotations", "owner"), "café ☃"),
        (("stringData", "token"), MASK),
    ],
    ids=["number-like", "non-ascii", "masked"],
)
def test_template_masked_secret_keeps_its_strings(path: tuple[str, ...], expected: str) -> None:
    rendered = render_chart(CHART, {}, RenderOptions(validate=False))
    text = manifests_yaml(rendered.objects)
    node: object = _documents(text)["Secret/app-token"]
    for key in path:
        assert isinstance(node, dict)
        node = node[key]
    assert node == expected
    assert "\\x" not in text and "\\u" not in text  # written as text, not escaped
