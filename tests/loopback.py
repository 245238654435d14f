"""Loopback ports for the tests: one that nothing listens on (for a server to bind), one that
refuses every connection for the whole run, whether a given process is the one listening on
a port, and a fake server's handler served on one for a block."""

from __future__ import annotations

import http.server
import os
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def free_port() -> int:
    """A loopback port nothing listens on right now, for a fresh server to bind (see
    :func:`listens` for why the server must then check it got it). A test that needs a
    port to be refused takes the ``refused_port`` fixture instead."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def refused_port() -> Iterator[int]:
    """A loopback port every connection to is refused, for the whole test run.

    A socket is bound there and never listens: the kernel answers a connection with a
    reset, and no other process can bind the port meanwhile. A port that was merely
    free when chosen could be taken by another pytest-xdist worker's server, and a test
    expecting "connection refused" would then reach that server instead.
    """
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        yield held.getsockname()[1]


def listens(pid: int, port: int) -> bool:
    """Whether process ``pid`` holds the TCP socket listening on ``port`` (Linux ``/proc``).

    A port from :func:`free_port` is free when chosen, not when a server binds it: under
    pytest-xdist another test process may take it first, and a server that then fails
    to bind leaves the other one answering in its place.
    """
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:  # LISTEN
                inodes.add(f"socket:[{fields[9]}]")
    try:
        descriptors = list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False
    for descriptor in descriptors:
        try:
            if os.readlink(descriptor) in inodes:
                return True
        except OSError:
            continue
    return False


@contextmanager
def serving_handler(
    handler_class: type[http.server.BaseHTTPRequestHandler],
    tls: ssl.SSLContext | None = None,
    stopping: threading.Event | None = None,
) -> Iterator[str]:
    """A fake's handler served on a loopback port until the block ends; yields its URL.
    ``stopping`` is set first, for handlers that hold a connection open (a watch)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"{'https' if tls else 'http'}://127.0.0.1:{server.server_address[1]}"
    finally:
        if stopping is not None:
            stopping.set()
        server.shutdown()
        server.server_close()
