"""ConfigMaps a release reads and does not create are checked with its Secrets: a pod naming a
ConfigMap (or a key) that is not there never starts."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from check_helpers import run

from chartsafe._objects import K8sObject
from chartsafe.check._config_maps import config_map_needs

REPO = Path(__file__).resolve().parents[2]
READER = str(REPO / "tests" / "data" / "check" / "configmap-reader")
FRACTAL = REPO / "charts" / "fractal-lba"


def _pod(containers: list[dict[str, Any]], volumes: list[dict[str, Any]] | None = None,
         namespace: str | None = None) -> dict[str, Any]:  # fmt: skip
    meta: dict[str, Any] = {"name": "w"}
    if namespace:
        meta["namespace"] = namespace
    spec = {"containers": [{"name": "c", "image": "x:1", **c} for c in containers]}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta,
            "spec": {**spec, "volumes": volumes or []}}  # fmt: skip


def _key_ref(name: str, key: str, **extra: Any) -> dict[str, Any]:
    return {"env": [{"name": "E", "valueFrom": {"configMapKeyRef": {"name": name, "key": key,
                                                                   **extra}}}]}  # fmt: skip


OWN = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "own"}, "data": {"a": "1"}}

# (id, bodies, [(namespace, name, sorted keys, optional)])
NEEDS = [
    ("env key", [_pod([_key_ref("cfg", "LEVEL")])], [("rel", "cfg", ["LEVEL"], False)]),
    ("envFrom: the whole map", [_pod([{"envFrom": [{"configMapRef": {"name": "cfg"}}]}])],
     [("rel", "cfg", [], False)]),
    ("volume items", [_pod([], [{"name": "v", "configMap": {"name": "cfg", "items": [
        {"key": "a.yaml", "path": "a"}, {"key": "b.yaml", "path": "b"}]}}])],
     [("rel", "cfg", ["a.yaml", "b.yaml"], False)]),
    ("projected source", [_pod([], [{"name": "v", "projected": {"sources": [
        {"configMap": {"name": "cfg", "items": [{"key": "k", "path": "k"}]}}]}}])],
     [("rel", "cfg", ["k"], False)]),
    ("optional reads never require", [_pod([_key_ref("cfg", "K", optional=True),
                                            {"envFrom": [{"configMapRef": {"name": "cfg",
                                                                           "optional": True}}]}])],
     [("rel", "cfg", [], True)]),
    ("one required read makes it required", [_pod([_key_ref("cfg", "A", optional=True),
                                                   _key_ref("cfg", "B")])],
     [("rel", "cfg", ["B"], False)]),
    ("rendered by the release", [OWN, _pod([_key_ref("own", "a")])], []),
    ("rendered in another namespace does not count",
     [OWN, _pod([_key_ref("own", "a")], namespace="other")], [("other", "own", ["a"], False)]),
    ("kube-root-ca.crt is in every namespace", [_pod([], [{"name": "t", "projected": {"sources": [
        {"configMap": {"name": "kube-root-ca.crt"}}]}}])], []),
    ("a Secret reference is not a ConfigMap one",
     [_pod([{"envFrom": [{"secretRef": {"name": "s"}}]}])], []),
]  # fmt: skip


@pytest.mark.parametrize(("bodies", "expected"), [c[1:] for c in NEEDS], ids=[c[0] for c in NEEDS])
def test_needs(
    bodies: list[dict[str, Any]], expected: list[tuple[str, str, list[str], bool]]
) -> None:
    objects = [K8sObject(text="", body=b, source="t.yaml", release_namespace="rel") for b in bodies]
    found = [(n.namespace, n.name, sorted(n.keys), n.optional) for n in config_map_needs(objects)]
    assert found == expected


def _config_map(path: Path, name: str, keys: list[str], namespace: str = "tracecat") -> Path:
    body = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": namespace},
        "data": dict.fromkeys(keys, "x"),
    }
    path.mkdir(parents=True, exist_ok=True)
    (path / f"{name}.yaml").write_text(yaml.safe_dump(body))
    return path


CHECK = ["check", "r", READER, "-n", "tracecat"]


def test_a_missing_config_map_fails_with_its_readers_and_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, *CHECK, "--against", str(tmp_path))
    assert code == 1, err
    lines = out.splitlines()
    assert "GAP ConfigMap tracecat/app-config (not created by the release): MISSING" in lines
    assert "      read by Deployment/r-reader container reader env LOG_LEVEL" in lines
    assert "      read by Deployment/r-reader volume settings" in lines
    assert (
        "    fix: kubectl create configmap app-config -n tracecat --from-literal=LOG_LEVEL=VALUE "
        "--from-literal=features.yaml=VALUE --from-literal=settings.yaml=VALUE"
    ) in lines
    assert "ok  ConfigMap tracecat/tuning (not created by the release): missing (optional: " \
           "not needed)" in lines  # fmt: skip
    assert not any("r-own" in line or "kube-root-ca" in line for line in lines)
    assert lines[-1] == "contract not met: 3 gaps for release r against " + str(tmp_path)


def test_a_missing_key_fails_and_a_complete_map_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _config_map(tmp_path, "app-config", ["LOG_LEVEL", "settings.yaml"])
    code, out, _ = run(capsys, *CHECK, "--against", str(tmp_path), "-o", "json")
    assert code == 1
    (app,) = [c for c in json.loads(out)["configMaps"] if c["name"] == "app-config"]
    assert app["status"] == "found" and app["missingKeys"] == ["features.yaml"]
    assert app["fix"] == "add key(s) features.yaml: kubectl edit configmap -n tracecat app-config"
    _config_map(tmp_path, "app-config", ["LOG_LEVEL", "settings.yaml", "features.yaml"])
    code, out, _ = run(capsys, *CHECK, "--against", str(tmp_path))
    assert code == 0
    assert out.splitlines()[-1].startswith("contract met: 0 required Secrets and 2 ConfigMaps")


def test_fractal_lba_existing_config_map_is_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["check", "pcs", str(FRACTAL), "-n", "fl", "-f", str(FRACTAL / "values-ed25519.yaml"),
            "--set", "signing.ed25519.existingConfigMap=pcs-ed25519-config"]  # fmt: skip
    code, out, _ = run(capsys, *args, "--against", str(tmp_path))
    assert code == 1 and "GAP ConfigMap fl/pcs-ed25519-config" in out
    _config_map(tmp_path, "pcs-ed25519-config", ["PCS_ED25519_PUB_B64"], namespace="fl")
    code, out, _ = run(capsys, *args, "--against", str(tmp_path))
    assert code == 0 and "ok  ConfigMap fl/pcs-ed25519-config" in out


def test_the_install_gate_stops_on_a_missing_config_map(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "install", "r", READER, "-n", "tracecat", "--dry-run", "client",
                         "--storage", "memory", "--check-against", str(tmp_path))  # fmt: skip
    assert code == 1 and out == ""
    assert "GAP ConfigMap tracecat/app-config" in err


def _cluster_fake() -> Any:
    path = REPO / "tests" / "cluster" / "fake_api.py"
    spec = importlib.util.spec_from_file_location("cluster_fake_api", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


_fake = _cluster_fake()
api_server = _fake.api_server  # the fixture, used by name


def test_the_cluster_is_listed_once_and_rbac_leaves_it_unverified(
    api_server: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kubeconfig = str(_fake.write_kubeconfig(tmp_path / "kubeconfig", api_server.url))
    code, out, err = run(capsys, *CHECK, "--against", "cluster", "--kubeconfig", kubeconfig,
                         "-o", "json")  # fmt: skip
    assert code == 1, err
    (app,) = [c for c in json.loads(out)["configMaps"] if c["name"] == "app-config"]
    assert (app["status"], app["origin"], app["missingKeys"]) == (
        "found",
        "cluster",
        ["features.yaml"],
    )
    listed = [path for path, _ in api_server.requests if path.endswith("/configmaps")]
    assert listed == ["/api/v1/namespaces/tracecat/configmaps"]
    code, out, err = run(capsys, "check", "r", READER, "-n", "locked", "--against", "cluster",
                         "--kubeconfig", kubeconfig)  # fmt: skip
    assert code == 0, err
    assert "ok  ConfigMap locked/app-config (not created by the release): not checked" in out
    assert "note: RBAC denies list configmaps in namespace locked: not checked" in out
