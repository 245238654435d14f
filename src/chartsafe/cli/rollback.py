"""``chartsafe rollback``: return a release to an earlier revision, as ``helm rollback``."""

from __future__ import annotations

from typing import Annotated

import typer

from ._app import app
from ._cluster_flags import FROM_FLAGS, ClusterAccess, with_cluster_access
from ._options import Output
from ._print import DATA_FORMATS, print_data
from ._release_options import (
    DEFAULT_MAX_HISTORY,
    EXIT_CODES,
    CleanupOnFail,
    DryRun,
    ForceConflicts,
    ForceReplace,
    HistoryMax,
    NoHooks,
    ReleaseNamespace,
    ServerSide,
    Storage,
    Timeout,
    Wait,
    WaitForJobs,
    cluster_target,
)


@app.command(
    epilog=(
        "Examples:\n\n"
        "  chartsafe rollback tc -n tracecat          # to the previous revision\n\n"
        "  chartsafe rollback tc 3 -n tracecat --wait\n\n" + EXIT_CODES
    )
)
@with_cluster_access
def rollback(
    name: Annotated[str, typer.Argument(help="Release name.", show_default=False)],
    revision: Annotated[
        int | None, typer.Argument(help="Revision to return to (default: the previous one).")
    ] = None,
    namespace: ReleaseNamespace = None,
    wait: Wait = False,
    timeout: Timeout = "5m0s",
    dry_run: DryRun = None,
    no_hooks: NoHooks = False,
    force_replace: ForceReplace = False,
    cleanup_on_fail: CleanupOnFail = False,
    max_history: HistoryMax = DEFAULT_MAX_HISTORY,
    wait_for_jobs: WaitForJobs = False,
    server_side: ServerSide = None,
    force_conflicts: ForceConflicts = False,
    access: ClusterAccess = FROM_FLAGS,
    storage: Storage = "secret",
    output: Output = None,
) -> int:
    """Roll a release back to an earlier revision (as a new revision, like helm)."""
    from .._release_settings import ReleaseSettings, parse_timeout
    from .._release_undo import rollback_release

    info = rollback_release(
        name,
        revision,
        target=cluster_target(namespace, access, storage),
        settings=ReleaseSettings(
            wait=wait,
            timeout=parse_timeout(timeout),
            dry_run=dry_run,
            no_hooks=no_hooks,
            force_replace=force_replace,
            cleanup_on_fail=cleanup_on_fail,
            max_history=max_history,
            wait_for_jobs=wait_for_jobs,
            server_side=server_side,
            force_conflicts=force_conflicts,
        ),
    )
    if output in DATA_FORMATS:
        print_data(info.as_dict(), output)
    else:
        done = "would be rolled back" if dry_run else "rolled back"
        print(f"release {info.name} {done}; now at revision {info.revision} ({info.status})")
    return 0
