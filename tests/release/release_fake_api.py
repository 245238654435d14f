"""A tiny fake Kubernetes API server holding Helm release records, and kubeconfigs for it.

No API server can run here. Reading releases needs only two endpoints, and the
fake answers just those, with the shapes a real API server returns:
``GET /version`` (Helm's reachability probe) and ``GET`` on Secrets in a
namespace or cluster-wide, filtered by ``labelSelector`` (Helm's Secret
storage driver), plus one Secret by name, and a strategic-merge ``PATCH`` of one
Secret's annotations (how chartsafe records which values were secret). For an
upgrade's client dry run, Helm also reads API discovery (``/api``, ``/apis`` and the
resource lists of the kinds the test chart renders), served from :data:`DISCOVERY`.
Everything else is a 404 Status.

The records are Helm's own format: a Secret ``sh.helm.release.v1.NAME.vN`` of
type ``helm.sh/release.v1`` whose ``release`` key holds the release as
gzipped, base64-encoded JSON; manifests and hooks in them come from Helm's own
install action (client dry run), so they are exactly what Helm would store.
"""

from __future__ import annotations

import base64
import gzip
import http.server
import json
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import yaml
from api_discovery import api_group, resource_list, with_groups
from loopback import serving_handler

DATA = Path(__file__).resolve().parents[1] / "data" / "release"
APP = DATA / "app"


#: Discovery for the kinds APP renders: what Helm's upgrade maps its manifests with.
DISCOVERY: dict[str, dict[str, Any]] = {
    "/api": {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": []},
    "/apis": {"kind": "APIGroupList", "apiVersion": "v1",
              "groups": [api_group("apps/v1"), api_group("batch/v1")]},
    "/api/v1": resource_list("v1", "Secret", "ConfigMap"),
    "/apis/apps/v1": resource_list("apps/v1", "Deployment"),
    "/apis/batch/v1": resource_list("batch/v1", "Job"),
}  # fmt: skip


def discovery(api: FakeApi) -> dict[str, dict[str, Any]]:
    """:data:`DISCOVERY` with the fake's own ``groups`` added (a CRD's group, say)."""
    return with_groups(DISCOVERY, api.groups)


def rendered_by_helm(
    name: str, namespace: str, values: dict[str, Any], chart: Path = APP
) -> dict[str, Any]:
    """What Helm's install action renders (manifest, hooks, notes), without a cluster."""
    import helm_python as h

    with h.Config(namespace=namespace, storage_driver="memory") as config:
        summary = config.install(str(chart), name, values, dry_run="client", namespace=namespace)
    return summary


def _hooks_of(
    namespace: str, name: str, values: dict[str, Any], chart: Path
) -> list[dict[str, Any]]:
    # The install summary leaves hooks out; render them as Helm does and keep the hook docs.
    from chartsafe._render import RenderOptions, render_chart

    result = render_chart(
        chart, values, RenderOptions(release_name=name, namespace=namespace, validate=False)
    )
    return [
        {
            "name": o.name,
            "kind": o.kind,
            "path": o.source,
            "manifest": o.text,
            "events": list(o.hook.events),
            "last_run": {"started_at": "", "completed_at": "", "phase": ""},
        }
        for o in result.hooks
        if o.hook
    ]


def release_record(entry: dict[str, Any], chart: Path = APP) -> dict[str, Any]:
    """One revision of ``chart`` as the Secret Helm's storage driver writes (``entry``:
    name, namespace, version, status, description, values; labels, first_deployed,
    last_deployed and deleted if wanted). An empty ``deleted`` is written as Helm 3 wrote it;
    Helm 4 leaves it out."""
    name, namespace, version = entry["name"], entry["namespace"], int(entry["version"])
    summary = rendered_by_helm(name, namespace, entry["values"], chart)
    release = {
        "name": name,
        "namespace": namespace,
        "version": version,
        "info": {  # Helm writes its times in Go's RFC 3339 with nanoseconds; these have none
            "first_deployed": entry.get("first_deployed", "2026-01-01T10:00:00Z"),
            "last_deployed": entry.get("last_deployed", f"2026-01-0{version}T10:00:00Z"),
            "deleted": entry.get("deleted", ""),
            "description": entry["description"],
            "status": entry["status"],
            "notes": summary["notes"],
        },
        "chart": {
            "metadata": yaml.safe_load((chart / "Chart.yaml").read_text()),
            "values": yaml.safe_load((chart / "values.yaml").read_text()),
            "templates": [],
        },
        "config": entry["values"],
        "labels": entry.get("labels") or {},
        "manifest": summary["manifest"],
        "hooks": _hooks_of(namespace, name, entry["values"], chart),
    }
    encoded = base64.b64encode(gzip.compress(json.dumps(release).encode())).decode()
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "type": "helm.sh/release.v1",
        "metadata": {
            "name": f"sh.helm.release.v1.{name}.v{version}",
            "namespace": namespace,
            "resourceVersion": "1",
            "labels": {
                "name": name,
                "owner": "helm",
                "status": entry["status"],
                "version": str(version),
                **(entry.get("labels") or {}),  # --labels: on the record's object too
            },
        },
        "data": {"release": base64.b64encode(encoded.encode()).decode()},
    }


