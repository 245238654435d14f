"""chartsafe renders exactly what Helm's engine renders, and prints it as Helm does.

Two independent oracles from the Helm SDK itself:
- ``Chart.render`` called directly: the objects must be the same, for every
  chart under charts/ and tests/data/;
- the install action in client dry-run mode, which sorts and prints the
  manifest with Helm's own code: our YAML for the regular objects must equal
  that manifest byte for byte.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import helm_python
import pytest

from chartsafe import RenderOptions, manifests_yaml, render_chart

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data"


def _chart_dirs() -> list[Path]:
    roots = [REPO / "charts", DATA]
    return sorted(
        p for root in roots if root.is_dir() for p in root.iterdir() if (p / "Chart.yaml").is_file()
    )


def _values_cases(chart: Path) -> list[tuple[str, dict[str, Any]]]:
    """The chart's defaults if they render, and every values file it ships that renders.

    Charts with required values (tracecat, llmtrace) have no renderable
    defaults; their example values files stand in.
    """
    candidates: list[tuple[str, dict[str, Any]]] = [("defaults", {})]
    for pattern in ("ci/*.yaml", "examples/values*.yaml", "values-*.yaml", "values.*.yaml"):
        for path in sorted(chart.glob(pattern)):
            candidates.append((path.relative_to(chart).as_posix(), _load(path)))
    cases = []
    with helm_python.Chart.load(str(chart)) as c:
        for label, values in candidates:
            try:
                c.render(values, name="oracle", namespace="ns")
            except helm_python.HelmError:
                continue  # e.g. a file meant to be combined with other values
            cases.append((label, values))
    return cases


def _load(path: Path) -> dict[str, Any]:
    try:
        return helm_python.values_from_yaml(path.read_text())
    except helm_python.HelmError:
        return {}


def _sdk_objects(chart: Path, values: dict[str, Any]) -> list[dict[str, Any]]:
    """What the SDK renders, split and parsed with nothing of chartsafe's."""
    with helm_python.Chart.load(str(chart)) as c:
        rendered = c.render(values, name="oracle", namespace="ns")
    objects = []
    for path, text in rendered.items():
        if path.endswith("NOTES.txt"):
            continue
        for doc in re.split(r"(?:^|\s*\n)---\s*", "\n" + text):
            if doc.strip():
                body = helm_python.values_from_yaml(doc)
                hook = (body.get("metadata", {}).get("annotations") or {}).get("helm.sh/hook")
                if hook and any(e.strip() not in _KNOWN_HOOKS for e in hook.split(",")):
                    continue  # Helm's install and template skip objects with unknown hooks
                if body:
                    objects.extend(_flattened(body))
    return objects


def _flattened(body: dict[str, Any]) -> list[dict[str, Any]]:
    """A List's items, as Helm's install creates them (the kubectl builder's Flatten); an
    empty List is printed and creates nothing, and stays as it is."""
    items = body.get("items")
    if body.get("kind") == "List" and isinstance(items, list) and items:
        return [item for item in items if isinstance(item, dict)]
    return [body]


_KNOWN_HOOKS = {
    "pre-install", "post-install", "pre-delete", "post-delete", "pre-upgrade",
    "post-upgrade", "pre-rollback", "post-rollback", "test", "test-success",
}  # fmt: skip


def _canonical(objects: list[dict[str, Any]]) -> list[str]:
    return sorted(json.dumps(o, sort_keys=True) for o in objects)


CASES = [
    (chart, label, values) for chart in _chart_dirs() for label, values in _values_cases(chart)
]
IDS = [f"{chart.name}:{label}" for chart, label, _ in CASES]


@pytest.mark.parametrize(("chart", "label", "values"), CASES, ids=IDS)
def test_objects_are_what_the_sdk_renders(chart: Path, label: str, values: dict[str, Any]) -> None:
    result = render_chart(
        chart, values, RenderOptions(release_name="oracle", namespace="ns", validate=False)
    )
    ours = [o.body for o in result.objects if o.kind]
    assert _canonical(ours) == _canonical(_sdk_objects(chart, values))


@pytest.mark.parametrize(("chart", "label", "values"), CASES, ids=IDS)
def test_yaml_of_regular_objects_is_helms_manifest(
    chart: Path, label: str, values: dict[str, Any]
) -> None:
    """Order, separators, '# Source:' lines and text: as Helm's install action prints them."""
    result = render_chart(
        chart, values, RenderOptions(release_name="oracle", namespace="ns", validate=False)
    )
    config = helm_python.Config(namespace="ns", storage_driver="memory")
    try:
        release = config.install(str(chart), "oracle", values, dry_run="client")
    finally:
        config.close()
    regular = [o for o in result.objects if o.hook is None and not o.crd]
    assert manifests_yaml(regular, reveal=True).strip() == release["manifest"].strip()


def test_every_chart_is_compared() -> None:
    """No chart escapes the comparison because its defaults need values."""
    compared = {chart for chart, _, _ in CASES}
    missing = [c.name for c in _chart_dirs() if c not in compared]
    assert not missing, f"charts with no renderable values to compare: {missing}"


@pytest.mark.parametrize(
    ("kube_version", "api_versions", "expected_version", "expected_has"),
    [
        (None, [], "v1.36.0", "false"),
        ("v1.29.3", [], "v1.29.3", "false"),
        ("1.31.0", ["monitoring.coreos.com/v1"], "v1.31.0", "true"),
    ],
)
def test_capabilities_reach_the_templates(
    kube_version: str | None, api_versions: list[str], expected_version: str, expected_has: str
) -> None:
    result = render_chart(
        DATA / "minimal",
        {},
        RenderOptions(kube_version=kube_version, api_versions=api_versions),
    )
    data = next(o for o in result.objects if o.kind == "ConfigMap").body["data"]
    assert (data["kubeVersion"], data["hasMonitoring"]) == (expected_version, expected_has)


@pytest.mark.parametrize(("is_upgrade", "expected"), [(False, "false"), (True, "true")])
def test_upgrade_rendering(is_upgrade: bool, expected: str) -> None:
    result = render_chart(DATA / "minimal", {}, RenderOptions(is_upgrade=is_upgrade))
    data = next(o for o in result.objects if o.kind == "ConfigMap").body["data"]
    assert data["isUpgrade"] == expected


def test_packaged_chart_renders_like_its_directory(tmp_path: Path) -> None:
    archive = helm_python.package(str(DATA / "minimal"), destination=str(tmp_path))
    from_dir = render_chart(DATA / "minimal", {"password": "x"})
    from_tgz = render_chart(archive, {"password": "x"})
    assert [o.body for o in from_tgz.objects] == [o.body for o in from_dir.objects]
    assert [o.source for o in from_tgz.objects] == [o.source for o in from_dir.objects]
