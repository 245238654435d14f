"""agentapi-proxy: one case per row of the seed's parameter tables (seed 004, "Parameters").

Each case sets one parameter and checks its documented effect on the rendered objects.
Application configuration, S3, role env files and the seed's examples are in
test_agentapi_config.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from chart_render import Rendered, render

CHART = "agentapi-proxy"
FULLNAME = "test-agentapi-proxy"  # release "test" (conftest default) + chart name

Getter = Callable[[Rendered], Any]


def workload(r: Rendered) -> dict[str, Any]:
    """The proxy's StatefulSet (persistence on) or Deployment (off)."""
    found = r.all("StatefulSet") + r.all("Deployment")
    assert len(found) == 1, [o["kind"] for o in found]
    return found[0]


def pod(r: Rendered) -> dict[str, Any]:
    return workload(r)["spec"]["template"]


def container(r: Rendered) -> dict[str, Any]:
    (c,) = pod(r)["spec"]["containers"]
    return c


def port(svc: dict[str, Any], name: str) -> dict[str, Any]:
    (p,) = [p for p in svc["spec"]["ports"] if p["name"] == name]
    return p


def test_defaults_match_the_seed_tables() -> None:
    r = render(CHART)
    sts = r.get("StatefulSet", FULLNAME)
    assert sts["spec"]["replicas"] == 1
    c = container(r)
    assert c["image"] == "ghcr.io/takutakahashi/agentapi-proxy:0.18.0"
    assert c["imagePullPolicy"] == "IfNotPresent"
    assert c["resources"] == {
        "requests": {"memory": "512Mi", "cpu": "500m"},
        "limits": {"memory": "2Gi", "cpu": "2000m"},
    }
    assert "securityContext" not in c
    assert "securityContext" not in pod(r)["spec"]
    svc = r.get("Service", FULLNAME)
    assert svc["spec"]["type"] == "ClusterIP"
    assert port(svc, "http")["port"] == 8080
    assert port(svc, "agentapi-base")["port"] == 9000
    assert r.all("Ingress") == []
    (vct,) = sts["spec"]["volumeClaimTemplates"]
    assert vct["spec"]["storageClassName"] == "standard"
    assert vct["spec"]["accessModes"] == ["ReadWriteOnce"]
    assert vct["spec"]["resources"]["requests"]["storage"] == "10Gi"
    sa = r.get("ServiceAccount", FULLNAME)
    assert sa["automountServiceAccountToken"] is True
    assert "annotations" not in sa["metadata"]
    assert pod(r)["spec"]["serviceAccountName"] == FULLNAME
    for key in ("nodeSelector", "tolerations", "affinity"):
        assert key not in pod(r)["spec"]


def _vct(r: Rendered) -> dict[str, Any]:
    (vct,) = workload(r)["spec"]["volumeClaimTemplates"]
    spec: dict[str, Any] = vct["spec"]
    return spec


def _names(r: Rendered) -> tuple[str, list[str], list[str]]:
    return workload(r)["metadata"]["name"], r.names("Service"), r.names("ConfigMap")


def _ingress(r: Rendered) -> dict[str, Any]:
    return r.get("Ingress", FULLNAME)


def _svc_port(name: str) -> Getter:
    return lambda r: port(r.get("Service", FULLNAME), name)


def _pod_labels(r: Rendered) -> tuple[str, bool]:
    # extra pod labels never reach the selector, which is immutable
    selector = workload(r)["spec"]["selector"]["matchLabels"]
    return pod(r)["metadata"]["labels"]["team"], "team" in selector


def _persistence_off(r: Rendered) -> dict[str, Any]:
    return {
        "kinds": sorted({o["kind"] for o in r.all("StatefulSet") + r.all("Deployment")}),
        "mounts": container(r).get("volumeMounts"),
        "volumes": pod(r)["spec"].get("volumes"),
        "services": r.names("Service"),
    }


def _service_account(r: Rendered) -> tuple[list[str], str]:
    return r.names("ServiceAccount"), pod(r)["spec"]["serviceAccountName"]


def _automount(r: Rendered) -> tuple[bool, bool]:
    return (
        r.get("ServiceAccount", FULLNAME)["automountServiceAccountToken"],
        pod(r)["spec"]["automountServiceAccountToken"],
    )


