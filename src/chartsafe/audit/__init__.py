"""``chartsafe audit``: the seeds' security and deployment checklists as rules.

    audit_chart(chart, values, options, profile="production") -> AuditResult
    audit_files([values.yaml, manifests.yaml]) -> AuditResult

Rules live one family per module (``credentials``, ``checklist``,
``operations``, ``hardening``, ``delivery``) and register themselves with
``@rule``; ``all_rules()`` lists them. Findings name files, keys and objects,
never values.
"""

from __future__ import annotations

from ._engine import PROFILES, AuditResult, audit_chart, audit_files, select_rules
from ._model import Finding, Rule, Severity, Suppression
from ._registry import all_rules, get_rule, rule
from ._sarif import to_sarif

__all__ = [
    "PROFILES",
    "AuditResult",
    "Finding",
    "Rule",
    "Severity",
    "Suppression",
    "all_rules",
    "audit_chart",
    "audit_files",
    "get_rule",
    "rule",
    "select_rules",
    "to_sarif",
]
