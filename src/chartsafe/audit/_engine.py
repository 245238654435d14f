"""Run the rules: pick them by profile and flags, apply suppressions, decide pass or fail.

``audit_chart`` renders a chart (no schema validation: that is ``lint``'s job)
and audits the values files, the ``--set`` flags, the rendered objects and the
contract. ``audit_files`` audits values files and manifests on their own, as
a pre-commit hook would.
"""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path
from typing import Any

from .._errors import ChartsafeError, InputError, ValuesSchemaError
from .._fetch import is_url
from .._objects import K8sObject
from ._file_paths import STDIN, expand_paths, read_stdin
from ._inputs import (
    AuditInput,
    SetValue,
    ValuesDoc,
    iter_leaves,
    parse_suppressions,
    parse_values_doc,
)
from ._manifests import manifest_objects
from ._model import Finding, Rule, Severity, Suppression
from ._registry import all_rules, get_rule

TYPE_CHECKING = False  # not typing's: audit --files must not import the render code
if TYPE_CHECKING:
    from collections.abc import Sequence

    from .._render import RenderOptions, RenderResult
    from .._values import ValuesInput

__all__ = ["PROFILES", "AuditResult", "audit_chart", "audit_files", "run_rules", "select_rules"]

PROFILES = ("dev", "production")


class AuditResult:
    """Every finding (suppressed ones marked), the rules that ran, and the verdict."""

    def __init__(
        self,
        profile: str,
        fail_on: Severity,
        rules: list[Rule],
        target: str = "",
    ) -> None:
        self.profile = profile
        self.fail_on = fail_on
        self.rules = rules
        self.target = target
        self.findings: list[Finding] = []
        self.notes: list[str] = []
        #: Helm's template names (``tracecat/templates/api.yaml``, what object findings
        #: name) → the file each was read from, as a path from ``root`` (SARIF needs files).
        self.templates: dict[str, str] = {}
        #: The directory the audit ran from: the paths findings name are relative to it.
        self.root = os.getcwd()
        #: The chart could not be rendered (its values fail its schema): nothing was audited.
        self.incomplete = False

    def __repr__(self) -> str:
        return f"<AuditResult {self.target}: {len(self.findings)} finding(s)>"

    @property
    def active(self) -> list[Finding]:
        return [f for f in self.findings if f.suppressed is None]

    @property
    def suppressed(self) -> list[Finding]:
        return [f for f in self.findings if f.suppressed is not None]

    @property
    def failed(self) -> bool:
        """A finding at or above ``fail_on`` remains, or nothing could be audited (exit 1)."""
        return self.incomplete or any(f.severity >= self.fail_on for f in self.active)

    def as_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "profile": self.profile,
            "failOn": self.fail_on.name,
            "failed": self.failed,
            "rules": [r.id for r in self.rules],
            "findings": [f.as_dict() for f in self.active],
            "suppressed": [f.as_dict() for f in self.suppressed],
            "notes": list(self.notes),
        }


def select_rules(profile: str, enable: list[str], disable: list[str]) -> list[Rule]:
    """The profile's rules, plus ``enable``, minus ``disable`` (unknown ids are bad input)."""
    if profile not in PROFILES:
        raise InputError(f"--profile {profile}: unknown profile", hint="use dev or production")
    enabled = {get_rule(r, flag="--enable").id for r in enable}
    disabled = {get_rule(r, flag="--disable").id for r in disable}
    return [
        r
        for r in all_rules()
        if (profile in r.profiles or r.id in enabled) and r.id not in disabled
    ]


def _covers(suppression: Suppression, finding: Finding) -> bool:
    if suppression.rule != finding.rule:
        return False
    if suppression.own_file:  # a manifest's key: its object in its file, exactly
        return finding.obj == suppression.object_glob and finding.file == suppression.file
    if suppression.object_glob is not None:
        if finding.obj is None:
            return False
        name = finding.obj.split("/", 1)[-1]
        glob = suppression.object_glob
        return fnmatch.fnmatchcase(finding.obj, glob) or fnmatch.fnmatchcase(name, glob)
    scope = suppression.values_path or ""
    path = finding.values_path or ""
    return bool(path) and (path == scope or path.startswith((scope + ".", scope + "[")))


