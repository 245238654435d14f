"""Reading a cluster through the Kubernetes API: the one module that talks to an API server.

Shared by ``seal`` (the sealed-secrets controller's certificate) and ``check`` (namespaces and
Secrets). Connection facts come from a kubeconfig as kubectl finds it (``--kubeconfig``, else
``$KUBECONFIG`` merged in order, else ``~/.kube/config``; ``--kube-context`` or the current
context), or from the pod's service account when running in a cluster.

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

import base64
import json
import os
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ._errors import ChartsafeError

if TYPE_CHECKING:
    import ssl

__all__ = [
    "SERVICE_ACCOUNT_DIR",
    "Cluster",
    "ClusterAccessDenied",
    "ClusterConfig",
    "ClusterError",
    "ClusterNotFound",
    "load_cluster_config",
]

SERVICE_ACCOUNT_DIR = Path("/var/run/secrets/kubernetes.io/serviceaccount")
_EXEC_INFO_VERSION = "client.authentication.k8s.io/v1"


class ClusterError(ChartsafeError):
    """The cluster cannot be reached or read: kubeconfig, connection, or an unexpected answer."""


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


@dataclass(frozen=True)
class ClusterConfig:
    """How to reach one API server; credentials are kept out of ``repr``."""

    server: str
    namespace: str = "default"
    context: str | None = None
    source: str = ""
    ca_data: bytes | None = field(default=None, repr=False)
    insecure: bool = False
    tls_server_name: str | None = None
    token: str | None = field(default=None, repr=False)
    client_cert: bytes | None = field(default=None, repr=False)
    client_key: bytes | None = field(default=None, repr=False)
    proxy_url: str | None = None


def load_cluster_config(
    kubeconfig: Path | None = None,
    context: str | None = None,
    *,
    service_account_dir: Path = SERVICE_ACCOUNT_DIR,
) -> ClusterConfig:
    """Find the cluster as kubectl does: kubeconfig files first, else the pod's service account."""
    files = _kubeconfig_files(kubeconfig)
    existing = [path for path in files if path.is_file()]
    if kubeconfig is not None and not existing:
        raise ClusterError(f"--kubeconfig {kubeconfig}: no such file")
    if existing:
        return _from_kubeconfig(existing, context)
    host, port = (
        os.environ.get("KUBERNETES_SERVICE_HOST"),
        os.environ.get("KUBERNETES_SERVICE_PORT"),
    )
    if host and port and (service_account_dir / "token").is_file():
        return _in_cluster(host, port, service_account_dir, context)
    looked = ", ".join(str(path) for path in files) or "~/.kube/config"
    raise ClusterError(
        f"no kubeconfig found (looked in {looked}) and not running in a cluster",
        hint="pass --kubeconfig or set KUBECONFIG",
    )


def _kubeconfig_files(explicit: Path | None) -> list[Path]:
    if explicit is not None:
        return [explicit]
    env = os.environ.get("KUBECONFIG")
    if env:
        return [Path(part) for part in env.split(os.pathsep) if part]
    return [Path.home() / ".kube" / "config"]


def _read_yaml(path: Path) -> dict[str, Any]:
    import yaml

    try:
        loaded = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as exc:
        raise ClusterError(f"kubeconfig {path}: cannot be read ({exc})") from exc
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ClusterError(f"kubeconfig {path}: not a mapping")
    return loaded


def _named(entries: Any, name: str, kind: str, source: str) -> dict[str, Any]:
    for entry in entries or []:
        if isinstance(entry, dict) and entry.get("name") == name:
            value = entry.get(kind)
            return value if isinstance(value, dict) else {}
    raise ClusterError(f"kubeconfig {source}: no {kind} named {name!r}")


