"""``chartsafe get values|manifest|hooks|notes|metadata|all``: parts of a release record, as
``helm get`` prints them, secret values masked (read only)."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from ._app import app
from ._cluster_flags import FROM_FLAGS, ClusterAccess, with_cluster_access
from ._options import DataOutput, Output
from ._print import DATA_FORMATS, print_data, print_yaml
from ._release_options import (
    READ_EXIT_CODES,
    ReleaseName,
    ReleaseNamespace,
    RevisionToRead,
    Storage,
    cluster_target,
)

get_app = typer.Typer(help="Read parts of a release record.", no_args_is_help=True)
app.add_typer(get_app, name="get")


@get_app.command(
    "values",
    epilog=(
        "Examples:\n\n  chartsafe get values tc -n tracecat\n\n"
        "  chartsafe get values tc --all --revision 2 -o json\n\n"
        "  chartsafe get values tc -o yaml --reveal > values.yaml   # back with -f values.yaml"
        "\n\n" + READ_EXIT_CODES
    ),
)
@with_cluster_access
def get_values(
    name: ReleaseName,
    namespace: ReleaseNamespace = None,
    all_values: Annotated[
        bool, typer.Option("-a", "--all", help="All computed values, not only the user's.")
    ] = False,
    revision: RevisionToRead = None,
    reveal: Annotated[
        bool, typer.Option("--reveal", help="Print secret-like values instead of masking them.")
    ] = False,
    access: ClusterAccess = FROM_FLAGS,
    storage: Storage = "secret",
    output: Output = None,
) -> int:
    """Print a release's values, with secret-like values masked unless --reveal.

    As helm get values: -o json and -o yaml print the values map alone (null when there
    are none), so what -o yaml --reveal prints can be given back with -f.

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
    if output not in DATA_FORMATS:
        print("COMPUTED VALUES:" if all_values else "USER-SUPPLIED VALUES:")
    if not found.values:
        print("null")  # as helm, in every format: the record holds no values
    elif output in DATA_FORMATS:
        print_data(found.values, output)
    else:
        print_yaml(found.values)
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
        name: ReleaseName,
        namespace: ReleaseNamespace = None,
        revision: RevisionToRead = None,
        reveal: Reveal = False,
        access: ClusterAccess = FROM_FLAGS,
        storage: Storage = "secret",
        output: DataOutput = None,
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
    get_app.command(which, epilog=f"Examples:\n\n{examples}\n\n" + READ_EXIT_CODES)(
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


@get_app.command(
    "notes", epilog="Examples:\n\n  chartsafe get notes tc -n tracecat\n\n" + READ_EXIT_CODES
)
@with_cluster_access
def get_notes(
    name: ReleaseName,
    namespace: ReleaseNamespace = None,
    revision: RevisionToRead = None,
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
    "metadata",
    epilog="Examples:\n\n  chartsafe get metadata tc -n tracecat -o json\n\n" + READ_EXIT_CODES,
)
@with_cluster_access
def get_metadata(
    name: ReleaseName,
    namespace: ReleaseNamespace = None,
    revision: RevisionToRead = None,
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


@get_app.command(
    "all", epilog="Examples:\n\n  chartsafe get all tc -n tracecat\n\n" + READ_EXIT_CODES
)
@with_cluster_access
def get_all(
    name: ReleaseName,
    namespace: ReleaseNamespace = None,
    revision: RevisionToRead = None,
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
    from .._release_info import GET_ALL_TIME_LAYOUT

    release = found.release
    deployed = release.updated_as(GET_ALL_TIME_LAYOUT)
    print("\n".join([
        f"NAME: {release.name}", f"LAST DEPLOYED: {deployed}",
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
