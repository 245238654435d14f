"""A ``# chartsafe: ignore RULE reason`` comment in a manifest, on a key's line or the line
above it, covers that rule for the object the key belongs to, in that file only (as
``object=KIND/NAME`` would, for that file); one that stands above no key of an object is bad
input that says so."""

from __future__ import annotations

import pytest
from audit_helpers import DATA

from chartsafe._errors import InputError
from chartsafe.audit import audit_files

SUPPRESSIONS = DATA / "suppressions"

# (files, objects whose privileged finding is suppressed, objects whose finding stays)
CASES: list[tuple[list[str], list[str], list[str]]] = [
    (["above-key.yaml"], ["Pod/p"], ["Pod/q"]),
    (["on-key.yaml"], ["Pod/p"], []),
    (["document-top.yaml"], ["Pod/p"], ["Pod/q"]),
    (["above-key.yaml", "other-file.yaml"], ["Pod/p"], ["Pod/p", "Pod/q"]),
]


@pytest.mark.parametrize(("files", "suppressed", "found"), CASES,
                         ids=["above-key", "on-key", "document-top", "other-file"])  # fmt: skip
def test_a_suppression_covers_the_object_of_its_key(
    files: list[str], suppressed: list[str], found: list[str]
) -> None:
    result = audit_files([SUPPRESSIONS / name for name in files])
    assert sorted(f.obj or "" for f in result.suppressed if f.rule == "privileged") == suppressed
    assert all(f.suppressed == "debug pod only" for f in result.suppressed)
    assert sorted(f.obj or "" for f in result.active if f.rule == "privileged") == found
    assert result.notes == []
    if files[1:]:
        assert {f.file for f in result.active if f.rule == "privileged" and f.obj == "Pod/p"} == {
            str(SUPPRESSIONS / "other-file.yaml")
        }


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("before-marker.yaml", "before-marker.yaml:11: suppression of privileged is on no key "
         "and has no object="),
        ("in-list.yaml", "in-list.yaml:13: suppression of privileged is on a key of a List or "
         "of no object and has no object="),
    ],
    ids=["before-marker", "in-list"],
)  # fmt: skip
def test_a_suppression_on_no_object_is_bad_input(name: str, message: str) -> None:
    with pytest.raises(InputError) as raised:
        audit_files([SUPPRESSIONS / name])
    assert raised.value.message.endswith(message)
    assert "object=KIND/NAME" in (raised.value.hint or "")