def _from_kubeconfig(files: list[Path], context: str | None) -> ClusterConfig:
    # Merged like kubectl: the first file that defines a name (or current-context) wins.
    merged: dict[str, list[Any]] = {"clusters": [], "users": [], "contexts": []}
    current: str | None = None
    for path in files:
        document = _read_yaml(path)
        current = current or document.get("current-context") or None
        for section, entries in merged.items():
            entries.extend(document.get(section) or [])
    source = os.pathsep.join(str(path) for path in files)
    chosen = context or current
    if not chosen:
        raise ClusterError(
            f"kubeconfig {source}: no current-context", hint="pass --kube-context NAME"
        )
    ctx = _named(merged["contexts"], chosen, "context", source)
    cluster = _named(merged["clusters"], str(ctx.get("cluster")), "cluster", source)
    user = _named(merged["users"], str(ctx.get("user")), "user", source) if ctx.get("user") else {}
    if not cluster.get("server"):
        raise ClusterError(f"kubeconfig {source}: cluster {ctx.get('cluster')!r} has no server")
    token, cert, key = _user_credentials(user, source, str(cluster["server"]))
    return ClusterConfig(
        server=str(cluster["server"]).rstrip("/"),
        namespace=str(ctx.get("namespace") or "default"),
        context=chosen,
        source=f"kubeconfig {source}, context {chosen}",
        ca_data=_data_or_file(cluster, "certificate-authority", source),
        insecure=bool(cluster.get("insecure-skip-tls-verify")),
        tls_server_name=cluster.get("tls-server-name"),
        token=token,
        client_cert=cert,
        client_key=key,
        proxy_url=cluster.get("proxy-url"),
    )


def _data_or_file(entry: Mapping[str, Any], stem: str, source: str) -> bytes | None:
    if entry.get(f"{stem}-data"):
        try:
            return base64.b64decode(str(entry[f"{stem}-data"]), validate=True)
        except ValueError as exc:
            raise ClusterError(f"kubeconfig {source}: {stem}-data is not base64") from exc
    if entry.get(stem):
        try:
            return Path(str(entry[stem])).read_bytes()
        except OSError as exc:
            raise ClusterError(f"kubeconfig {source}: {stem} {entry[stem]}: {exc}") from exc
    return None


def _user_credentials(
    user: Mapping[str, Any], source: str, server: str
) -> tuple[str | None, bytes | None, bytes | None]:
    if user.get("auth-provider"):
        raise ClusterError(
            f"kubeconfig {source}: auth-provider users are not supported",
            hint="use an exec credential plugin or a token",
        )
    token = user.get("token")
    if not token and user.get("tokenFile"):
        token = Path(str(user["tokenFile"])).read_text().strip()
    cert = _data_or_file(user, "client-certificate", source)
    key = _data_or_file(user, "client-key", source)
    if user.get("exec") and not token and not cert:
        token, cert, key = _exec_credential(user["exec"], source, server)
    return (str(token) if token else None), cert, key


