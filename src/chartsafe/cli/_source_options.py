"""Options that say where CHART comes from: a registry, an HTTP chart repository, a
provenance check, missing dependencies; and :func:`takes_chart`, which gives a command
them all as one :class:`SourceFlags`.

Shared by every command that takes CHART (split from ``_options``, which holds the
values and rendering flags).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._flag_group import flag_group
from ._source_flags import SourceFlags, fetch_missing_dependencies

__all__ = [
    "FROM_SOURCE_FLAGS",
    "ChartVersion",
    "DependencyUpdate",
    "Devel",
    "Keyring",
    "PlainHttp",
    "RegistryConfig",
    "Repo",
    "SourceFlags",
    "Verify",
    "fetch_missing_dependencies",
    "takes_chart",
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


#: Each flag as typer reads it: (parameter name, annotation, default), in help order.
_FLAGS: tuple[tuple[str, object, object], ...] = (
    ("version", ChartVersion, None),
    ("devel", Devel, False),
    ("repo", Repo, None),
    ("plain_http", PlainHttp, False),
    ("registry_config", RegistryConfig, None),
    ("verify", Verify, False),
    ("keyring", Keyring, None),
)

#: The default of a command's ``source`` parameter, for Python's sake only: the
#: decorator always passes the value made of the flags.
FROM_SOURCE_FLAGS = SourceFlags()

#: ``command`` with the flags that say where CHART comes from in place of its ``source``
#: parameter (declared ``source: SourceFlags = FROM_SOURCE_FLAGS``), which it receives as
#: the one SourceFlags made of them: a new flag is a field and a line of ``_FLAGS``, not a
#: parameter on each command that takes CHART.
takes_chart = flag_group("source", _FLAGS, lambda values: SourceFlags(**values))
