"""``chartsafe uninstall``: remove a release, as ``helm uninstall``."""

from __future__ import annotations

from typing import Annotated

import typer

from ._app import app
from ._cluster_flags import FROM_FLAGS, ClusterAccess, with_cluster_access
from ._options import Output
from ._print import DATA_FORMATS, print_data
from ._release_options import (
    ACTION_PANEL,
    EXIT_CODES,
    Description,
    NoHooks,
    ReleaseNamespace,
    Storage,
    Timeout,
    cluster_target,
)


@app.command(
    epilog=(
        "Examples:\n\n"
        "  chartsafe uninstall tc -n tracecat\n\n"
        "  chartsafe uninstall tc -n tracecat --keep-history\n\n" + EXIT_CODES
    )
)
@with_cluster_access
def uninstall(
    name: Annotated[str, typer.Argument(help="Release name.", show_default=False)],
    namespace: ReleaseNamespace = None,
    keep_history: Annotated[
        bool,
        typer.Option(
            "--keep-history",
            help="Keep the release records (status uninstalled).",
            rich_help_panel=ACTION_PANEL,
        ),
    ] = False,
    ignore_not_found: Annotated[
        bool,
        typer.Option(
            "--ignore-not-found",
            help="A missing release is not an error.",
            rich_help_panel=ACTION_PANEL,
        ),
    ] = False,
    wait: Annotated[
        bool,
        typer.Option(
            "--wait", help="Wait until every object is deleted.", rich_help_panel=ACTION_PANEL
        ),
    ] = False,
    timeout: Timeout = "5m0s",
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would be removed; remove nothing.")
    ] = False,
    no_hooks: NoHooks = False,
    cascade: Annotated[
        str,
        typer.Option(
            "--cascade",
            help="How the objects' dependents are deleted: background, foreground or orphan "
            "(as helm).",
            rich_help_panel=ACTION_PANEL,
        ),
    ] = "background",
    description: Description = None,
    access: ClusterAccess = FROM_FLAGS,
    storage: Storage = "secret",
    output: Output = None,
) -> int:
    """Remove a release's objects and (unless --keep-history) its records.

    -o json|yaml print chartsafe's own summary of the release (helm uninstall has no -o).
    """
    from .._release_settings import ReleaseSettings, parse_timeout
    from .._release_undo import uninstall_release

    info = uninstall_release(
        name,
        keep_history=keep_history,
        ignore_not_found=ignore_not_found,
        cascade=cascade,
        target=cluster_target(namespace, access, storage),
        settings=ReleaseSettings(
            wait=wait,
            timeout=parse_timeout(timeout),
            dry_run="client" if dry_run else None,
            no_hooks=no_hooks,
            description=description,
        ),
    )
    if output in DATA_FORMATS:
        print_data(info.as_dict(), output)
    elif not info.exists:  # --ignore-not-found, and there was nothing to remove
        print(f'release "{name}" does not exist in namespace {info.namespace}; nothing to do')
    else:
        print(f'release "{name}" {"would be " if dry_run else ""}uninstalled')
    return 0
