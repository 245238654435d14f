"""Options that say where CHART comes from: a registry, an HTTP chart repository, a
provenance check, missing dependencies; and :func:`open_chart`, which takes them all.

Shared by every command that takes CHART (split from ``_options``, which holds the
values and rendering flags).
"""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Annotated

import typer

__all__ = [
    "ChartVersion",
    "DependencyUpdate",
    "Devel",
    "Keyring",
    "PlainHttp",
    "RegistryConfig",
    "Repo",
    "Verify",
    "fetch_missing_dependencies",
    "open_chart",
]

_SOURCE = "Chart from a registry or a repository (as helm)"

_PROVENANCE = "Chart provenance (as helm)"

ChartVersion = Annotated[
    str | None,
    typer.Option(
        "--version",
        help="Version of an oci:// CHART or of a CHART in a --repo (a version or a range "
        "like ^1.2; default: the newest).",
        show_default=False,
        rich_help_panel=_SOURCE,
    ),
]
Devel = Annotated[
    bool,
    typer.Option(
        "--devel",
        help="Take pre-release versions too when picking the newest version of a remote "
        "CHART (as helm: the range >0.0.0-0); --version wins over it.",
        rich_help_panel=_SOURCE,
    ),
]
Repo = Annotated[
    str | None,
    typer.Option(
        "--repo",
        metavar="URL",
        help="HTTP chart repository to find CHART in, CHART then being the chart's name "
        "(as helm --repo; --version picks the version, default the newest). CHART may "
        "also be REPO/NAME of Helm's repository list (helm repo add), credentials included.",
        show_default=False,
        rich_help_panel=_SOURCE,
    ),
]
PlainHttp = Annotated[
    bool,
    typer.Option(
        "--plain-http", help="Talk to the registry over HTTP, not HTTPS.", rich_help_panel=_SOURCE
    ),
]
DependencyUpdate = Annotated[
    bool,
    typer.Option(
        "--dependency-update",
        help="Fetch the chart's dependencies into its charts/ first when one is missing.",
        rich_help_panel="Rendering (as helm)",
    ),
]
RegistryConfig = Annotated[
    Path | None,
    typer.Option(
        "--registry-config",
        help="Registry credentials file (default: $HELM_REGISTRY_CONFIG, else "
        "~/.config/helm/registry/config.json, as helm).",
        show_default=False,
        rich_help_panel=_SOURCE,
    ),
]
Verify = Annotated[
    bool,
    typer.Option(
        "--verify",
        help="Check the packaged CHART against its .tgz.prov before using it; a chart "
        "directory cannot be verified.",
        rich_help_panel=_PROVENANCE,
    ),
]
Keyring = Annotated[
    Path | None,
    typer.Option(
        "--keyring",
        help="OpenPGP public keyring for --verify (default: $GNUPGHOME/pubring.gpg, else "
        "~/.gnupg/pubring.gpg, as helm).",
        show_default=False,
        rich_help_panel=_PROVENANCE,
    ),
]


def fetch_missing_dependencies(path: Path, wanted: bool, plain_http: bool) -> None:
    """``--dependency-update``: fetch a chart directory's missing dependencies, and say so."""
    if not wanted:
        return
    from .._dependencies import update_if_missing

    if update_if_missing(path, plain_http=plain_http):
        print(
            f"chartsafe: fetched the missing dependencies into {path / 'charts'}", file=sys.stderr
        )


def open_chart(
    chart: str,
    version: str | None,
    plain_http: bool,
    registry_config: Path | None,
    verify: bool = False,
    keyring: Path | None = None,
    repo: str | None = None,
    devel: bool = False,
) -> AbstractContextManager[Path]:
    """CHART as a local path for the command's duration; ``oci://`` charts and charts of a
    ``--repo`` are pulled, and with ``verify`` a packaged chart is checked against its
    provenance first. ``devel`` (``--devel``) is Helm's: with no ``--version``, the newest
    version including pre-releases."""
    from .._chart_source import ChartSource, is_oci
    from .._chart_source import open_chart as open_source

    access = None
    # a local chart needs no registry code (template's start-up is timed); a registry flag
    # given with a chart of a repository is refused, so it is passed on
    if is_oci(chart) or repo is not None or plain_http or registry_config is not None:
        from .._helm_oci import RegistryAccess

        access = RegistryAccess(plain_http=plain_http, registry_config=registry_config)
    return open_source(ChartSource(chart, version, access, verify, keyring, repo, devel))
