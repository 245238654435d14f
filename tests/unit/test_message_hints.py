"""The hint chosen for an SDK error reads the words of the message, not those of a URL or
``HOST:PORT`` it quotes: a repository on port 40323 is not refusing credentials (a 401), which
once sent the user to ``helm repo add`` for a 404 (seen in CI, on a random port)."""

from __future__ import annotations

import pytest

from chartsafe._dependencies import fetch_hint
from chartsafe._helm_messages import outside_locations
from chartsafe._helm_oci import _diagnose
from chartsafe._helm_repo import pull_hint

REPOSITORY = [
    ("a 404 from a port holding 401",
     'looks like "http://127.0.0.1:40123/charts/nothing" is not a valid chart repository or '
     "cannot be reached: failed to fetch http://127.0.0.1:40123/charts/nothing/index.yaml : "
     "404 File not found", "URL/index.yaml"),
    ("no such chart, a port holding 403",
     'chart "nope" not found in http://127.0.0.1:40323/charts repository',
     "check the chart's name"),
    ("a real 401", "failed to fetch http://127.0.0.1:8080/index.yaml : 401 Unauthorized",
     "helm repo add"),
    ("a path that says forbidden",
     "looks like \"https://charts.example.com/forbidden\" is not a valid chart repository",
     "URL/index.yaml"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "says"), [r[1:] for r in REPOSITORY],
                         ids=[r[0] for r in REPOSITORY])  # fmt: skip
def test_repository_hint(text: str, says: str) -> None:
    hint = pull_hint(text)
    assert hint is not None and says in hint


REGISTRY = [
    ("not found, a port holding 401",
     'failed to perform "FetchReference" on source: 127.0.0.1:40123/charts/app:9.9.9: not found',
     "no such chart or version"),
    ("a real 401 from a port holding 403",
     'GET "http://127.0.0.1:40399/v2/charts/app/tags/list": response status code 401: '
     "unauthorized: authentication required", "credentials refused"),
    ("connection refused",
     "dial tcp 127.0.0.1:5000: connect: connection refused", "registry not reachable"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "says"), [r[1:] for r in REGISTRY],
                         ids=[r[0] for r in REGISTRY])  # fmt: skip
def test_registry_diagnosis(text: str, says: str) -> None:
    assert says in _diagnose("oci://127.0.0.1:40123/charts/app", RuntimeError(text)).message


def test_dependency_fetch_hint_is_not_a_login_for_a_port_holding_401() -> None:
    text = "failed to fetch http://127.0.0.1:40123/charts/index.yaml : 404 Not Found"
    assert "registry login" not in fetch_hint(text)
    assert "registry login" in fetch_hint('GET "http://h:1/v2/": unauthorized')


@pytest.mark.parametrize(
    ("text", "left"),
    [("http://127.0.0.1:40123/x : 404", "<location> : 404"),
     ("127.0.0.1:40123/charts/app:1.0.0: not found", "<location>:1.0.0: not found"),
     ("oci://registry.example.com/charts/forbidden: denied", "<location> denied")],
)  # fmt: skip
def test_outside_locations(text: str, left: str) -> None:
    assert outside_locations(text) == left
