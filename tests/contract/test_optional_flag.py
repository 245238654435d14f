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


def _reading_pod(kind: str, optional: Any) -> K8sObject:
    """A pod reading ``kind`` (secret or configMap) 1, 2 and 3: a key, whole, a volume."""
    flag = {"optional": optional}
    name = "s" if kind == "secret" else "c"
    volume = {"secretName": f"{name}3"} if kind == "secret" else {"name": f"{name}3"}
    key_ref = {"name": f"{name}1", "key": "a", **flag}
    return _pod(
        env=[{"name": "A", "valueFrom": {f"{kind}KeyRef": key_ref}}],
        env_from=[{f"{kind}Ref": {"name": f"{name}2", **flag}}],
        volumes=[{"name": "v", kind: {**volume, **flag}}],
    )


@pytest.mark.parametrize(
    ("optional", "expected"),
    [(True, True), (False, False), ("false", False), ("true", False), (1, False), (None, False)],
)
def test_secret_reads(optional: Any, expected: bool) -> None:
    reads = list(iter_reads([_reading_pod("secret", optional)]))
    assert sorted(r.secret for r in reads) == ["s1", "s2", "s3"]
    assert {r.secret: r.reader.optional for r in reads} == {n: expected for n in ("s1", "s2", "s3")}


@pytest.mark.parametrize(
    ("optional", "expected"),
    [(True, True), (False, False), ("false", False), ("true", False), (1, False)],
)
def test_config_map_reads(optional: Any, expected: bool) -> None:
    needs = config_map_needs([_reading_pod("configMap", optional)])
    assert {n.name: n.optional for n in needs} == {n: expected for n in ("c1", "c2", "c3")}
