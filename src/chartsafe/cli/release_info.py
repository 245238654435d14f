"""Reading releases: status, history and list (Helm's records, read only; ``get`` is in
release_get)."""

from __future__ import annotations

from typing import Annotated

import typer

from ._app import app
from ._cluster_flags import FROM_FLAGS, ClusterAccess, with_cluster_access
from ._options import Output
from ._print import DATA_FORMATS, print_data, print_table, print_test_suite
from ._release_options import (
    READ_EXIT_CODES,
    ReleaseName,
    ReleaseNamespace,
    RevisionToRead,
    Storage,
    cluster_target,
)


@app.command(
    epilog="Examples:\n\n  chartsafe status tc -n tracecat -o json\n\n"
    "  chartsafe status tc -n tracecat --show-resources\n\n" + READ_EXIT_CODES
)
@with_cluster_access
def status(
    name: ReleaseName,
    namespace: ReleaseNamespace = None,
    revision: RevisionToRead = None,
    show_resources: Annotated[
        bool,
        typer.Option(
            "--show-resources",
            help="Also show each object's live state (as kubectl get) and the pods its "
            "workloads run, read from the API server.",
        ),
    ] = False,
    access: ClusterAccess = FROM_FLAGS,
    storage: Storage = "secret",
    output: Output = None,
) -> int:
    """Show a release's revision, status, notes, objects and hooks, from Helm's record.

    -o json and -o yaml print the release as helm status does (name, info, config,
    manifest, hooks, version, namespace; the chart left out), every secret value masked,
    then chartsafe's labels, objects, tests and (--show-resources) resources.
    """
    from .._release_info import release_status

    found = release_status(
        name, revision=revision, target=cluster_target(namespace, access, storage)
    )
    tables = []
    if show_resources:
        from .._cluster import Cluster
        from .._release_resources import release_resources

        tables = release_resources(Cluster.connect(access), found.objects, found.redact)
    if output in DATA_FORMATS:
        shown = found.as_dict()
        if show_resources:
            shown["resources"] = [t.as_dict() for t in tables]
        print_data(shown, output)
        return 0
    r = found.release
    print(f"NAME: {r.name}\nLAST DEPLOYED: {r.updated_as()}\n"
          f"NAMESPACE: {r.namespace}\nSTATUS: {r.status}\nREVISION: {r.revision}\n"
          f"CHART: {r.chart}")  # fmt: skip
    if r.description:
        print(f"DESCRIPTION: {r.description}")
    if found.objects:
        print("OBJECTS:")
        for obj in found.objects:
            print(f"  {obj.kind}/{obj.name}")
    if found.hooks:
        print("HOOKS:")
        for obj in found.hooks:
            events = ",".join(obj.hook.events) if obj.hook else ""
            print(f"  {obj.kind}/{obj.name} ({events})")
    if show_resources:
        print("RESOURCES:")
        for table in tables:
            print(f"==> {table.key}")
            if table.rows:
                print_table([table.columns, *table.rows])
            for missing in table.missing:
                print(f"not found: {missing}")
            for refused in table.forbidden:
                print(f"forbidden: {refused}")
            print()
    print_test_suite(found.tests, ran_only=True)
    if found.notes.strip():
        print(f"NOTES:\n{found.notes.rstrip()}")
    return 0


@app.command(epilog="Examples:\n\n  chartsafe history tc -n tracecat --max 5\n\n" + READ_EXIT_CODES)
@with_cluster_access
def history(
    name: ReleaseName,
    namespace: ReleaseNamespace = None,
    max_revisions: Annotated[
        int | None, typer.Option("--max", help="Show at most this many revisions.")
    ] = None,
    access: ClusterAccess = FROM_FLAGS,
    storage: Storage = "secret",
    output: Output = None,
) -> int:
    """List a release's revisions, oldest first.

    The table prints UPDATED as helm history does (Go's ANSIC layout, Mon Jan  2
    15:04:05 2006). -o json and -o yaml print helm history's fields (revision, updated as
    an RFC 3339 time, status, chart, app_version, description), then the release's name,
    namespace and labels.
    """
    from .._release_info import release_history

    revisions = release_history(
        name,
        max_revisions=max_revisions,
        target=cluster_target(namespace, access, storage),
    )
    if output in DATA_FORMATS:
        print_data([r.as_history_entry() for r in revisions], output)
        return 0
    rows = [["REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION", "DESCRIPTION"]]
    rows += [[str(r.revision), r.updated_as(), r.status, r.chart,
              r.app_version, r.description] for r in revisions]  # fmt: skip
    print_table(rows)
    return 0


