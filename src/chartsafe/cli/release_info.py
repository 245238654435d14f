"""Reading releases: status, history, list, get values|manifest|hooks|notes|metadata (Helm's
records, read only)."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from ._app import app
from ._cluster_flags import FROM_FLAGS, ClusterAccess, with_cluster_access
from ._options import Output
from ._print import DATA_FORMATS, print_data, print_table, print_yaml
from ._release_options import ReleaseNamespace, Storage, cluster_target

_EXIT = "Exit codes: 0 done, 2 bad input, no such release, or the cluster cannot be reached."

Name = Annotated[str, typer.Argument(help="Release name.", show_default=False)]
Revision = Annotated[
    int | None, typer.Option("--revision", help="A given revision (default: the latest).")
]


@app.command(
    epilog="Examples:\n\n  chartsafe status tc -n tracecat -o json\n\n"
    "  chartsafe status tc -n tracecat --show-resources\n\n" + _EXIT
)
@with_cluster_access
def status(
    name: Name,
    namespace: ReleaseNamespace = None,
    revision: Revision = None,
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
    """Show a release's revision, status, notes, objects and hooks, from Helm's record."""
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
    print(f"NAME: {r.name}\nNAMESPACE: {r.namespace}\nSTATUS: {r.status}\n"
          f"REVISION: {r.revision}\nCHART: {r.chart}\nUPDATED: {r.updated}")  # fmt: skip
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
            print()
    if found.notes.strip():
        print(f"NOTES:\n{found.notes.rstrip()}")
    return 0


@app.command(epilog="Examples:\n\n  chartsafe history tc -n tracecat --max 5\n\n" + _EXIT)
@with_cluster_access
def history(
    name: Name,
    namespace: ReleaseNamespace = None,
    max_revisions: Annotated[
        int | None, typer.Option("--max", help="Show at most this many revisions.")
    ] = None,
    access: ClusterAccess = FROM_FLAGS,
    storage: Storage = "secret",
    output: Output = None,
) -> int:
    """List a release's revisions, oldest first."""
    from .._release_info import release_history

    revisions = release_history(
        name,
        max_revisions=max_revisions,
        target=cluster_target(namespace, access, storage),
    )
    if output in DATA_FORMATS:
        print_data([r.as_dict() for r in revisions], output)
        return 0
    rows = [["REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION", "DESCRIPTION"]]
    rows += [[str(r.revision), r.updated, r.status, r.chart, r.app_version, r.description]
             for r in revisions]  # fmt: skip
    print_table(rows)
    return 0


@app.command(
    "list",
    epilog="Examples:\n\n  chartsafe list -A\n\n  chartsafe list -n tracecat --all -o json\n\n"
    "  chartsafe list -A -l team=payments\n\n" + _EXIT,
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
    access: ClusterAccess = FROM_FLAGS,
    storage: Storage = "secret",
    output: Output = None,
) -> int:
    """List releases (made by chartsafe or by helm: the records are the same).

    As helm list: deployed and failed releases unless state flags (--deployed, --failed,
    --pending, --superseded, --uninstalled, --uninstalling) or --all say otherwise,
    sorted by name (-d: by date, -r: reversed), at most --max of them after --offset.
    """
    from .._release_info import list_releases

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
    if short:
        names = [r.name for r in found]
        if output in DATA_FORMATS:
            print_data(names, output)
        elif names:
            print("\n".join(names))
        return 0
    if output in DATA_FORMATS:
        print_data([r.as_dict() for r in found], output)
        return 0
    rows = [] if no_headers else [
        ["NAME", "NAMESPACE", "REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION"]
    ]  # fmt: skip
    rows += [[r.name, r.namespace, str(r.revision), r.updated, r.status, r.chart, r.app_version]
             for r in found]  # fmt: skip
    if rows:
        print_table(rows)
    return 0


get_app = typer.Typer(help="Read parts of a release record.", no_args_is_help=True)
app.add_typer(get_app, name="get")


