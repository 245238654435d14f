"""ConfigMaps a release reads and does not create are checked with its Secrets: a pod naming a
ConfigMap (or a key) that is not there never starts."""

from __future__ import annotations

import copy
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from check_helpers import run

from chartsafe._config_maps import config_map_needs
from chartsafe._objects import HookInfo, K8sObject, _hook_info
from chartsafe.check._config_map_checks import release_config_map_checks

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


def _mount(volume: str, sub_path: str | None) -> dict[str, Any]:
    """A container mounting ``volume`` (its ``subPath`` when given)."""
    mount = {"name": volume, "mountPath": f"/etc/{volume}/{sub_path or ''}"}
    return {"volumeMounts": [{**mount, "subPath": sub_path} if sub_path else mount]}


OWN = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "own"}, "data": {"a": "1"}}


def _eso_map(**spec: Any) -> dict[str, Any]:
    """An ExternalSecret that makes ESO write the ConfigMap "own" (target.manifest, ESO 1.0)."""
    target = {"name": "own", "manifest": {"apiVersion": "v1", "kind": "ConfigMap"}}
    return {"apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret",
            "metadata": {"name": "es"}, "spec": {"target": target, **spec}}  # fmt: skip


ESO_OWN = _eso_map(data=[{"secretKey": "a", "remoteRef": {"key": "k"}}])

