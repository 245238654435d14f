"""``helm show``: a chart's Chart.yaml, default values, README or CRDs, by Helm's own action.

What a platform engineer reads before writing a values file: ``chartsafe show values
oci://registry.example.com/charts/app --version 1.2.0 > values.yaml`` starts one. The text
is Helm's (its show action through the SDK), so it matches ``helm show`` byte for byte; the
chart is opened as every CHART is (``_chart_source``: local, or pulled, and ``--verify``).
A chart's own files are printed as they are: its default values are public to anyone who
can read the chart, and nothing the user supplied is in them.
"""

from __future__ import annotations

from pathlib import Path

from ._errors import ChartLoadError
from ._go_log import go_log_filtered

__all__ = ["SHOW_PARTS", "show_chart"]

#: What ``helm show`` shows: ``all`` is the other four, as Helm joins them.
SHOW_PARTS = ("all", "chart", "values", "readme", "crds")


def show_chart(path: Path, part: str = "all") -> str:
    """``part`` of the chart at ``path`` (a directory or a ``.tgz``), as ``helm show`` prints it."""
    from ._helm import HelmChart, _message, helm

    if part not in SHOW_PARTS:
        raise ValueError(f"part must be one of {', '.join(SHOW_PARTS)}, not {part!r}")
    HelmChart(path).close()  # a missing path or a non-chart, said as every command says it
    h = helm()
    try:
        with go_log_filtered(str):
            # absolute: the SDK reads a bare name without a slash as a repository chart
            shown: str = h.show(str(path.resolve()), output_format=part)
    except h.HelmError as exc:
        raise ChartLoadError(f"chart {path}: {_message(exc)}", chart=path) from None
    return shown
