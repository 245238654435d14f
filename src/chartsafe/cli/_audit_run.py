"""What ``chartsafe audit`` prints, and ``audit --files`` once its command line is read.

No typer here: the typer command (``audit``) and the quick path that reads a plain
``audit --files`` command line without typer (``_audit_quick``) both end in these
functions, so the two cannot differ in what they print.
"""

# No ``from __future__ import annotations``: this module's NamedTuples keep real annotations
# (why: ``chartsafe/audit/_model.py``'s docstring).

import sys
from typing import TYPE_CHECKING, NamedTuple

from .._errors import InputError
from ._print import print_json

if TYPE_CHECKING:
    from ..audit import AuditResult, Rule, Severity

__all__ = [
    "AuditFilesRequest",
    "fail_on_severity",
    "print_result",
    "print_rules",
    "run_audit_files",
]


class AuditFilesRequest(NamedTuple):
    """An ``audit --files`` command line, read: the namespace resolved, every flag's value."""

    files: tuple[str, ...]
    namespace: str
    profile: str = "dev"
    enable: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    fail_on: str = "high"
    output: str | None = None


def fail_on_severity(text: str) -> "Severity":
    """``--fail-on``'s value as a severity; the error names the flag."""
    from ..audit import Severity

    try:
        return Severity.parse(text)
    except InputError as exc:  # the library does not know which flag it parsed
        raise InputError(f"--fail-on: {exc.message}", hint=exc.hint) from None


def run_audit_files(request: AuditFilesRequest) -> int:
    """Audit the files alone and print the result; the exit code (1: findings at or
    above ``--fail-on``)."""
    from ..audit import audit_files

    r = request
    result = audit_files(
        list(r.files),  # as given: "-" is stdin, "./-" a file called -
        profile=r.profile,
        enable=list(r.enable),
        disable=list(r.disable),
        fail_on=fail_on_severity(r.fail_on),
        namespace=r.namespace,
    )
    return print_result(result, r.output)


def print_rules(rules: "list[Rule]", output: str | None) -> None:
    """``--list-rules``: one line a rule, or the rules as JSON."""
    if output == "json":
        print_json([r.as_dict() for r in rules])
        return
    for r in rules:
        where = "production only" if r.profiles == {"production"} else "all profiles"
        print(f"{r.id:<30} {r.severity.name:<8} {r.family:<12} {where:<16} {r.title}")


def print_result(result: "AuditResult", output: str | None) -> int:
    """The result as a table (default), JSON or SARIF; the exit code it makes."""
    if output == "json":
        print_json(result.as_dict())
    elif output == "sarif":
        from ..audit import to_sarif

        print_json(to_sarif(result))
    else:
        _print_table(result)
    return 1 if result.failed else 0


def _print_table(result: "AuditResult") -> None:
    for f in result.active:
        print(f"{f.severity.name.upper():<8} {f.rule:<28} {f.where}")
        print(f"         {f.message}")
    for note in result.notes:
        print(f"chartsafe: note: {note}", file=sys.stderr)
    counts: dict[str, int] = {}
    for f in result.active:
        counts[f.severity.name] = counts.get(f.severity.name, 0) + 1
    summary = ", ".join(f"{n} {s}" for s, n in counts.items()) or "no findings"
    verdict = "FAIL" if result.failed else "ok"
    print(
        f"{result.target}: {summary}; {len(result.suppressed)} suppressed; profile "
        f"{result.profile}, fail on {result.fail_on.name}: {verdict}"
    )
