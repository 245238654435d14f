"""Option types for commands that reach a cluster (kubectl's names), shared by seal and check."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["KubeContext", "Kubeconfig"]

_CLUSTER = "Cluster (as kubectl)"

Kubeconfig = Annotated[
    Path | None,
    typer.Option(
        "--kubeconfig",
        help="Kubeconfig file (default: $KUBECONFIG, else ~/.kube/config, else in-cluster).",
        show_default=False,
        rich_help_panel=_CLUSTER,
    ),
]
KubeContext = Annotated[
    str | None,
    typer.Option(
        "--kube-context",
        help="Kubeconfig context (default: the current context).",
        show_default=False,
        rich_help_panel=_CLUSTER,
    ),
]
