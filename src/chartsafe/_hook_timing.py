"""When, in one Helm install or upgrade, an object of the release is there for a pod reading it.

Helm runs an install in three steps: the pre-install hooks, one at a time, each waited for
(a Job until it completes); then the release's own resources, all at once; then the
post-install hooks, after the resources are ready when ``--wait`` is given. An upgrade runs
the same way with its pre-upgrade and post-upgrade hooks. The hooks of one step arrive
sorted by kind (install order) and Helm sorts them stably by weight, ties by
``metadata.name``: so weight first, then name, and kind only between equal names.

A hook object stays until its hook runs again (delete policy ``before-hook-creation``, the
default) unless its policy has ``hook-succeeded``: then Helm deletes it once every hook of
its step has succeeded, and nothing later in the operation finds it. An upgrade also finds
what earlier operations left: the release's resources, and hook objects that stay.

``absence`` answers, for one reader and the objects that make what it reads, whether it is
there when the reader runs, and if not why, in the words the contract's ``hook-order``
finding, ``check``'s ConfigMap gaps and ``audit`` share.
"""

# No ``from __future__ import annotations``: this module's NamedTuples keep real annotations
# (why: ``chartsafe/audit/_model.py``'s docstring).

from collections.abc import Sequence
from typing import Literal, NamedTuple, Protocol

from ._objects import INSTALL_ORDER, HookInfo

__all__ = ["NOT_LEFT", "Absence", "Timed", "absence", "left_for", "not_left_fix", "runs_before"]

#: (operation, its hook event before the resources, its hook event after them).
OPERATIONS = (
    ("install", "pre-install", "post-install"),
    ("upgrade", "pre-upgrade", "post-upgrade"),
)

#: Hook events after which a hook object that stays is still there for a later operation.
_LEFT_BEHIND = frozenset({"pre-install", "post-install", "pre-upgrade", "post-upgrade"})

_KIND_RANK = {kind: i for i, kind in enumerate(INSTALL_ORDER)}


