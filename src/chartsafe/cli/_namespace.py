"""The release namespace every command that takes ``-n`` works in, as Helm picks it.

No typer here: ``template``'s quick path (``_template_quick``) resolves it too.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["release_namespace"]


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
    from .._cluster_context import context_namespace

    helm_context = os.environ.get("HELM_KUBECONTEXT") or None
    # The store's commands take no --kube-context; like every helm command they still
    # follow $HELM_KUBECONTEXT (the others have it from their flag's envvar).
    kube_context = kube_context or helm_context
    named_by = "$HELM_KUBECONTEXT" if kube_context == helm_context else "--kube-context"
    return context_namespace(kubeconfig, kube_context, context_flag=named_by)