@dataclass
class SentAction:
    """One release action's call to Helm's C library: the values and options it got."""

    function: str  # "helm_install", "helm_upgrade", "helm_rollback" or "helm_uninstall"
    values: dict[str, Any]
    options: dict[str, Any]


@dataclass(frozen=True)
class Applied:
    """One object Helm sent to the API server: how (``POST`` creates it, client-side;
    ``PATCH`` with ``application/apply-patch+yaml`` applies it, server-side), its path and
    query (``fieldManager``, ``force``...)."""

    method: str
    path: str
    query: dict[str, str]
    content_type: str


@dataclass
class FakeApi:
    """The fake's state: the records it serves and every request path it saw.

    With ``accepts_objects``, it also takes the release's objects (for a release kept in
    Helm's memory storage, so that no record is written): each is accepted as sent and
    listed in ``applied``.
    """

    records: list[dict[str, Any]]
    requests: list[str] = field(default_factory=list)
    server: str = ""
    #: what ``GET /version`` says, and more API groups for discovery: {group version: kinds}
    kube_version: str = "v1.36.0"
    groups: dict[str, list[str]] = field(default_factory=dict)
    accepts_objects: bool = False
    applied: list[Applied] = field(default_factory=list)
    #: every header line of each request (a header sent twice is there twice)
    header_lines: list[list[tuple[str, str]]] = field(default_factory=list)
    #: objects the cluster holds (not records): read as server-side tables (``live_table``)
    live: list[dict[str, Any]] = field(default_factory=list)
    #: paths whose table RBAC refuses (403), as to a user without ``get`` on that kind
    forbidden: set[str] = field(default_factory=set)

    def sent(self, header: str) -> set[tuple[str, ...]]:
        """The distinct values of ``header`` the requests carried, each request's lines
        as one tuple."""
        return {
            tuple(value for name, value in lines if name.lower() == header.lower())
            for lines in self.header_lines
        }