def run_rules(ctx: AuditInput, rules: list[Rule], fail_on: Severity, target: str) -> AuditResult:
    """Every rule over ``ctx``; suppressions applied; unused suppressions noted."""
    result = AuditResult(profile=ctx.profile, fail_on=fail_on, rules=rules, target=target)
    suppressions = ctx.suppressions
    used: set[Suppression] = set()
    seen: set[Finding] = set()
    for rule in rules:
        for finding in rule.check(ctx, rule):
            if finding in seen:
                continue
            seen.add(finding)
            match = next((s for s in suppressions if _covers(s, finding)), None)
            if match is not None:
                used.add(match)
                finding = finding.with_suppression(match.reason)
            result.findings.append(finding)
    ran = {r.id for r in rules}
    for s in suppressions:
        if s not in used and s.rule in ran:
            result.notes.append(f"{s.file}:{s.line}: suppression of {s.rule} matched nothing")
    result.findings.sort(key=lambda f: (-f.severity, f.rule, f.file or "", f.line or 0))
    return result


def _read_doc(path: Path) -> ValuesDoc:
    text = _read_text(path)
    return parse_values_doc(path, text, _raw_values(path, text))


def _raw_values(path: Path, text: str) -> dict[str, Any]:
    """Values as written (SOPS files stay encrypted): what is committed is what we judge."""
    from .._values import _parse_values

    return _parse_values(path, text)


def _set_values(given: ValuesInput) -> list[SetValue]:
    from .._helm_parse import parse_set

    found = []
    for flag, expression in given.flags():
        for path, _key, value, _parent in iter_leaves(parse_set(flag, expression)):
            found.append(SetValue(f"{flag} {path}", path, value))
    return found


def _chart_glob(chart: Path, pattern: str) -> list[Path]:
    """The chart's own files matching ``--values-glob PATTERN``, relative to the chart."""
    if not pattern or Path(pattern).is_absolute() or ".." in Path(pattern).parts:
        raise InputError(
            f"--values-glob {pattern!r}: not a pattern inside the chart directory",
            chart=chart,
            hint="write it relative to the chart, e.g. 'values*.yaml' or 'examples/*.yaml'",
        )
    try:
        return sorted(chart.glob(pattern))
    except ValueError as exc:  # pathlib: '**' not a whole component
        raise InputError(f"--values-glob {pattern!r}: {exc}", chart=chart) from None


def audit_chart(
    chart: Path | str,
    values: ValuesInput | None = None,
    options: RenderOptions | None = None,
    *,
    profile: str = "dev",
    values_globs: list[str] | None = None,
    enable: list[str] | None = None,
    disable: list[str] | None = None,
    fail_on: Severity = Severity.high,
) -> AuditResult:
    """Audit ``chart`` rendered with ``values``: values files, flags, objects, contract."""
    rules = select_rules(profile, enable or [], disable or [])
    # References are judged as written: rendered unresolved, they show where the chart
    # puts the value (credential-in-release-record), and no key or cloud access is needed.
    from dataclasses import replace

    from .._render import RenderOptions, render_chart  # here: audit --files renders nothing
    from .._values import ValuesInput

    values = replace(values or ValuesInput(), resolve_refs=False)
    options = options or RenderOptions(validate=False)
    path = Path(chart)
    docs: list[ValuesDoc] = []
    if path.is_dir():
        own = [path / "values.yaml"] if (path / "values.yaml").is_file() else []
        for pattern in values_globs or []:
            own += [p for p in _chart_glob(path, pattern) if p.is_file() and p not in own]
        docs += [_read_doc(p) for p in own]
    elif values_globs:
        raise InputError(
            f"--values-glob needs a chart directory, and {path} is not one",
            chart=path,
            hint="unpack the chart or pass its values files with -f",
        )
    # the files on disk: stdin and URLs (read, or refused, when rendering) are not files a
    # repository commits
    user_files = [Path(p) for p in values.files if str(p) != "-" and not is_url(p)]
    docs += [_read_doc(p) for p in user_files]
    ctx = AuditInput(
        profile=profile,
        chart=path,
        namespace=options.namespace,
        values_docs=docs,
        user_files=[str(p) for p in user_files],
        set_values=_set_values(values),
    )
    try:
        result = render_chart(path, values, options)
    except ValuesSchemaError as exc:
        return _schema_failure(ctx, exc, fail_on)
    ctx.chart_name = str(result.chart_metadata.get("name", ""))
    ctx.merged = result.values
    ctx.objects = result.objects
    notes: list[str] = []
    if any(r.id == "secret-regenerated" for r in rules):
        notes += _find_regenerated(ctx, result, options)
    try:
        from ..contract import derive_contract

        ctx.contract = derive_contract(result, release=options.release_name)
    except ChartsafeError as exc:
        notes.append(f"contract not derived ({exc}); hook-order and rollout rules skipped")
    audited = run_rules(ctx, rules, fail_on, str(path))
    audited.notes[:0] = notes
    audited.templates = _template_files(path, ctx.chart_name, result.objects)
    return audited


