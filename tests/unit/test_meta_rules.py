"""The API server's object-meta rules that no schema says, one row per rule: a chart that
breaks one passes ``helm template`` and fails at install."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from chartsafe._meta_rules import duplicates, meta_problems
from chartsafe._objects import HookInfo, K8sObject

LONG = "x" * 64


def _obj(kind: str, metadata: dict[str, Any], spec: dict[str, Any] | None = None) -> K8sObject:
    body: dict[str, Any] = {"apiVersion": "v1", "kind": kind, "metadata": metadata}
    if spec is not None:
        body["spec"] = spec
    return K8sObject("", body, "t.yaml", "app")


def _pod_labels(labels: dict[str, str]) -> dict[str, Any]:
    return {"template": {"metadata": {"labels": labels}}}


# (id, object, the problem's path, words of its message) -- path None: no problem
CASES: list[tuple[str, K8sObject, str | None, list[str]]] = [
    ("a good ConfigMap", _obj("ConfigMap", {"name": "app.config-1", "labels": {
        "app.kubernetes.io/name": "app", "helm.sh/chart": "app-1.2.3"}}), None, []),
    ("no name", _obj("ConfigMap", {"labels": {"a": "b"}}), "metadata.name", ["required"]),
    ("generateName stands for it", _obj("Job", {"generateName": "migrate-"}), None, []),
    ("upper case name", _obj("ConfigMap", {"name": "App"}), "metadata.name",
     ["a ConfigMap name is a DNS subdomain"]),
    ("underscore in a Deployment name", _obj("Deployment", {"name": "my_app"}),
     "metadata.name", ["DNS subdomain"]),
    ("dots in a Service name", _obj("Service", {"name": "my.svc"}), "metadata.name",
     ["RFC 1035 label", "a letter first"]),
    ("a Service name starting with a digit", _obj("Service", {"name": "1svc"}),
     "metadata.name", ["RFC 1035"]),
    ("a 64-character Service name", _obj("Service", {"name": LONG}), "metadata.name",
     ["at most 63 characters"]),
    ("a 64-character ConfigMap name is fine", _obj("ConfigMap", {"name": LONG}), None, []),
    ("a Namespace with dots", _obj("Namespace", {"name": "team.a"}), "metadata.name",
     ["DNS label"]),
    ("RBAC names may hold colons", _obj("ClusterRole", {"name": "system:app:reader"}), None,
     []),
    ("RBAC names may not hold '/'", _obj("ClusterRole", {"name": "app/reader"}),
     "metadata.name", ["'/'"]),
    ("a 53-character CronJob name", _obj("CronJob", {"name": "c" * 53}), "metadata.name",
     ["at most 52 characters (53)"]),
    ("a custom resource's name is its controller's business",
     _obj("Widget", {"name": "Any_Name"}), None, []),
    ("namespace with upper case", _obj("ConfigMap", {"name": "a", "namespace": "Prod"}),
     "metadata.namespace", ["DNS label"]),
    ("label value of 64 characters", _obj("ConfigMap", {"name": "a", "labels": {
        "helm.sh/chart": LONG}}), "metadata.labels.helm.sh/chart",
     ["not a valid label", "(64 characters)"]),
    ("label value with a space", _obj("ConfigMap", {"name": "a", "labels": {"v": "1 2"}}),
     "metadata.labels.v", ["its value (3 characters)"]),
    ("empty label value is fine", _obj("ConfigMap", {"name": "a", "labels": {"v": ""}}),
     None, []),
    ("label key with two slashes", _obj("ConfigMap", {"name": "a", "labels": {
        "a/b/c": "x"}}), "metadata.labels.a/b/c", ["prefix before '/'"]),
    ("label key prefix upper case", _obj("ConfigMap", {"name": "a", "labels": {
        "Example.com/x": "y"}}), "metadata.labels.Example.com/x", ["DNS subdomain"]),
    ("annotation key with a space", _obj("ConfigMap", {"name": "a", "annotations": {
        "my note": "x"}}), "metadata.annotations.my note", ["not a valid annotation key"]),
    ("long annotation values are fine", _obj("ConfigMap", {"name": "a", "annotations": {
        "note": "x" * 1000}}), None, []),
    ("annotations over 256 KiB", _obj("ConfigMap", {"name": "a", "annotations": {
        "big": "x" * (256 * 1024)}}), "metadata.annotations", ["at most 256 KiB"]),
    ("a pod template label", _obj("Deployment", {"name": "a"}, _pod_labels({"v": LONG})),
     "spec.template.metadata.labels.v", ["(64 characters)"]),
    ("a CronJob's pod template label", _obj("CronJob", {"name": "a"}, {"jobTemplate": {
        "spec": _pod_labels({"bad key": "x"})}}),
     "spec.jobTemplate.spec.template.metadata.labels.bad key", ["not a valid label"]),
    ("metadata of the wrong shape", K8sObject("", {"kind": "ConfigMap", "metadata": 5}, "t",
                                              "app"), "metadata.name", ["required"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("obj", "path", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_meta_rule(obj: K8sObject, path: str | None, words: list[str]) -> None:
    problems = meta_problems(obj)
    if path is None:
        assert problems == []
        return
    assert [p.path for p in problems] == [path]
    assert all(w in problems[0].message for w in words), problems[0].message


def test_messages_give_lengths_not_values() -> None:
    secretish = "s3cr3t-" + "q" * 60
    [problem] = meta_problems(_obj("ConfigMap", {"name": "a", "labels": {"token": secretish}}))
    assert secretish not in str(problem)


def _cm(name: str, data: dict[str, str], source: str, ns: str | None = None) -> K8sObject:
    metadata: dict[str, Any] = {"name": name, **({"namespace": ns} if ns else {})}
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata, "data": data}
    return K8sObject("", body, source, "app")


# (id, objects, problems as (source, message start), warnings as their start)
TWICE: list[tuple[str, list[K8sObject], list[tuple[str, str]], list[str]]] = [
    ("two subcharts' collision", [_cm("x", {"a": "1"}, "a.yaml"), _cm("x", {"b": "2"}, "b.yaml")],
     [("b.yaml", "rendered twice, differently (a.yaml renders it too)")], []),
    ("the same twice", [_cm("x", {"a": "1"}, "a.yaml"), _cm("x", {"a": "1"}, "b.yaml")],
     [], ["b.yaml: ConfigMap/x is rendered twice, the same (a.yaml renders it too)"]),
    ("the release namespace named or not", [_cm("x", {"a": "1"}, "a.yaml"),
                                            _cm("x", {"b": "1"}, "b.yaml", ns="app")],
     [("b.yaml", "rendered twice")], []),
    ("other namespaces", [_cm("x", {"a": "1"}, "a.yaml"), _cm("x", {"b": "1"}, "b.yaml", "o")],
     [], []),
    ("other names", [_cm("x", {"a": "1"}, "a.yaml"), _cm("y", {"a": "1"}, "b.yaml")], [], []),
]  # fmt: skip


@pytest.mark.parametrize(("objects", "problems", "warnings"), [c[1:] for c in TWICE],
                         ids=[c[0] for c in TWICE])  # fmt: skip
def test_an_object_rendered_twice(
    objects: list[K8sObject], problems: list[tuple[str, str]], warnings: list[str]
) -> None:
    found, said = duplicates(objects)
    assert len(found) == len(problems) and len(said) == len(warnings)
    for problem, (source, start) in zip(found, problems, strict=True):
        assert (problem.source, problem.path) == (source, "")
        assert problem.message.startswith(start)
    for warning, start in zip(said, warnings, strict=True):
        assert warning.startswith(start)


def test_a_hook_of_the_same_name_is_not_a_duplicate() -> None:
    hook = _cm("x", {"b": "2"}, "hook.yaml")
    hook.hook = HookInfo(events=("pre-install",), weight=0, delete_policies=())
    assert duplicates([_cm("x", {"a": "1"}, "a.yaml"), hook]) == ([], [])


def test_template_fails_on_a_collision(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from chart_files import write_chart

    from chartsafe.cli import main

    doc = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shared}\ndata: {k: %s}\n"
    chart = write_chart(tmp_path / "dup", {"a.yaml": doc % "a", "b.yaml": doc % "b"})
    assert main(["template", "rel", str(chart)]) == 1
    err = capsys.readouterr().err
    assert "invalid: dup/templates/b.yaml: ConfigMap/shared: rendered twice, differently" in err
