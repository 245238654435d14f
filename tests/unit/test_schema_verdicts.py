"""Same verdicts as ``kubernetes_validate.validate`` on every object the charts render.

chartsafe compiles kubernetes-validate's schemas with jsonschema-rs instead of
letting that package compile them per object with jsonschema; this proves the
swap changes no verdict, on real objects (every chart under charts/ and
tests/data/, with the values files they ship) and on broken copies of them.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest

from chartsafe import ChartsafeError, K8sObject, RenderOptions, SchemaValidator, render_chart
from chartsafe._values import load_values_file

REPO = Path(__file__).resolve().parents[2]
VERSION = "1.36.0"


def _rendered_bodies() -> list[tuple[str, dict[str, Any]]]:
    """(chart/Kind/name, body) of every object every chart renders with its example values."""
    found: dict[str, dict[str, Any]] = {}
    roots = [REPO / "charts", REPO / "tests" / "data"]
    charts = sorted(p.parent for root in roots for p in root.glob("*/Chart.yaml"))
    for chart in charts:
        files = [
            None,
            *sorted(chart.glob("examples/values*.yaml")),
            *sorted(chart.glob("ci/*.yaml")),
        ]
        for values_file in files:
            try:
                values = load_values_file(values_file) if values_file else {}
                result = render_chart(chart, values, RenderOptions(validate=False))
            except ChartsafeError:
                continue  # required values missing: another file of the chart renders it
            for obj in result.objects:
                if obj.kind:
                    found.setdefault(f"{chart.name}/{obj.kind}/{obj.name}", obj.body)
    return sorted(found.items())


def _unknown_top_field(body: dict[str, Any]) -> None:
    body["extraField"] = True


def _unknown_metadata_field(body: dict[str, Any]) -> None:
    body.setdefault("metadata", {})["nmae"] = "typo"


def _name_not_a_string(body: dict[str, Any]) -> None:
    body.setdefault("metadata", {})["name"] = 42


def _labels_not_a_map(body: dict[str, Any]) -> None:
    body.setdefault("metadata", {})["labels"] = ["a", "b"]


def _first_spec_field_wrong_type(body: dict[str, Any]) -> None:
    spec = body.get("spec")
    if isinstance(spec, dict) and spec:
        key = sorted(spec)[0]
        spec[key] = [] if not isinstance(spec[key], list) else "not-a-list"


MUTATIONS: dict[str, Callable[[dict[str, Any]], None]] = {
    "as rendered": lambda body: None,
    "unknown top-level field": _unknown_top_field,
    "unknown metadata field": _unknown_metadata_field,
    "name not a string": _name_not_a_string,
    "labels not a map": _labels_not_a_map,
    "first spec field of the wrong type": _first_spec_field_wrong_type,
}


def _theirs(body: dict[str, Any]) -> bool | None:
    try:
        kubernetes_validate.validate(body, VERSION, strict=True)
    except kubernetes_validate.SchemaNotFoundError:
        return None
    except kubernetes_validate.ValidationError:
        return False
    return True


def _ours(validator: SchemaValidator, body: dict[str, Any]) -> bool | None:
    problems = validator.problems(K8sObject("", body, "t.yaml", "default"))
    return None if problems is None else not problems


BODIES = _rendered_bodies()


@pytest.mark.slow
@pytest.mark.parametrize("mutation", list(MUTATIONS))
def test_verdicts_match_on_every_rendered_object(mutation: str) -> None:
    validator = SchemaValidator(VERSION)
    compared = 0
    differ = []
    for ref, rendered in BODIES:
        body = copy.deepcopy(rendered)
        MUTATIONS[mutation](body)
        theirs = _theirs(body)
        if theirs is None:
            continue  # a custom resource: kubernetes-validate has no schema for it
        compared += 1
        if _ours(validator, body) is not theirs:
            differ.append(ref)
    assert compared > 50  # the charts render dozens of built-in objects
    assert differ == []


def test_the_corpus_covers_many_kinds() -> None:
    kinds = {body["kind"] for _, body in BODIES}
    assert {"Deployment", "StatefulSet", "Job", "Service", "Secret", "ConfigMap"} <= kinds


@pytest.mark.parametrize(
    ("value", "valid"),
    [(1.0, True), (2**70, True), (1.5, False), (True, False), ("3", False), (None, True)],
)
def test_numbers_are_judged_alike(value: Any, valid: bool) -> None:
    body = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
            "spec": {"replicas": value, "selector": {}, "template": {}}}  # fmt: skip
    assert _theirs(body) is valid
    assert _ours(SchemaValidator(VERSION), body) is valid


def test_data_json_cannot_hold_is_a_violation_with_its_path() -> None:
    """A YAML date (PyYAML makes one from 2024-01-01) is not JSON: invalid, as for the API."""
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"},
            "data": {"since": datetime.date(2024, 1, 1)}}  # fmt: skip
    assert _theirs(body) is False
    problems = SchemaValidator(VERSION).problems(K8sObject("", body, "t.yaml", "default"))
    assert problems and [p.path for p in problems] == ["data.since"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "dat": {}},
         "Additional properties are not allowed ('dat' was unexpected)"),
        ({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
          "spec": {"ports": [{"name": "p"}]}}, "'port' is a required property"),
        ({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"},
          "data": {"k": 7}}, "must be of type string"),
    ],
)  # fmt: skip
def test_messages_name_the_rule_not_the_value(body: dict[str, Any], message: str) -> None:
    problems = SchemaValidator(VERSION).problems(K8sObject("", body, "t.yaml", "default"))
    assert problems and message in problems[0].message


def test_a_custom_group_is_not_judged_by_the_built_in_kind_of_that_name() -> None:
    """kubernetes-validate files example.com/v1 Deployment under apps/v1's schema; we do not."""
    body = {"apiVersion": "apps.example.com/v1", "kind": "Deployment", "metadata": {"name": "d"},
            "spec": {"anything": 1}}  # fmt: skip
    assert SchemaValidator(VERSION).problems(K8sObject("", body, "t.yaml", "default")) is None