@get_app.command(
    "values",
    epilog=(
        "Examples:\n\n  chartsafe get values tc -n tracecat\n\n"
        "  chartsafe get values tc --all --revision 2 -o json\n\n" + _EXIT
    ),
)
@with_cluster_access
def get_values(
    name: Name,
    namespace: ReleaseNamespace = None,
    all_values: Annotated[
        bool, typer.Option("-a", "--all", help="All computed values, not only the user's.")
    ] = False,
    revision: Revision = None,
    reveal: Annotated[
        bool, typer.Option("--reveal", help="Print secret-like values instead of masking them.")
    ] = False,
    access: ClusterAccess = FROM_FLAGS,
    storage: Storage = "secret",
    output: Output = None,
) -> int:
    """Print a release's values, with secret-like values masked unless --reveal.

    Masked: values that came from SOPS-encrypted -f files or ref+ references (install and
    upgrade record their paths on the release record); values under keys such as password,
    token, apiKey, clientSecret; values equal to data of the release's own Secrets; URLs
    carrying a password; PEM private keys. The masked paths are listed on stderr.
    """
    from .._release_values import release_values

    found = release_values(
        name,
        all_values=all_values,
        revision=revision,
        reveal=reveal,
        target=cluster_target(namespace, access, storage),
    )
    if output in DATA_FORMATS:
        print_data({"name": name, "values": found.values, "masked": found.masked}, output)
        return 0
    label = "COMPUTED VALUES" if all_values else "USER-SUPPLIED VALUES"
    print(f"{label}:")
    if found.values:
        print_yaml(found.values)
    else:
        print("null")
    if found.masked:
        print(
            f"chartsafe: {len(found.masked)} secret-like value(s) masked "
            f"({', '.join(found.masked)}); pass --reveal to print them",
            file=sys.stderr,
        )
    return 0


Reveal = Annotated[
    bool, typer.Option("--reveal", help="Print Secret values instead of masking them.")
]


def _objects_command(which: str, doc: str, examples: str) -> None:
    """Register ``get manifest`` or ``get hooks``: the revision's stored objects, masked
    unless ``--reveal`` (Secret values, their copies and recorded secret values)."""

    def command(
        name: Name,
        namespace: ReleaseNamespace = None,
        revision: Revision = None,
        reveal: Reveal = False,
        access: ClusterAccess = FROM_FLAGS,
        storage: Storage = "secret",
        output: Output = None,
    ) -> int:
        from .._output import manifests_json, manifests_yaml, secret_value_count
        from .._release_info import release_status

        target = cluster_target(namespace, access, storage)
        found = release_status(name, revision=revision, target=target, action=f"get {which}")
        objects = found.objects if which == "manifest" else found.hooks
        printed = manifests_json if output == "json" else manifests_yaml
        text = printed(objects, reveal=reveal)
        sys.stdout.write(text if reveal else found.redact(text))
        hidden = 0 if reveal else secret_value_count(objects)
        if hidden:
            print(f"chartsafe: {hidden} Secret value(s) masked; pass --reveal to print them",
                  file=sys.stderr)  # fmt: skip
        return 0

    command.__doc__ = doc
    get_app.command(which, epilog=f"Examples:\n\n{examples}\n\n" + _EXIT)(
        with_cluster_access(command)
    )


_objects_command(
    "manifest",
    """Print the objects a revision applied, from Helm's record (hooks: get hooks).

    As helm get manifest, with Secret values masked unless --reveal (also where the
    chart copied them, and values the record says came from SOPS files or references).
    -o json lists the objects as template -o json does.
    """,
    "  chartsafe get manifest tc -n tracecat\n\n  chartsafe get manifest tc --revision 2 -o json",
)
_objects_command(
    "hooks",
    "Print a revision's hooks, from Helm's record (masked as get manifest masks).",
    "  chartsafe get hooks tc -n tracecat",
)


@get_app.command("notes", epilog="Examples:\n\n  chartsafe get notes tc -n tracecat\n\n" + _EXIT)
@with_cluster_access
def get_notes(
    name: Name,
    namespace: ReleaseNamespace = None,
    revision: Revision = None,
    reveal: Reveal = False,
    access: ClusterAccess = FROM_FLAGS,
    storage: Storage = "secret",
    output: Output = None,
) -> int:
    """Print a revision's notes (NOTES.txt as rendered), secret values masked unless --reveal.

    A chart that prints a generated password in its notes shows it with --reveal.
    """
    from .._release_info import release_status

    target = cluster_target(namespace, access, storage)
    found = release_status(name, revision=revision, target=target, action="get notes")
    notes = found.stored_notes if reveal else found.notes
    if output in DATA_FORMATS:
        print_data({"name": name, "revision": found.release.revision, "notes": notes}, output)
    else:
        print(f"NOTES:\n{notes.rstrip()}")
    if notes != found.stored_notes:
        print("chartsafe: secret values in the notes masked; pass --reveal to print them",
              file=sys.stderr)  # fmt: skip
    return 0


