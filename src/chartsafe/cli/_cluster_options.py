"""Option types for commands that use a cluster's kubeconfig (kubectl's and helm's names).

``Kubeconfig`` and ``KubeContext`` are all a command needs that only resolves its namespace
(``template``, ``lint``); a command that reaches the cluster takes all of helm's cluster
flags from ``_cluster_flags``, which builds on these two. Kept light: ``template`` imports it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

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


def release_namespace(
    namespace: str | None, kubeconfig: Path | None, kube_context: str | None
) -> str:
    """``-n``, else ``$HELM_NAMESPACE``, else the kubeconfig context's namespace, else
    ``default`` (as helm). The context is ``--kube-context``, else ``$HELM_KUBECONTEXT``,
    else the current one.

    Every command that takes ``-n`` resolves it here, so that what ``template`` renders,
    ``secrets init`` stores and ``install`` installs lands in one namespace. No
    kubeconfig, or one that cannot be read, is ``default``: a command that needs the
    cluster says what is wrong with it when it connects. A ``--kubeconfig`` or
    ``--kube-context`` named and not there is bad input (see ``context_namespace``).
    """
    import os

    namespace = namespace or os.environ.get("HELM_NAMESPACE")
    if namespace:
        return namespace
    from .._cluster_config import context_namespace

    helm_context = os.environ.get("HELM_KUBECONTEXT") or None
    # The store's commands take no --kube-context; like every helm command they still
    # follow $HELM_KUBECONTEXT (the others have it from their flag's envvar).
    kube_context = kube_context or helm_context
    named_by = "$HELM_KUBECONTEXT" if kube_context == helm_context else "--kube-context"
    return context_namespace(kubeconfig, kube_context, context_flag=named_by)
