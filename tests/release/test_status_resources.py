"""``status --show-resources``: each object of the deployed revision as the API server's table.

The fake holds release ``shop`` (revision 2: Secret, ConfigMap and Deployment ``shop-app``)
and, as live objects, the Secret, the Deployment and two of its pods; the ConfigMap is
not in the cluster. Tables come back in the API server's shape (``meta.k8s.io/v1``
Table), so what is checked is what chartsafe asks for and prints.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from release_fake_api import FakeApi, kubeconfig_for, serving

from chartsafe.cli import main

PASSWORD = "second-password-4d1a"  # revision 2's password, in its Secret


def _obj(kind: str, name: str, **more: Any) -> dict[str, Any]:
    api_version = "apps/v1" if kind == "Deployment" else "v1"
    meta = {"name": name, "namespace": "apps", **more.pop("metadata", {})}
    return {"apiVersion": api_version, "kind": kind, "metadata": meta, **more}


LIVE = [
    _obj("Secret", "shop-app", type="Opaque", data={"password": "x", "apiKey": "y", "token": "z"}),
    _obj("Deployment", "shop-app", spec={"replicas": 2},
         metadata={"annotations": {"fake/column": f"seeded with {PASSWORD}"}}),
    _obj("Pod", "shop-app-7d9f-a", metadata={"labels": {"app": "app"}}),
    _obj("Pod", "shop-app-7d9f-b", metadata={"labels": {"app": "app"}}),
    _obj("Pod", "other", metadata={"labels": {"app": "other"}}),
]  # fmt: skip


@pytest.fixture
def live_api(records: list[dict[str, Any]]) -> Iterator[FakeApi]:
    with serving(FakeApi(records=records, live=LIVE)) as api:
        yield api


@pytest.fixture
def kubeconfig(live_api: FakeApi, tmp_path: Path) -> Path:
    return kubeconfig_for(live_api.server, tmp_path / "kubeconfig", namespace="apps")


def _section(out: str, key: str) -> list[str]:
    lines = out.splitlines()
    start = lines.index(f"==> {key}") + 1
    end = next(i for i in range(start, len(lines)) if not lines[i].strip())
    return [" ".join(line.split()) for line in lines[start:end]]


def test_each_object_and_the_pods_it_runs_as_kubectl_shows_them(
    kubeconfig: Path, live_api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["status", "shop", "--kubeconfig", str(kubeconfig), "--show-resources"]) == 0
    out, err = capsys.readouterr()
    assert out.index("RESOURCES:") < out.index("NOTES:")
    assert _section(out, "apps/v1/Deployment") == [
        "NAME READY UP-TO-DATE AVAILABLE NOTE AGE",  # CONTAINERS is -o wide's (priority 1)
        "shop-app 2/2 2 2 seeded with <masked> 5m",
    ]
    assert _section(out, "v1/Secret") == ["NAME TYPE DATA AGE", "shop-app Opaque 3 5m"]
    assert _section(out, "v1/ConfigMap") == ["not found: shop-app"]
    assert _section(out, "v1/Pod(related)") == [
        "NAME READY STATUS RESTARTS AGE",
        "shop-app-7d9f-a 1/1 Running 0 5m",
        "shop-app-7d9f-b 1/1 Running 0 5m",
    ]
    assert PASSWORD not in out + err
    asked = [line for line in live_api.requests if "/namespaces/apps/" in line]
    assert "GET /apis/apps/v1/namespaces/apps/deployments/shop-app" in asked


def test_json_carries_the_rows_by_column(
    kubeconfig: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["status", "shop", "--kubeconfig", str(kubeconfig), "--show-resources", "-o", "json"]
    assert main(args) == 0
    shown = json.loads(capsys.readouterr().out)
    by_kind = {t["kind"]: t for t in shown["resources"]}
    assert by_kind["v1/Secret"]["objects"] == [
        {"NAME": "shop-app", "TYPE": "Opaque", "DATA": "3", "AGE": "5m"}
    ]
    assert by_kind["v1/ConfigMap"] == {"kind": "v1/ConfigMap", "objects": [],
                                       "missing": ["shop-app"], "forbidden": []}  # fmt: skip
    assert PASSWORD not in json.dumps(shown)


def test_without_the_flag_no_object_is_read(
    kubeconfig: Path, live_api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["status", "shop", "--kubeconfig", str(kubeconfig)]) == 0
    out = capsys.readouterr().out
    assert "RESOURCES:" not in out
    assert "TEST SUITE: None" in out  # the chart has no test hooks, as helm says it
    assert not [r for r in live_api.requests if "/deployments/" in r or "/pods" in r]


def test_a_kind_the_user_may_not_read_is_said_and_the_rest_shown(
    kubeconfig: Path, live_api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    live_api.forbidden.add("/api/v1/namespaces/apps/secrets/shop-app")
    assert main(["status", "shop", "--kubeconfig", str(kubeconfig), "--show-resources"]) == 0
    out = capsys.readouterr().out
    assert _section(out, "v1/Secret") == ["forbidden: shop-app (cannot get secrets)"]
    assert _section(out, "apps/v1/Deployment")[1].startswith("shop-app 2/2")


#: (a workload's spec.selector, the labelSelector query it becomes, in Kubernetes' syntax)
SELECTORS = [
    ({"matchLabels": {"app": "web", "tier": "front"}}, "app=web,tier=front"),
    ({"matchExpressions": [{"key": "app", "operator": "In", "values": ["a", "b"]}]},
     "app in (a,b)"),
    ({"matchLabels": {"app": "web"}, "matchExpressions": [
        {"key": "track", "operator": "NotIn", "values": ["canary"]},
        {"key": "release", "operator": "Exists"},
        {"key": "legacy", "operator": "DoesNotExist"}]},
     "app=web,track notin (canary),release,!legacy"),
    ({"matchExpressions": [{"key": "x", "operator": "Bogus"}, {"operator": "In"}]}, ""),
    ({}, ""),
    (None, ""),
]  # fmt: skip


@pytest.mark.parametrize(
    ("selector", "query"), SELECTORS, ids=[s[1] or "nothing" for s in SELECTORS]
)
def test_a_workloads_selector_becomes_the_pods_label_query(selector: Any, query: str) -> None:
    from chartsafe._release_resources import label_selector

    assert label_selector(selector) == query
