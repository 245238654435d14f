"""Placeholders a chart writes into its own Secrets (``{{ .Values.adminPassword | default
"changeme" }}``, ``{{ "changeme" | b64enc }}``): what ``placeholder-credential`` reports
besides the values, with the template that writes each one and, when its line reads one,
the values key that sets it.

A placeholder given in values (``--set``, ``-f``, the chart's values.yaml) is reported
where it is given; the Secret it lands in is not reported again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .._credential_detect import credential_key, is_placeholder, secret_or_key_name
from .._objects import K8sObject
from .._secret_types import secret_fields
from ._chart_files import chart_texts
from ._inputs import AuditInput
from ._k8s import object_finding
from ._model import Finding, Rule

__all__ = ["ChartPlaceholder", "chart_placeholder_findings", "chart_placeholders"]

_VALUES_REF = re.compile(r"\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)")


@dataclass(frozen=True)
class ChartPlaceholder:
    """A chart-managed Secret's key holding a placeholder."""

    obj: K8sObject
    key: str
    written: str | None  # the chart file with the placeholder in it, if any
    values_key: str | None  # the values key its template line reads, if any


def _values_key(source: str, template: str | None, key: str) -> str | None:
    """The values key read on the ``key:`` line of the Secret's template, scoped to the
    subchart the template belongs to (``NAME/charts/SUB/templates/...`` → ``SUB.``)."""
    if template is None:
        return None
    line = re.compile(rf"^[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*:(.*)$", re.MULTILINE)
    for match in line.finditer(template):
        ref = _VALUES_REF.search(match.group(1))
        if ref is None:
            continue
        path = ref.group(1)[1:]
        if path == "global" or path.startswith("global."):
            return path
        parts = source.split("/")
        subcharts = [parts[i + 1] for i in range(1, len(parts) - 1) if parts[i] == "charts"]
        return ".".join([*subcharts, path])
    return None


def _literal(text: str) -> re.Pattern[str]:
    """``text`` written as a literal: quoted (``default "changeme"``) or a plain YAML value
    (``password: changeme``); not a word of the template (``| default``)."""
    quoted = re.escape(text)
    return re.compile(rf"[\"'`]{quoted}[\"'`]|:[ \t]+{quoted}[ \t]*$", re.MULTILINE)


def chart_placeholders(
    ctx: AuditInput, given_paths: set[str], given_texts: set[str]
) -> Iterator[ChartPlaceholder]:
    """Each placeholder in a credential key of a Secret the chart renders, but those given
    in values: at a values path in ``given_paths`` (the template line reads it), or equal to
    a value in ``given_texts`` that no file of the chart writes."""
    if ctx.objects_from_files or ctx.chart is None:
        return
    candidates = [
        (obj, key, text.strip())
        for obj in ctx.objects
        if obj.kind == "Secret"
        for _field, key, text in secret_fields(obj.body)
        if (credential_key(key) or secret_or_key_name(key)) and is_placeholder(text)
    ]
    if not candidates:
        return
    files = chart_texts(ctx.chart, ctx.chart_name)
    by_name = dict(files)
    for obj, key, text in candidates:
        source = obj.source or ""
        values_key = _values_key(source, by_name.get(source), key)
        if values_key is not None and values_key in given_paths:
            continue
        # the Secret's own template first, then any file (a helper in _helpers.tpl)
        ordered = [(source, by_name[source])] if source in by_name else []
        literal = _literal(text)
        written = next((name for name, body in ordered + files if literal.search(body)), None)
        if written is None and text in given_texts:
            continue
        yield ChartPlaceholder(obj, key, written, values_key)


def chart_placeholder_findings(
    ctx: AuditInput, rule: Rule, given_paths: set[str], given_texts: set[str]
) -> Iterator[Finding]:
    """``placeholder-credential``'s findings in the chart's own Secrets (see
    :func:`chart_placeholders`)."""
    for found in chart_placeholders(ctx, given_paths, given_texts):
        written = f", written in {found.written}" if found.written else ""
        if found.values_key:
            fix = f": set {found.values_key} to a real value"
        else:
            fix = ", and no values key sets it: change the chart, or create the Secret outside it"
        yield object_finding(
            rule,
            found.obj,
            f"Secret {found.obj.name} key {found.key} is a placeholder, not a credential"
            f"{written}{fix}",
            values_path=found.values_key,
        )
