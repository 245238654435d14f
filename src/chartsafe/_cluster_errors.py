"""The errors of talking to a cluster, shared by the connection facts and the API client.

A kubeconfig that cannot be used and an API server that cannot be reached or read are both a
``ClusterError``; the client narrows a 404 to ``ClusterNotFound`` and a 403 to
``ClusterAccessDenied``, which names the verb, resource and namespace that RBAC refused.
They live apart from both ``_cluster_config`` (which raises only ``ClusterError``) and
``_cluster`` (which raises all three) so that neither has to import the other for them;
``_cluster`` re-exports them, and that is where the public names point.
"""

from __future__ import annotations

from ._errors import ChartsafeError

__all__ = ["ClusterAccessDenied", "ClusterError", "ClusterNotFound", "NoClusterConfigured"]


class ClusterError(ChartsafeError):
    """The cluster cannot be reached or read: kubeconfig, connection, or an unexpected answer."""


class NoClusterConfigured(ClusterError):
    """No cluster is configured at all: no kubeconfig where kubectl looks, no flag naming
    one, not in a pod. ``up`` writes a deploy bundle then, where a configuration that
    cannot be used is bad input."""


class ClusterNotFound(ClusterError):
    """The API server answered 404 for an object we need (a namespace, a Service)."""


class ClusterAccessDenied(ClusterError):
    """RBAC said no (403); ``verb``, ``resource`` and ``namespace`` say to what."""

    def __init__(
        self, message: str, *, verb: str, resource: str, namespace: str | None, hint: str
    ) -> None:
        super().__init__(message, hint=hint)
        self.verb = verb
        self.resource = resource
        self.namespace = namespace
