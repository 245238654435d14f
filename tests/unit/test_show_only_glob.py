"""--show-only globs are Go's filepath.Match, as Helm's: ``*`` and ``?`` stop at ``/``."""

from __future__ import annotations

from pathlib import Path

import pytest

from chartsafe._go_match import go_match
from chartsafe._render import RenderOptions, render_chart

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.mark.parametrize(
    ("pattern", "name", "matches"),
    [
        ("templates/*.yaml", "templates/rbac.yaml", True),
        ("templates/*.yaml", "templates/tests/test.yaml", False),
        ("templates/*", "templates/tests/test.yaml", False),
        ("templates/tests/*", "templates/tests/test.yaml", True),
        ("templates?rbac.yaml", "templates/rbac.yaml", False),
        ("templates/?bac.yaml", "templates/rbac.yaml", True),
        ("templates/[a-r]bac.yaml", "templates/rbac.yaml", True),
        ("templates/[^r]bac.yaml", "templates/rbac.yaml", False),
        ("templates/[!r]bac.yaml", "templates/!bac.yaml", True),  # ! is no negation in Go
        ("templates/[z-a]bac.yaml", "templates/rbac.yaml", False),
        ("templates/\\*.yaml", "templates/*.yaml", True),
        ("templates/[r", "templates/[r", False),  # malformed: matches nothing
        ("templates/[]r]", "templates/r", False),
        ("templates/a\\", "templates/a\\", False),
    ],
)
def test_go_match(pattern: str, name: str, matches: bool) -> None:
    assert go_match(pattern, name) is matches


@pytest.mark.parametrize(
    ("patterns", "sources"),
    [
        (["templates/*.yaml"], {"hooks/templates/rbac.yaml", "hooks/templates/widget.yaml",
                                "hooks/templates/jobs.yaml"}),
        (["templates/*/*.yaml"], {"hooks/templates/tests/test-connection.yaml"}),
        (["hooks/templates/w*"], {"hooks/templates/widget.yaml"}),
    ],
)  # fmt: skip
def test_star_does_not_cross_directories(patterns: list[str], sources: set[str]) -> None:
    result = render_chart(DATA / "hooks", {}, RenderOptions(show_only=patterns, validate=False))
    assert {o.source for o in result.objects} == sources
