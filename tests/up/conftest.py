"""Fixtures of the ``up`` tests: a tiny in-memory Kubernetes API on loopback, age keys.

The fake keeps objects by API path and answers what chartsafe sends: ``GET`` an object (a 404
``Status`` when absent) or a collection holding some (their list), ``PATCH`` with
``application/apply-patch+yaml`` (server-side apply: create or replace) or
``application/strategic-merge-patch+json`` (merged into the stored object; 404 when absent;
415 for a custom resource, as the API server answers) or ``application/merge-patch+json``,
and a 403 ``Status`` for namespace ``locked``, as RBAC answers; a write into namespace
``gone`` is the 404 the API server gives for a namespace that does not exist.
Every request is recorded with its method, path, query and content type (never its body).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from api_discovery import resource_list, with_groups
from up_helpers import FakeApi, Keys, merge, status


def _custom(path: str) -> bool:
    """A custom resource's path: its group has a dot and is not Kubernetes' own (*.k8s.io).
    The API server takes no strategic-merge patch for those (415)."""
    parts = path.split("/")
    return (
        len(parts) > 2
        and parts[1] == "apis"
        and "." in parts[2]
        and not parts[2].endswith(".k8s.io")
    )


#: The cluster's version and API discovery, as an API server answers them.
DISCOVERY: dict[str, Any] = {
    "/version": {"major": "1", "minor": "33", "gitVersion": "v1.33.4"},
    "/api": {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": []},
    "/apis": {"kind": "APIGroupList", "apiVersion": "v1", "groups": []},
    "/api/v1": resource_list("v1", "Secret"),
}  # fmt: skip


def discovery(api: FakeApi) -> dict[str, Any]:
    """:data:`DISCOVERY` with the fake's own ``groups`` listed too."""
    return with_groups(DISCOVERY, api.groups)


@pytest.fixture
def fake_api() -> Iterator[FakeApi]:
    state: FakeApi

    class Handler(BaseHTTPRequestHandler):
        def _record(self) -> tuple[str, str]:
            parsed = urlparse(self.path)
            kind = self.headers.get("Content-Type", "")
            state.requests.append((self.command, parsed.path, parsed.query, kind))
            return parsed.path, kind

        def do_GET(self) -> None:
            path, _ = self._record()
            if "/namespaces/locked/" in path:
                self._send(403, status(403, "Forbidden", "deployments is forbidden"))
            elif path in (served := discovery(state)):  # Helm's reads for .Capabilities
                self._send(200, json.dumps(served[path]).encode())
            elif path in state.objects:
                self._send(200, json.dumps(state.objects[path]).encode())
            elif items := [o for p, o in state.objects.items() if p.rpartition("/")[0] == path]:
                self._send(200, json.dumps({"items": items}).encode())  # a list
            else:
                self._send(404, status(404, "NotFound", f"{path} not found"))

        def do_PATCH(self) -> None:
            path, kind = self._record()
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
            if "/namespaces/locked/" in path:
                self._send(403, status(403, "Forbidden", "patch is forbidden"))
            elif "/namespaces/gone/" in path:
                self._send(404, status(404, "NotFound", 'namespaces "gone" not found'))
            elif kind == "application/apply-patch+yaml":
                state.objects[path] = body
                self._send(200, json.dumps(body).encode())
            elif kind == "application/strategic-merge-patch+json" and _custom(path):
                self._send(415, status(415, "UnsupportedMediaType", "no strategic merge"))
            elif path not in state.objects:
                self._send(404, status(404, "NotFound", f"{path} not found"))
            else:
                state.objects[path] = merge(state.objects[path], body)
                self._send(200, json.dumps(state.objects[path]).encode())

        def _send(self, code: int, body: bytes) -> None:
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state = FakeApi(f"http://127.0.0.1:{httpd.server_address[1]}")
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@pytest.fixture
def age_keys(tmp_path: Path) -> Keys:
    from chartsafe.store.secret_ops import init_keys

    made = init_keys(tmp_path / "age-key.txt")
    return Keys(made.path, made.recipient)