def handler(api: FakeApi) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _send(self, code: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _not_found(self) -> None:
            message = "the server could not find the requested resource"
            status = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "code": 404,
                      "status": "Failure", "message": message, "reason": "NotFound"}  # fmt: skip
            self._send(404, status)

        def do_GET(self) -> None:
            url = urlparse(self.path)
            api.requests.append(f"GET {url.path}")
            api.header_lines.append(list(self.headers.items()))
            parts = url.path.strip("/").split("/")
            if "as=Table" in self.headers.get("Accept", "") and url.path in api.forbidden:
                self._send(403, {"kind": "Status", "apiVersion": "v1", "status": "Failure",
                                 "reason": "Forbidden", "code": 403,
                                 "message": f"{parts[-2]} {parts[-1]!r} is forbidden"})  # fmt: skip
            elif "as=Table" in self.headers.get("Accept", ""):
                table = live_table(api.live, parts, parse_qs(url.query))
                self._send(200, table) if table is not None else self._not_found()
            elif url.path == "/version":
                major, minor = api.kube_version.lstrip("v").split(".")[:2]
                self._send(200, {"major": major, "minor": minor, "gitVersion": api.kube_version})
            elif url.path in discovery(api):
                self._send(200, discovery(api)[url.path])
            elif parts[:2] == ["api", "v1"] and parts[-1] == "secrets":
                namespace = parts[3] if len(parts) == 5 else None
                selector = parse_qs(url.query).get("labelSelector", [""])[0]
                wanted = dict(p.split("=", 1) for p in selector.split(",") if "=" in p)
                items = [
                    r for r in api.records
                    if namespace in (None, r["metadata"]["namespace"])
                    and all(r["metadata"]["labels"].get(k) == v for k, v in wanted.items())
                ]  # fmt: skip
                self._send(200, {"kind": "SecretList", "apiVersion": "v1",
                                 "metadata": {"resourceVersion": "1"}, "items": items})  # fmt: skip
            elif parts[:2] == ["api", "v1"] and len(parts) == 6 and parts[4] == "secrets":
                for record in api.records:
                    meta = record["metadata"]
                    if (meta["namespace"], meta["name"]) == (parts[3], parts[5]):
                        self._send(200, record)
                        return
                self._not_found()
            else:
                self._not_found()

        def do_PATCH(self) -> None:
            url = urlparse(self.path)
            api.requests.append(f"PATCH {url.path}")
            parts = url.path.strip("/").split("/")
            size = int(self.headers.get("Content-Length", "0"))
            patch = json.loads(self.rfile.read(size)) if size else {}
            kind = self.headers.get("Content-Type", "")
            for record in api.records:
                meta = record["metadata"]
                if len(parts) == 6 and (meta["namespace"], meta["name"]) == (parts[3], parts[5]):
                    if kind != "application/strategic-merge-patch+json":
                        self._send(415, {"kind": "Status", "code": 415})
                        return
                    added = (patch.get("metadata") or {}).get("annotations") or {}
                    meta["annotations"] = {**(meta.get("annotations") or {}), **added}
                    self._send(200, record)
                    return
            self._accept(200, patch) if api.accepts_objects else self._not_found()

        def do_POST(self) -> None:
            size = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(size)
            api.requests.append(f"POST {urlparse(self.path).path}")
            self._accept(201, json.loads(body)) if api.accepts_objects else self._not_found()

        def _accept(self, code: int, body: dict[str, Any]) -> None:
            url = urlparse(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            kind = self.headers.get("Content-Type", "")
            api.applied.append(Applied(self.command, url.path, query, kind))
            self._send(code, body)

    return Handler


#: kind → the columns after NAME a real API server's table has (name, priority), and how
#: the fake fills each from the object. Priority 1 columns are ``kubectl get -o wide``'s.
_COLUMNS: dict[str, list[tuple[str, int, Any]]] = {
    "Secret": [("Type", 0, lambda o: o.get("type", "Opaque")),
               ("Data", 0, lambda o: len(o.get("data") or {}))],
    "ConfigMap": [("Data", 0, lambda o: len(o.get("data") or {}))],
    "Deployment": [("Ready", 0, lambda o: "{0}/{0}".format(o["spec"].get("replicas", 1))),
                   ("Up-to-date", 0, lambda o: o["spec"].get("replicas", 1)),
                   ("Available", 0, lambda o: o["spec"].get("replicas", 1)),
                   ("Containers", 1, lambda o: "web")],
    "Pod": [("Ready", 0, lambda o: "1/1"), ("Status", 0, lambda o: "Running"),
            ("Restarts", 0, lambda o: 0)],
}  # fmt: skip


def _table_of(objects: list[dict[str, Any]]) -> dict[str, Any]:
    kind = objects[0]["kind"] if objects else "Pod"
    extra = _COLUMNS.get(kind, [])
    note = any("fake/column" in (o["metadata"].get("annotations") or {}) for o in objects)
    columns = [("Name", 0, lambda o: o["metadata"]["name"]), *extra,
               *([("Note", 0, lambda o: o["metadata"]["annotations"]["fake/column"])]
                 if note else []),
               ("Age", 0, lambda o: "5m")]  # fmt: skip
    return {
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "columnDefinitions": [
            {"name": name, "type": "string", "format": "", "description": "", "priority": prio}
            for name, prio, _ in columns
        ],
        "rows": [{"cells": [cell(o) for _, _, cell in columns],
                  "object": {"kind": "PartialObjectMetadata", "metadata": o["metadata"]}}
                 for o in objects],
    }  # fmt: skip


def live_table(
    live: list[dict[str, Any]], parts: list[str], query: dict[str, list[str]]
) -> dict[str, Any] | None:
    """A server-side Table of one live object (``.../namespaces/NS/PLURAL/NAME``) or of the
    pods a ``labelSelector`` picks (``/api/v1/namespaces/NS/pods``); None: not found."""
    namespace = parts[parts.index("namespaces") + 1] if "namespaces" in parts else None
    if parts[-1] == "pods":
        selector = query.get("labelSelector", [""])[0]
        wanted = dict(p.split("=", 1) for p in selector.split(",") if "=" in p)
        pods = [o for o in live if o["kind"] == "Pod"
                and o["metadata"].get("namespace") == namespace
                and all((o["metadata"].get("labels") or {}).get(k) == v
                        for k, v in wanted.items())]  # fmt: skip
        return _table_of(pods)
    plural, name = parts[-2], parts[-1]
    for obj in live:
        meta = obj["metadata"]
        if (f"{obj['kind'].lower()}s", meta["name"], meta.get("namespace")) == (
            plural, name, namespace
        ):  # fmt: skip
            return _table_of([obj])
    return None


@contextmanager
def serving(api: FakeApi, tls: ssl.SSLContext | None = None) -> Iterator[FakeApi]:
    """``api`` served on a loopback port (``api.server`` is its URL) until the block ends;
    behind ``tls`` when given (client-go sends credentials only over TLS)."""
    with serving_handler(handler(api), tls) as url:
        api.server = url
        yield api


def kubeconfig_for(server: str, path: Path, namespace: str = "default") -> Path:
    path.write_text(
        yaml.safe_dump(
            {
                "apiVersion": "v1",
                "kind": "Config",
                "clusters": [{"name": "fake", "cluster": {"server": server}}],
                "users": [{"name": "tester", "user": {"token": "not-a-real-token"}}],
                "contexts": [
                    {
                        "name": "fake",
                        "context": {"cluster": "fake", "user": "tester", "namespace": namespace},
                    }
                ],
                "current-context": "fake",
            }
        )
    )
    return path
