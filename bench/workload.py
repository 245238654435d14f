"""Inputs for the benchmarks: the largest chart present and a mixed bag of objects."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml


def _object_count(chart: Path, values_file: Path | None) -> int:
    from chartsafe import RenderOptions, ValuesInput, render_chart

    given = ValuesInput(files=[values_file] if values_file else [])
    try:
        result = render_chart(chart, given, RenderOptions(validate=False))
    except Exception:
        return -1
    return len(result.objects)


def largest_chart(repo: Path) -> tuple[Path, Path | None]:
    """The chart under charts/ (or tests/data/) that renders the most objects.

    Charts with required values are tried with the demo's values and with
    each example values file they ship.
    """
    best: tuple[int, Path, Path | None] = (-1, repo / "tests" / "data" / "minimal", None)
    demo = repo / ".demo" / "demo-values.yaml"
    for chart in sorted((repo / "charts").glob("*/Chart.yaml")):
        directory = chart.parent
        candidates: list[Path | None] = [None, *sorted(directory.glob("examples/values*.yaml"))]
        if demo.is_file():
            candidates.append(demo)
        for values in candidates:
            count = _object_count(directory, values)
            if count > best[0]:
                best = (count, directory, values)
    return best[1], best[2]


def demo_values(values_file: Path | None) -> dict[str, Any]:
    if values_file is None:
        return {}
    loaded = yaml.safe_load(values_file.read_text()) or {}
    return loaded if isinstance(loaded, dict) else {}


def mixed_objects(repo: Path, count: int) -> list[dict[str, Any]]:
    """``count`` objects of mixed kinds from the test charts, about one in ten made invalid."""
    from chartsafe import RenderOptions, render_chart

    pool: list[dict[str, Any]] = []
    data = repo / "tests" / "data"
    for name in ("workloads", "minimal", "hooks"):
        result = render_chart(data / name, {"password": "p"}, RenderOptions(validate=False))
        pool.extend(o.body for o in result.objects if o.kind and "/" in o.api_version + "/")
    pool = [b for b in pool if b["kind"] not in ("Widget", "CustomResourceDefinition")]
    objects = []
    for i in range(count):
        body = copy.deepcopy(pool[i % len(pool)])
        body["metadata"]["name"] = f"{body['metadata']['name']}-{i}"
        if i % 10 == 3:
            body["unexpectedField"] = True
        objects.append(yaml.safe_load(yaml.safe_dump(body)))
    return objects
