"""install/upgrade: validated and gated before the cluster; client dry run with memory storage."""

from __future__ import annotations

from pathlib import Path

import pytest
from release_fake_api import APP

from chartsafe._cluster import ClusterError
from chartsafe._errors import CheckFailed
from chartsafe._helm_release import ClusterTarget
from chartsafe._release import ReleaseSettings, install_release, upgrade_release
from chartsafe._render import RenderOptions, RenderResult, render_chart
from chartsafe.cli import main

PASSWORD = "dry-run-password-6c6c"
API_KEY = "dry-run-api-key-1d1d"
VALUES = {"password": PASSWORD, "apiKey": API_KEY}
MEMORY = ClusterTarget(namespace="shop", storage="memory")
CLIENT = ReleaseSettings(dry_run="client")


def test_client_dry_run_in_memory_applies_what_we_render() -> None:
    outcome = install_release("shop", APP, VALUES, target=MEMORY, settings=CLIENT)
    assert outcome.action == "install"
    assert (outcome.release.name, outcome.release.namespace) == ("shop", "shop")
    assert outcome.release.status == "pending-install"
    assert outcome.release.revision == 1
    ours = render_chart(APP, VALUES, RenderOptions(release_name="shop", namespace="shop"))
    assert sorted((o.kind, o.name) for o in outcome.objects) == sorted(
        (o.kind, o.name) for o in ours.resources
    )
    secret = next(o for o in outcome.objects if o.kind == "Secret")
    assert secret.body["data"] == next(o for o in ours.objects if o.kind == "Secret").body["data"]


def test_upgrade_install_on_fresh_memory_storage_installs() -> None:
    settings = ReleaseSettings(dry_run="client", install=True)
    outcome = upgrade_release("shop", APP, VALUES, target=MEMORY, settings=settings)
    assert outcome.action == "install"


def test_cli_dry_run_prints_masked_manifest(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["install", "shop", str(APP), "-n", "shop", "--dry-run", "client", "--storage",
            "memory", "--set", f"password={PASSWORD},apiKey={API_KEY}"]  # fmt: skip
    assert main(args) == 0
    out, err = capsys.readouterr()
    assert "DRY RUN: client (nothing was applied)" in out
    assert "kind: Deployment" in out and "name: shop-app" in out
    assert "<masked: pass --reveal to print>" in out
    assert "shop is running nginx:1.27." in out
    for leak in (PASSWORD, API_KEY, "ZHJ5LXJ1bi1w"):  # raw, and the start of the base64
        assert leak not in out + err


def test_invalid_object_stops_before_the_cluster(
    capsys: pytest.CaptureFixture[str], closed_kubeconfig: Path
) -> None:
    code = main(["install", "shop", str(APP), "--kubeconfig", str(closed_kubeconfig),
                 "--set", "replicas=many"])  # fmt: skip
    _, err = capsys.readouterr()
    assert code == 1
    assert "nothing was sent to the cluster" in err
    assert "Deployment/shop-app at spec.replicas" in err
    assert "cannot reach" not in err


def test_gate_sees_the_render_and_stops_the_install(closed_kubeconfig: Path) -> None:
    seen: list[RenderResult] = []

    def gate(result: RenderResult) -> None:
        seen.append(result)
        raise CheckFailed("Secret shop-db is missing", secret="shop-db")

    target = ClusterTarget(namespace="shop", kubeconfig=closed_kubeconfig)
    with pytest.raises(CheckFailed, match="shop-db is missing"):
        install_release("shop", APP, VALUES, target=target, gate=gate)
    assert [o.kind for o in seen[0].resources] == ["Secret", "ConfigMap", "Deployment"]


def test_a_passing_gate_lets_helm_run(closed_kubeconfig: Path) -> None:
    target = ClusterTarget(namespace="shop", kubeconfig=closed_kubeconfig)
    calls: list[str] = []
    with pytest.raises(ClusterError, match="cannot reach the cluster"):
        install_release("shop", APP, VALUES, target=target, gate=lambda r: calls.append("gate"))
    assert calls == ["gate"]


UNREACHABLE = [
    ["install", "shop", str(APP)],
    ["upgrade", "shop", str(APP)],
    ["upgrade", "--install", "shop", str(APP)],
    ["install", "shop", str(APP), "--dry-run", "server"],
    ["rollback", "shop"],
    ["uninstall", "shop", "--keep-history"],
    ["status", "shop"],
    ["history", "shop"],
    ["list", "-A"],
    ["get", "values", "shop"],
    ["diff", "upgrade", "shop", str(APP)],
]


@pytest.mark.parametrize("args", UNREACHABLE, ids=lambda a: " ".join(a[:2]))
def test_unreachable_cluster_is_one_line(
    capsys: pytest.CaptureFixture[str], closed_kubeconfig: Path, args: list[str]
) -> None:
    code = main([*args, "--kubeconfig", str(closed_kubeconfig), "--set", f"password={PASSWORD}"]
                if args[0] in ("install", "upgrade", "diff")
                else [*args, "--kubeconfig", str(closed_kubeconfig)])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "cannot reach the cluster" in err and "connection refused" in err
    assert PASSWORD not in err
