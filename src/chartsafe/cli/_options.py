"""Option types shared by every command that renders a chart (Helm's own flags)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .._render import RenderOptions
from .._values import ValuesInput

__all__ = [
    "AgeKeyFile",
    "ApiVersions",
    "CrdDirs",
    "KubeVersion",
    "Namespace",
    "NoValidate",
    "Output",
    "OutputFormat",
    "ReleaseArgs",
    "SetFile",
    "SetJson",
    "SetLiteral",
    "SetString",
    "SetValues",
    "StoreFile",
    "Values",
    "release_and_chart",
    "values_input",
]

_VALUES = "Values (as helm)"
_RENDER = "Rendering (as helm)"
_VALIDATION = "Validation"


class OutputFormat(StrEnum):
    table = "table"
    yaml = "yaml"
    json = "json"


ReleaseArgs = Annotated[
    list[str],
    typer.Argument(
        metavar="[NAME] CHART",
        help="Release name (optional, as in helm) and the chart: a directory or a .tgz.",
        show_default=False,
    ),
]
Values = Annotated[
    list[Path] | None,
    typer.Option(
        "-f",
        "--values",
        help="Values file (repeatable; later files win). '-' reads stdin. SOPS-encrypted "
        "files are decrypted in memory.",
        rich_help_panel=_VALUES,
    ),
]
SetValues = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        help="Set values: a.b=1,c=x (repeatable). A value may be a reference: "
        "ref+chartsafe://NS/SECRET/KEY, ref+sops://FILE#/key, ref+awssecrets://NAME#/key.",
        rich_help_panel=_VALUES,
    ),
]
SetString = Annotated[
    list[str] | None,
    typer.Option("--set-string", help="Set STRING values (repeatable).", rich_help_panel=_VALUES),
]
SetFile = Annotated[
    list[str] | None,
    typer.Option(
        "--set-file", help="Set values from files: key=path (repeatable).", rich_help_panel=_VALUES
    ),
]
SetJson = Annotated[
    list[str] | None,
    typer.Option("--set-json", help="Set JSON values: key=<json> (repeatable).",
                 rich_help_panel=_VALUES),
]  # fmt: skip
SetLiteral = Annotated[
    list[str] | None,
    typer.Option("--set-literal", help="Set a literal STRING value (repeatable).",
                 rich_help_panel=_VALUES),
]  # fmt: skip
AgeKeyFile = Annotated[
    Path | None,
    typer.Option(
        "--age-key-file",
        help="Age key file that opens encrypted -f files and ref+sops:// references "
        "(default: SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, then ~/.config/sops/age/keys.txt).",
        rich_help_panel=_VALUES,
    ),
]
StoreFile = Annotated[
    Path | None,
    typer.Option(
        "--store",
        help="Secret store that ref+chartsafe://NAMESPACE/SECRET/KEY values read "
        "[default: $CHARTSAFE_STORE].",
        rich_help_panel=_VALUES,
    ),
]
Namespace = Annotated[
    str,
    typer.Option("-n", "--namespace", help="Release namespace.", rich_help_panel=_RENDER),
]
KubeVersion = Annotated[
    str | None,
    typer.Option(
        "--kube-version",
        help="Kubernetes version for .Capabilities and for schema validation [default: v1.36.0].",
        rich_help_panel=_RENDER,
    ),
]
ApiVersions = Annotated[
    list[str] | None,
    typer.Option(
        "-a",
        "--api-versions",
        help="Extra API versions for .Capabilities.APIVersions (repeatable).",
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
Output = Annotated[
    OutputFormat | None,
    typer.Option("-o", "--output", help="Output format.", show_default=False),
]


def release_and_chart(args: list[str]) -> tuple[str | None, Path]:
    """Helm's ``[NAME] CHART`` positional arguments."""
    if len(args) == 1:
        return None, Path(args[0])
    if len(args) == 2:
        return args[0], Path(args[1])
    raise typer.BadParameter("expected [NAME] CHART", param_hint="[NAME] CHART")


def values_input(
    values: list[Path] | None,
    set_values: list[str] | None,
    set_string: list[str] | None,
    set_file: list[str] | None,
    set_json: list[str] | None,
    set_literal: list[str] | None,
    *,
    age_key_file: Path | None = None,
    store: Path | None = None,
) -> ValuesInput:
    """The value flags as a ``ValuesInput``; encrypted -f files and references are read later."""
    return ValuesInput(
        files=list(values or []),
        set=list(set_values or []),
        set_string=list(set_string or []),
        set_file=list(set_file or []),
        set_json=list(set_json or []),
        set_literal=list(set_literal or []),
        age_key_file=age_key_file,
        store=store,
    )


def render_options(
    name: str | None,
    namespace: str,
    kube_version: str | None,
    api_versions: list[str] | None,
    crd_dirs: list[Path] | None,
    no_validate: bool,
    **more: object,
) -> RenderOptions:
    options = RenderOptions(
        namespace=namespace,
        kube_version=kube_version,
        api_versions=list(api_versions or []),
        crd_dirs=list(crd_dirs or []),
        validate=not no_validate,
    )
    if name:
        options.release_name = name
    for key, value in more.items():
        setattr(options, key, value)
    return options
