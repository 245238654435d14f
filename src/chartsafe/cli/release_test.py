"""``chartsafe test``: run a release's test hooks, as ``helm test`` does."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ._app import app
from ._cluster_flags import FROM_FLAGS, ClusterAccess, with_cluster_access
from ._options import Output
from ._print import DATA_FORMATS, print_data, print_test_suite
from ._release_options import ReleaseName, ReleaseNamespace, Storage, Timeout, cluster_target

# Not at import: the library module brings Helm's release code, which --help does not need.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from .._release_test import ReleaseTestRun


@app.command(
    name="test",
    epilog=(
        "Examples:\n\n"
        "  chartsafe test tc -n tracecat\n\n"
        "  chartsafe test tc -n tracecat --logs --timeout 2m\n\n"
        "  chartsafe test tc --filter name=tc-test-db --filter '!name=tc-test-slow'\n\n"
        "  chartsafe upgrade --install tc charts/tracecat -f prod.yaml --wait && chartsafe "
        "test tc\n\n"
        "Exit codes: 0 every test passed, 1 a test failed or did not finish in time, 2 bad "
        "input, no such release, or the cluster cannot be reached."
    ),
)
@with_cluster_access
def test_command(
    name: ReleaseName,
    namespace: ReleaseNamespace = None,
    timeout: Timeout = "5m0s",
    logs: Annotated[
        bool, typer.Option("--logs", help="Print the test pods' logs (masked unless --reveal).")
    ] = False,
    filters: Annotated[
        list[str] | None,
        typer.Option(
            "--filter",
            help="Run only the tests named (name=NAME) or skip one (!name=NAME); repeatable, "
            "or comma-separated.",
            show_default=False,
        ),
    ] = None,
    hide_notes: Annotated[
        bool, typer.Option("--hide-notes", help="Do not print the release's notes.")
    ] = False,
    reveal: Annotated[
        bool, typer.Option("--reveal", help="Print secret values in logs and notes unmasked.")
    ] = False,
    access: ClusterAccess = FROM_FLAGS,
    storage: Storage = "secret",
    output: Output = None,
) -> int:
    """Run a release's tests (its hooks on the test event) and report each one.

    Helm creates each test pod, waits for it to finish and records its phase in the
    release; the report is read back from that record. Logs and notes are masked like
    status's: values the release keeps secret never print without --reveal. -o json|yaml
    print chartsafe's own report (helm test has no -o).
    """
    from .._release_settings import parse_timeout
    from .._release_test import ReleaseTestFailed, parse_test_filters, run_release_tests

    selected = parse_test_filters(filters or [])
    try:
        run = run_release_tests(
            name,
            target=cluster_target(namespace, access, storage),
            timeout=parse_timeout(timeout),
            logs=logs,
            selected=selected,
        )
    except ReleaseTestFailed as exc:
        _report(exc.run, output, reveal, hide_notes)
        raise
    _report(run, output, reveal, hide_notes)
    return 0


def _report(run: ReleaseTestRun, output: str | None, reveal: bool, hide_notes: bool) -> None:
    logs = run.stored_logs if reveal else run.logs
    notes = run.stored_notes if reveal else run.notes
    if output in DATA_FORMATS:
        shown = run.as_dict() | {"logs": logs, "notes": "" if hide_notes else notes}
        print_data(shown, output)
    else:
        r = run.release
        print(f"NAME: {r.name}\nLAST DEPLOYED: {r.updated_as()}\n"
              f"NAMESPACE: {r.namespace}\n"
              f"STATUS: {r.status}\nREVISION: {r.revision}")  # fmt: skip
        print_test_suite(run.suites)
        if notes.strip() and not hide_notes:
            print(f"NOTES:\n{notes.rstrip()}")
        if logs:
            print()
            sys.stdout.write(logs if logs.endswith("\n") else logs + "\n")
    masked = run.logs != run.stored_logs or (run.notes != run.stored_notes and not hide_notes)
    if masked and not reveal:
        print("chartsafe: secret values masked; pass --reveal to print them", file=sys.stderr)
