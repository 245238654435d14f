"""``ref+`` references in audit: never a finding themselves; where the chart puts the value
they resolve to is (credential-in-release-record). Audit renders them unresolved, so it
needs no store, key or cloud access."""

from __future__ import annotations

from pathlib import Path

import pytest
from audit_helpers import CHART, DATA

from chartsafe import RenderOptions, ValuesInput
from chartsafe.audit import audit_chart

REFS = DATA / "refs"
RULE = "credential-in-release-record"
CREDENTIAL_RULES = ("credential-in-values", "credential-in-env", "credential-in-configmap")

# (flags, -f files, the place the finding names, its values path, its line or None)
TRIGGERS: list[tuple[list[str], list[Path], str, str, int | None]] = [
    (["auth.password=ref+chartsafe://shop/app/password"], [],
     "Secret release-name-auth key password", "auth.password", None),
    ([], [REFS / "values-refs.yaml"], "Secret release-name-auth key password", "auth.password", 3),
    (["auth.existingSecret=app-auth", "config.endpoint=ref+awssecrets://prod/api#/url"], [],
     "in plaintext, and in ConfigMap release-name-config key endpoint", "config.endpoint", None),
    (["auth.existingSecret=app-auth", "token=ref+chartsafe://shop/app/token"], [],
     "in plaintext, and in Deployment release-name-app env API_TOKEN", "token", None),
]  # fmt: skip


def _audit(flags: list[str], files: list[Path]) -> list[tuple[str, str, str, int | None]]:
    result = audit_chart(
        CHART,
        ValuesInput(files=files, set=["migrationHook=false", *flags]),
        RenderOptions(validate=False),
        profile="production",
    )
    return [(f.rule, f.message, f.values_path or "", f.line) for f in result.findings]


@pytest.mark.parametrize(("flags", "files", "place", "path", "line"), TRIGGERS)
def test_where_a_reference_lands_is_a_finding(
    flags: list[str], files: list[Path], place: str, path: str, line: int | None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.delenv("CHARTSAFE_STORE", raising=False)  # resolving would fail: no store
    findings = _audit(flags, files)
    landed = [f for f in findings if f[0] == RULE]
    assert len(landed) == 1, findings
    _, message, values_path, found_line = landed[0]
    assert place in message and "is a reference" in message
    assert (values_path, found_line) == (path, line)
    assert not [f for f in findings if f[0] in CREDENTIAL_RULES], findings


@pytest.mark.parametrize(
    "flags",
    [
        ["auth.existingSecret=app-auth", "unused=ref+chartsafe://shop/app/unused"],
        ["auth.existingSecret=ref+chartsafe://shop/app/name-of-secret"],
    ],
)
def test_a_reference_the_chart_does_not_copy_is_no_finding(flags: list[str]) -> None:
    findings = _audit(flags, [])
    assert not [f for f in findings if "ref+" in f[1] or f[0] in (RULE, *CREDENTIAL_RULES)]
