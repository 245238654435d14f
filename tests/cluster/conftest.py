"""Fixtures of the cluster tests; the fake API server itself is in fake_api.py."""

from fake_api import api_server, plain_api_server

__all__ = ["api_server", "plain_api_server"]
