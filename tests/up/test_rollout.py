"""Rotation rollout: the digest annotation changes on exactly the readers of a rotated key.

Tracecat (values-minikube.yaml plus the demo values) with a store filled as ``up`` fills it;
``chartsafe secrets rotate`` of one key, then the digests again. The live path (a PATCH of the
annotation after Helm's upgrade) runs against the in-memory API of conftest.
"""

from __future__ import annotations

import copy
import dataclasses
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from up_helpers import DATA, MINIKUBE, REDIS, TRACECAT, FakeApi, Keys

from chartsafe._cluster import Cluster, ClusterAccessDenied, ClusterConfig
from chartsafe._cluster_write import apply_object
from chartsafe._render import RenderOptions
from chartsafe._rollout import (
    DIGEST_ANNOTATION,
    annotate_bodies,
    apply_rollout,
    pod_template,
    unpatched_notes,
    workload_digests,
)
from chartsafe._values import ValuesInput
from chartsafe.cli import main
from chartsafe.contract import contract_for_chart
from chartsafe.store.secret_init import fill_from_contract
from chartsafe.store.secret_store import SecretStore

ROTATIONS = yaml.safe_load((DATA / "tracecat-rotation.yaml").read_text())


def _contract() -> tuple[Any, Any]:
    values = ValuesInput(files=[MINIKUBE, DATA / "demo-values.yaml"])
    options = RenderOptions(release_name="tracecat", namespace="tracecat", validate=False)
    return contract_for_chart(TRACECAT, values, options)


@pytest.fixture(scope="module")
def tracecat() -> tuple[Any, Any]:
    return _contract()


def _filled_store(path: Path, keys: Keys, contract: Any) -> Path:
    store = SecretStore.create(path, recipients=keys.recipient)
    fill_from_contract(store, contract, overrides={"url": REDIS.split("=", 1)[1]})
    store.set("tracecat", "tracecat-postgres-credentials", "username", "demo-tracecat")
    store.save()
    return path


def _digests(store: Path, keys: Keys, contract: Any) -> dict[str, str]:
    opened = SecretStore.open(store, key_file=keys.key_file)
    return {d.ref: d.digest for d in workload_digests(contract, opened)}


@pytest.mark.parametrize("case", ROTATIONS, ids=[f"{c['secret']}/{c['key']}" for c in ROTATIONS])
def test_rotating_one_key_changes_the_digest_of_exactly_its_readers(
    tmp_path: Path,
    age_keys: Keys,
    tracecat: tuple[Any, Any],
    case: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
) -> None:
    contract, _ = tracecat
    store = _filled_store(tmp_path / "s.sops.yaml", age_keys, contract)
    before = _digests(store, age_keys, contract)
    code = main(
        [
            "secrets",
            "rotate",
            "-n",
            "tracecat",
            case["secret"],
            case["key"],
            "--store",
            str(store),
            "--age-key-file",
            str(age_keys.key_file),
        ]
    )
    assert code == 0, capsys.readouterr().err
    after = _digests(store, age_keys, contract)
    assert after.keys() == before.keys()
    changed = {ref for ref in before if before[ref] != after[ref]}
    assert changed == set(case["restarts"])


def test_digests_are_stable_and_keyed_by_the_store(
    tmp_path: Path, age_keys: Keys, tracecat: tuple[Any, Any]
) -> None:
    """Reopening gives the same digests; another store with the very same values gives other
    digests (an HMAC under each store's own data key, not a hash anyone can recompute)."""
    contract, _ = tracecat
    first = _filled_store(tmp_path / "a.sops.yaml", age_keys, contract)
    again = shutil.copy(first, tmp_path / "copy.sops.yaml")
    one = _digests(first, age_keys, contract)
    assert _digests(Path(again), age_keys, contract) == one
    opened = SecretStore.open(first, key_file=age_keys.key_file)
    other = SecretStore.create(tmp_path / "b.sops.yaml", recipients=age_keys.recipient)
    for info in opened.keys():  # noqa: SIM118 (a store method, not a dict)
        value = opened.get(info.namespace, info.secret, info.key)
        assert value is not None
        other.set(info.namespace, info.secret, info.key, value)
    other.save()
    two = _digests(tmp_path / "b.sops.yaml", age_keys, contract)
    assert one.keys() == two.keys()
    assert all(one[ref] != two[ref] for ref in one)
    values = set(_values(opened))
    assert not any(value in digest for digest in one.values() for value in values)


def _values(store: SecretStore) -> list[str]:
    found = []
    for info in store.keys():  # noqa: SIM118 (a store method, not a dict)
        value = store.get(info.namespace, info.secret, info.key)
        assert value is not None
        found.append(value)
    return found


