"""``chartsafe lint``: Helm's own lint merged with chartsafe's strict validation.

Helm's linter knows chart structure (Chart.yaml fields, template syntax);
chartsafe adds what Helm does not check: every rendered object against the
Kubernetes schemas with unknown fields rejected, CRD kinds against their CRDs.

Findings are printed to terminals and CI logs, so none holds a secret user value (from a
SOPS ``-f`` file or a reference) or a value Helm quoted from a values-schema report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._errors import KubeVersionMismatch, TemplateError, ValuesSchemaError
from ._go_log import each_warning_once
from ._helm import HelmChart, helm_lint, missing_dependencies_text
from ._helm_messages import secret_masker
from ._render import RenderOptions, RenderResult, as_user_values, render_chart
from ._values import ValuesInput

__all__ = ["LintFinding", "LintResult", "lint_chart", "subchart_paths"]


@dataclass(frozen=True)
class LintFinding:
    """One finding: from Helm's linter ("helm") or chartsafe's validation ("schema")."""

    severity: str  # error | warning | info
    origin: str  # helm | schema | render
    path: str  # file in the chart, or template + object for schema findings
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "origin": self.origin,
            "path": self.path,
            "message": self.message,
        }


@dataclass
class LintResult:
    chart: Path
    findings: list[LintFinding] = field(default_factory=list)

    @property
    def errors(self) -> list[LintFinding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors


def lint_chart(
    chart: Path | str,
    values: ValuesInput | dict[str, Any] | None = None,
    options: RenderOptions | None = None,
    *,
    strict: bool = False,
) -> LintResult:
    """Lint ``chart``: Helm's findings, then every rendered object validated.

    ``strict`` counts warnings as errors, as ``helm lint --strict`` does. ``values`` may be
    loaded already (``as_user_values``): several charts linted with one ``-f -`` read it once.
    """
    options = options or RenderOptions()
    path = Path(chart)
    user_values = as_user_values(values) if values is not None else {}
    with each_warning_once():  # Helm's lint renders the chart many times, logging each
        loaded = HelmChart(path)  # a missing or broken chart is bad input, not a finding
        try:
            library = loaded.metadata.get("type") == "library"
            missing = loaded.missing_dependencies()
        finally:
            loaded.close()
        result = LintResult(chart=path)
        _lint_into(result, path, user_values, options, strict, render=not library and not missing)
        if missing and not library:
            # Helm's lint only warns; its template and install refuse the chart: so does lint.
            result.findings.append(
                LintFinding(
                    "error",
                    "render",
                    str(path),
                    f"{missing_dependencies_text(missing)}: helm template and install refuse "
                    "the chart (run `chartsafe dependency build`)",
                )
            )
    # Every finding, whatever found it: a chart may copy a secret value anywhere.
    mask = secret_masker(user_values)
    result.findings = [
        LintFinding(f.severity, f.origin, mask(f.path), mask(f.message)) for f in result.findings
    ]
    return result


def _lint_into(
    result: LintResult,
    path: Path,
    user_values: dict[str, Any],
    options: RenderOptions,
    strict: bool,
    *,
    render: bool = True,
) -> None:
    """Helm's findings, then chartsafe's, appended to ``result`` as found.

    ``render`` is off for a chart Helm would not render: a library chart (nothing to
    validate) or one missing a dependency (reported by the caller).
    """
    for severity, where, message in helm_lint(
        path,
        user_values,
        namespace=options.namespace,
        kube_version=options.kube_version,
        strict=strict,
        skip_schema_validation=not options.values_schema,
    ):
        if strict and severity == "warning":
            severity = "error"
        result.findings.append(LintFinding(severity, "helm", where, message))
    if not render or any(f.severity == "error" for f in result.findings):
        # Helm could not render; its findings already say why.
        return
    try:
        rendered: RenderResult = render_chart(path, user_values, options)
    except (TemplateError, ValuesSchemaError, KubeVersionMismatch) as exc:
        # Findings about the chart with these values, not bad input to chartsafe.
        result.findings.append(LintFinding("error", "render", str(path), str(exc)))
        return
    for warning in rendered.warnings:  # a hook Helm skips, an object rendered twice alike
        result.findings.append(
            LintFinding("error" if strict else "warning", "render", str(path), warning)
        )
    for problem in rendered.problems:
        where = f"{problem.path}: " if problem.path else ""
        result.findings.append(
            LintFinding(
                "error", "schema", f"{problem.source} {problem.obj}", where + problem.message
            )
        )
    _drop_named_twice(result, rendered)
    for obj in rendered.not_validated:
        result.findings.append(
            LintFinding(
                "warning" if not strict else "error",
                "schema",
                f"{obj.source} {obj.kind}/{obj.name}",
                f"not validated: no schema for {obj.api_version} {obj.kind} "
                "(pass --crd-dir with its CRD)",
            )
        )


#: Helm lint's finding on an object name, as chartsafe's schema check also reports it.
_HELM_BAD_NAME = re.compile(
    r'^object name does not conform to Kubernetes naming requirements: "(.*?)"'
)


def _drop_named_twice(result: LintResult, rendered: RenderResult) -> None:
    """Leave out Helm's warning on an object's name where chartsafe's schema check reports
    the same name of the same template as an error: one problem, said once (and counted
    once under --strict, where Helm's warning would be an error too)."""
    names = {
        (problem.source.split("/", 1)[-1], problem.obj.rsplit("/", 1)[-1])
        for problem in rendered.problems
        if problem.path == "metadata.name"
    }

    def reported(finding: LintFinding) -> bool:
        match = _HELM_BAD_NAME.match(finding.message)
        return finding.origin == "helm" and match is not None and (finding.path, match[1]) in names

    result.findings = [f for f in result.findings if not reported(f)]


def subchart_paths(chart: Path) -> list[Path]:
    """The charts under ``chart/charts/``, at any depth, as ``helm lint --with-subcharts``
    finds them: each folder holding a ``Chart.yaml`` and each ``.tgz``/``.tar.gz``, in the
    order Go's ``filepath.Walk`` visits them (names sorted, symbolic links not followed).
    A packaged chart has no folder to walk: none."""
    found: list[Path] = []

    def walk(folder: Path) -> None:
        for entry in sorted(folder.iterdir(), key=lambda p: p.name):
            if entry.is_dir() and not entry.is_symlink():
                walk(entry)
            elif entry.name == "Chart.yaml":
                found.append(folder)
            elif entry.name.endswith((".tgz", ".tar.gz")):
                found.append(entry)

    if (chart / "charts").is_dir():
        walk(chart / "charts")
    return found
