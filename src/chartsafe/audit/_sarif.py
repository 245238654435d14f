"""SARIF 2.1.0 output, for GitHub code scanning and other code-scanning UIs.

One run, one ``reportingDescriptor`` per rule that ran, one ``result`` per
finding; suppressed findings carry a ``suppressions`` entry with the reason
(kind ``inSource``: the comment in the values file), so UIs show them as
dismissed rather than dropping them.
"""

from __future__ import annotations

from typing import Any

from .._version import __version__
from ._engine import AuditResult
from ._model import Finding, Severity

__all__ = ["SARIF_SCHEMA", "to_sarif"]

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"

_LEVEL = {
    Severity.critical: "error",
    Severity.high: "error",
    Severity.medium: "warning",
    Severity.low: "note",
    Severity.info: "note",
}
#: GitHub's security-severity property: a CVSS-like score it buckets into its own levels.
_SCORE = {
    Severity.critical: "9.5",
    Severity.high: "8.0",
    Severity.medium: "5.5",
    Severity.low: "3.0",
    Severity.info: "1.0",
}


def _location(finding: Finding) -> dict[str, Any] | None:
    if not finding.file or finding.file.startswith("--"):
        return None
    physical: dict[str, Any] = {"artifactLocation": {"uri": finding.file.lstrip("/")}}
    if finding.file.startswith("/"):
        physical["artifactLocation"] = {"uri": "file://" + finding.file}
    if finding.line:
        physical["region"] = {"startLine": finding.line}
    location: dict[str, Any] = {"physicalLocation": physical}
    logical = finding.values_path or finding.obj
    if logical:
        kind = "member" if finding.values_path else "object"
        location["logicalLocations"] = [{"fullyQualifiedName": logical, "kind": kind}]
    return location


def to_sarif(result: AuditResult) -> dict[str, Any]:
    """The audit as a SARIF 2.1.0 log (a JSON-ready dict)."""
    index = {rule.id: i for i, rule in enumerate(result.rules)}
    rules = [
        {
            "id": rule.id,
            "name": "".join(w.capitalize() for w in rule.id.split("-")),
            "shortDescription": {"text": rule.title},
            "fullDescription": {"text": rule.why},
            "help": {"text": rule.fix},
            "defaultConfiguration": {"level": _LEVEL[rule.severity]},
            "properties": {
                "security-severity": _SCORE[rule.severity],
                "tags": ["security", rule.family],
            },
        }
        for rule in result.rules
    ]
    results = []
    for finding in result.findings:
        entry: dict[str, Any] = {
            "ruleId": finding.rule,
            "ruleIndex": index[finding.rule],
            "level": _LEVEL[finding.severity],
            "message": {"text": finding.message},
        }
        location = _location(finding)
        if location is not None:
            entry["locations"] = [location]
        if finding.suppressed is not None:
            entry["suppressions"] = [{"kind": "inSource", "justification": finding.suppressed}]
        results.append(entry)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "chartsafe",
                        "version": __version__,
                        "informationUri": "https://github.com/chartsafe/chartsafe",
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