def test_annotation_lands_on_the_readers_pod_templates_only(
    tmp_path: Path, age_keys: Keys, tracecat: tuple[Any, Any]
) -> None:
    contract, rendered = tracecat
    store = _filled_store(tmp_path / "s.sops.yaml", age_keys, contract)
    digests = workload_digests(contract, SecretStore.open(store, key_file=age_keys.key_file))
    bodies = [copy.deepcopy(o.body) for o in rendered.objects if o.hook is None]
    untouched = copy.deepcopy(bodies)
    done = annotate_bodies(bodies, digests, namespace="tracecat")
    assert sorted(done) == sorted(d.ref for d in digests)
    for body, before in zip(bodies, untouched, strict=True):
        ref = f"{body['kind']}/{body['metadata']['name']}"
        if ref in done:
            template = pod_template(body)
            assert template is not None
            assert template["metadata"]["annotations"][DIGEST_ANNOTATION] in {
                d.digest for d in digests if d.ref == ref
            }
            del template["metadata"]["annotations"][DIGEST_ANNOTATION]
        assert body == before or ref in done
    # The Ingress, Services and the ConfigMap carry no digest; the hooks are never passed in.
    assert not any(ref.startswith(("Service/", "Ingress/", "Job/")) for ref in done)


def _deployment(name: str, annotations: dict[str, str]) -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": "tracecat"},
        "spec": {"template": {"metadata": {"annotations": dict(annotations)}, "spec": {}}},
    }


def _path(name: str) -> str:
    return f"/apis/apps/v1/namespaces/tracecat/deployments/{name}"


def test_live_rollout_patches_only_workloads_whose_digest_changed(
    tmp_path: Path, age_keys: Keys, tracecat: tuple[Any, Any], fake_api: FakeApi
) -> None:
    contract, _ = tracecat
    store = _filled_store(tmp_path / "s.sops.yaml", age_keys, contract)
    digests = workload_digests(contract, SecretStore.open(store, key_file=age_keys.key_file))
    by_ref = {d.ref: d for d in digests}
    current = by_ref["Deployment/tracecat-ui"].digest
    fake_api.objects[_path("tracecat-api")] = _deployment("tracecat-api", {"keep": "me"})
    fake_api.objects[_path("tracecat-ui")] = _deployment(
        "tracecat-ui", {DIGEST_ANNOTATION: current}
    )
    cluster = Cluster(ClusterConfig(server=fake_api.url))

    changes = {c.workload.ref: c.action for c in apply_rollout(cluster, digests)}
    assert changes["Deployment/tracecat-api"] == "patched"
    assert changes["Deployment/tracecat-ui"] == "unchanged"
    assert changes["Deployment/tracecat-worker"] == "missing"
    patches = [r for r in fake_api.requests if r[0] == "PATCH"]
    assert [(p[1], p[3]) for p in patches] == [
        (_path("tracecat-api"), "application/strategic-merge-patch+json")
    ]
    assert "fieldManager=chartsafe" in patches[0][2]
    api = fake_api.objects[_path("tracecat-api")]["spec"]["template"]["metadata"]["annotations"]
    assert api == {"keep": "me", DIGEST_ANNOTATION: by_ref["Deployment/tracecat-api"].digest}

    fake_api.requests.clear()
    again = {c.workload.ref: c.action for c in apply_rollout(cluster, digests)}
    assert again["Deployment/tracecat-api"] == "unchanged"
    assert not [r for r in fake_api.requests if r[0] == "PATCH"]


def test_live_rollout_reports_rbac_denial(
    tmp_path: Path, age_keys: Keys, tracecat: tuple[Any, Any], fake_api: FakeApi
) -> None:
    contract, _ = tracecat
    store = _filled_store(tmp_path / "s.sops.yaml", age_keys, contract)
    digests = workload_digests(contract, SecretStore.open(store, key_file=age_keys.key_file))
    locked = [dataclasses.replace(d, namespace="locked") for d in digests[:1]]
    with pytest.raises(ClusterAccessDenied) as caught:
        apply_rollout(Cluster(ClusterConfig(server=fake_api.url)), locked)
    assert "forbidden" in str(caught.value)
    assert caught.value.namespace == "locked"


def test_delivered_objects_are_server_side_applied(fake_api: FakeApi) -> None:
    secret = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "db", "namespace": "tracecat"},
        "data": {"k": "dg=="},
    }
    apply_object(Cluster(ClusterConfig(server=fake_api.url)), secret)
    method, path, query, kind = fake_api.requests[-1]
    assert (method, path, kind) == (
        "PATCH",
        "/api/v1/namespaces/tracecat/secrets/db",
        "application/apply-patch+yaml",
    )
    assert "fieldManager=chartsafe" in query and "force=true" in query
    assert fake_api.objects[path] == secret


