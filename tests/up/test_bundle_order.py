"""The bundle's install order: the chart's CRDs, pre-install hooks, resources, post-install hooks.

Helm's install creates ``crds/`` first (a hook may be a custom resource of them), then runs the
``pre-install`` hooks by weight and name, creates the resources, runs the ``post-install``
hooks. Hooks for other events only (upgrade, delete, rollback, test) never run on install:
the plan lists them apart, with their events, and ``manifests.yaml`` leaves them out, or
applying it would run a pre-delete "drop database" Job at deploy time. A hook for several
events is placed by its install event. The chart is tests/data/up/bundle-hooks.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_up_cli import run
from up_helpers import DATA, Keys

from chartsafe import RenderOptions, render_chart
from chartsafe._bundle import PlanStep, build_plan, plan_lines, plan_markdown

CHART = DATA / "bundle-hooks"
CRD = ("crd", "CustomResourceDefinition/widgets.example.com")

#: Applied on install, in order.
INSTALL = [
    CRD,
    ("pre-install hook", "Widget/w"),  # weight -1
    ("pre-install hook", "Job/backup"),  # weight 5, by name before migrate
    ("pre-install hook", "Job/migrate"),  # pre-install,pre-upgrade weight 5
    ("resource", "ConfigMap/cm"),
    ("post-install hook", "Job/seed"),  # post-upgrade,post-install
]
#: Listed, not applied on install: by weight, then name.
NOT_ON_INSTALL = [
    ("Job/upgrade-only", "pre-upgrade weight -10"),
    ("Job/after-delete", "post-delete weight 0"),
    ("Job/before-rollback", "pre-rollback weight 0"),
    ("Job/cleanup", "pre-delete weight 0"),
    ("Job/rollback-only", "post-rollback weight 0"),
    ("Pod/smoke-test", "test weight 0"),
]
#: On upgrade (for a release run's plan): the upgrade hooks instead.
UPGRADE = [
    CRD,
    ("pre-upgrade hook", "Job/upgrade-only"),
    ("pre-upgrade hook", "Job/migrate"),
    ("resource", "ConfigMap/cm"),
    ("post-upgrade hook", "Job/seed"),
]


def _steps(event: str = "install") -> list[PlanStep]:
    options = RenderOptions(namespace="apps", include_crds=True, validate=False)
    rendered = render_chart(CHART, {}, options)
    return build_plan([], rendered.objects, [], namespace="apps", event=event)


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        ("install", [*INSTALL, *(("not on install", ref) for ref, _ in NOT_ON_INSTALL)]),
        ("upgrade", UPGRADE),
    ],
)
def test_plan_order(event: str, expected: list[tuple[str, str]]) -> None:
    steps = [(s.phase, s.ref) for s in _steps(event)]
    assert steps[: len(expected)] == expected
    if event == "upgrade":  # the install-only hooks are the ones left out
        assert ("not on upgrade", "Job/backup") in steps
        assert ("not on upgrade", "Widget/w") in steps


@pytest.mark.parametrize(("ref", "hook"), NOT_ON_INSTALL)
def test_plan_lists_each_other_hook_apart_with_its_events(ref: str, hook: str) -> None:
    steps = _steps()
    lines = plan_lines(steps)
    numbered = [line for line in lines if re.match(r"\s*\d+\. ", line)]
    assert len(numbered) == len(INSTALL)
    assert f"  -  {ref} -n apps  [HOOK {hook}]" in lines
    assert not any(ref in line for line in numbered)
    plan = plan_markdown(steps, release="r", chart="c", backend="secret", namespace="apps")
    assert f"{len(INSTALL)} objects: " in plan
    assert f"{len(NOT_ON_INSTALL)} hook(s) for other events" in plan


def _manifest_steps(text: str) -> list[tuple[str, str]]:
    """(phase, Kind/name) of each document of manifests.yaml, from its marks and body."""
    found = []
    for document in text.split("\n---\n"):
        phase = re.search(r"^# Phase: (.+)$", document, re.M)
        kind = re.search(r"^kind: (\S+)$", document, re.M)
        name = re.search(r"^  name: (\S+)$|^metadata: \{name: (\S+)\}$", document, re.M)
        assert phase and kind and name, document
        found.append((phase[1], f"{kind[1]}/{name[1] or name[2]}"))
    return found


def test_up_bundle_applies_crds_first_and_only_install_hooks(
    tmp_path: Path, age_keys: Keys, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bundle"
    store = age_keys.store_flags(tmp_path / "s.sops.yaml")
    code, stdout, err = run(capsys, "up", "r", str(CHART), "-n", "apps", *store, "--out", str(out))
    assert code == 0, err
    assert _manifest_steps((out / "manifests.yaml").read_text()) == INSTALL
    plan = (out / "PLAN.md").read_text()
    assert "  1. crd                CustomResourceDefinition/widgets.example.com\n" in plan
    for ref, hook in NOT_ON_INSTALL:
        assert f"  -  {ref} -n apps  [HOOK {hook}]" in plan
        assert f"  -  {ref} -n apps  [HOOK {hook}]" in stdout