def _exec_credential(
    spec: Mapping[str, Any], source: str, server: str
) -> tuple[str | None, bytes | None, bytes | None]:
    """Run an exec credential plugin (aws eks get-token, gke-gcloud-auth-plugin, kubelogin)."""
    command = [str(spec.get("command", "")), *(str(arg) for arg in spec.get("args") or [])]
    env = dict(os.environ)
    env.update({str(e["name"]): str(e["value"]) for e in spec.get("env") or [] if "name" in e})
    api_version = str(spec.get("apiVersion") or _EXEC_INFO_VERSION)
    env["KUBERNETES_EXEC_INFO"] = json.dumps(
        {"apiVersion": api_version, "kind": "ExecCredential", "spec": {"interactive": False}}
    )
    try:
        done = subprocess.run(command, env=env, capture_output=True, check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ClusterError(
            f"kubeconfig {source}: exec plugin {command[0]!r} failed ({exc})"
        ) from exc
    if done.returncode != 0:
        raise ClusterError(
            f"kubeconfig {source}: exec plugin {command[0]!r} exited {done.returncode}",
            hint=str(spec.get("installHint") or "run it by hand to see why")
            .strip()
            .splitlines()[0],
        )
    try:
        status = json.loads(done.stdout)["status"]
    except (ValueError, KeyError, TypeError) as exc:
        raise ClusterError(
            f"kubeconfig {source}: exec plugin {command[0]!r} printed no ExecCredential status"
        ) from exc
    cert, key = status.get("clientCertificateData"), status.get("clientKeyData")
    return status.get("token"), (cert.encode() if cert else None), (key.encode() if key else None)


def _in_cluster(host: str, port: str, sa_dir: Path, context: str | None) -> ClusterConfig:
    if context:
        raise ClusterError(f"--kube-context {context}: no kubeconfig, running in-cluster")
    namespace_file = sa_dir / "namespace"
    ca_file = sa_dir / "ca.crt"
    host = f"[{host}]" if ":" in host else host
    return ClusterConfig(
        server=f"https://{host}:{port}",
        namespace=namespace_file.read_text().strip() if namespace_file.is_file() else "default",
        source=f"in-cluster service account {sa_dir}",
        ca_data=ca_file.read_bytes() if ca_file.is_file() else None,
        token=(sa_dir / "token").read_text().strip(),
    )


class Cluster:
    """GETs against one API server; each method is one request."""

    def __init__(self, config: ClusterConfig, *, timeout: float = 30.0) -> None:
        self.config = config
        self.timeout = timeout
        self._opener: Any = None

    @classmethod
    def connect(cls, kubeconfig: Path | None = None, context: str | None = None) -> Cluster:
        """A client for the kubeconfig and context as kubectl would pick them."""
        return cls(load_cluster_config(kubeconfig, context))

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

        headers = {"Accept": accept, "User-Agent": "chartsafe"}
        if content_type:
            headers["Content-Type"] = content_type
        if self.config.token:
            headers["Authorization"] = f"Bearer {self.config.token}"
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
        listing = self.get_json(
            f"/api/v1/namespaces/{quote(namespace, safe='')}/secrets",
            verb="list",
            resource="secrets",
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
            return ClusterNotFound(f"not found: {resource or 'object'}{where} ({message})")
        return ClusterError(
            f"the API server answered {code} to {verb} {resource}{where} ({message})"
        )

    def _open(self, request: Any) -> Any:
        import urllib.request

        if self._opener is None:
            handlers: list[Any] = []
            if self.config.server.startswith("https:"):
                handlers.append(urllib.request.HTTPSHandler(context=self._tls()))
            if self.config.proxy_url:
                scheme = self.config.server.split(":", 1)[0]
                handlers.append(urllib.request.ProxyHandler({scheme: self.config.proxy_url}))
            self._opener = urllib.request.build_opener(*handlers)
        return self._opener.open(request, timeout=self.timeout)

    def _tls(self) -> ssl.SSLContext:
        import ssl

        context = ssl.create_default_context(
            cadata=self.config.ca_data.decode() if self.config.ca_data else None
        )
        if self.config.insecure:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        if self.config.client_cert and self.config.client_key:
            # ssl reads a client key only from a file: a private 0600 file, removed at once.
            with tempfile.TemporaryDirectory(prefix="chartsafe-tls-") as folder:
                cert_path, key_path = Path(folder, "cert.pem"), Path(folder, "key.pem")
                for path, data in (
                    (cert_path, self.config.client_cert),
                    (key_path, self.config.client_key),
                ):
                    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                    with os.fdopen(fd, "wb") as handle:
                        handle.write(data)
                context.load_cert_chain(cert_path, key_path)
        return context


def _status_message(body: bytes) -> str:
    """The ``message`` of a Kubernetes ``Status`` body, or a short note when there is none."""
    try:
        status = json.loads(body)
    except ValueError:
        return "no Status in the answer"
    if isinstance(status, dict) and status.get("kind") == "Status":
        return str(status.get("message") or status.get("reason") or "no message")
    return "no Status in the answer"
