"""Strict schema validation: Kubernetes kinds, CRD kinds, the unknown, and versions."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest

from chartsafe import (
    CrdSchemas,
    K8sObject,
    KubeVersionError,
    RenderOptions,
    SchemaValidator,
    render_chart,
)

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data"
ESO_CRDS = REPO.parent / "shared" / "vectors" / "eso-crds"

DEPLOYMENT: dict[str, Any] = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "d"},
    "spec": {
        "selector": {"matchLabels": {"a": "b"}},
        "template": {
            "metadata": {"labels": {"a": "b"}},
            "spec": {"containers": [{"name": "c", "image": "i"}]},
        },
    },
}


def _obj(body: dict[str, Any]) -> K8sObject:
    return K8sObject(text="", body=body, source="t.yaml", release_namespace="default")


def _with(path: list[Any], value: Any) -> dict[str, Any]:
    body = copy.deepcopy(DEPLOYMENT)
    node: Any = body
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return body


CONTAINERS = ["spec", "template", "spec", "containers"]

# (id, object, is it valid)
OBJECTS = [
    ("valid deployment", DEPLOYMENT, True),
    ("unknown field", _with(["spec", "replicaz"], 2), False),
    ("wrong type", _with(["spec", "replicas"], "two"), False),
    ("unknown container field", _with(CONTAINERS, [{"name": "c", "image": "i", "pullPolice": 1}]),
     False),
    ("missing required", _with(CONTAINERS, [{"image": "i"}]), False),
    ("secret with stringData", {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
                                "stringData": {"a": "b"}}, True),
    ("secret with int data", {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
                              "data": {"a": 1}}, False),
    ("rbac group", {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
                    "metadata": {"name": "r"}, "rules": []}, True),
]  # fmt: skip


@pytest.mark.parametrize(("body", "valid"), [(b, v) for _, b, v in OBJECTS],
                         ids=[i for i, _, _ in OBJECTS])  # fmt: skip
def test_same_verdict_as_kubernetes_validate(body: dict[str, Any], valid: bool) -> None:
    ours = SchemaValidator("1.36.0").problems(_obj(body))
    assert ours is not None
    try:
        kubernetes_validate.validate(body, "1.36.0", strict=True)
        theirs = True
    except kubernetes_validate.ValidationError:
        theirs = False
    assert (not ours, theirs) == (valid, valid)


def test_every_violation_is_listed_with_its_path() -> None:
    body = _with(["spec", "replicas"], "two")
    body["spec"]["paused"] = "yes"
    problems = SchemaValidator("1.36.0").problems(_obj(body)) or []
    assert {p.path for p in problems} == {"spec.replicas", "spec.paused"}


def test_messages_never_quote_the_value() -> None:
    body = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
            "data": {"password": 987654321}}  # fmt: skip
    problems = SchemaValidator("1.36.0").problems(_obj(body)) or []
    assert problems and all("987654321" not in str(p) for p in problems)


@pytest.mark.parametrize(
    ("version", "schema"),
    [("v1.36.0", (1, 36)), ("1.29.4", (1, 29)), ("v1.37.1-eks.2", (1, 37)), ("1.25", (1, 25))],
)
def test_version_selection(version: str, schema: tuple[int, int]) -> None:
    assert SchemaValidator(version).version == schema


@pytest.mark.parametrize("version", ["banana", "1.12.0", "2.0.0", "v1.99.0"])
def test_unknown_versions_are_refused(version: str) -> None:
    with pytest.raises(KubeVersionError):
        SchemaValidator(version)


@pytest.fixture(scope="module")
def eso() -> CrdSchemas:
    crds = CrdSchemas()
    crds.add_dir(ESO_CRDS)
    return crds


@pytest.mark.parametrize(
    ("extra", "valid"),
    [({}, True), ({"extraField": True}, False), ({"refreshInterval": 3}, False)],
)
def test_custom_resources_against_crds(eso: CrdSchemas, extra: dict[str, Any], valid: bool) -> None:
    validator = SchemaValidator("1.36.0", eso)
    result = render_chart(DATA / "custom-resources", extra, RenderOptions(validate=False))
    external = next(o for o in result.objects if o.kind == "ExternalSecret")
    problems = validator.problems(external)
    assert problems is not None
    assert (not problems) is valid


def test_unknown_kinds_are_reported_not_passed() -> None:
    result = render_chart(DATA / "custom-resources")
    assert sorted(o.kind for o in result.not_validated) == ["ExternalSecret", "Gadget"]
    with_crds = render_chart(DATA / "custom-resources", {}, RenderOptions(crd_dirs=[ESO_CRDS]))
    assert [o.kind for o in with_crds.not_validated] == ["Gadget"]
    assert with_crds.ok


def test_crds_shipped_by_the_chart_validate_its_resources() -> None:
    ok = render_chart(DATA / "hooks")
    assert ok.ok and not ok.not_validated
    bad = render_chart(DATA / "hooks", {"widgetColor": "green", "widgetSize": "big"})
    assert {p.path for p in bad.problems} == {"spec.color", "spec.size"}


def test_no_validate_skips_everything() -> None:
    result = render_chart(DATA / "invalid-objects", {}, RenderOptions(validate=False))
    assert not result.problems and not result.validated
    checked = render_chart(DATA / "invalid-objects")
    assert {(p.obj, p.path) for p in checked.problems} == {
        ("Deployment/bad", "spec.replicas"),
        ("Deployment/bad", "spec.template.spec.containers[0]"),
        ("Secret/leaky", "data.password"),
    }
