"""Option types shared by every command that renders a chart (Helm's own flags)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ._render_request import render_options
from ._value_flags import string_slice

__all__ = [
    "VALUES_PANEL",
    "AgeKeyFile",
    "ApiVersions",
    "CrdDirs",
    "DataFormat",
    "DataOutput",
    "EnableDns",
    "KubeVersion",
    "NameTemplate",
    "Namespace",
    "NoValidate",
    "Output",
    "OutputFormat",
    "ReleaseArgs",
    "SkipSchemaValidation",
    "StoreFile",
    "backends_help",
    "generated_name",
    "made_name",
    "release_and_chart",
    "render_options",
    "string_slice",
]

VALUES_PANEL = "Values (as helm)"
_RENDER = "Rendering (as helm)"
_VALIDATION = "Validation"


class OutputFormat(StrEnum):
    table = "table"
    yaml = "yaml"
    json = "json"


class DataFormat(StrEnum):
    """``-o`` of a command whose output has no rows to put in a table: only the data formats,
    so that the help and completion offer no ``table`` the command would refuse."""

    yaml = "yaml"
    json = "json"


ReleaseArgs = Annotated[
    list[str],
    typer.Argument(
        metavar="[NAME] CHART",
        help="Release name (optional, as in helm) and the chart: a directory, a .tgz, "
        "or oci://HOST/PATH/NAME.",
        show_default=False,
    ),
]
AgeKeyFile = Annotated[
    Path | None,
    typer.Option(
        "--age-key-file",
        help="Age key file that opens encrypted -f files and ref+sops:// references "
        "(default: SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, then ~/.config/sops/age/keys.txt).",
        rich_help_panel=VALUES_PANEL,
    ),
]
StoreFile = Annotated[
    Path | None,
    typer.Option(
        "--store",
        help="Secret store that ref+chartsafe://NAMESPACE/SECRET/KEY values read "
        "(default: $CHARTSAFE_STORE).",
        rich_help_panel=VALUES_PANEL,
    ),
]
Namespace = Annotated[
    str | None,
    typer.Option(
        "-n",
        "--namespace",
        help="Release namespace (default: $HELM_NAMESPACE, else the kubeconfig context's, else "
        "default; as helm).",
        show_default=False,
        rich_help_panel=_RENDER,
    ),
]
KubeVersion = Annotated[
    str | None,
    typer.Option(
        "--kube-version",
        help=(
            "Kubernetes version for .Capabilities, the chart's kubeVersion range and schema "
            "validation (default: v1.36.0; check --against cluster: the cluster's)."
        ),
        rich_help_panel=_RENDER,
    ),
]
ApiVersions = Annotated[
    list[str] | None,
    typer.Option(
        "-a",
        "--api-versions",
        help="Extra API versions for .Capabilities.APIVersions (repeatable, or "
        "comma-separated as in helm).",
        rich_help_panel=_RENDER,
    ),
]
#: --kube-version and -a of install, upgrade, up and diff: Helm's action on a cluster
#: renders with the cluster's own capabilities and ignores both; chartsafe refuses them there.
ReleaseKubeVersion = Annotated[
    str | None,
    typer.Option(
        "--kube-version",
        help=(
            "Kubernetes version for .Capabilities, the chart's kubeVersion range and schema "
            "validation, when rendering without the cluster (--dry-run=client, a bundle). "
            "On a cluster, Helm and chartsafe render with the cluster's own."
        ),
        rich_help_panel=_RENDER,
    ),
]
ReleaseApiVersions = Annotated[
    list[str] | None,
    typer.Option(
        "-a",
        "--api-versions",
        help="Extra API versions for .Capabilities.APIVersions when rendering without the "
        "cluster (repeatable, or comma-separated). On a cluster, its discovery decides.",
        rich_help_panel=_RENDER,
    ),
]
CrdDirs = Annotated[
    list[Path] | None,
    typer.Option(
        "--crd-dir",
        help="Folder of CRD YAML files to validate custom resources against (repeatable).",
        rich_help_panel=_VALIDATION,
    ),
]
NoValidate = Annotated[
    bool,
    typer.Option(
        "--no-validate",
        help="Skip Kubernetes and CRD schema validation of the rendered objects.",
        rich_help_panel=_VALIDATION,
    ),
]
NameTemplate = Annotated[
    str | None,
    typer.Option(
        "--name-template",
        help="Give CHART alone: the release is named by this Go template with sprig "
        "functions, rendered by Helm's engine (as helm), e.g. 'app-{{ randAlpha 5 | lower }}'.",
        show_default=False,
        rich_help_panel=_RENDER,
    ),
]
SkipSchemaValidation = Annotated[
    bool,
    typer.Option(
        "--skip-schema-validation",
        help="Do not check the values against the chart's values.schema.json (as helm); "
        "the rendered objects are still validated.",
        rich_help_panel=_VALIDATION,
    ),
]
EnableDns = Annotated[
    bool,
    typer.Option(
        "--enable-dns",
        help="Let templates look up host names (getHostByName), as helm --enable-dns; "
        "without it they get an empty string.",
        rich_help_panel=_RENDER,
    ),
]
Output = Annotated[
    OutputFormat | None,
    typer.Option("-o", "--output", help="Output format.", show_default=False),
]

#: ``-o`` of a command that prints manifests or documents: no rows, so no ``table``.
DataOutput = Annotated[
    DataFormat | None,
    typer.Option("-o", "--output", help="Output format (default: yaml).", show_default=False),
]


def backends_help() -> str:
    """Every delivery backend with what it makes, for the help of --as and --deliver.

    Read from the registry, so a backend added there is listed without touching the CLI.
    """
    from ..deliver import BACKENDS

    return "; ".join(f"{b.name}: {b.summary}" for b in BACKENDS.values())


def generated_name(chart: str) -> str:
    """Helm's ``--generate-name``: CHART's base name up to its first dot (``chart`` when
    there is none), a dash and the Unix time in seconds."""
    import time

    base = chart.rstrip("/").rsplit("/", 1)[-1].split(".", 1)[0] or "chart"
    return f"{base}-{int(time.time())}"


def made_name(
    args: list[str], generate_name: bool | None, name_template: str | None, hint: str
) -> str | None:
    """The name ``--name-template`` or ``--generate-name`` make for CHART given alone (the
    template first, as in Helm); None when neither is set. Either with NAME given is
    refused, as Helm refuses it."""
    if len(args) == 2:
        for flag, given in (("--generate-name", generate_name), ("--name-template", name_template)):
            if given:
                raise typer.BadParameter(f"cannot set {flag} and also give NAME", param_hint=hint)
    if len(args) != 1:
        return None
    if name_template:
        from .._helm_parse import name_from_template

        return name_from_template(name_template)
    return generated_name(args[0]) if generate_name else None


def release_and_chart(
    args: list[str], *, generate_name: bool = False, name_template: str | None = None
) -> tuple[str | None, str]:
    """Helm's ``[NAME] CHART`` positional arguments; CHART stays a string (``oci://``).
    With ``generate_name`` (``-g``) or ``name_template`` CHART comes alone and the name is
    made."""
    made = made_name(args, generate_name, name_template, "[NAME] CHART")
    if len(args) == 1:
        return made, args[0]
    if len(args) == 2:
        return args[0], args[1]
    raise typer.BadParameter("expected [NAME] CHART", param_hint="[NAME] CHART")
