"""The rule registry: adding a rule is writing one decorated function in a family module.

Rule ids are persisted in users' suppressions and ``--disable`` flags: never
rename one. Family modules are imported once, on first use, so ``chartsafe
--help`` does not pay for them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from .._errors import InputError
from ._model import Check, Rule, Severity

__all__ = ["FAMILIES", "all_rules", "get_rule", "rule"]

#: Family modules, in the order rules are listed and run.
FAMILIES: tuple[str, ...] = ("credentials", "checklist", "operations", "hardening", "delivery")

_RULES: dict[str, Rule] = {}
_loaded = False


def rule(
    id: str,
    *,
    title: str,
    severity: Severity,
    why: str,
    fix: str,
    production_only: bool = False,
) -> Callable[[Check], Check]:
    """Register the decorated check as rule ``id`` of the calling module's family."""

    def register(check: Check) -> Check:
        if id in _RULES:
            raise RuntimeError(f"audit rule {id} registered twice")
        family = check.__module__.rsplit(".", 1)[-1]
        profiles = (
            frozenset({"production"}) if production_only else frozenset({"dev", "production"})
        )
        _RULES[id] = Rule(id, family, title, severity, why, fix, check, profiles)
        return check

    return register


def all_rules() -> list[Rule]:
    """Every registered rule, family by family, in definition order."""
    global _loaded
    if not _loaded:
        for family in FAMILIES:
            importlib.import_module(f"{__package__}.{family}")
        _loaded = True
    return list(_RULES.values())


def get_rule(rule_id: str, *, flag: str = "rule") -> Rule:
    """The rule named ``rule_id``; bad input naming ``flag`` when there is none."""
    known = {r.id: r for r in all_rules()}
    if rule_id not in known:
        raise InputError(
            f"{flag} {rule_id}: no such audit rule",
            hint="chartsafe audit --list-rules prints them",
        )
    return known[rule_id]
