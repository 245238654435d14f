"""A tiny API server on loopback answering the few endpoints chartsafe reads.

Bodies are Kubernetes response shapes (Status for 403/404, NamespaceList, SecretList,
ConfigMapList, a Service, the controller's PEM) from tests/data/sealed/. Namespace
``locked`` denies ``list`` of Secrets and ConfigMaps but lets one of each be read by name;
``closed`` denies both. Every request is recorded, with its headers, so tests can check how
many calls were made and what was sent.

``api_server`` is behind TLS, as API servers are: its certificate names ``kube.test`` only
(not 127.0.0.1) and is signed by a CA of its own, which ``write_kubeconfig`` writes into the
kubeconfig with that name; it answers 401 without the test token. ``plain_api_server``
speaks plain http and asks for no credentials, as ``kubectl proxy`` does: client-go sends
none over http, and neither does chartsafe.
"""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from api_discovery import resource_list
from tls_server import SERVER_NAME, server_context

DATA = Path(__file__).resolve().parents[1] / "data" / "sealed"
CERT = Path(__file__).resolve().parents[3] / "shared/vectors/sealed/generated/rsa2048.cert.pem"
TOKEN = "test-token-abc"

_JSON = "application/json"
_ROUTES: dict[str, tuple[int, str, str]] = {
    "/api/v1/namespaces": (200, _JSON, "api-namespacelist.json"),
    "/api/v1/namespaces/tracecat/secrets": (200, _JSON, "api-secretlist-tracecat.json"),
    "/api/v1/namespaces/locked/secrets": (403, _JSON, "api-status-403-secrets.json"),
    # locked: RBAC grants get on one named Secret (resourceNames); the other is not there
    "/api/v1/namespaces/locked/secrets/tracecat-secrets": (
        200, _JSON, "api-secret-locked-tracecat-secrets.json"),
    "/api/v1/namespaces/locked/secrets/tracecat-redis": (404, _JSON, "api-status-404-secret.json"),
    "/api/v1/namespaces/locked/configmaps/app-config": (
        200, _JSON, "api-configmap-locked-app-config.json"),
    # closed: neither list nor get
    "/api/v1/namespaces/closed/configmaps": (403, _JSON, "api-status-403-configmaps-closed.json"),
    "/api/v1/namespaces/closed/configmaps/app-config": (
        403, _JSON, "api-status-403-configmaps-closed.json"),
    "/api/v1/namespaces/closed/configmaps/tuning": (
        403, _JSON, "api-status-403-configmaps-closed.json"),
    "/api/v1/namespaces/closed/secrets": (403, _JSON, "api-status-403-secrets-closed.json"),
    "/api/v1/namespaces/closed/secrets/tracecat-redis": (
        403, _JSON, "api-status-403-get-secret.json"),
    "/api/v1/namespaces/closed/secrets/tracecat-secrets": (
        403, _JSON, "api-status-403-get-secret.json"),
    "/api/v1/namespaces/tracecat/configmaps": (200, _JSON, "api-configmaplist-tracecat.json"),
    "/api/v1/namespaces/locked/configmaps": (403, _JSON, "api-status-403-configmaps.json"),
    "/api/v1/namespaces/kube-system/services/sealed-secrets": (
        200, _JSON, "api-service-sealed-secrets.json"),
    "/api/v1/namespaces/kube-system/services/http:sealed-secrets:http/proxy/v1/cert.pem": (
        200, "application/x-pem-file", "CERT"),
}  # fmt: skip


#: What Helm's install reads for ``.Capabilities`` (chartsafe asks it, as install and check
#: render with the cluster's): its version and API discovery, by path without the query.
DISCOVERY: dict[str, object] = {
    "/version": {"major": "1", "minor": "33", "gitVersion": "v1.33.4"},
    "/api": {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": []},
    "/apis": {"kind": "APIGroupList", "apiVersion": "v1", "groups": []},
    "/api/v1": resource_list("v1", "Namespace", "Secret", "ConfigMap", "Service",
                             cluster_scoped=frozenset({"Namespace"})),
}  # fmt: skip


@dataclass
class FakeApiServer:
    url: str
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    #: every header line of each request, in order: a header sent twice is there twice
    header_lines: list[list[tuple[str, str]]] = field(default_factory=list)
    ca_file: Path | None = None  # the CA that signed a TLS server's certificate

    @property
    def reads(self) -> list[str]:
        """The paths requested, API discovery left out (what Helm reads for .Capabilities)."""
        return [p for p, _ in self.requests if p.split("?", 1)[0] not in DISCOVERY]

    def sent(self, header: str) -> list[str]:
        """The values of ``header`` in the last request, one per line sent."""
        return [value for name, value in self.header_lines[-1] if name.lower() == header.lower()]


#: The CA file of each TLS fake by its URL, for ``write_kubeconfig``.
_CA_FOR: dict[str, Path] = {}


@pytest.fixture
def api_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeApiServer]:
    folder = tmp_path_factory.mktemp("tls")
    with _serving(server_context(folder)) as state:
        state.ca_file = _CA_FOR[state.url] = folder / "ca.pem"
        yield state


@pytest.fixture
def plain_api_server() -> Iterator[FakeApiServer]:
    with _serving(None) as state:
        yield state


@contextmanager
def _serving(tls: ssl.SSLContext | None) -> Iterator[FakeApiServer]:
    server_state: FakeApiServer

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            server_state.requests.append((self.path, dict(self.headers)))
            server_state.header_lines.append(list(self.headers.items()))
            if tls and self.headers.get("Authorization") != f"Bearer {TOKEN}":
                self._send(401, "application/json", b'{"kind":"Status","code":401}')
                return
            discovery = DISCOVERY.get(self.path.split("?", 1)[0])
            if discovery is not None:
                self._send(200, _JSON, json.dumps(discovery).encode())
                return
            code, kind, name = _ROUTES.get(self.path, (404, _JSON, "api-status-404-service.json"))
            body = CERT.read_bytes() if name == "CERT" else (DATA / name).read_bytes()
            self._send(code, kind, body)

        def _send(self, code: int, kind: str, body: bytes) -> None:
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if tls is not None:
        httpd.socket = tls.wrap_socket(httpd.socket, server_side=True)
    scheme = "https" if tls else "http"
    server_state = FakeApiServer(f"{scheme}://127.0.0.1:{httpd.server_address[1]}")
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server_state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def write_kubeconfig(path: Path, server: str, *, token: str = TOKEN, namespace: str = "") -> Path:
    """Contexts ``here`` (current) and ``elsewhere`` (namespace tracecat) on ``server``; a
    TLS fake's CA and certificate name with it."""
    context_ns = f", namespace: {namespace}" if namespace else ""
    tls = f", certificate-authority: '{_CA_FOR[server]}', tls-server-name: {SERVER_NAME}" \
        if server in _CA_FOR else ""  # fmt: skip
    path.write_text(
        "apiVersion: v1\nkind: Config\n"
        f"clusters: [{{name: local, cluster: {{server: '{server}'{tls}}}}}]\n"
        f"users: [{{name: me, user: {{token: {token}}}}}]\n"
        f"contexts: [{{name: here, context: {{cluster: local, user: me{context_ns}}}}},"
        f" {{name: elsewhere, context: {{cluster: local, user: me, namespace: tracecat}}}}]\n"
        "current-context: here\n"
    )
    return path
