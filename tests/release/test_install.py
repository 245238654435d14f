"""install/upgrade: validated and gated before the cluster; client dry run with memory storage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from chart_files import write_chart
from release_fake_api import APP, FakeApi

from chartsafe import ClusterAccess
from chartsafe._errors import CheckFailed
from chartsafe._helm_release import ClusterTarget, HelmReleases
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


@pytest.mark.parametrize("action", [["install"], ["upgrade", "--install"]])
def test_cli_dry_run_prints_masked_manifest(
    capsys: pytest.CaptureFixture[str], action: list[str]
) -> None:
    args = [*action, "shop", str(APP), "-n", "shop", "--dry-run", "client", "--storage",
            "memory", "--set", f"password={PASSWORD},apiKey={API_KEY}"]  # fmt: skip
    assert main(args) == 0
    out, err = capsys.readouterr()
    assert "DRY RUN: client (nothing was applied)" in out
    assert "kind: Deployment" in out and "name: shop-app" in out
    # install and upgrade take no --reveal: the placeholder names the command that does
    assert "password: '<masked: chartsafe template --reveal prints it>'" in out
    assert "pass --reveal" not in out + err
    assert "shop is running nginx:1.27." in out
    for leak in (PASSWORD, API_KEY, "ZHJ5LXJ1bi1w"):  # raw, and the start of the base64
        assert leak not in out + err


def _only_read(api: FakeApi) -> bool:
    """Whether the cluster was only read: its version and API discovery (what Helm's install
    reads for .Capabilities, which chartsafe's render takes too), and no release record."""
    discovery = ("GET /version", "GET /api", "GET /apis")
    return bool(api.requests) and all(r.startswith(discovery) for r in api.requests)


def test_invalid_object_stops_before_anything_is_sent(
    capsys: pytest.CaptureFixture[str], fake_api: FakeApi, fake_kubeconfig: Path
) -> None:
    code = main(["install", "shop", str(APP), "--kubeconfig", str(fake_kubeconfig),
                 "--set", "replicas=many"])  # fmt: skip
    _, err = capsys.readouterr()
    assert code == 1
    assert "1 validation problem in the rendered objects; nothing was sent to the cluster" in err
    assert "Deployment/shop-app at spec.replicas" in err
    assert _only_read(fake_api)


def test_gate_sees_the_render_and_stops_the_install(
    fake_api: FakeApi, fake_kubeconfig: Path
) -> None:
    seen: list[RenderResult] = []

    def gate(result: RenderResult) -> None:
        seen.append(result)
        raise CheckFailed("Secret shop-db is missing", secret="shop-db")

    target = ClusterTarget(namespace="shop", access=ClusterAccess(kubeconfig=fake_kubeconfig))
    with pytest.raises(CheckFailed, match="shop-db is missing"):
        install_release("shop", APP, VALUES, target=target, gate=gate)
    assert [o.kind for o in seen[0].resources] == ["Secret", "ConfigMap", "Deployment"]
    assert _only_read(fake_api)


def test_a_passing_gate_lets_helm_run(
    fake_api: FakeApi, fake_kubeconfig: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    installed: list[str] = []

    def helm_install(self: HelmReleases, chart: Path, name: str, *_: Any, **__: Any) -> Any:
        installed.append(name)
        return {"name": name, "namespace": "shop", "revision": 1, "status": "deployed",
                "manifest": "", "notes": ""}  # fmt: skip

    monkeypatch.setattr(HelmReleases, "install", helm_install)
    target = ClusterTarget(namespace="shop", access=ClusterAccess(kubeconfig=fake_kubeconfig))
    calls: list[str] = []
    install_release("shop", APP, VALUES, target=target, gate=lambda r: calls.append("gate"))
    assert calls == ["gate"] and installed == ["shop"]


def test_an_unreachable_cluster_stops_an_install_before_its_render(
    capsys: pytest.CaptureFixture[str], closed_kubeconfig: Path
) -> None:
    """The render waits for the cluster's capabilities, so an invalid object is not the
    first thing said: that the cluster cannot be reached is, with the way round it."""
    code = main(["install", "shop", str(APP), "--kubeconfig", str(closed_kubeconfig),
                 "--set", "replicas=many"])  # fmt: skip
    _, err = capsys.readouterr()
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "reading the cluster's capabilities: cannot reach the cluster" in err
    assert "use --dry-run client, which needs no cluster" in err


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


# (args, whether a client dry run would avoid the cluster): only install's does; upgrade,
# rollback and uninstall read the release's records from the cluster, dry run or not.
HINTS: list[tuple[list[str], bool]] = [
    (["install", "shop", str(APP)], True),
    (["install", "shop", str(APP), "--dry-run", "server"], True),
    (["upgrade", "shop", str(APP)], False),
    (["upgrade", "shop", str(APP), "--dry-run", "client"], False),
    (["rollback", "shop", "--dry-run", "client"], False),
    (["uninstall", "shop", "--dry-run"], False),
    (["status", "shop"], False),
    (["list"], False),
    (["history", "shop"], False),
    (["get", "values", "shop"], False),
    (["diff", "upgrade", "shop", str(APP)], False),
]


@pytest.mark.parametrize(("args", "offered"), HINTS, ids=[" ".join(h[0][:5]) for h in HINTS])
def test_unreachable_hint_offers_only_flags_that_help(
    capsys: pytest.CaptureFixture[str], closed_kubeconfig: Path, args: list[str], offered: bool
) -> None:
    code = main([*args, "--kubeconfig", str(closed_kubeconfig)])
    _, err = capsys.readouterr()
    assert code == 2
    error = err.strip().splitlines()[-1]
    assert "cannot reach the cluster" in error and "(check --kubeconfig/--kube-context" in error
    assert ("--dry-run client, which needs no cluster" in error) is offered
    assert "reaches no cluster" not in err


MEMORY_EMPTY = [
    ["upgrade", "shop", str(APP), "--dry-run", "client"],
    ["upgrade", "shop", str(APP)],
    ["rollback", "shop", "--dry-run", "client"],
    ["uninstall", "shop", "--dry-run"],
]


@pytest.mark.parametrize("args", MEMORY_EMPTY, ids=lambda a: " ".join(a))
def test_memory_storage_has_no_release_to_change_and_needs_no_cluster(
    capsys: pytest.CaptureFixture[str], closed_kubeconfig: Path, args: list[str]
) -> None:
    # A memory storage opened for one command is empty; Helm would first probe the cluster.
    code = main([*args, "--storage", "memory", "-n", "shop", "--kubeconfig",
                 str(closed_kubeconfig)])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert f"{args[0]} shop: no release 'shop' in namespace shop: --storage memory starts " \
           "empty in every command" in err  # fmt: skip
    assert "cannot reach" not in err and "note:" not in err
    assert ("--install" in err) is (args[0] == "upgrade")


def test_uninstall_ignore_not_found_in_memory_storage(
    capsys: pytest.CaptureFixture[str], closed_kubeconfig: Path
) -> None:
    code = main(["uninstall", "shop", "--ignore-not-found", "--storage", "memory", "-n", "shop",
                 "--kubeconfig", str(closed_kubeconfig)])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out == 'release "shop" does not exist in namespace shop; nothing to do\n'


def test_cli_dry_run_prints_the_hooks_masked_before_the_manifest(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """As helm's dry run: a HOOKS: section with every hook, then MANIFEST: without them."""
    chart = write_chart(
        tmp_path / "hooked",
        {
            "hook.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: seed\n  annotations:\n"
            "    helm.sh/hook: pre-install\nstringData:\n  token: {{ .Values.token }}\n",
            "cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\ndata:\n  a: b\n",
        },
    )
    args = ["install", "shop", str(chart), "--dry-run", "client", "--storage", "memory",
            "--set", f"token={PASSWORD}"]  # fmt: skip
    assert main(args) == 0
    out, err = capsys.readouterr()
    hooks, manifest = out.split("HOOKS:\n", 1)[1].split("MANIFEST:\n", 1)
    assert "# Source: hooked/templates/hook.yaml" in hooks and "name: seed" in hooks
    assert "name: plain" not in hooks
    assert "name: plain" in manifest and "name: seed" not in manifest
    assert PASSWORD not in out + err
