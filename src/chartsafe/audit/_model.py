"""What an audit talks about: rules, their severities, and the findings they produce.

A finding names where the problem is (a values file and path, or a rendered
object and its template) and what to do, never the value itself: audits run
over files full of passwords, and their output ends up in CI logs and
code-scanning UIs.

The records of an audit, here and in the modules ``audit --files`` imports, are
NamedTuples or plain classes, not dataclasses. CI runs ``audit --files`` once per
job, so its start-up is most of its time. Creating a dataclass costs ~1 ms (each
generated method is compiled by ``exec``), where a NamedTuple costs ~0.2 ms. Importing
``dataclasses`` also imports ``inspect`` (~7 ms). On Tracecat's 25 objects these came to a
fifth of the run (measured: 99 → 81 ms mean). The modules that define those NamedTuples do
without ``from __future__ import annotations``: typing turns a string annotation into a
``ForwardRef``, which calls ``compile``, and the first ``compile`` in a process builds the
~120 classes of Python's AST (6% of the run's instructions, under valgrind).
"""

# No ``from __future__ import annotations``: see the last paragraph above.

from collections.abc import Callable, Iterable
from enum import IntEnum
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from ._inputs import AuditInput

__all__ = ["Finding", "Rule", "Severity", "Suppression"]


class Severity(IntEnum):
    """How bad a finding is; ``--fail-on`` compares against this order."""

    info = 0
    low = 1
    medium = 2
    high = 3
    critical = 4

    @classmethod
    def parse(cls, text: str) -> "Severity":
        try:
            return cls[text.lower()]
        except KeyError:
            names = ", ".join(s.name for s in cls)
            from .._errors import InputError

            raise InputError(f"unknown severity {text!r}", hint=f"use one of {names}") from None


class Finding(NamedTuple):
    """One problem found by one rule.

    ``file`` and ``line`` point at a values file (``values_path`` then names the
    key) or at the template an object came from (``obj`` is ``Kind/name``).
    ``suppressed`` holds the reason of the inline suppression that silenced it.
    """

    rule: str
    severity: Severity
    message: str
    file: str | None = None
    line: int | None = None
    values_path: str | None = None
    obj: str | None = None
    suppressed: str | None = None

    @property
    def where(self) -> str:
        """``file:line values.path`` or ``template Kind/name``, for tables."""
        place = self.file or ""
        if self.line:
            place += f":{self.line}"
        detail = self.values_path or self.obj or ""
        return f"{place} {detail}".strip()

    def with_suppression(self, reason: str) -> "Finding":
        return self._replace(suppressed=reason)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity.name,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "valuesPath": self.values_path,
            "object": self.obj,
            "suppressed": self.suppressed,
        }


#: A rule's check: it gets the audit input and its own Rule (to make findings).
Check = Callable[["AuditInput", "Rule"], Iterable[Finding]]


class Rule(NamedTuple):
    """A registered rule: its persisted id, what it is about, and its check.

    ``profiles`` lists the profiles the rule runs in; ``production`` only rules
    (HPA, PDB, placeholders...) stay quiet on a laptop cluster.
    """

    id: str
    family: str
    title: str
    severity: Severity
    why: str
    fix: str
    check: Check
    profiles: frozenset[str] = frozenset({"dev", "production"})

    def finding(self, message: str, **where: Any) -> Finding:
        """A finding of this rule at its default severity (``severity=`` overrides)."""
        severity = where.pop("severity", self.severity)
        return Finding(rule=self.id, severity=severity, message=message, **where)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "family": self.family,
            "title": self.title,
            "severity": self.severity.name,
            "profiles": sorted(self.profiles),
            "why": self.why,
            "fix": self.fix,
        }


class Suppression(NamedTuple):
    """``# chartsafe: ignore RULE [object=GLOB] reason`` found in a values file.

    Without ``object=`` it covers the key it stands on (or the key on the next
    line) and everything under it; with ``object=`` it covers findings on
    rendered objects whose ``Kind/name`` matches the glob. In a manifest file, one
    without ``object=`` covers the object of its key's document: ``object_glob`` is that
    object's ``Kind/name`` and ``own_file`` keeps it to the findings of that file.
    """

    rule: str
    reason: str
    file: str
    line: int
    values_path: str | None = None
    object_glob: str | None = None
    own_file: bool = False