#: helm get metadata's lines: (label, key in the SDK's metadata).
_METADATA = (("NAME", "name"), ("CHART", "chart"), ("VERSION", "version"),
             ("APP_VERSION", "appVersion"), ("NAMESPACE", "namespace"), ("REVISION", "revision"),
             ("STATUS", "status"), ("DEPLOYED_AT", "deployedAt"))  # fmt: skip


@get_app.command(
    "metadata", epilog="Examples:\n\n  chartsafe get metadata tc -n tracecat -o json\n\n" + _EXIT
)
@with_cluster_access
def get_metadata(
    name: Name,
    namespace: ReleaseNamespace = None,
    revision: Revision = None,
    access: ClusterAccess = FROM_FLAGS,
    storage: Storage = "secret",
    output: Output = None,
) -> int:
    """Print a revision's chart, versions, status, deployment time and labels (as helm)."""
    from .._release_info import release_metadata

    target = cluster_target(namespace, access, storage)
    found = release_metadata(name, revision=revision, target=target)
    if output in DATA_FORMATS:
        print_data(found, output)
        return 0
    for label, key in _METADATA:
        print(f"{label}: {found.get(key, '')}")
    labels = found["labels"]
    if labels:
        print("LABELS: " + ",".join(f"{k}={v}" for k, v in sorted(labels.items())))
    return 0


@get_app.command("all", epilog="Examples:\n\n  chartsafe get all tc -n tracecat\n\n" + _EXIT)
@with_cluster_access
def get_all(
    name: Name,
    namespace: ReleaseNamespace = None,
    revision: Revision = None,
    reveal: Annotated[
        bool, typer.Option("--reveal", help="Print secret values instead of masking them.")
    ] = False,
    access: ClusterAccess = FROM_FLAGS,
    storage: Storage = "secret",
    output: Output = None,
) -> int:
    """Print all of a revision, as helm get all (secret values masked unless --reveal).

    Its summary, user-supplied and computed values, hooks, manifest and notes, masked as
    get values and get manifest mask them.
    """
    from .._output import manifests_json, manifests_yaml
    from .._release_values import release_all

    target = cluster_target(namespace, access, storage)
    everything = release_all(name, revision=revision, reveal=reveal, target=target)
    found, user, computed = everything.status, everything.values, everything.computed

    def shown(text: str) -> str:
        return text if reveal else found.redact(text)

    if output in DATA_FORMATS:
        print_data({
            "release": found.release.as_dict(), "values": user.values,
            "computedValues": computed.values, "masked": sorted({*user.masked, *computed.masked}),
            "hooks": json.loads(shown(manifests_json(found.hooks, reveal=reveal))),
            "manifest": json.loads(shown(manifests_json(found.objects, reveal=reveal))),
            "notes": found.stored_notes if reveal else found.notes,
        }, output)  # fmt: skip
        return 0
    release = found.release
    print("\n".join([
        f"NAME: {release.name}", f"LAST DEPLOYED: {release.updated}",
        f"NAMESPACE: {release.namespace}", f"STATUS: {release.status}",
        f"REVISION: {release.revision}", f"CHART: {release.chart}",
        f"APP_VERSION: {release.app_version}",
    ]))  # fmt: skip
    for label, values in (("USER-SUPPLIED VALUES", user), ("COMPUTED VALUES", computed)):
        print(f"{label}:")
        if values.values:
            print_yaml(values.values)
        else:
            print("null")
    print("HOOKS:")
    sys.stdout.write(shown(manifests_yaml(found.hooks, reveal=reveal)))
    print("MANIFEST:")
    sys.stdout.write(shown(manifests_yaml(found.objects, reveal=reveal)))
    notes = found.stored_notes if reveal else found.notes
    if notes.strip():
        print(f"NOTES:\n{notes.rstrip()}")
    if not reveal:
        print("chartsafe: secret values masked; pass --reveal to print them", file=sys.stderr)
    return 0
