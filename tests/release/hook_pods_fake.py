"""A fake API server where Helm's test action can run a release's test pods.

``helm test`` through the SDK makes these calls, all answered here as a real API
server answers them (found by running the SDK against this fake and reading what it
asked):

- reads the release record (``GET`` Secrets by label, as ``release_fake_api``) and API
  discovery (``/api``, ``/apis``, ``/api/v1``);
- asks ``/openapi/v3`` whether Pods take the ``fieldValidation`` query parameter (so
  validation is left to the server and no OpenAPI schema is downloaded);
- deletes a test pod left by an earlier run (``DELETE``, with a JSON body), creates it
  (``POST``), and watches Pods until it finishes (a watch list: the current pods, a
  bookmark that ends the initial events, then each change);
- writes the release record back twice, with each hook's last run (``PUT``, in
  Kubernetes' protobuf encoding, decoded here just enough to keep the record);
- reads the pod's log (``GET .../pods/NAME/log``).

Each created pod finishes at once in the phase :attr:`HookPodsApi.phases` gives it
(default ``Succeeded``), with the log :attr:`HookPodsApi.logs` gives it.
"""

from __future__ import annotations

import base64
import http.server
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlparse

from loopback import serving_handler

_DISCOVERY: dict[str, dict[str, Any]] = {
    "/api": {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": []},
    "/apis": {"kind": "APIGroupList", "apiVersion": "v1", "groups": []},
    "/api/v1": {
        "kind": "APIResourceList",
        "groupVersion": "v1",
        "resources": [
            {"name": plural, "singularName": kind.lower(), "namespaced": True, "kind": kind,
             "verbs": ["create", "delete", "get", "list", "patch", "update", "watch"]}
            for plural, kind in (("pods", "Pod"), ("secrets", "Secret"))
        ],
    },
    "/openapi/v3": {"paths": {"api/v1": {"serverRelativeURL": "/openapi/v3/api/v1?hash=T1"}}},
    "/openapi/v3/api/v1": {
        "openapi": "3.0.0",
        "info": {"title": "Kubernetes", "version": "v1.34.0"},
        "paths": {
            "/api/v1/namespaces/{namespace}/pods/{name}": {
                "patch": {
                    "x-kubernetes-group-version-kind": {"group": "", "version": "v1",
                                                        "kind": "Pod"},
                    "parameters": [{"name": "fieldValidation", "in": "query",
                                    "schema": {"type": "string"}}],
                    "responses": {},
                }
            }
        },
    },
}  # fmt: skip


def _varint(buf: bytes, i: int) -> tuple[int, int]:
    shift = value = 0
    while True:
        byte = buf[i]
        i += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, i
        shift += 7


def _fields(buf: bytes) -> Iterator[tuple[int, bytes | int]]:
    """Protocol buffer fields of ``buf`` as (number, value): enough of the wire format for
    a Secret (varints and length-delimited fields)."""
    i = 0
    while i < len(buf):
        key, i = _varint(buf, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(buf, i)
            yield number, value
        elif wire == 2:
            size, i = _varint(buf, i)
            yield number, buf[i : i + size]
            i += size
        else:
            raise ValueError(f"wire type {wire} not expected in a Secret")


def secret_data(body: bytes) -> dict[str, bytes]:
    """``data`` of a Secret sent as ``k8s\\0`` + ``runtime.Unknown`` (field 2: the Secret,
    whose field 2 is the ``data`` map of key/value entries)."""
    if not body.startswith(b"k8s\x00"):
        raise ValueError("not Kubernetes protobuf")
    unknown = dict(_fields(body[4:]))
    raw = unknown[2]
    assert isinstance(raw, bytes)
    data = {}
    for number, entry in _fields(raw):
        if number == 2 and isinstance(entry, bytes):
            pair = dict(_fields(entry))
            key, value = pair[1], pair.get(2, b"")
            assert isinstance(key, bytes) and isinstance(value, bytes)
            data[key.decode()] = value
    return data


@dataclass
class HookPodsApi:
    records: list[dict[str, Any]]
    phases: dict[str, str] = field(default_factory=dict)
    logs: dict[str, str] = field(default_factory=dict)
    pods: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: every pod created, in order
    created: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    server: str = ""
    stopping: threading.Event = field(default_factory=threading.Event)
    revision: int = 10

    def bump(self) -> str:
        self.revision += 1
        return str(self.revision)


def _handler(api: HookPodsApi) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def _send(self, code: int, body: dict[str, Any], kind: str = "application/json") -> None:
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _missing(self, name: str = "") -> None:
            self._send(404, {"kind": "Status", "apiVersion": "v1", "status": "Failure",
                             "reason": "NotFound", "code": 404,
                             "message": f"pods {name!r} not found",
                             "details": {"name": name, "kind": "pods"}})  # fmt: skip

        def _body(self) -> bytes:
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def _record(self, namespace: str, name: str) -> dict[str, Any] | None:
            for record in api.records:
                if (record["metadata"]["namespace"], record["metadata"]["name"]) == (
                    namespace,
                    name,
                ):
                    return record
            return None

        def do_GET(self) -> None:
            url = urlparse(self.path)
            query = parse_qs(url.query)
            api.requests.append(f"GET {url.path}")
            parts = url.path.strip("/").split("/")
            if url.path == "/version":
                self._send(200, {"major": "1", "minor": "34", "gitVersion": "v1.34.0"})
            elif url.path in _DISCOVERY:
                self._send(200, _DISCOVERY[url.path])
            elif parts[:2] == ["api", "v1"] and parts[-1] == "secrets" and len(parts) == 5:
                selector = query.get("labelSelector", [""])[0]
                wanted = dict(p.split("=", 1) for p in selector.split(",") if "=" in p)
                items = [
                    r for r in api.records if r["metadata"]["namespace"] == parts[3]
                    and all(r["metadata"]["labels"].get(k) == v for k, v in wanted.items())
                ]  # fmt: skip
                self._send(200, {"kind": "SecretList", "apiVersion": "v1",
                                 "metadata": {"resourceVersion": "1"}, "items": items})  # fmt: skip
            elif parts[:2] == ["api", "v1"] and len(parts) == 6 and parts[4] == "secrets":
                record = self._record(parts[3], parts[5])
                self._send(200, record) if record else self._missing(parts[5])
            elif parts[-1] == "pods" and "watch" in query:
                self._watch()
            elif parts[-1] == "pods":
                self._send(200, {"kind": "PodList", "apiVersion": "v1",
                                 "metadata": {"resourceVersion": str(api.revision)},
                                 "items": list(api.pods.values())})  # fmt: skip
            elif len(parts) == 7 and parts[4] == "pods" and parts[6] == "log":
                if parts[5] not in api.pods:
                    self._missing(parts[5])
                    return
                text = api.logs.get(parts[5], "").encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                self.wfile.write(text)
            elif len(parts) == 6 and parts[4] == "pods" and parts[5] in api.pods:
                self._send(200, api.pods[parts[5]])
            else:
                self._missing(parts[-1])

        def _watch(self) -> None:
            """A watch list: every pod, the bookmark ending the initial events, then each
            pod created or changed, until the server stops or five seconds pass."""
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            sent: dict[str, str] = {}

            def event(kind: str, obj: dict[str, Any]) -> None:
                line = json.dumps({"type": kind, "object": obj}).encode() + b"\n"
                self.wfile.write(b"%x\r\n%s\r\n" % (len(line), line))
                self.wfile.flush()

            def changes() -> None:
                for name, pod in list(api.pods.items()):
                    version = pod["metadata"]["resourceVersion"]
                    if sent.get(name) != version:
                        event("ADDED" if name not in sent else "MODIFIED", pod)
                        sent[name] = version

            try:
                changes()
                event("BOOKMARK", {"kind": "Pod", "apiVersion": "v1", "metadata": {
                    "resourceVersion": str(api.revision),
                    "annotations": {"k8s.io/initial-events-end": "true"}}})  # fmt: skip
                deadline = time.monotonic() + 5
                while time.monotonic() < deadline and not api.stopping.is_set():
                    changes()
                    time.sleep(0.02)
                self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass  # the watcher hung up: it has what it waited for

        def do_POST(self) -> None:
            url = urlparse(self.path)
            api.requests.append(f"POST {url.path}")
            pod = json.loads(self._body())
            name = pod["metadata"]["name"]
            pod["metadata"].update(
                {"namespace": url.path.split("/")[4], "uid": f"uid-{name}",
                 "resourceVersion": api.bump(), "creationTimestamp": "2026-01-01T10:00:00Z"}
            )  # fmt: skip
            pod["status"] = {"phase": api.phases.get(name, "Succeeded")}
            api.pods[name] = pod
            api.created.append(name)
            self._send(201, pod)

        def do_DELETE(self) -> None:
            url = urlparse(self.path)
            self._body()
            api.requests.append(f"DELETE {url.path}")
            name = url.path.rsplit("/", 1)[-1]
            pod = api.pods.pop(name, None)
            self._send(200, pod) if pod else self._missing(name)

        def do_PUT(self) -> None:
            url = urlparse(self.path)
            api.requests.append(f"PUT {url.path}")
            parts = url.path.strip("/").split("/")
            record = self._record(parts[3], parts[5])
            if record is None:
                self._missing(parts[5])
                return
            data = secret_data(self._body())
            record["data"] = {k: base64.b64encode(v).decode() for k, v in data.items()}
            self._send(200, record)

    return Handler


@contextmanager
def serving_hook_pods(api: HookPodsApi) -> Iterator[HookPodsApi]:
    with serving_handler(_handler(api), stopping=api.stopping) as url:
        api.server = url
        yield api
