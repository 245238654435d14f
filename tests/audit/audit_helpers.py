"""Audit test helpers: the fixture inputs, each audited once per session."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from chartsafe import RenderOptions, ValuesInput
from chartsafe.audit import AuditResult, audit_chart, audit_files

DATA = Path(__file__).resolve().parents[1] / "data" / "audit"
CASES = DATA / "cases"
CORPUS = DATA / "corpus"
CHART = DATA / "chart"

#: Named inputs: file lists for ``audit --files``, or --set flags for the fixture chart.
FILES: dict[str, list[Path]] = {
    "bad": [CASES / "values-bad.yaml", CASES / "bad-workload.yaml"],
    "good": [CASES / "values-good.yaml", CASES / "hardened.yaml"],
    "planted": sorted((CORPUS / "planted").glob("*.yaml")),
    "references": sorted((CORPUS / "references").glob("*.yaml")),
}
CHART_SETS: dict[str, list[str]] = {
    # the chart copies the password into its Secret, a pre-install hook reads that
    # Secret and the chart's ConfigMap (a regular resource, and without one key it reads),
    # the Deployment has no checksum annotation, a key of the Secret is random per render,
    # and the Sentry DSN's Secret is named by a value left empty
    "chart-bad": [
        "auth.password=Qw8rTy3uIo1p",
        "auth.generateSessionKey=true",
        "auth.bundledCredentials=true",
        "migrationHook=true",
        "rolloutChecksum=false",
        "config.endpoint=https://api.example.com",
        "config.readKey=region",
        "gateway.enabled=true",
        "gateway.tlsNamespace=certs",
        "sentry.enabled=true",
    ],
    # an existing Secret: nothing copied, nothing created late, checksum annotation on; the
    # ConfigMap is an earlier hook with every key the Job reads
    "chart-good": [
        "auth.existingSecret=app-auth",
        "migrationHook=true",
        "config.endpoint=https://api.example.com",
        "config.asHook=true",
        "gateway.enabled=true",
        "gateway.tlsNamespace=certs",
        "gateway.grant=true",
        "sentry.enabled=true",
        "sentry.existingSecret=app-sentry",
    ],
    # values its values.schema.json rejects: nothing renders, the violation is the finding
    "chart-schema": ["auth.existingSecret=app-auth", "migrationHook=sometimes"],
}


@cache
def audited(name: str, profile: str = "production") -> AuditResult:
    if name in FILES:
        return audit_files(FILES[name], profile=profile)
    return audit_chart(
        CHART,
        ValuesInput(set=CHART_SETS[name]),
        RenderOptions(validate=False),
        profile=profile,
    )
