"""SARIF 2.1.0 output, for GitHub code scanning and other code-scanning UIs.

One run, one ``reportingDescriptor`` per rule that ran, one ``result`` per
finding; suppressed findings carry a ``suppressions`` entry with the reason
(kind ``inSource``: the comment in the values file), so UIs show them as
dismissed rather than dropping them.

Locations point at real files, so an upload can show them: a values file as
given, an object's template under the chart directory (findings name it as Helm
does, ``CHARTNAME/templates/x.yaml``). URIs are relative to ``%SRCROOT%``, the
directory the audit ran from (``originalUriBaseIds`` says where that is), as
code-scanning uploads expect; a file outside it gets an absolute ``file:`` URI.
A finding on no file (a ``--set`` flag, a pulled chart) has only its logical
location.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

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


SRCROOT = "%SRCROOT%"


def _artifact(result: AuditResult, file: str | None) -> dict[str, Any] | None:
    """The artifactLocation of the file a finding names, or None when it is no file."""
    if not file or file.startswith("--"):
        return None
    on_disk = Path(os.path.normpath(Path(result.root, result.templates.get(file, file))))
    if not on_disk.is_file():
        return None  # a chart directory, a pulled chart's removed archive
    try:
        relative = on_disk.relative_to(result.root)
    except ValueError:
        return {"uri": on_disk.as_uri()}
    return {"uri": quote(relative.as_posix()), "uriBaseId": SRCROOT}


def _location(result: AuditResult, finding: Finding) -> dict[str, Any] | None:
    location: dict[str, Any] = {}
    artifact = _artifact(result, finding.file)
    if artifact is not None:
        physical: dict[str, Any] = {"artifactLocation": artifact}
        # an object finding's file is its template; a line it carries is a values file's
        if finding.line and finding.obj is None:
            physical["region"] = {"startLine": finding.line}
        location["physicalLocation"] = physical
    logical = finding.values_path or finding.obj
    if logical:
        kind = "member" if finding.values_path else "object"
        location["logicalLocations"] = [{"fullyQualifiedName": logical, "kind": kind}]
    return location or None


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
        location = _location(result, finding)
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
                "originalUriBaseIds": {SRCROOT: {"uri": _directory_uri(result.root)}},
                "results": results,
            }
        ],
    }


def _directory_uri(directory: str) -> str:
    """An absolute ``file:`` URI ending in ``/``, as SARIF wants a base URI to."""
    uri = Path(directory).as_uri()
    return uri if uri.endswith("/") else uri + "/"