# (kind, API path of the workload): custom resources rolled by a JSON merge patch
CUSTOM_ROLLOUTS = [
    ("Rollout", "/apis/argoproj.io/v1alpha1/namespaces/apps/rollouts/w-rollout"),
    ("CloneSet", "/apis/apps.kruise.io/v1alpha1/namespaces/apps/clonesets/w-cloneset"),
    ("Service", "/apis/serving.knative.dev/v1/namespaces/apps/services/w-service"),
    ("Configuration",
     "/apis/serving.knative.dev/v1/namespaces/apps/configurations/w-configuration"),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "path"), CUSTOM_ROLLOUTS, ids=[c[0] for c in CUSTOM_ROLLOUTS])
def test_custom_workloads_get_the_digest_and_a_merge_patch(
    tmp_path: Path, age_keys: Keys, fake_api: FakeApi, kind: str, path: str
) -> None:
    """Their controllers roll on a pod template change like a Deployment's (a Knative
    Service or Configuration makes a new Revision); custom resources take a JSON merge patch
    (the API server refuses a strategic one, as the fake does). A core Service of the same
    kind, also rendered, has no pod and gets nothing."""
    chart = Path(__file__).resolve().parents[1] / "data" / "workloads"
    options = RenderOptions(release_name="w", namespace="apps", validate=False)
    contract, rendered = contract_for_chart(chart, {"custom": True}, options)
    store = SecretStore.create(tmp_path / "s.sops.yaml", recipients=age_keys.recipient)
    store.set("apps", "db", "password", "rotated-by-test")
    store.save()
    opened = SecretStore.open(tmp_path / "s.sops.yaml", key_file=age_keys.key_file)
    digests = workload_digests(contract, opened)
    refs = {d.ref for d in digests}
    assert {f"{kind}/w-{kind.lower()}", "Deployment/w-deployment"} <= refs
    assert not refs & {"Service/w-core", "Job/w-job", "ScaledJob/w-scaledjob"}

    bodies = [copy.deepcopy(o.body) for o in rendered.objects if o.kind == kind]
    assert annotate_bodies(bodies, digests, namespace="apps") == [f"{kind}/w-{kind.lower()}"]
    annotated = [b for b in bodies if pod_template(b)]
    assert DIGEST_ANNOTATION in annotated[0]["spec"]["template"]["metadata"]["annotations"]

    fake_api.objects[path] = {
        "kind": kind,
        "spec": {"template": {"metadata": {"annotations": {"keep": "me"}}}},
    }
    cluster = Cluster(ClusterConfig(server=fake_api.url))
    mine = [d for d in digests if d.kind == kind]
    assert [c.action for c in apply_rollout(cluster, mine)] == ["patched"]
    assert [(r[1], r[3]) for r in fake_api.requests if r[0] == "PATCH"] == [
        (path, "application/merge-patch+json")
    ]
    annotations = fake_api.objects[path]["spec"]["template"]["metadata"]["annotations"]
    assert annotations == {"keep": "me", DIGEST_ANNOTATION: mine[0].digest}


@pytest.mark.parametrize("kind", ["Service", "Configuration"])
def test_a_named_knative_revision_is_left_as_the_chart_names_it(
    tmp_path: Path, age_keys: Keys, fake_api: FakeApi, kind: str
) -> None:
    """Knative's webhook refuses a changed template under the same revision name: neither the
    bundle nor the live rollout adds the digest there; the live one says why."""
    chart = Path(__file__).resolve().parents[1] / "data" / "workloads"
    options = RenderOptions(release_name="w", namespace="apps", validate=False)
    values = {"custom": True, "revision": "v1"}
    contract, rendered = contract_for_chart(chart, values, options)
    store = SecretStore.create(tmp_path / "s.sops.yaml", recipients=age_keys.recipient)
    store.set("apps", "db", "password", "rotated-by-test")
    store.save()
    opened = SecretStore.open(tmp_path / "s.sops.yaml", key_file=age_keys.key_file)
    mine = [d for d in workload_digests(contract, opened) if d.kind == kind]
    assert len(mine) == 1

    bodies = [copy.deepcopy(o.body) for o in rendered.objects if o.kind == kind]
    assert annotate_bodies(bodies, mine, namespace="apps") == []
    assert [b for b in bodies if pod_template(b)] == [
        o.body for o in rendered.objects if o.kind == kind and pod_template(o.body)
    ]

    path = dict(CUSTOM_ROLLOUTS)[kind]
    fake_api.objects[path] = next(b for b in bodies if pod_template(b))
    changes = apply_rollout(Cluster(ClusterConfig(server=fake_api.url)), mine)
    assert [c.action for c in changes] == ["named-revision"]
    assert not [r for r in fake_api.requests if r[0] == "PATCH"]
    assert unpatched_notes(changes) == [
        f"not patched: {kind}/w-{kind.lower()} names its revision (spec.template.metadata."
        "name), which Knative keeps for one template: a changed Secret value rolls out with "
        "the chart's next revision name"
    ]
