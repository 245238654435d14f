"""Loopback ports for the tests: one that nothing listens on, for servers and refusals."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A loopback port nothing listens on (right now): bind a fresh server there, or
    connect to it to be refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
