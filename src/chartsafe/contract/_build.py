"""contract_for_chart: render a chart, then derive its contract (one call for commands)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from .._errors import ChartsafeError
from .._render import RenderOptions, RenderResult, render_chart
from .._values import ValuesInput
from ._derive import derive_contract
from ._model import Contract

__all__ = ["contract_for_chart", "contract_for_render"]


def _defaults_render(chart: Path | str, options: RenderOptions) -> RenderResult | None:
    """The chart rendered with its own default values, if it renders without user values."""
    quiet = dataclasses.replace(options, validate=False, show_only=[], include_crds=False)
    try:
        return render_chart(chart, {}, quiet)
    except ChartsafeError:
        return None  # the chart needs values to render; the declaration is the next source


def contract_for_chart(
    chart: Path | str,
    values: ValuesInput | dict[str, Any] | None = None,
    options: RenderOptions | None = None,
) -> tuple[Contract, RenderResult]:
    """Render ``chart`` (as ``template`` would) and derive its contract.

    Object validation is off unless ``options.validate`` asks for it: the
    contract needs the objects, not their schema verdicts.
    """
    options = options or RenderOptions(validate=False)
    result = render_chart(chart, values, options)
    return contract_for_render(result, options), result


def contract_for_render(result: RenderResult, options: RenderOptions) -> Contract:
    """The contract of an already rendered release, as ``contract_for_chart`` derives it.

    ``options`` are those it was rendered with: a second render with the chart's
    default values (for keys of Secrets read whole) uses the same name and namespace.
    """
    return derive_contract(
        result,
        release=options.release_name,
        alternative=lambda: _defaults_render(result.chart, options),
    )
