"""Option types for commands that use a cluster's kubeconfig (kubectl's and helm's names).

``Kubeconfig`` and ``KubeContext`` are all a command needs that only resolves its namespace
(``template``, ``lint``); a command that reaches the cluster takes all of helm's cluster
flags from ``_cluster_flags``, which builds on these two. Kept light: ``template`` imports it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._namespace import release_namespace

__all__ = ["CLUSTER_PANEL", "KubeContext", "Kubeconfig", "release_namespace"]

#: The help panel of every cluster flag.
CLUSTER_PANEL = "Cluster (as helm)"

Kubeconfig = Annotated[
    Path | None,
    typer.Option(
        "--kubeconfig",
        help="Kubeconfig file (default: $KUBECONFIG, else ~/.kube/config, else in-cluster).",
        show_default=False,
        rich_help_panel=CLUSTER_PANEL,
    ),
]
KubeContext = Annotated[
    str | None,
    typer.Option(
        "--kube-context",
        envvar="HELM_KUBECONTEXT",
        help="Kubeconfig context (default: the current context).",
        show_default=False,
        rich_help_panel=CLUSTER_PANEL,
    ),
]
