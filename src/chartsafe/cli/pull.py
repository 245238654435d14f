"""``chartsafe pull``: an ``oci://`` chart, or one of an HTTP chart repository, into a
folder, as ``helm pull`` does."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._app import app
from ._options import Output
from ._print import DATA_FORMATS, print_data
from ._source_options import FROM_SOURCE_FLAGS, SourceFlags, takes_chart


@app.command(
    epilog=(
        "Examples:\n\n"
        "  chartsafe pull oci://registry.example.com/charts/app --version 1.2.0 -d vendor\n\n"
        "  chartsafe pull oci://registry.example.com/charts/app --version ~1.2 --untar "
        "-d vendor\n\n"
        "  chartsafe pull oci://registry.example.com/charts/app --verify --keyring "
        "publisher.gpg\n\n"
        "  chartsafe pull app --repo https://charts.example.com --version 1.2.0\n\n"
        "  chartsafe pull corp/app --version 1.2.0   (corp from helm repo add)\n\n"
        "Exit codes: 0 pulled, 1 --verify failed, 2 bad input, registry unreachable or "
        "credentials refused."
    )
)
@takes_chart
def pull(
    chart: Annotated[
        str,
        typer.Argument(
            metavar="oci://HOST/PATH/NAME | REPO/NAME | NAME",
            help="The chart: an oci:// reference, REPO/NAME of Helm's repository list "
            "(helm repo add), or its name in the --repo.",
            show_default=False,
        ),
    ],
    source: SourceFlags = FROM_SOURCE_FLAGS,
    destination: Annotated[
        Path, typer.Option("-d", "--destination", help="Folder to write the chart to.")
    ] = Path("."),
    untar: Annotated[
        bool, typer.Option("--untar", help="Unpack the chart instead of keeping the .tgz.")
    ] = False,
    untardir: Annotated[
        Path,
        typer.Option(
            "--untardir",
            help="With --untar: the folder the chart's own folder goes in (relative to -d).",
        ),
    ] = Path("."),
    output: Output = None,
) -> int:
    """Download a chart from an OCI registry or an HTTP chart repository, as helm pull does.

    The archive is NAME-VERSION.tgz in the destination; with --untar the chart is
    unpacked into its own folder there, which must not exist yet.
    """
    from .._chart_source import is_oci
    from .._errors import InputError
    from .._fetch import shown_url
    from .._helm import helm
    from .._helm_oci import archive_metadata
    from .._helm_repo import configured_chart
    from ..store._atomic import write_atomic

    if not is_oci(chart) and source.repo is None and configured_chart(chart) is None:
        _refuse_unpullable(chart)
    with source.open(chart) as archive:
        name, pulled = archive_metadata(archive)
        if untar:
            folder = untardir if untardir.is_absolute() else destination / untardir
            written = folder / name
            if written.exists():
                raise InputError(
                    f"--untar: {written} already exists", hint="remove it or pick --untardir"
                )
            folder.mkdir(parents=True, exist_ok=True)
            helm().expand(folder, archive)
        else:
            destination.mkdir(parents=True, exist_ok=True)
            written = destination / archive.name
            # a reader never sees half an archive; a chart is no secret: readable as helm's
            write_atomic(written, archive.read_bytes(), mode=0o644)
    repo = None if source.repo is None else shown_url(source.repo)
    where = {"repository": repo} if repo is not None else {}
    if output in DATA_FORMATS:
        print_data({"chart": chart, **where, "version": pulled, "path": str(written)}, output)
    else:
        origin = f" from {repo}" if repo is not None else ""
        print(f"Pulled: {chart.removeprefix('oci://')}:{pulled}{origin} to {written}")
    return 0


def _refuse_unpullable(chart: str) -> None:
    """Why ``chart`` cannot be pulled: a local path, a repository Helm's list does not have
    (helm: ``repo NAME not found``), or a bare name with no ``--repo``."""
    from .._errors import InputError
    from .._helm_repo import repository_config_path

    repo, _, name = chart.partition("/")
    if Path(chart).exists():
        raise typer.BadParameter(
            "pull fetches an oci:// chart, a chart of a --repo URL, or REPO/NAME of Helm's "
            "repository list; a local chart is already here",
            param_hint="oci://HOST/PATH/NAME | REPO/NAME | NAME",
        )
    if repo and name and "/" not in name:
        raise InputError(
            f"pull {chart}: repository {repo} is not in Helm's repository list "
            f"({repository_config_path()})",
            hint=f"add it with helm repo add {repo} URL, or give the URL: "
            f"chartsafe pull {name} --repo URL",
        )
    if "/" in chart:
        raise InputError(
            f"pull {chart}: no such file, and neither REPO/NAME nor an oci:// reference",
            hint="pull oci://HOST/PATH/NAME, REPO/NAME of Helm's repository list, or NAME "
            "--repo URL",
        )
    raise InputError(
        f"pull {chart}: a chart name alone says no repository",
        hint=f"give one: chartsafe pull {chart} --repo URL, REPO/{chart} of Helm's "
        f"repository list, or oci://HOST/PATH/{chart}",
    )