# (id, bodies, [(namespace, name, sorted keys, optional)])
NEEDS = [
    ("env key", [_pod([_key_ref("cfg", "LEVEL")])], [("rel", "cfg", ["LEVEL"], False)]),
    ("envFrom: the whole map", [_pod([{"envFrom": [{"configMapRef": {"name": "cfg"}}]}])],
     [("rel", "cfg", [], False)]),
    ("volume items", [_pod([], [{"name": "v", "configMap": {"name": "cfg", "items": [
        {"key": "a.yaml", "path": "a"}, {"key": "b.yaml", "path": "b"}]}}])],
     [("rel", "cfg", ["a.yaml", "b.yaml"], False)]),
    ("a subPath mount of the whole map reads one key",
     [_pod([_mount("v", "nginx.conf")], [{"name": "v", "configMap": {"name": "cfg"}}])],
     [("rel", "cfg", ["nginx.conf"], False)]),
    ("a subPath beside a whole mount", [_pod([_mount("v", "nginx.conf"), _mount("v", None)],
                                             [{"name": "v", "configMap": {"name": "cfg"}}])],
     [("rel", "cfg", ["nginx.conf"], False)]),
    ("a subPath into a directory is no key",
     [_pod([_mount("v", "conf.d/x")], [{"name": "v", "configMap": {"name": "cfg"}}])],
     [("rel", "cfg", [], False)]),
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
    ("written by the release's ExternalSecret", [ESO_OWN, _pod([_key_ref("own", "a")])], []),
    ("an ExternalSecret that merges into it does not make it",
     [{**ESO_OWN, "spec": {**ESO_OWN["spec"], "target": {**ESO_OWN["spec"]["target"],
                                                          "creationPolicy": "Merge"}}},
      _pod([_key_ref("own", "a")])], [("rel", "own", ["a"], False)]),
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


def _hooked(body: dict[str, Any], events: str, weight: int) -> dict[str, Any]:
    annotations = {"helm.sh/hook": events, "helm.sh/hook-weight": str(weight)}
    return {**body, "metadata": {**body["metadata"], "annotations": annotations}}


def _renamed(body: dict[str, Any], name: str, reads: str | None = None) -> dict[str, Any]:
    """``body`` named ``name``; a Job reading ConfigMap ``reads`` when given."""
    out = copy.deepcopy(body)
    out["metadata"]["name"] = name
    if reads is not None:
        out["spec"]["template"]["spec"]["containers"][0]["envFrom"][0]["configMapRef"]["name"] = (
            reads
        )
    return out


def _deleted(body: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(body)
    out["metadata"]["annotations"]["helm.sh/hook-delete-policy"] = "hook-succeeded"
    return out


JOB = {
    "apiVersion": "batch/v1",
    "kind": "Job",
    "metadata": {"name": "migrate"},
    "spec": {
        "template": {
            "spec": {
                "containers": [
                    {"name": "m", "image": "x:1", "envFrom": [{"configMapRef": {"name": "own"}}]}
                ]
            }
        }
    },
}
READS_A = _pod([_key_ref("own", "a")])
KEYED = _pod([_key_ref("own", "a"), _key_ref("own", "b")])

# (id, bodies, [(name, status, missing keys)])
RELEASE_GAPS = [
    ("a key its own map lacks", [OWN, KEYED], [("own", "found", ["b"])]),
    ("pre-install hook reads a regular map", [OWN, _hooked(JOB, "pre-install", 0)],
     [("own", "late", [])]),
    ("pre-upgrade only: the map is there from the install", [OWN, _hooked(JOB, "pre-upgrade", 0)],
     []),
    ("the map a hook of lower weight", [_hooked(OWN, "pre-install", -5),
                                         _hooked(JOB, "pre-install", 0)], []),
    ("the same weight: the name decides, not the kind", [_hooked(OWN, "pre-install", 0),
                                                         _hooked(JOB, "pre-install", 0)],
     [("own", "late", [])]),
    ("the same weight, the map's name first", [_hooked(_renamed(OWN, "cfg"), "pre-install", 0),
                                               _hooked(_renamed(JOB, "job", "cfg"),
                                                       "pre-install", 0)], []),
    ("the same name: ConfigMaps come before Jobs", [_hooked(OWN, "pre-install", 0),
                                                    _hooked(_renamed(JOB, "own", "own"),
                                                            "pre-install", 0)], []),
    ("a regular pod reads a post-install hook's map", [_hooked(OWN, "post-install", 0), READS_A],
     [("own", "late", [])]),
    ("a regular pod reads a pre-install hook's map", [_hooked(OWN, "pre-install", 0), READS_A],
     []),
    ("deleted once its hooks succeeded", [_deleted(_hooked(OWN, "pre-install", 0)), READS_A],
     [("own", "late", [])]),
    ("deleted on success, read by a later hook of its event",
     [_deleted(_hooked(OWN, "pre-install", -1)), _hooked(JOB, "pre-install", 0)], []),
    ("the map a hook of higher weight", [_hooked(OWN, "pre-install", 5),
                                         _hooked(JOB, "pre-install", 0)], [("own", "late", [])]),
    ("the map a hook of another event", [_hooked(OWN, "post-install", -5),
                                         _hooked(JOB, "pre-install", 0)], [("own", "late", [])]),
    ("post-install hooks run after the resources", [OWN, _hooked(JOB, "post-install", 0)], []),
    ("an optional read", [OWN, _hooked(_pod([_key_ref("own", "zz", optional=True)]),
                                       "pre-install", 0)], []),
    ("every key there", [OWN, _pod([_key_ref("own", "a")])], []),
    ("a subPath mount of a key it lacks", [OWN, _pod([_mount("v", "b.conf")], [
        {"name": "v", "configMap": {"name": "own"}}])], [("own", "found", ["b.conf"])]),
    ("a key its ExternalSecret does not fetch", [ESO_OWN, KEYED], [("own", "found", ["b"])]),
    ("an ExternalSecret's keys from dataFrom are not known offline",
     [_eso_map(dataFrom=[{"extract": {"key": "k"}}]), KEYED], []),
    ("pre-install hook reads what an ExternalSecret writes", [ESO_OWN, _hooked(JOB, "pre-install",
                                                                               0)],
     [("own", "late", [])]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("bodies", "expected"), [c[1:] for c in RELEASE_GAPS], ids=[c[0] for c in RELEASE_GAPS]
)
def test_release_gaps(
    bodies: list[dict[str, Any]], expected: list[tuple[str, str, list[str]]]
) -> None:
    gaps = release_config_map_checks([_object(b) for b in bodies])
    assert [(g.name, g.status, g.missing_keys) for g in gaps] == expected
    assert all(not g.ok and g.fix for g in gaps)


def _object(body: dict[str, Any]) -> K8sObject:
    """As the renderer makes it: with its hook annotations read."""
    hook = _hook_info(body["metadata"].get("annotations", {}))
    assert hook is not False  # an object Helm skips: not what these cases build
    return K8sObject(
        text="",
        body=body,
        source="t.yaml",
        release_namespace="rel",
        hook=hook if isinstance(hook, HookInfo) else None,
    )


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
    code, out, err = run(capsys, "check", "r", READER, "-n", "closed", "--against", "cluster",
                         "--kubeconfig", kubeconfig)  # fmt: skip
    assert code == 0, err
    assert "ok  ConfigMap closed/app-config (not created by the release): not checked" in out
    assert "note: RBAC denies list and get configmaps in namespace closed: not checked" in out


def test_config_maps_read_by_name_where_rbac_denies_list(
    api_server: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """As Secrets: each ConfigMap the release reads is read by name (app-config is there,
    tuning is not), and the report says how they were read."""
    kubeconfig = str(_fake.write_kubeconfig(tmp_path / "kubeconfig", api_server.url))
    code, out, err = run(capsys, "check", "r", READER, "-n", "locked", "--against", "cluster",
                         "--kubeconfig", kubeconfig, "-o", "json")  # fmt: skip
    report = json.loads(out)
    found = {c["name"]: (c["status"], c["origin"]) for c in report["configMaps"]}
    assert found["app-config"] == ("found", "cluster")
    assert found["tuning"][0] == "missing"
    assert code == 1, err
    assert (
        "RBAC denies list configmaps in namespace locked: read by name the ones the release "
        "needs there (app-config, tuning)"
    ) in report["warnings"]
    assert [p for p in api_server.reads if "/configmaps" in p] == [
        "/api/v1/namespaces/locked/configmaps",
        "/api/v1/namespaces/locked/configmaps/app-config",
        "/api/v1/namespaces/locked/configmaps/tuning",
    ]


def test_a_hook_that_reads_the_releases_map_too_early_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _config_map(tmp_path, "app-config", ["LOG_LEVEL", "settings.yaml", "features.yaml"])
    code, out, _ = run(capsys, *CHECK, "--set", "hookJob=true", "--against", str(tmp_path))
    assert code == 1
    lines = out.splitlines()
    assert (
        "GAP ConfigMap tracecat/r-own: created by the release "
        "(configmap-reader/templates/configmap.yaml) only after a hook that reads it"
    ) in lines
    assert (
        "      note: pre-install hook Job/r-migrate (weight 5) reads it, and it is created only "
        "after the hook has run"
    ) in lines
    assert (
        "    fix: make it a pre-install hook with a weight below 5 (helm.sh/hook, "
        "helm.sh/hook-weight), or create it before install"
    ) in lines


def test_a_source_that_lists_no_config_maps_leaves_them_unverified() -> None:
    from chartsafe import RenderOptions
    from chartsafe.check import Fixes, check_contract
    from chartsafe.contract import contract_for_chart

    class SecretsOnly:  # a source written before ConfigMaps were checked
        description = "secrets only"

        def find(self, namespaces: object, *, names: object = ()) -> dict[tuple[str, str], Any]:
            return {}

    options = RenderOptions(release_name="r", namespace="apps", validate=False)
    contract, result = contract_for_chart(READER, None, options)
    report = check_contract(contract, SecretsOnly(), fixes=Fixes("r", READER, "apps", "x"),  # type: ignore[arg-type]
                            objects=result.objects)  # fmt: skip
    assert {c.name: c.status for c in report.config_maps} == {
        "app-config": "unverified",
        "tuning": "unverified",
    }
    assert report.ok


@pytest.mark.parametrize(
    ("spec", "code", "missing", "note"),
    [
        ({"dataFrom": [{"extract": {"key": "app"}}]}, 0, [], "its keys are known once ESO"),
        ({"data": [{"secretKey": "LOG_LEVEL", "remoteRef": {"key": "app"}}]}, 1,
         ["features.yaml", "settings.yaml"], ""),
    ],
    ids=["keys unknown offline", "keys it fetches"],
)  # fmt: skip
def test_an_external_secret_in_the_manifests_writes_the_config_map(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    spec: dict[str, Any],
    code: int,
    missing: list[str],
    note: str,
) -> None:
    body = _eso_map(**spec)
    body["metadata"]["namespace"] = "tracecat"
    body["spec"]["target"]["name"] = "app-config"
    (tmp_path / "es.yaml").write_text(yaml.safe_dump(body))
    got, out, err = run(capsys, *CHECK, "--against", str(tmp_path), "-o", "json")
    assert got == code, err
    report = json.loads(out)
    (app,) = [c for c in report["configMaps"] if c["name"] == "app-config"]
    assert (app["status"], app["missingKeys"]) == ("found", missing)
    assert note in (app.get("note") or "")
    assert not [s for s in report.get("secrets", []) if s.get("name") == "app-config"]
