"""credential-in-release-record names the namespace of the release record: the release's,
not that of the Secret the value is copied into (a chart may put one in another namespace)."""

from __future__ import annotations

import pytest
from audit_helpers import DATA

from chartsafe import RenderOptions, ValuesInput
from chartsafe.audit import audit_chart

CHART = DATA / "record-namespace"
RULE = "credential-in-release-record"
RECORD = "readable by anyone who can read Secrets in namespace apps"

# (--set value of db.password, Secret it lands in as the message names it)
CASES: list[tuple[str, str]] = [
    ("Qw8rTy3uIo1p", "copied into Secret r-db key password"),
    ("Qw8rTy3uIo1p", "copied into Secret r-scrape (namespace monitoring) key token"),
    ("ref+chartsafe://shop/app/db", "lands in Secret r-db key password"),
    ("ref+chartsafe://shop/app/db", "lands in Secret r-scrape (namespace monitoring) key token"),
]


def _messages(password: str) -> list[str]:
    result = audit_chart(
        CHART,
        ValuesInput(set=[f"db.password={password}"]),
        RenderOptions(release_name="r", namespace="apps", validate=False),
    )
    return [f.message for f in result.findings if f.rule == RULE]


@pytest.mark.parametrize(("password", "landed"), CASES)
def test_the_record_is_in_the_release_namespace(
    password: str, landed: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CHARTSAFE_STORE", raising=False)
    messages = _messages(password)
    assert len(messages) == 2, messages
    (message,) = [m for m in messages if landed in m]
    assert message.endswith(RECORD)


@pytest.mark.parametrize("password", ["Qw8rTy3uIo1p", "ref+chartsafe://shop/app/db"])
def test_the_secret_namespace_is_never_named_as_the_record_one(
    password: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CHARTSAFE_STORE", raising=False)
    messages = _messages(password)
    assert messages
    assert not [m for m in messages if "read Secrets in namespace monitoring" in m]


def test_a_short_value_is_not_looked_for() -> None:
    """Not triggering: a value too short to tell apart lands nowhere as a finding."""
    assert _messages("abc") == []