TOLERATION = {"key": "agents", "operator": "Exists", "effect": "NoSchedule"}
AFFINITY = {
    "nodeAffinity": {
        "requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": [
                {"matchExpressions": [{"key": "pool", "operator": "In", "values": ["ai"]}]}
            ]
        }
    }
}
ARN = "arn:aws:iam::123456789012:role/agentapi-s3-role"
ING = "ingress.enabled=true"

# (parameter, --set, --set-json, what to look at, what it must be)
ROWS: list[tuple[str, list[str], list[str], Getter, Any]] = [
    (
        "nameOverride",
        ["nameOverride=proxy"],
        [],
        _names,
        ("test-proxy", ["test-proxy", "test-proxy-headless"], ["test-proxy-config"]),
    ),
    (
        "fullnameOverride",
        ["fullnameOverride=ap"],
        [],
        _names,
        ("ap", ["ap", "ap-headless"], ["ap-config"]),
    ),
    (
        "image.repository",
        ["image.repository=registry.local/agentapi-proxy"],
        [],
        lambda r: container(r)["image"],
        "registry.local/agentapi-proxy:0.18.0",
    ),
    (
        "image.tag",
        ["image.tag=1.23.0"],
        [],
        lambda r: container(r)["image"],
        "ghcr.io/takutakahashi/agentapi-proxy:1.23.0",
    ),
    (
        "image.pullPolicy",
        ["image.pullPolicy=Always"],
        [],
        lambda r: container(r)["imagePullPolicy"],
        "Always",
    ),
    ("replicaCount", ["replicaCount=3"], [], lambda r: workload(r)["spec"]["replicas"], 3),
    (
        "podAnnotations",
        [],
        ['podAnnotations={"prometheus.io/scrape":"true"}'],
        lambda r: pod(r)["metadata"]["annotations"]["prometheus.io/scrape"],
        "true",
    ),
    ("podLabels", ["podLabels.team=agents"], [], _pod_labels, ("agents", False)),
    (
        "podSecurityContext",
        [],
        ['podSecurityContext={"runAsUser":999,"runAsGroup":999,"fsGroup":999}'],
        lambda r: pod(r)["spec"]["securityContext"],
        {"runAsUser": 999, "runAsGroup": 999, "fsGroup": 999},
    ),
    (
        "securityContext",
        [],
        ['securityContext={"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]}}'],
        lambda r: container(r)["securityContext"],
        {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}},
    ),
    (
        "service.type",
        ["service.type=LoadBalancer"],
        [],
        lambda r: r.get("Service", FULLNAME)["spec"]["type"],
        "LoadBalancer",
    ),
    (
        "service.port",
        ["service.port=80"],
        [],
        _svc_port("http"),
        {"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"},
    ),
    (
        "service.agentapiPort",
        ["service.agentapiPort=9100"],
        [],
        _svc_port("agentapi-base"),
        {"name": "agentapi-base", "port": 9100, "targetPort": "agentapi-start", "protocol": "TCP"},
    ),
    (
        "ingress.enabled",
        [ING],
        [],
        lambda r: (
            _ingress(r)["spec"]["ingressClassName"],
            _ingress(r)["spec"]["rules"][0]["host"],
        ),
        ("nginx", "agentapi.example.com"),
    ),
    (
        "ingress.className",
        [ING, "ingress.className=traefik"],
        [],
        lambda r: _ingress(r)["spec"]["ingressClassName"],
        "traefik",
    ),
    (
        "ingress.annotations",
        [ING],
        ['ingress.annotations={"cert-manager.io/cluster-issuer":"letsencrypt"}'],
        lambda r: _ingress(r)["metadata"]["annotations"],
        {"cert-manager.io/cluster-issuer": "letsencrypt"},
    ),
    (
        "ingress.hosts",
        [ING],
        ['ingress.hosts=[{"host":"a.example.org","paths":[{"path":"/api","pathType":"Exact"}]}]'],
        lambda r: _ingress(r)["spec"]["rules"],
        [
            {
                "host": "a.example.org",
                "http": {
                    "paths": [
                        {
                            "path": "/api",
                            "pathType": "Exact",
                            "backend": {"service": {"name": FULLNAME, "port": {"name": "http"}}},
                        }
                    ]
                },
            }
        ],
    ),
    (
        "ingress.tls",
        [ING],
        ['ingress.tls=[{"secretName":"proxy-tls","hosts":["a.example.org"]}]'],
        lambda r: _ingress(r)["spec"]["tls"],
        [{"secretName": "proxy-tls", "hosts": ["a.example.org"]}],
    ),
    (
        "persistence.enabled",
        ["persistence.enabled=false"],
        [],
        _persistence_off,
        {"kinds": ["Deployment"], "mounts": None, "volumes": None, "services": [FULLNAME]},
    ),
    (
        "persistence.storageClassName",
        ["persistence.storageClassName=gp3"],
        [],
        lambda r: _vct(r)["storageClassName"],
        "gp3",
    ),
    (
        "persistence.accessMode",
        ["persistence.accessMode=ReadWriteOncePod"],
        [],
        lambda r: _vct(r)["accessModes"],
        ["ReadWriteOncePod"],
    ),
    (
        "persistence.size",
        ["persistence.size=20Gi"],
        [],
        lambda r: _vct(r)["resources"]["requests"]["storage"],
        "20Gi",
    ),
    (
        "env",
        [],
        ['env=[{"name":"CLAUDE_ARGS","value":"--dangerously-skip-permissions"}]'],
        lambda r: container(r)["env"],
        [{"name": "CLAUDE_ARGS", "value": "--dangerously-skip-permissions"}],
    ),
    (
        "envFrom",
        [],
        ['envFrom=[{"secretRef":{"name":"agentapi-secrets"}}]'],
        lambda r: container(r)["envFrom"],
        [
            {"configMapRef": {"name": f"{FULLNAME}-config"}},
            {"secretRef": {"name": "agentapi-secrets"}},
        ],
    ),
    (
        "resources.requests",
        ["resources.requests.memory=1Gi", "resources.requests.cpu=1000m"],
        [],
        lambda r: container(r)["resources"],
        {
            "requests": {"memory": "1Gi", "cpu": "1000m"},
            "limits": {"memory": "2Gi", "cpu": "2000m"},
        },
    ),
    (
        "resources.limits",
        ["resources.limits.memory=4Gi", "resources.limits.cpu=4000m"],
        [],
        lambda r: container(r)["resources"],
        {
            "requests": {"memory": "512Mi", "cpu": "500m"},
            "limits": {"memory": "4Gi", "cpu": "4000m"},
        },
    ),
    (
        "serviceAccount.create",
        ["serviceAccount.create=false"],
        [],
        _service_account,
        ([], "default"),
    ),
    (
        "serviceAccount.automount",
        ["serviceAccount.automount=false"],
        [],
        _automount,
        (False, False),
    ),
    (
        "serviceAccount.annotations",
        [],
        [f'serviceAccount.annotations={{"eks.amazonaws.com/role-arn":"{ARN}"}}'],
        lambda r: r.get("ServiceAccount", FULLNAME)["metadata"]["annotations"],
        {"eks.amazonaws.com/role-arn": ARN},
    ),
    (
        "serviceAccount.name",
        ["serviceAccount.name=proxy-sa"],
        [],
        _service_account,
        (["proxy-sa"], "proxy-sa"),
    ),
    (
        "nodeSelector",
        ["nodeSelector.pool=ai"],
        [],
        lambda r: pod(r)["spec"]["nodeSelector"],
        {"pool": "ai"},
    ),
    (
        "tolerations",
        [],
        ['tolerations=[{"key":"agents","operator":"Exists","effect":"NoSchedule"}]'],
        lambda r: pod(r)["spec"]["tolerations"],
        [TOLERATION],
    ),
    (
        "affinity",
        [],
        [
            'affinity={"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":'
            '{"nodeSelectorTerms":[{"matchExpressions":'
            '[{"key":"pool","operator":"In","values":["ai"]}]}]}}}'
        ],
        lambda r: pod(r)["spec"]["affinity"],
        AFFINITY,
    ),
]


@pytest.mark.parametrize(
    ("param", "sets", "set_json", "getter", "expected"), ROWS, ids=[row[0] for row in ROWS]
)
def test_parameter_row(
    param: str, sets: list[str], set_json: list[str], getter: Getter, expected: Any
) -> None:
    assert getter(render(CHART, set=sets, set_json=set_json)) == expected
