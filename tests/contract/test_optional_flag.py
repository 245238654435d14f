"""Only ``optional: true`` makes a read optional.

The API server refuses any other type there; with ``--no-validate`` (or a manifest on disk
read by ``audit --files``) a quoted ``"false"`` reached the contract and, read as Python
truth, made a required Secret optional: ``check`` then passed without it.
"""

from __future__ import annotations

from typing import Any

import pytest

from chartsafe._config_maps import config_map_needs
from chartsafe._objects import K8sObject
from chartsafe.contract._reads import iter_reads


def _pod(env: list[Any], volumes: list[Any], env_from: list[Any]) -> K8sObject:
    container = {"name": "app", "image": "app:1", "env": env, "envFrom": env_from}
    mounts = [{"name": v["name"], "mountPath": f"/m/{v['name']}"} for v in volumes]
    container["volumeMounts"] = mounts
    body = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p"},
        "spec": {"containers": [container], "volumes": volumes},
    }
    return K8sObject(text="", body=body, source="t/p.yaml", release_namespace="ns")


def _secret_pod(optional: Any) -> K8sObject:
    flag = {"optional": optional}
    return _pod(
        env=[{"name": "A", "valueFrom": {"secretKeyRef": {"name": "s1", "key": "a", **flag}}}],
        env_from=[{"secretRef": {"name": "s2", **flag}}],
        volumes=[{"name": "v", "secret": {"secretName": "s3", **flag}}],
    )


def _config_map_pod(optional: Any) -> K8sObject:
    flag = {"optional": optional}
    return _pod(
        env=[{"name": "A", "valueFrom": {"configMapKeyRef": {"name": "c1", "key": "a", **flag}}}],
        env_from=[{"configMapRef": {"name": "c2", **flag}}],
        volumes=[{"name": "v", "configMap": {"name": "c3", **flag}}],
    )


@pytest.mark.parametrize(
    ("optional", "expected"),
    [(True, True), (False, False), ("false", False), ("true", False), (1, False), (None, False)],
)
def test_secret_reads(optional: Any, expected: bool) -> None:
    reads = list(iter_reads([_secret_pod(optional)]))
    assert sorted(r.secret for r in reads) == ["s1", "s2", "s3"]
    assert {r.secret: r.reader.optional for r in reads} == {n: expected for n in ("s1", "s2", "s3")}


@pytest.mark.parametrize(
    ("optional", "expected"),
    [(True, True), (False, False), ("false", False), ("true", False), (1, False)],
)
def test_config_map_reads(optional: Any, expected: bool) -> None:
    needs = config_map_needs([_config_map_pod(optional)])
    assert {n.name: n.optional for n in needs} == {n: expected for n in ("c1", "c2", "c3")}
