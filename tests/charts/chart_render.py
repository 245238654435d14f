"""Shared helpers for the chart tests: render a chart and look at its objects.

Every chart test goes through ``render()`` so that all of them use the same
engine and the same strict validation. Until ``chartsafe.render_chart`` lands
this renders through ``helm_python`` directly; the signature stays.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
CHARTS = REPO / "charts"
SHARED = REPO.parent / "shared"
ESO_CRDS = SHARED / "vectors" / "eso-crds"
PROMETHEUS_CRDS = SHARED / "vectors" / "prometheus-operator-crds"


@dataclass
class Rendered:
    """The objects of one render, with small finders for assertions."""

    objects: list[dict[str, Any]]
    notes: str = ""
    sources: list[str] = field(default_factory=list)

    def all(self, kind: str) -> list[dict[str, Any]]:
        return [o for o in self.objects if o.get("kind") == kind]

    def get(self, kind: str, name: str | None = None) -> dict[str, Any]:
        """The one object of ``kind`` (and ``name``); fails the test otherwise."""
        found = [
            o for o in self.all(kind) if name is None or o.get("metadata", {}).get("name") == name
        ]
        if len(found) != 1:
            names = [o.get("metadata", {}).get("name") for o in self.all(kind)]
            pytest.fail(f"expected one {kind} named {name!r}, found {len(found)} among {names}")
        return found[0]

    def names(self, kind: str) -> list[str]:
        return [o["metadata"]["name"] for o in self.all(kind)]


def render(
    chart: str | Path,
    *values_files: str | Path,
    set: Sequence[str] = (),
    set_string: Sequence[str] = (),
    set_json: Sequence[str] = (),
    name: str = "test",
    namespace: str = "default",
    kube_version: str | None = None,
    api_versions: Sequence[str] = (),
    is_upgrade: bool = False,
    validate: bool = True,
) -> Rendered:
    """Render ``chart`` (a name under charts/ or a path) like ``helm template``.

    With ``validate`` (the default) every object must pass strict Kubernetes
    schema validation, CRD kinds against the CRDs in ../shared/vectors.
    """
    from chartsafe import RenderOptions, ValuesInput, render_chart

    path = Path(chart) if Path(chart).is_absolute() or "/" in str(chart) else CHARTS / chart
    result = render_chart(
        path,
        ValuesInput(
            files=[Path(f) for f in values_files],
            set=list(set),
            set_string=list(set_string),
            set_json=list(set_json),
        ),
        RenderOptions(
            release_name=name,
            namespace=namespace,
            kube_version=kube_version,
            api_versions=list(api_versions),
            is_upgrade=is_upgrade,
            validate=validate,
            crd_dirs=[ESO_CRDS, PROMETHEUS_CRDS],
        ),
    )
    if validate:
        problems = [str(p) for p in result.problems]
        assert not problems, "\n".join(problems)
    return Rendered(
        objects=[o.body for o in result.objects],
        notes=result.notes,
        sources=[o.source for o in result.objects],
    )


def render_error(chart: str | Path, *values_files: str | Path, **kwargs: Any) -> str:
    """Render expecting failure; returns the one-line message a user would see."""
    from chartsafe import ChartsafeError

    with pytest.raises(ChartsafeError) as caught:
        render(chart, *values_files, **kwargs)
    return str(caught.value)


def dump(objects: list[dict[str, Any]]) -> str:
    """Readable dump for assertion messages."""
    return yaml.safe_dump_all(objects) if objects else json.dumps(objects)
