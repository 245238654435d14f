"""``chartsafe audit --files`` read without typer: the command line CI runs on manifests.

Why: importing typer and click and building ``audit``'s command from its signature
was about 40 ms of a run (measured in pairs: 123 ms against 163 on Tracecat's 25
objects), and ``audit --files`` is measured against checkov at 50x. The audit itself
is the same code either way (:func:`run_audit_files`).

What is read here: ``audit``, ``--files``, the files, and only the flags in
:data:`FLAGS`, each spelled out (see ``_quick_flags``). Anything else returns None
and typer reads the command line as it always did: no ``--files`` (a chart),
``--list-rules``, ``--help``, a flag not listed (also one ``--files`` ignores, such as
``-f``), an ``-o`` typer would refuse. ``tests/cli/test_audit_quick.py`` holds this
table to typer's definition of each flag and the two ways to the same output.
"""

from __future__ import annotations

from ._quick_flags import FORMAT, PATH, SWITCH, TEXT, TEXTS, given

# Not at import: the caller imports them when the command line is read here.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from ._audit_run import AuditFilesRequest

__all__ = ["FLAGS", "read"]

#: Each spelling of each flag read here: (the parameter of ``audit`` it sets, its kind).
FLAGS: dict[str, tuple[str, str]] = {
    "--files": ("files", SWITCH),
    "--profile": ("profile", TEXT),
    "--enable": ("enable", TEXTS),
    "--disable": ("disable", TEXTS),
    "--fail-on": ("fail_on", TEXT),
    "-o": ("output", FORMAT),
    "--output": ("output", FORMAT),
    "-n": ("namespace", TEXT),
    "--namespace": ("namespace", TEXT),
    "--kubeconfig": ("kubeconfig", PATH),
    "--kube-context": ("kube_context", TEXT),
}

#: The formats ``audit -o`` takes (typer's choice, spelled exactly).
_FORMATS = frozenset({"table", "json", "sarif"})


def read(args: list[str]) -> AuditFilesRequest | None:
    """``args`` (the command line after ``chartsafe``) as an ``audit --files`` request, or
    None when typer is to read it. Resolves the namespace as the typer command does, so a
    kubeconfig that cannot be read is the same error."""
    found = given(args, "audit", FLAGS, _FORMATS)
    if found is None or "files" not in found.on:
        return None
    from pathlib import Path

    from ._audit_run import AuditFilesRequest
    from ._namespace import release_namespace

    one = found.one
    kubeconfig = Path(one["kubeconfig"]) if "kubeconfig" in one else None
    namespace = release_namespace(one.get("namespace"), kubeconfig, one.get("kube_context"))
    return AuditFilesRequest(
        files=tuple(found.words),
        namespace=namespace,
        profile=one.get("profile", "dev"),
        enable=tuple(found.many.get("enable", ())),
        disable=tuple(found.many.get("disable", ())),
        fail_on=one.get("fail_on", "high"),
        output=one.get("output"),
    )
