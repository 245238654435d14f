"""``chartsafe rollback``: return a release to an earlier revision, as ``helm rollback``."""

from __future__ import annotations

from typing import Annotated

import typer

from ._app import app
from ._cluster_flags import FROM_FLAGS, ClusterAccess, with_cluster_access
from ._options import Output
from ._print import DATA_FORMATS, print_data
from ._release_options import (
    EXIT_CODES,
    DryRunRollback,
    ReleaseNamespace,
    Storage,
    cluster_target,
)
from ._settings_flags import DEFAULT_SETTINGS, ReleaseSettings, takes_settings

#: Helm's action flags rollback takes, in help order (see _settings_flags).
_SETTINGS = (
    "wait", "timeout", "dry_run", "no_hooks", "force_replace", "cleanup_on_fail", "max_history",
    "wait_for_jobs", "server_side", "force_conflicts",
)  # fmt: skip


@app.command(
    epilog=(
        "Examples:\n\n"
        "  chartsafe rollback tc -n tracecat          # to the previous revision\n\n"
        "  chartsafe rollback tc 3 -n tracecat --wait\n\n" + EXIT_CODES
    )
)
@with_cluster_access
@takes_settings(*_SETTINGS, dry_run=DryRunRollback)
def rollback(
    name: Annotated[str, typer.Argument(help="Release name.", show_default=False)],
    revision: Annotated[
        int | None, typer.Argument(help="Revision to return to (default: the previous one).")
    ] = None,
    namespace: ReleaseNamespace = None,
    settings: ReleaseSettings = DEFAULT_SETTINGS,
    access: ClusterAccess = FROM_FLAGS,
    storage: Storage = "secret",
    output: Output = None,
) -> int:
    """Roll a release back to an earlier revision (as a new revision, like helm).

    -o json|yaml print chartsafe's own summary of the new revision (helm rollback has no
    -o).
    """
    from .._release_undo import rollback_release

    info = rollback_release(
        name, revision, target=cluster_target(namespace, access, storage), settings=settings
    )
    if output in DATA_FORMATS:
        print_data(info.as_dict(), output)
    else:
        done = "would be rolled back" if settings.dry_run else "rolled back"
        print(f"release {info.name} {done}; now at revision {info.revision} ({info.status})")
    return 0
