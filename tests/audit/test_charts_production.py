"""The charts under charts/ pass ``audit --profile production`` with their production examples.

Findings at or above high must be absent or carry a reasoned suppression in the example file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from chartsafe import RenderOptions, ValuesInput
from chartsafe.audit import Severity, audit_chart

CHARTS = Path(__file__).resolve().parents[2] / "charts"

# (chart, production values files, --set flags, rules whose suppressions the example carries)
PRODUCTION: list[tuple[str, list[str], list[str], set[str]]] = [
    ("tracecat", ["examples/values-aws.yaml"], [],
     {"privileged", "cap-sys-admin", "seccomp-unconfined", "host-path"}),
    ("llmtrace", ["values-production.yaml"],
     ["secrets.create=false", "secrets.existingSecret=llmtrace",
      "postgresql.auth.existingSecret=llmtrace-postgresql",
      "redis.auth.existingSecret=llmtrace-redis",
      "clickhouse.auth.existingSecret=llmtrace-clickhouse"], set()),
    ("fractal-lba", ["values-production.yaml"], [], set()),
    ("incidentfox", ["values.prod.yaml"], [], set()),
    ("agentapi-proxy", ["examples/values-s3-irsa.yaml"], [], {"dangerous-flag"}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("chart", "files", "sets", "suppressed"), PRODUCTION, ids=[p[0] for p in PRODUCTION]
)
def test_chart_passes_production_audit(
    chart: str, files: list[str], sets: list[str], suppressed: set[str]
) -> None:
    result = audit_chart(
        CHARTS / chart,
        ValuesInput(files=[CHARTS / chart / f for f in files], set=sets),
        RenderOptions(release_name=chart, namespace=chart, validate=False),
        profile="production",
    )
    blocking = [f"{f.rule} {f.where}" for f in result.active if f.severity >= Severity.high]
    assert blocking == []
    assert not result.failed
    assert {f.rule for f in result.suppressed} == suppressed
    assert all(f.suppressed for f in result.suppressed)
    assert not [n for n in result.notes if "matched nothing" in n]