@app.command(
    "list",
    epilog="Examples:\n\n  chartsafe list -A\n\n  chartsafe list -n tracecat --all -o json\n\n"
    "  chartsafe list -A -l team=payments\n\n" + READ_EXIT_CODES,
)
@with_cluster_access
def list_command(
    namespace: ReleaseNamespace = None,
    all_namespaces: Annotated[
        bool, typer.Option("-A", "--all-namespaces", help="Releases of every namespace.")
    ] = False,
    all_states: Annotated[
        bool, typer.Option("-a", "--all", help="Every status, not only deployed and failed.")
    ] = False,
    deployed: Annotated[bool, typer.Option("--deployed", help="Deployed releases.")] = False,
    failed: Annotated[bool, typer.Option("--failed", help="Failed releases.")] = False,
    pending: Annotated[
        bool, typer.Option("--pending", help="Pending releases (install, upgrade, rollback).")
    ] = False,
    superseded: Annotated[bool, typer.Option("--superseded", help="Superseded revisions.")] = False,
    uninstalled: Annotated[
        bool, typer.Option("--uninstalled", help="Releases uninstalled with --keep-history.")
    ] = False,
    uninstalling: Annotated[
        bool, typer.Option("--uninstalling", help="Releases being uninstalled.")
    ] = False,
    name_filter: Annotated[
        str | None, typer.Option("--filter", help="Regular expression on release names.")
    ] = None,
    selector: Annotated[
        str | None,
        typer.Option(
            "-l",
            "--selector",
            help="Label query on the releases' labels (--labels "
            "at install), e.g. team=payments,tier!=web (as helm; secret and "
            "configmap storage).",
        ),
    ] = None,
    by_date: Annotated[
        bool, typer.Option("-d", "--date", help="Sort by release date (default: by name).")
    ] = False,
    reverse: Annotated[bool, typer.Option("-r", "--reverse", help="Reverse the order.")] = False,
    limit: Annotated[
        int, typer.Option("-m", "--max", min=0, help="At most this many releases (0: all).")
    ] = 256,
    offset: Annotated[
        int, typer.Option("--offset", min=0, help="Skip this many releases first.")
    ] = 0,
    short: Annotated[
        bool, typer.Option("-q", "--short", help="Names only (one per line, or a list).")
    ] = False,
    no_headers: Annotated[
        bool, typer.Option("--no-headers", help="The table without its header line.")
    ] = False,
    time_format: Annotated[
        str | None,
        typer.Option(
            "--time-format",
            help='Print UPDATED in this Go time layout, as helm (e.g. "2006-01-02 15:04").',
            show_default=False,
        ),
    ] = None,
    access: ClusterAccess = FROM_FLAGS,
    storage: Storage = "secret",
    output: Output = None,
) -> int:
    """List releases (made by chartsafe or by helm: the records are the same).

    As helm list: deployed and failed releases unless state flags (--deployed, --failed,
    --pending, --superseded, --uninstalled, --uninstalling) or --all say otherwise,
    sorted by name (-d: by date, -r: reversed), at most --max of them after --offset.
    -o json and -o yaml print helm list's fields (name, namespace, revision as a string,
    updated, status, chart, app_version), then the description and labels.
    """
    from .._release_info import LIST_TIME_LAYOUT, list_releases

    wanted = {"deployed": deployed, "failed": failed, "pending": pending,
              "superseded": superseded, "uninstalled": uninstalled,
              "uninstalling": uninstalling}  # fmt: skip
    found = list_releases(
        all_namespaces=all_namespaces,
        all_states=all_states,
        name_filter=name_filter,
        selector=selector,
        target=cluster_target(namespace, access, storage),
        describe=output in DATA_FORMATS and not short,  # the table has no DESCRIPTION column
        states=[state for state, on in wanted.items() if on],
        by_date=by_date,
        reverse=reverse,
        limit=limit or None,
        offset=offset or None,
    )
    if not short:  # as helm: Go's time.Time.String() unless --time-format, table and data
        import dataclasses

        layout = time_format or LIST_TIME_LAYOUT
        found = [dataclasses.replace(r, updated=r.updated_as(layout)) for r in found]
    if short:
        names = [r.name for r in found]
        if output in DATA_FORMATS:
            print_data(names, output)
        elif names:
            print("\n".join(names))
        return 0
    if output in DATA_FORMATS:
        print_data([r.as_list_entry() for r in found], output)
        return 0
    rows = [] if no_headers else [
        ["NAME", "NAMESPACE", "REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION"]
    ]  # fmt: skip
    rows += [[r.name, r.namespace, str(r.revision), r.updated, r.status, r.chart, r.app_version]
             for r in found]  # fmt: skip
    if rows:
        print_table(rows)
    return 0
