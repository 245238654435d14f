"""What the API server refuses in Secrets and ConfigMaps beyond their schema (_api_rules)."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from chartsafe._api_rules import api_problems
from chartsafe._objects import K8sObject


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def secret(**fields: Any) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, **fields}


def config_map(**fields: Any) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, **fields}


TLS = "kubernetes.io/tls"

# (id, body, [(path, words in the message)])
CASES: list[tuple[str, dict[str, Any], list[tuple[str, str]]]] = [
    ("base64 data", secret(data={"a": b64("x"), "b": ""}), []),
    ("plain text in data", secret(data={"password": "hunter2!"}),
     [("data.password", "not base64")]),
    ("missing padding", secret(data={"a": "YWJ"}), [("data.a", "not base64")]),
    ("line breaks are ignored", secret(data={"a": "YWJj\nZA=="}), []),
    ("stringData is plain", secret(stringData={"password": "hunter2!"}), []),
    ("a key with a space", secret(stringData={"bad key": "x"}),
     [("stringData.bad key", "letters")]),
    ("a key starting with ..", secret(data={"..data": b64("x")}), [("data...data", "'..'")]),
    ("a key too long", secret(data={"k" * 254: ""}), [("data." + "k" * 254, "253")]),
    ("tls with both keys", secret(type=TLS, data={"tls.crt": "", "tls.key": ""}), []),
    ("tls keys from stringData", secret(type=TLS, stringData={"tls.crt": "", "tls.key": ""}), []),
    ("tls without its key", secret(type=TLS, data={"tls.crt": ""}),
     [("data", "needs key tls.key")]),
    ("basic-auth needs one of two", secret(type="kubernetes.io/basic-auth",
                                           stringData={"password": "p"}), []),
    ("basic-auth with neither", secret(type="kubernetes.io/basic-auth", stringData={"x": "p"}),
     [("data", "needs key username or password")]),
    ("dockerconfigjson that is not JSON",
     secret(type="kubernetes.io/dockerconfigjson", data={".dockerconfigjson": b64("{nope")}),
     [("data..dockerconfigjson", "must be JSON")]),
    ("dockerconfigjson that is JSON",
     secret(type="kubernetes.io/dockerconfigjson", stringData={".dockerconfigjson": "{}"}), []),
    ("token Secret without its account",
     secret(type="kubernetes.io/service-account-token"),
     [("metadata.annotations", "kubernetes.io/service-account.name")]),
    ("over 1 MiB", secret(stringData={"a": "x" * (1024 * 1024), "b": "y"}), [("", "1 MiB")]),
    ("not a string: the schema's finding", secret(data={"a": 12345}), []),
    ("ConfigMap data is plain", config_map(data={"a": "not base64!"}), []),
    ("ConfigMap binaryData must be base64", config_map(binaryData={"b": "%%"}),
     [("binaryData.b", "not base64")]),
    ("ConfigMap key in both maps", config_map(data={"a": "1"}, binaryData={"a": b64("1")}),
     [("binaryData.a", "in data too")]),
    ("another kind", {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "x"},
                      "data": {"a": "!"}}, []),
]  # fmt: skip


@pytest.mark.parametrize(("body", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_api_problems(body: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    obj = K8sObject(text="", body=body, source="t.yaml", release_namespace="ns")
    problems = api_problems(obj)
    assert [p.path for p in problems] == [path for path, _ in expected]
    for problem, (_, words) in zip(problems, expected, strict=True):
        assert words in problem.message
        assert "hunter2" not in str(problem)