class Timed(Protocol):
    """What ``absence`` needs of a maker or reader: a rendered object, a contract's creator
    or reader (kind and name of the workload)."""

    @property
    def kind(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def hook(self) -> HookInfo | None: ...


#: (step: 0 before the resources, 1 the resources, 2 after them; weight; name; kind rank).
_Place = tuple[int, int, str, int]
_RESOURCES: _Place = (1, 0, "", 0)


def _order(hook: Timed, weight: int) -> tuple[int, str, int]:
    """Helm's order of the hooks of one event: weight, then name, then kind."""
    return (weight, hook.name, _KIND_RANK.get(hook.kind, len(INSTALL_ORDER)))


def _places(obj: Timed, pre: str, post: str) -> list[tuple[_Place, str | None]]:
    """Where ``obj`` is created (or runs) in an operation, with the hook event it does it in."""
    if obj.hook is None:
        return [(_RESOURCES, None)]
    order = _order(obj, obj.hook.weight)
    return [
        ((step, *order), event) for step, event in ((0, pre), (2, post)) if event in obj.hook.events
    ]


def runs_before(first: Timed, then: Timed, event: str) -> bool:
    """Whether hook ``first`` is created before hook ``then`` runs, both in hook ``event``."""
    if first.hook is None or then.hook is None:
        return False
    if event not in first.hook.events or event not in then.hook.events:
        return False
    return _order(first, first.hook.weight) < _order(then, then.hook.weight)


Why = Literal["later", "deleted", "never"]


class Absence(NamedTuple):
    """An object a reader needs is not there when the reader runs, in one operation."""

    operation: str  # install or upgrade
    event: str | None  # the reader's hook event; None: a pod of the release's resources
    weight: int  # the reader's hook weight
    why: Why
    deleted_in: str = ""  # for "deleted": the hook event after which Helm deleted it
    tied: bool = False  # for "later": made by a hook of the reader's weight, named after it

    def words(self) -> str:
        """Why it is not there, to follow "X reads it, which ... creates; "."""
        if self.why == "deleted":
            return (
                f"Helm deletes it once its {self.deleted_in} hooks have succeeded "
                "(helm.sh/hook-delete-policy: hook-succeeded), before the reader runs"
            )
        if self.why == "never":
            return f"nothing creates it during an {self.operation}"
        if self.event is not None and self.tied:
            return (
                "it is created only after the hook has run (their weights are equal: Helm "
                "runs such hooks in the order of their names)"
            )
        if self.event is not None:
            return "it is created only after the hook has run"
        return (
            f"it is created only by a post-{self.operation} hook, after the release's pods "
            f"start: with --wait Helm waits for those pods before it runs post-{self.operation} "
            "hooks, and the install times out"
        )

    def reader_words(self, workload: str) -> str:
        """``pre-install hook Job/migrate (weight 5)``, or the workload itself for a pod of the
        release's resources."""
        return f"{self.event} hook {workload} (weight {self.weight})" if self.event else workload

    def fix(self) -> str:
        """What to change in the chart, for the object that is not there."""
        if self.why == "deleted":
            return (
                "remove hook-succeeded from its helm.sh/hook-delete-policy (the default, "
                "before-hook-creation, keeps it until the hook runs again)"
            )
        if self.event is None:
            return (
                f"make it a pre-{self.operation} hook or a regular resource of the chart"
                if self.why == "later"
                else f"add pre-{self.operation} to its helm.sh/hook, or make it a regular "
                "resource of the chart"
            )
        if self.tied:
            return f"give it a weight below {self.weight} (helm.sh/hook-weight)"
        return (
            f"make it a {self.event} hook with a weight below {self.weight} (helm.sh/hook, "
            "helm.sh/hook-weight), or create it before install"
        )


def _there(
    maker: Timed,
    at: _Place,
    operation: str,
    pre: str,
    post: str,
    lags: bool = False,
    leftovers: bool = True,
) -> Why | None:
    """None when ``maker``'s object is there at place ``at``, else why not. A maker that
    ``lags`` (an operator acting on the object Helm created) is there only a step later.
    Without ``leftovers`` an upgrade finds nothing an earlier operation left."""
    leftover = operation == "upgrade" and leftovers
    if maker.hook is None:
        return None if at[0] > int(lags) or leftover else "later"
    deletes = "hook-succeeded" in maker.hook.delete_policies
    why: Why = "never"
    for place, _event in _places(maker, pre, post):
        if place >= at or (lags and place[0] == at[0]):
            why = "later" if why == "never" else why
        elif deletes and place[0] < at[0]:
            why = "deleted"
        else:
            return None
    if leftover and not deletes and _LEFT_BEHIND & set(maker.hook.events):
        return None
    return why


def absence(
    makers: Sequence[Timed],
    reader: Timed,
    lagging: Sequence[Timed] = (),
    *,
    leftovers: bool = True,
    upgrade_only: bool = False,
) -> Absence | None:
    """The first operation and hook event in which none of ``makers`` has made what
    ``reader`` reads by the time it runs, or None when it is always there. Makers in
    ``lagging`` are operators' objects: a hook of their own step runs before the operator
    has acted, a later step finds the result (the kubelet retries a pod until it is
    there). Hooks of other events (tests, delete, rollback) are not asked about.
    ``leftovers=False`` asks about an upgrade to a chart version whose objects the
    deployed release does not have yet (see ``left_for``). ``upgrade_only`` asks about the
    upgrade alone (the release is installed already): a ``pre-install,pre-upgrade`` hook is
    judged by its pre-upgrade event."""
    for operation, pre, post in OPERATIONS[1:] if upgrade_only else OPERATIONS:
        for at, event in _places(reader, pre, post):
            reasons = [_there(m, at, operation, pre, post, m in lagging, leftovers) for m in makers]
            if makers and None in reasons:
                continue
            why: Why = next((r for r in ("deleted", "later") if r in reasons), "never")
            deleted_in = next(
                (e for m in makers for p, e in _places(m, pre, post) if e and p[0] < at[0]), ""
            )
            weight = reader.hook.weight if reader.hook else 0
            tied = why == "later" and any(
                p[:2] == at[:2] for m in makers if m.hook for p, _e in _places(m, pre, post)
            )
            return Absence(
                operation, event, weight, why, deleted_in if why == "deleted" else "", tied
            )
    return None


def left_for(makers: Sequence[Timed], reader: Timed) -> Absence | None:
    """The upgrade's absence that only the deployed release covers, or None: a pre-upgrade
    hook reading one of the release's own objects finds it because an earlier operation left
    it. An upgrade to a chart version that adds the object runs the hook before anything
    creates it, so the cluster must have it already (``NOT_LEFT``). Only the upgrade is
    asked about: what an install would lack does not matter to an installed release."""
    fresh = absence(makers, reader, leftovers=False, upgrade_only=True)
    if fresh is None or absence(makers, reader, upgrade_only=True) is not None:
        return None
    return fresh


#: Why such a reader fails when the cluster does not have the object (see ``left_for``).
NOT_LEFT = (
    "the deployed release has none (new in this chart version?), and an upgrade runs its "
    "pre-upgrade hooks before it creates the release's objects"
)


def not_left_fix(what: str, weight: int) -> str:
    """What to change for ``what`` (the object, or its maker) a ``left_for`` reader needs."""
    return (
        f"make {what} a pre-upgrade hook with a weight below {weight} (without hook-succeeded), "
        "or create it before upgrading"
    )
