"""The pod-spec walker finds every container of every workload kind, with what it reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from chartsafe import PodView, RenderOptions, iter_pods, pod_spec_of, render_chart

DATA = Path(__file__).resolve().parents[1] / "data"
CORE = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController",
        "Job", "CronJob", "Pod"]  # fmt: skip
# Argo Rollouts, OpenKruise, Knative Serving (Service and Configuration), KEDA
CUSTOM = ["Rollout", "CloneSet", "Service", "Configuration", "ScaledJob"]
KINDS = CORE + CUSTOM


@pytest.fixture(scope="module")
def pods() -> dict[str, PodView]:
    result = render_chart(DATA / "workloads", {"custom": True})
    assert result.ok, result.problems
    return {pod.owner.kind: pod for pod in iter_pods(result.objects)}


def test_every_workload_kind_is_walked(pods: dict[str, PodView]) -> None:
    assert sorted(pods) == sorted(KINDS)
    assert pods["Service"].owner.api_version == "serving.knative.dev/v1"  # not the core one


@pytest.mark.parametrize("kind", KINDS)
def test_containers_in_order_with_roles(pods: dict[str, PodView], kind: str) -> None:
    assert [(c.role, c.name) for c in pods[kind].containers] == [
        ("init", "init"),
        ("regular", "main"),
        ("regular", "sidecar"),
        ("ephemeral", "debug"),
    ]


@pytest.mark.parametrize("kind", KINDS)
def test_what_a_pod_reads(pods: dict[str, PodView], kind: str) -> None:
    pod = pods[kind]
    init, main = pod.containers[0], pod.containers[1]
    assert init.env_from == [{"secretRef": {"name": "init-env"}, "prefix": "INIT_"}]
    assert [e["name"] for e in main.env] == ["PLAIN", "DB_PASSWORD"]
    assert main.env[1]["valueFrom"]["secretKeyRef"] == {
        "name": "db",
        "key": "password",
        "optional": True,
    }
    assert main.volume_mounts == [{"name": "certs", "mountPath": "/certs", "readOnly": True}]
    assert pod.volume("certs") == {
        "name": "certs",
        "secret": {"secretName": "tls-certs", "items": [{"key": "tls.crt", "path": "cert.pem"}]},
    }
    assert pod.image_pull_secrets == ["registry-creds"]
    assert pod.service_account_name == "runner"
    assert pod.owner.name == f"w-{kind.lower()}"


def test_objects_without_pods_are_skipped() -> None:
    result = render_chart(DATA / "minimal")
    owners = [pod.owner.kind for pod in iter_pods(result.objects)]
    assert owners == ["Deployment"]
    service = next(o for o in result.objects if o.kind == "Service")
    assert pod_spec_of(service) is None


# (API group, kind, how many pod templates it carries in templates/multi.yaml)
MULTI = [("ray.io", "RayCluster", 3), ("kubeflow.org", "PyTorchJob", 2),
         ("batch.volcano.sh", "Job", 1)]  # fmt: skip


@pytest.mark.parametrize(("group", "kind", "templates"), MULTI, ids=[m[1] for m in MULTI])
def test_each_template_of_a_multi_template_object_is_a_pod(
    group: str, kind: str, templates: int
) -> None:
    """KubeRay's head and worker groups, Kubeflow's replica types, Volcano's tasks."""
    result = render_chart(DATA / "workloads", {"multi": True}, RenderOptions(validate=False))
    pods = [
        p for p in iter_pods(result.objects) if (p.owner.api_group, p.owner.kind) == (group, kind)
    ]
    assert len(pods) == templates
    for pod in pods:
        assert [c.name for c in pod.containers] == ["init", "main", "sidecar", "debug"]
        assert pod.containers[1].env[1]["valueFrom"]["secretKeyRef"]["name"] == "db"


def test_an_empty_pull_secret_name_is_none() -> None:
    """``- name: {{ .Values.pullSecret }}`` left unset: the API server takes it with a warning
    and the kubelet skips it, so no Secret named '' is required."""
    from chartsafe import K8sObject

    spec = {"imagePullSecrets": [{"name": ""}, {"name": "regcred"}, {}, {"name": " "}]}
    pod = PodView(K8sObject("", {"kind": "Pod", "spec": spec}, "p.yaml", "ns"), spec)
    assert pod.image_pull_secrets == ["regcred"]
