"""The object model: identity, namespace, hook data, order, CRDs, notes."""

from __future__ import annotations

from pathlib import Path

import pytest

from chartsafe import HookInfo, K8sObject, RenderOptions, RenderResult, render_chart

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def hooks() -> RenderResult:
    return render_chart(
        DATA / "hooks", {}, RenderOptions(release_name="r", namespace="apps", include_crds=True)
    )


def _find(result: RenderResult, kind: str, name: str) -> K8sObject:
    return next(o for o in result.objects if o.kind == kind and o.name == name)


@pytest.mark.parametrize(
    ("kind", "name", "hook"),
    [
        (
            "Job",
            "r-migrate",
            HookInfo(
                ("pre-install", "pre-upgrade"), -5, ("before-hook-creation", "hook-succeeded")
            ),
        ),
        ("Job", "r-seed", HookInfo(("post-install",), 0, ())),  # unparsable weight counts as 0
        ("Pod", "r-test", HookInfo(("test",), 0, ())),
        ("ConfigMap", "r-sub", None),
        ("ServiceAccount", "r-sa", None),
    ],
)
def test_hook_data(hooks: RenderResult, kind: str, name: str, hook: HookInfo | None) -> None:
    assert _find(hooks, kind, name).hook == hook


def test_unknown_hook_is_skipped_with_a_warning(hooks: RenderResult) -> None:
    assert not [o for o in hooks.objects if o.name == "r-unknown-hook"]
    assert any("pre-frobnicate" in w for w in hooks.warnings)


@pytest.mark.parametrize(
    ("kind", "name", "namespace"),
    [
        ("ConfigMap", "r-sub", "apps"),  # unset: the release's
        ("ServiceAccount", "r-sa", "elsewhere"),  # its own
        ("ClusterRole", "r-reader", None),  # cluster-scoped
        ("Namespace", "r-extra", None),
    ],
)
def test_namespace(hooks: RenderResult, kind: str, name: str, namespace: str | None) -> None:
    assert _find(hooks, kind, name).namespace == namespace


def test_source_template_and_subchart_source(hooks: RenderResult) -> None:
    assert _find(hooks, "Job", "r-migrate").source == "hooks/templates/jobs.yaml"
    assert _find(hooks, "ConfigMap", "r-sub").source == "hooks/charts/sub/templates/cm.yaml"


def test_order_crds_then_install_order_then_hooks(hooks: RenderResult) -> None:
    kinds = [(o.kind, o.is_hook, o.crd) for o in hooks.objects]
    assert kinds[0] == ("CustomResourceDefinition", False, True)
    regular = [k for k, hook, crd in kinds if not hook and not crd]
    # Namespace < ServiceAccount < ConfigMap < ClusterRole < unknown kinds (Widget)
    assert regular == ["Namespace", "ServiceAccount", "ConfigMap", "ClusterRole", "Widget"]
    assert [k for k, hook, _ in kinds if hook] == ["Pod", "Job", "Job"]


def test_notes_are_the_top_charts_only(hooks: RenderResult) -> None:
    assert hooks.notes.strip() == "hooks notes for r"


@pytest.mark.parametrize(("skip_tests", "has_test"), [(False, True), (True, False)])
def test_skip_tests(skip_tests: bool, has_test: bool) -> None:
    result = render_chart(DATA / "hooks", {}, RenderOptions(skip_tests=skip_tests))
    assert any(o.hook and o.hook.is_test for o in result.objects) is has_test


@pytest.mark.parametrize(
    ("patterns", "sources"),
    [
        (["templates/rbac.yaml"], {"hooks/templates/rbac.yaml"}),
        (["hooks/templates/rbac.yaml"], {"hooks/templates/rbac.yaml"}),
        (["templates/tests/*"], {"hooks/templates/tests/test-connection.yaml"}),
        (["charts/sub/templates/cm.yaml", "templates/widget.yaml"],
         {"hooks/charts/sub/templates/cm.yaml", "hooks/templates/widget.yaml"}),
    ],
)  # fmt: skip
def test_show_only(patterns: list[str], sources: set[str]) -> None:
    result = render_chart(DATA / "hooks", {}, RenderOptions(show_only=patterns))
    assert {o.source for o in result.objects} == sources


def test_json_form_carries_hook_and_source(hooks: RenderResult) -> None:
    entry = _find(hooks, "Job", "r-migrate").as_dict()
    assert entry["source"] == "hooks/templates/jobs.yaml"
    assert entry["hook"] == {
        "events": ["pre-install", "pre-upgrade"],
        "weight": -5,
        "deletePolicies": ["before-hook-creation", "hook-succeeded"],
    }
    assert entry["namespace"] == "apps"
    assert entry["object"]["kind"] == "Job"


def test_runs_before_resources() -> None:
    assert HookInfo(("pre-upgrade",)).runs_before_resources
    assert not HookInfo(("post-install",)).runs_before_resources
