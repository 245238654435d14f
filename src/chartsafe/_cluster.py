"""Reading a cluster through the Kubernetes API: the one module that talks to an API server.

Shared by ``seal`` (the sealed-secrets controller's certificate) and ``check`` (namespaces and
Secrets). Where the server is and which credentials to send come from ``_cluster_config``
(kubeconfig as kubectl finds it, helm's override flags, or the pod's service account); this
module only makes the requests, through ``_cluster_http``'s opener. The names of both, and
the errors from ``_cluster_errors``, are importable from here: this is the module the
package's public names point to.

Why not a client library: the official ``kubernetes`` package is 126 MB installed and takes
0.29 s to import; ``kr8s`` (0.2 s) is async with a thread-portal sync layer, sends four discovery
requests (``/version``, ``/api``, ``/api/v1``, ``/apis``) before the first real one, pages lists
at 100 items, and retried a 403 four times against a loopback server. We need a handful of GETs,
so they are made with ``urllib`` (0.03 s) from the same kubeconfig facts.

Errors: ``ClusterError`` (cannot connect, bad kubeconfig, unexpected answer) and, for a 403,
``ClusterAccessDenied`` naming the verb, resource and namespace that RBAC refused.
Nothing here logs or prints a response body: Secret lists hold values.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from ._cluster_access import ClusterAccess
from ._cluster_config import ClusterConfig, load_cluster_config
from ._cluster_context import SERVICE_ACCOUNT_DIR
from ._cluster_errors import ClusterAccessDenied, ClusterError, ClusterNotFound

__all__ = [
    "SERVICE_ACCOUNT_DIR",
    "Cluster",
    "ClusterAccess",
    "ClusterAccessDenied",
    "ClusterConfig",
    "ClusterError",
    "ClusterNotFound",
    "load_cluster_config",
]


class Cluster:
    """GETs against one API server; each method is one request."""

    def __init__(self, config: ClusterConfig, *, timeout: float = 30.0) -> None:
        self.config = config
        self.timeout = timeout
        self._opener: Any = None

    @classmethod
    def connect(cls, access: ClusterAccess | None = None) -> Cluster:
        """A client for the cluster ``access`` names, found as helm would find it."""
        return cls(load_cluster_config(access))

    def get(
        self,
        path: str,
        *,
        accept: str = "application/json",
        verb: str = "get",
        resource: str = "",
        namespace: str | None = None,
    ) -> bytes:
        """The body of ``GET path``; 403 and 404 become errors naming ``verb resource``."""
        return self.request(
            "GET", path, accept=accept, verb=verb, resource=resource, namespace=namespace
        )

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        *,
        content_type: str | None = None,
        accept: str = "application/json",
        verb: str = "get",
        resource: str = "",
        namespace: str | None = None,
    ) -> bytes:
        """The body of the answer to ``METHOD path``; errors name ``verb resource``."""
        import urllib.error
        import urllib.request

        from ._cluster_http import identity_headers

        headers = {"Accept": accept, "User-Agent": "chartsafe", **identity_headers(self.config)}
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(
            self.config.server + path, data=body, headers=headers, method=method
        )
        try:
            with self._open(request) as response:
                answer: bytes = response.read()
                return answer
        except urllib.error.HTTPError as exc:
            raise self._http_error(exc.code, exc.read(), verb, resource, namespace) from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ClusterError(
                f"cannot reach the API server {self.config.server} ({reason})",
                hint=f"from {self.config.source}" if self.config.source else None,
            ) from None

    def get_json(self, path: str, **how: Any) -> dict[str, Any]:
        body = self.get(path, **how)
        try:
            loaded = json.loads(body)
        except ValueError as exc:
            raise ClusterError(f"GET {path}: the API server answered with no JSON") from exc
        if not isinstance(loaded, dict):
            raise ClusterError(f"GET {path}: the API server answered with no JSON object")
        return loaded

    def list_namespaces(self) -> list[str]:
        """Names of every namespace (one ``list namespaces`` request)."""
        listing = self.get_json("/api/v1/namespaces", verb="list", resource="namespaces")
        return [str(item["metadata"]["name"]) for item in listing.get("items") or []]

    def list_secrets(self, namespace: str) -> list[dict[str, Any]]:
        """Every Secret of ``namespace`` in one request (no paging: one consistent snapshot)."""
        return self._list_core(namespace, "secrets")

    def get_named(self, namespace: str, resource: str, name: str) -> dict[str, Any] | None:
        """One Secret or ConfigMap (``resource``: ``secrets``, ``configmaps``) by name, in one
        ``get`` request; None when there is none.

        For RBAC that allows ``get`` on named objects (``resourceNames``) but not ``list``.
        """
        ns, named = quote(namespace, safe=""), quote(name, safe="")
        try:
            path = f"/api/v1/namespaces/{ns}/{resource}/{named}"
            return self.get_json(path, resource=resource, namespace=namespace)
        except ClusterNotFound:
            return None

    def list_config_maps(self, namespace: str) -> list[dict[str, Any]]:
        """Every ConfigMap of ``namespace`` in one request (as :meth:`list_secrets`)."""
        return self._list_core(namespace, "configmaps")

    def _list_core(self, namespace: str, resource: str) -> list[dict[str, Any]]:
        listing = self.get_json(
            f"/api/v1/namespaces/{quote(namespace, safe='')}/{resource}",
            verb="list",
            resource=resource,
            namespace=namespace,
        )
        return [dict(item) for item in listing.get("items") or []]

    def fetch_sealing_cert(
        self, namespace: str = "kube-system", name: str = "sealed-secrets-controller"
    ) -> bytes:
        """The sealed-secrets controller's certificate, through the API server's service proxy.

        Like kubeseal: read the Service, use its first port's name, then GET ``/v1/cert.pem``.
        """
        ns, svc = quote(namespace, safe=""), quote(name, safe="")
        try:
            service = self.get_json(
                f"/api/v1/namespaces/{ns}/services/{svc}",
                resource="services",
                namespace=namespace,
            )
        except ClusterNotFound:
            raise ClusterNotFound(
                f"no Service {name} in namespace {namespace}",
                hint="the Helm chart's Service is often named sealed-secrets: "
                "pass --controller-name/--controller-namespace",
            ) from None
        ports = (service.get("spec") or {}).get("ports") or [{}]
        port = str(ports[0].get("name") or ports[0].get("port") or "")
        return self.get(
            f"/api/v1/namespaces/{ns}/services/http:{svc}:{quote(port, safe='')}/proxy/v1/cert.pem",
            accept="application/x-pem-file, */*",
            verb="get",
            resource="services/proxy",
            namespace=namespace,
        )

    def _http_error(
        self, code: int, body: bytes, verb: str, resource: str, namespace: str | None
    ) -> ClusterError:
        message = _status_message(body)
        where = f" in namespace {namespace}" if namespace else ""
        if code == 403:
            return ClusterAccessDenied(
                f"forbidden: cannot {verb} {resource or 'this'}{where} ({message})",
                verb=verb,
                resource=resource,
                namespace=namespace,
                hint=f"ask for RBAC that allows {verb} on {resource}{where}",
            )
        if code == 401:
            return ClusterError(
                f"unauthorized: the API server rejected the credentials of {self.config.source}",
                hint="log in again or refresh the token",
            )
        if code == 404:
            # writing into a namespace that does not exist: say to make it, not what was sent
            gone = namespace and f'namespaces "{namespace}" not found' in message
            return ClusterNotFound(
                f"not found: {resource or 'object'}{where} ({message})",
                hint=f"create namespace {namespace} first (kubectl create namespace {namespace})"
                if gone
                else None,
            )
        return ClusterError(
            f"the API server answered {code} to {verb} {resource}{where} ({message})"
        )

    def _open(self, request: Any) -> Any:
        if self._opener is None:
            from ._cluster_http import build_opener

            self._opener = build_opener(self.config)
        return self._opener.open(request, timeout=self.timeout)


def _status_message(body: bytes) -> str:
    """The ``message`` of a Kubernetes ``Status`` body, or a short note when there is none."""
    try:
        status = json.loads(body)
    except ValueError:
        return "no Status in the answer"
    if isinstance(status, dict) and status.get("kind") == "Status":
        return str(status.get("message") or status.get("reason") or "no message")
    return "no Status in the answer"
