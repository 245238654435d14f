"""The command lines read without typer: ``template`` and ``audit --files``, as their
quick paths read them (``_template_quick``, ``_audit_quick``).

Why: importing typer and click and building a command from its signature is a large
share of a quick command's run (``template`` on Tracecat, ``audit --files`` in CI),
and both are commands people run in loops. Each quick path ends in the same function
the typer command calls, so the output cannot differ; each declines what it does not
read, and typer reads that as always.
"""

from __future__ import annotations

__all__ = ["run_quick"]


def run_quick(args: list[str]) -> int | None:
    """The exit code of ``args`` (the command line after ``chartsafe``) when a quick path
    reads it; None when it is typer's to read."""
    if args[:1] == ["template"]:
        from ._template_quick import read as read_template

        template = read_template(args)
        if template is not None:
            from . import _startup_gc
            from ._template_run import run_template

            _startup_gc.release()  # the command's modules are in (see _startup_gc)
            return run_template(template)
    elif args[:1] == ["audit"]:
        from ._audit_quick import read as read_audit

        audit = read_audit(args)
        if audit is not None:
            from ._audit_run import run_audit_files

            # The collector stays held (see _startup_gc) to the end: the audit reads the
            # manifests into a large tree of plain dicts and makes next to no cyclic
            # garbage (33 objects on a 2,000-object release, the same peak memory), and
            # let go now it would walk that tree twice as the rules allocate (a young,
            # then an older collection): 708 ms against 671 there, paired medians.
            return run_audit_files(audit)
    return None
