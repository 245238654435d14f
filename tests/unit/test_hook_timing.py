"""When an object of the release is there for a pod that reads it (chartsafe._hook_timing)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from chartsafe._hook_timing import absence, left_for, runs_before
from chartsafe._objects import HookInfo


@dataclass(frozen=True)
class Obj:
    kind: str
    name: str
    hook: HookInfo | None = None


def hook(events: str, weight: int = 0, delete: str = "") -> HookInfo:
    return HookInfo(tuple(events.split(",")), weight, tuple(delete.split(",")) if delete else ())


BOTH = "pre-install,pre-upgrade"
JOB = Obj("Job", "migrate", hook(BOTH))
POD = Obj("Deployment", "app")

# (id, makers, reader, None when there, else (operation, reader's event, why))
CASES = [
    ("regular maker, regular reader", [Obj("Secret", "s")], POD, None),
    ("regular maker, pre-install hook", [Obj("Secret", "s")], JOB,
     ("install", "pre-install", "later")),
    ("regular maker, pre-upgrade hook alone: there from the install", [Obj("Secret", "s")],
     Obj("Job", "backup", hook("pre-upgrade")), None),
    ("regular maker, post-install hook", [Obj("Secret", "s")],
     Obj("Job", "seed", hook("post-install")), None),
    ("lower weight", [Obj("Secret", "s", hook(BOTH, -5))], JOB, None),
    ("higher weight", [Obj("Secret", "s", hook(BOTH, 5))], JOB,
     ("install", "pre-install", "later")),
    ("equal weight, name after the reader's", [Obj("Secret", "zz", hook(BOTH))],
     JOB, ("install", "pre-install", "later")),
    ("equal weight, name before the reader's", [Obj("Secret", "db", hook(BOTH))],
     JOB, None),
    ("equal name: install order of kinds", [Obj("Secret", "migrate", hook(BOTH))],
     JOB, None),
    ("pre-install only, read at pre-upgrade: it stayed",
     [Obj("Secret", "s", hook("pre-install", -5))], JOB, None),
    ("pre-install only, deleted on success, read at pre-upgrade",
     [Obj("Secret", "s", hook("pre-install", -5, "hook-succeeded"))], JOB,
     ("upgrade", "pre-upgrade", "never")),
    ("deleted on success, read by the pods", [Obj("Secret", "s", hook("pre-install", 0,
                                                                     "hook-succeeded"))],
     POD, ("install", None, "deleted")),
    ("deleted on failure only", [Obj("Secret", "s", hook("pre-install", 0, "hook-failed"))],
     POD, None),
    ("post-install maker, regular reader", [Obj("Secret", "s", hook("post-install"))], POD,
     ("install", None, "later")),
    ("pre-upgrade maker only, regular reader", [Obj("Secret", "s", hook("pre-upgrade"))], POD,
     ("install", None, "never")),
    ("one maker of two is enough", [Obj("Secret", "s", hook("post-install")), Obj("Secret", "s")],
     POD, None),
    ("test hooks are not asked about", [Obj("Secret", "s", hook("post-install"))],
     Obj("Pod", "t", hook("test")), None),
]  # fmt: skip


@pytest.mark.parametrize(("makers", "reader", "expected"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])  # fmt: skip
def test_absence(
    makers: list[Obj], reader: Obj, expected: tuple[str, str | None, str] | None
) -> None:
    gap = absence(makers, reader)
    assert (None if gap is None else (gap.operation, gap.event, gap.why)) == expected
    if gap is not None:
        assert gap.words() and gap.fix()


# (id, makers, reader, what an upgrade of the installed release lacks: None, or (event, why))
UPGRADE_ONLY = [
    ("regular maker, both events: left by the release", [Obj("Secret", "s")], JOB, None),
    ("higher weight, both events: the earlier one stays until its hook runs again",
     [Obj("Secret", "s", hook(BOTH, 5))], JOB, None),
    ("higher weight, deleted on success", [Obj("Secret", "s", hook(BOTH, 5, "hook-succeeded"))],
     JOB, ("pre-upgrade", "later")),
    ("pre-install-only reader: not run in an upgrade", [Obj("Secret", "s", hook(BOTH, 5))],
     Obj("Job", "init", hook("pre-install")), None),
    ("post-install maker deleted on success, regular reader",
     [Obj("Secret", "s", hook("post-install", 0, "hook-succeeded"))], POD, (None, "never")),
]  # fmt: skip


@pytest.mark.parametrize(("makers", "reader", "expected"), [c[1:] for c in UPGRADE_ONLY],
                         ids=[c[0] for c in UPGRADE_ONLY])  # fmt: skip
def test_absence_in_an_upgrade_only(
    makers: list[Obj], reader: Obj, expected: tuple[str | None, str] | None
) -> None:
    gap = absence(makers, reader, upgrade_only=True)
    assert (None if gap is None else (gap.event, gap.why)) == expected
    assert gap is None or gap.operation == "upgrade"


def test_an_operator_lags_a_step() -> None:
    """An ExternalSecret's Secret is there for the next step (the kubelet retries), not for a
    hook of its own step: nothing waits for the operator there."""
    eso = Obj("ExternalSecret", "es", hook("pre-install", -5))
    assert absence([eso], JOB, lagging=[eso]) is not None
    assert absence([eso], POD, lagging=[eso]) is None
    regular = Obj("ExternalSecret", "es")
    seed = Obj("Job", "seed", hook("post-install"))
    assert absence([regular], seed, lagging=[regular]) is None


@pytest.mark.parametrize(
    ("first", "then", "expected"),
    [
        (Obj("Secret", "b", hook("pre-install", -1)), Obj("Job", "a", hook("pre-install")), True),
        (Obj("Secret", "b", hook("pre-install")), Obj("Job", "a", hook("pre-install")), False),
        (Obj("Secret", "a", hook("pre-install")), Obj("Job", "a", hook("pre-install")), True),
        (Obj("Secret", "a", hook("post-install")), Obj("Job", "b", hook("pre-install")), False),
        (Obj("Secret", "a"), Obj("Job", "b", hook("pre-install")), False),
    ],
)
def test_runs_before_orders_by_weight_then_name_then_kind(
    first: Obj, then: Obj, expected: bool
) -> None:
    assert runs_before(first, then, "pre-install") is expected


UPGRADE_HOOK = Obj("Job", "backup", hook("pre-upgrade"))

# (id, makers, reader, whether the reader finds it in an upgrade only because the deployed
# release left it)
LEFT = [
    ("regular Secret, pre-upgrade hook", [Obj("Secret", "s")], UPGRADE_HOOK, True),
    ("pre-install-only hook Secret, pre-upgrade hook",
     [Obj("Secret", "s", hook("pre-install", -5))], UPGRADE_HOOK, True),
    ("post-install hook Secret, pre-upgrade hook",
     [Obj("Secret", "s", hook("post-install"))], UPGRADE_HOOK, True),
    ("pre-upgrade hook Secret of a lower weight: made in the upgrade",
     [Obj("Secret", "s", hook("pre-upgrade", -5))], UPGRADE_HOOK, False),
    ("read by the pods: made before them", [Obj("Secret", "s")], POD, False),
    ("a post-upgrade hook: after the resources", [Obj("Secret", "s")],
     Obj("Job", "notify", hook("post-upgrade")), False),
    # a pre-install,pre-upgrade hook: an upgrade runs it by its pre-upgrade event (what it
    # lacks at install is hook-order's finding, and no matter to an installed release)
    ("both events: judged by pre-upgrade", [Obj("Secret", "s")], JOB, True),
    ("both events, maker of a lower weight", [Obj("Secret", "s", hook(BOTH, -5))], JOB, False),
]  # fmt: skip


@pytest.mark.parametrize(("makers", "reader", "left"), [c[1:] for c in LEFT],
                         ids=[c[0] for c in LEFT])  # fmt: skip
def test_left_for(makers: list[Obj], reader: Obj, left: bool) -> None:
    gap = left_for(makers, reader)
    assert (gap is not None) is left
    if gap is not None:
        assert (gap.operation, gap.event) == ("upgrade", "pre-upgrade")
        assert gap.reader_words("Job/backup") == "pre-upgrade hook Job/backup (weight 0)"
