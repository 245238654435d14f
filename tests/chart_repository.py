"""A classic HTTP chart repository on loopback, for the ``--repo`` and ``REPO/NAME`` tests:
a folder indexed by Helm's own ``repo index`` (through the SDK), served by the standard
library's file server, optionally behind HTTP basic auth.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from chartsafe import sign_chart
from chartsafe._helm import helm
from chartsafe._helm_oci import package_chart

KEYS = Path(__file__).resolve().parent / "data" / "provenance"
PUBRING = KEYS / "pubring.gpg"


class _Files(SimpleHTTPRequestHandler):
    """A folder's files; with ``basic`` set, only to requests that carry it (else 401).
    ``seen`` gets each request's path and Authorization header."""

    basic: str | None = None
    seen: list[tuple[str, str | None]]

    def do_GET(self) -> None:
        given = self.headers.get("Authorization")
        self.seen.append((self.path, given))
        if self.basic is not None and given != "Basic " + self.basic:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="charts"')
            self.end_headers()
            return
        super().do_GET()

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serve_charts(
    root: Path, basic: str | None = None, *, index: bool = True
) -> Iterator[tuple[str, list[tuple[str, str | None]]]]:
    """Serve ``root/charts`` at ``URL/charts`` (indexed by Helm's ``repo index`` here unless
    ``index`` is False); yields the URL and the requests seen."""
    seen: list[tuple[str, str | None]] = []
    handler = type("Handler", (_Files,), {"basic": basic, "seen": seen})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(root)))
    url = f"http://127.0.0.1:{httpd.server_address[1]}/charts"
    if index:
        helm().repo_index_generate(root / "charts", base_url=url)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield url, seen
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def sub_charts(root: Path, *, prerelease: bool = False) -> None:
    """``root/charts``: ``sub`` 0.1.0 and 0.2.0 (signed), and with ``prerelease`` 0.3.0-rc.1;
    ``root/local``: a copy of each."""
    served, local = root / "charts", root / "local"  # the server serves root: URL/charts
    served.mkdir()
    local.mkdir()
    for version in ("0.1.0", "0.2.0", *(["0.3.0-rc.1"] if prerelease else [])):
        chart = root / "src" / version / "sub"
        (chart / "templates").mkdir(parents=True)
        (chart / "Chart.yaml").write_text(f"apiVersion: v2\nname: sub\nversion: {version}\n")
        (chart / "templates" / "cm.yaml").write_text(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
            "  name: {{ .Release.Name }}-{{ .Chart.Version }}\n"
        )
        archive = package_chart(chart, served)
        if version == "0.2.0":
            sign_chart(archive, "signer@chartsafe.test", KEYS / "signer-secring.gpg")
        (local / archive.name).write_bytes(archive.read_bytes())
