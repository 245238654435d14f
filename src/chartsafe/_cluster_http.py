"""The HTTP(S) plumbing under ``_cluster.Cluster``: TLS, proxy and impersonation as client-go.

Two things urllib does not do by itself, and a cluster client must:

- check the server's certificate against a name other than the URL's host
  (``tls-server-name`` in a kubeconfig, ``--kube-tls-server-name``): a server reached by
  IP whose certificate names ``kubernetes.default``;
- send one ``Impersonate-Group`` header per group (``--kube-as-group``, repeatable): urllib
  keeps headers in a dict, and the API server reads each header line as one group, so
  ``a,b`` joined would impersonate a group named ``a,b``.

Both live in the connection classes below, handed to urllib's own handlers, so redirects,
proxies (``proxy-url``, including an https CONNECT tunnel) and timeouts stay urllib's.
"""

from __future__ import annotations

import functools
import http.client
import os
import ssl
import tempfile
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._cluster_config import ClusterConfig

__all__ = ["build_opener", "identity_headers", "tls_context"]


def build_opener(config: ClusterConfig) -> urllib.request.OpenerDirector:
    """An opener for ``config``'s server: its TLS, proxy and impersonation settings."""
    groups = config.as_groups
    handlers: list[Any] = [_HTTPHandler(groups)]
    if config.server.startswith("https:"):
        handlers.append(_HTTPSHandler(groups, config.tls_server_name, tls_context(config)))
    if config.proxy_url:
        scheme = config.server.split(":", 1)[0]
        handlers.append(urllib.request.ProxyHandler({scheme: config.proxy_url}))
    return urllib.request.build_opener(*handlers)


def identity_headers(config: ClusterConfig) -> dict[str, str]:
    """The per-request headers that say who asks: bearer token and impersonated user."""
    headers = {}
    if config.token:
        headers["Authorization"] = f"Bearer {config.token}"
    if config.as_user:
        headers["Impersonate-User"] = config.as_user
    return headers


def tls_context(config: ClusterConfig) -> ssl.SSLContext:
    """Verification against the kubeconfig's CA (or the system's), and the client
    certificate when there is one."""
    context = ssl.create_default_context(cadata=config.ca_data.decode() if config.ca_data else None)
    if config.insecure:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    if config.client_cert and config.client_key:
        # ssl reads a client key only from a file: a private 0600 file, removed at once.
        with tempfile.TemporaryDirectory(prefix="chartsafe-tls-") as folder:
            cert_path, key_path = Path(folder, "cert.pem"), Path(folder, "key.pem")
            for path, data in ((cert_path, config.client_cert), (key_path, config.client_key)):
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
            context.load_cert_chain(cert_path, key_path)
    return context


class _GroupHeaders(http.client.HTTPConnection):
    """Adds one ``Impersonate-Group`` line per group to every request it sends."""

    groups: tuple[str, ...] = ()

    def endheaders(self, message_body: Any = None, *, encode_chunked: bool = False) -> None:
        for group in self.groups:
            self.putheader("Impersonate-Group", group)
        super().endheaders(message_body, encode_chunked=encode_chunked)


class _HTTPConnection(_GroupHeaders):
    def __init__(self, *args: Any, groups: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.groups = groups


class _HTTPSConnection(_GroupHeaders, http.client.HTTPSConnection):
    """Checks the certificate against ``server_name`` when one is given (Go's ServerName:
    it is also the name sent in SNI)."""

    def __init__(
        self, *args: Any, groups: tuple[str, ...], server_name: str | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.groups = groups
        self.server_name = server_name

    def connect(self) -> None:
        if not self.server_name:
            super().connect()
            return
        http.client.HTTPConnection.connect(self)  # TCP, and the proxy's CONNECT tunnel
        self.sock = self._context.wrap_socket(  # type: ignore[attr-defined]
            self.sock, server_hostname=self.server_name
        )


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, groups: tuple[str, ...]) -> None:
        super().__init__()
        self.groups = groups

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(_HTTPConnection, groups=self.groups), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(
        self, groups: tuple[str, ...], server_name: str | None, context: ssl.SSLContext
    ) -> None:
        super().__init__(context=context)
        self.groups = groups
        self.server_name = server_name
        self.context = context

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        connection = functools.partial(
            _HTTPSConnection, groups=self.groups, server_name=self.server_name
        )
        return self.do_open(connection, req, context=self.context)
