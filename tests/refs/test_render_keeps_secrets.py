"""A library caller's ``UserValues`` keeps its secret paths through ``render_chart``."""

from __future__ import annotations

from pathlib import Path

import pytest

from chartsafe import RenderOptions, SecretValues, UserValues, render_chart

CHART = Path(__file__).resolve().parents[1] / "data" / "refs" / "leak"
VALUES = {"config": {"endpoint": "https://in.example.com/hook-Zq81xv"}}


@pytest.mark.parametrize(
    ("given", "secret_paths"),
    [
        (UserValues(VALUES, SecretValues.of(VALUES, [("config", "endpoint")])),
         {("config", "endpoint")}),
        (VALUES, set()),  # a plain dict: nothing is known to be secret
    ],
)  # fmt: skip
def test_render_keeps_what_is_secret(given: dict[str, object], secret_paths: set[object]) -> None:
    result = render_chart(CHART, given, RenderOptions(validate=False))
    assert set(result.user_values.secrets.paths) == secret_paths
    text = "".join(o.text for o in result.objects)
    assert ("https://in.example.com/hook-Zq81xv" in result.user_values.secrets.redact(text)) is (
        not secret_paths
    )
