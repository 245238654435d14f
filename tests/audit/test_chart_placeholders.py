"""placeholder-credential also finds placeholders a chart writes into its own Secrets
(``{{ .Values.adminPassword | default "changeme" }}``, ``{{ "changeme" | b64enc }}``), names
the Secret, key and template, and the values key to set when the template reads one. A
placeholder given in values is reported once, where it is given."""

from __future__ import annotations

from pathlib import Path

import pytest
from audit_helpers import DATA

from chartsafe import RenderOptions, ValuesInput
from chartsafe.audit import Severity, audit_chart

CHART = DATA / "placeholders"
RULE = "placeholder-credential"
ADMIN = (
    "Secret p-admin key admin-password is a placeholder, not a credential, written in "
    "placeholders/templates/secret.yaml: set adminPassword to a real value"
)
DB = (
    "Secret p-db key db-password is a placeholder, not a credential, written in "
    "placeholders/templates/secret.yaml, and no values key sets it: change the chart, or "
    "create the Secret outside it"
)
STORE = (
    "Secret p-store key root-password is a placeholder, not a credential, written in "
    "placeholders/charts/store/templates/secret.yaml: set store.rootPassword to a real value"
)
GIVEN_ADMIN = "adminPassword is a placeholder, not a credential"

# (id, --set flags, -f files, the rule's messages)
CASES: list[tuple[str, list[str], list[Path], list[str]]] = [
    ("chart defaults", [], [], [ADMIN, DB, STORE]),
    # given with --set or -f: reported once, where it is given; the Secret is not again
    ("placeholder with --set", ["adminPassword=changeme"], [], [GIVEN_ADMIN, DB, STORE]),
    ("another placeholder with --set", ["adminPassword=password"], [],
     [GIVEN_ADMIN, DB, STORE]),
    ("placeholder with -f", [], [DATA / "placeholder-values.yaml"], [GIVEN_ADMIN, DB, STORE]),
    # real values: only the literal nobody can set is left
    ("real values", ["adminPassword=Xk3q9TqLw8vX2mN4pR7s", "store.rootPassword=Hq4sN8vW2kLzTr6y"],
     [], [DB]),
]  # fmt: skip


def _audit(sets: list[str], files: list[Path], profile: str = "production") -> list[str]:
    result = audit_chart(
        CHART,
        ValuesInput(files=files, set=sets),
        RenderOptions(release_name="p", validate=False),
        profile=profile,
    )
    found = [f for f in result.findings if f.rule == RULE]
    assert all(f.severity is Severity.high for f in found)
    return sorted(f.message for f in found)


@pytest.mark.parametrize(("sets", "files", "messages"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])  # fmt: skip
def test_placeholders_in_chart_secrets(
    sets: list[str], files: list[Path], messages: list[str]
) -> None:
    assert _audit(sets, files) == sorted(messages)


def test_the_finding_points_at_the_secret_and_its_values_key() -> None:
    result = audit_chart(CHART, ValuesInput(), RenderOptions(release_name="p", validate=False),
                         profile="production")  # fmt: skip
    where = sorted((f.file, f.obj, f.values_path) for f in result.findings if f.rule == RULE)
    assert where == [
        ("placeholders/charts/store/templates/secret.yaml", "Secret/p-store", "store.rootPassword"),
        ("placeholders/templates/secret.yaml", "Secret/p-admin", "adminPassword"),
        ("placeholders/templates/secret.yaml", "Secret/p-db", None),
    ]


@pytest.mark.parametrize(
    "key", ["empty-password", "api-token", "username"], ids=["empty", "random", "not a credential"]
)
def test_no_finding_for(key: str) -> None:
    """An empty value, a random-looking one and a placeholder-like user name: none."""
    assert not [m for m in _audit([], []) if f"key {key} " in m]


def test_only_the_production_profile_reports_placeholders() -> None:
    assert _audit([], [], profile="dev") == []