def _find_regenerated(ctx: AuditInput, result: RenderResult, options: RenderOptions) -> list[str]:
    """Render again with the same inputs for the Secret keys that change (see _regenerated)."""
    from .._regenerated import calls_lookup, regenerated_keys

    try:
        ctx.regenerated = regenerated_keys(result, options)
    except ChartsafeError as exc:
        return [f"second render failed ({exc}); secret-regenerated skipped"]
    ctx.calls_lookup = bool(ctx.regenerated) and calls_lookup(result.chart)
    return []


def _schema_failure(ctx: AuditInput, exc: ValuesSchemaError, fail_on: Severity) -> AuditResult:
    """The values fail the chart's values.schema.json, so Helm renders nothing to audit.

    A failed check, as everywhere (exit 1), reported as findings of ``values-schema``
    (whatever ``--disable`` says) so ``-o json`` and ``-o sarif`` still print a document
    pointing at the values: a code-scanning job that uploads nothing shows nothing.
    """
    ctx.schema_violations = list(exc.violations)
    audited = run_rules(ctx, [get_rule("values-schema")], fail_on, str(ctx.chart))
    audited.incomplete = True
    audited.notes.append(
        f"{ctx.chart} was not rendered: its values do not match its values.schema.json, "
        "so no other rule ran"
    )
    return audited


def _template_files(chart: Path, name: str, objects: list[K8sObject]) -> dict[str, str]:
    """Template name → the file on disk: Helm names templates by chart name
    (``tracecat/templates/api.yaml``, subcharts ``tracecat/charts/redis/...``), and the chart
    directory may be called anything. A packaged chart's templates live in its archive."""
    files: dict[str, str] = {}
    prefix = name + "/"
    for source in {o.source for o in objects if o.source}:
        if not chart.is_dir():
            files[source] = str(chart)
        elif source.startswith(prefix) and (chart / source[len(prefix) :]).is_file():
            files[source] = str(chart / source[len(prefix) :])
    return files


def audit_files(
    paths: Sequence[str | os.PathLike[str]],
    *,
    profile: str = "dev",
    enable: list[str] | None = None,
    disable: list[str] | None = None,
    fail_on: Severity = Severity.high,
    namespace: str = "default",
) -> AuditResult:
    """Audit values files and manifests as committed, without a chart. ``paths``: files,
    directories (their YAML files, see ``_file_paths``) or ``-`` for standard input."""
    rules = select_rules(profile, enable or [], disable or [])
    if not paths:
        raise InputError("--files needs at least one file", hint="chartsafe audit --files a.yaml")
    files, skipped = expand_paths(paths)
    ctx = AuditInput(profile=profile, namespace=namespace, objects_from_files=True)
    for path in files:
        ctx.values_docs.append(_read_doc_or_manifest(path, namespace, ctx))
    # Values files given together are judged as `-f a -f b` would merge them, so the
    # values-level checklist rules (datastore auth, persistence...) run on them too.
    plain = [doc for doc in ctx.values_docs if doc.data and not doc.sops]
    if plain:
        from .._values import deep_merge  # here: a manifest needs none of the values code

        merged: dict[str, Any] = {}
        for doc in plain:
            merged = deep_merge(merged, doc.data)
        ctx.merged = merged
        ctx.user_files = [doc.file for doc in plain]
    result = run_rules(ctx, rules, fail_on, " ".join(str(p) for p in paths))
    result.notes.extend(skipped)
    return result


def _read_doc_or_manifest(path: Path, namespace: str, ctx: AuditInput) -> ValuesDoc:
    """A values file as a ValuesDoc; a manifest file's objects go to ``ctx`` (its
    ``object=`` suppressions still count, so the doc carries them with no values)."""
    text = read_stdin() if path == STDIN else _read_text(path)
    found = manifest_objects(path, text, namespace)
    if found is not None:
        objects, spans = found
        ctx.objects.extend(objects)
        # no values, no line map: a suppression covers an object (object=, or its key's)
        suppressions = parse_suppressions(text, str(path), {}, objects=spans)
        return ValuesDoc(str(path), {}, {}, suppressions)
    return parse_values_doc(path, text, _raw_values(path, text))


def _read_text(path: Path) -> str:
    """A values file's or manifest's text; bad input naming it when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file", values_file=path) from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory", values_file=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "not UTF-8 text"
        raise InputError(f"{path}: {reason}", values_file=path) from None
