"""What an ExternalSecret makes ESO write: one answer for the contract, the manifest source
and the ConfigMap checks (they disagreed while each had its own copy)."""

from __future__ import annotations

from typing import Any

import pytest

from chartsafe._eso_target import external_secret_target
from chartsafe._objects import K8sObject
from chartsafe.contract._creators import iter_created

_FETCHED = [{"secretKey": "user", "remoteRef": {"key": "db"}},
            {"secretKey": "pass", "remoteRef": {"key": "db"}}]  # fmt: skip


def _es(target: dict[str, Any] | None = None, **spec: Any) -> dict[str, Any]:
    body_spec: dict[str, Any] = {"data": _FETCHED, **spec}
    if target is not None:
        body_spec["target"] = target
    return {"apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret",
            "metadata": {"name": "es"}, "spec": body_spec}  # fmt: skip


_TEMPLATED = {"data": {"url": "postgres://{{ .user }}:{{ .pass }}@db"}}

# (id, body, (kind, name, sorted keys or None, creates))
CASES = [
    ("defaults: a Secret named after it, the fetched keys", _es(),
     ("Secret", "es", ["pass", "user"], True)),
    ("target.name", _es({"name": "db-creds"}), ("Secret", "db-creds", ["pass", "user"], True)),
    ("dataFrom: keys unknown offline", _es(dataFrom=[{"extract": {"key": "db"}}]),
     ("Secret", "es", None, True)),
    ("a template with data replaces the fetched keys", _es({"template": _TEMPLATED}),
     ("Secret", "es", ["url"], True)),
    ("mergePolicy Merge keeps both", _es({"template": {**_TEMPLATED, "mergePolicy": "Merge"}}),
     ("Secret", "es", ["pass", "url", "user"], True)),
    ("Merge over dataFrom: unknown", _es({"template": {**_TEMPLATED, "mergePolicy": "Merge"}},
                                          dataFrom=[{"extract": {"key": "db"}}]),
     ("Secret", "es", None, True)),
    ("a template with only a type keeps the fetched keys", _es({"template": {"type": "Opaque"}}),
     ("Secret", "es", ["pass", "user"], True)),
    ("templateFrom into data: unknown offline",
     _es({"template": {**_TEMPLATED, "templateFrom": [{"configMap": {"name": "t"}}]}}),
     ("Secret", "es", None, True)),
    ("templateFrom into labels leaves the data keys",
     _es({"template": {**_TEMPLATED, "templateFrom": [{"target": "Labels", "literal": "a: b"}]}}),
     ("Secret", "es", ["url"], True)),
    ("creationPolicy Merge writes into an existing Secret", _es({"creationPolicy": "Merge"}),
     ("Secret", "es", ["pass", "user"], False)),
    ("creationPolicy None", _es({"creationPolicy": "None"}),
     ("Secret", "es", ["pass", "user"], False)),
    ("CreateOrMerge creates when missing", _es({"creationPolicy": "CreateOrMerge"}),
     ("Secret", "es", ["pass", "user"], True)),
    ("target.manifest: a ConfigMap", _es({"name": "cfg", "manifest": {"apiVersion": "v1",
                                                                       "kind": "ConfigMap"}}),
     ("ConfigMap", "cfg", ["pass", "user"], True)),
    # shapes the schema refuses, read without a crash (manifests on disk are not validated)
    ("creationPolicy a list", _es({"creationPolicy": ["Merge"]}),
     ("Secret", "es", ["pass", "user"], True)),
    ("data not a list", _es(data=5), ("Secret", "es", [], True)),
    ("templateFrom not a list", _es({"template": {**_TEMPLATED, "templateFrom": True}}),
     ("Secret", "es", ["url"], True)),
]  # fmt: skip


@pytest.mark.parametrize(("body", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_target(body: dict[str, Any], expected: tuple[str, str, list[str] | None, bool]) -> None:
    target = external_secret_target(body)
    keys = sorted(target.keys) if target.keys is not None else None
    assert (target.kind, target.name, keys, target.creates) == expected


@pytest.mark.parametrize(
    ("target", "creates_secret"),
    [
        ({}, True),
        ({"creationPolicy": "Merge"}, False),
        ({"manifest": {"apiVersion": "v1", "kind": "ConfigMap"}}, False),
        ({"manifest": {"apiVersion": "v1", "kind": "Secret"}}, True),
    ],
    ids=["default", "merge into an existing one", "a ConfigMap", "an explicit Secret manifest"],
)
def test_the_contract_counts_only_secrets_it_creates(
    target: dict[str, Any], creates_secret: bool
) -> None:
    obj = K8sObject(text="", body=_es(target), source="t.yaml", release_namespace="rel")
    assert [c.name for c in iter_created([obj])] == (["es"] if creates_secret else [])
