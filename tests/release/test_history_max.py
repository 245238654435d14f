"""``--history-max``: how many revisions an upgrade or rollback keeps, as helm's CLI.

Helm's SDK action keeps every revision unless told otherwise; helm's CLI tells it 10,
or ``$HELM_MAX_HISTORY``. chartsafe passed nothing, so each ``upgrade`` or ``up`` of a
release left one more record Secret (chart and manifest) in its namespace, for good.
These prove the number each command sends, and that Helm then deletes the oldest records
(a release kept in Helm's memory storage, its objects taken by the fake API server).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from release_fake_api import APP, FakeApi, SentAction, kubeconfig_for, serving

from chartsafe import ClusterAccess
from chartsafe._helm_release import ClusterTarget, HelmReleases
from chartsafe._release import install_release, upgrade_release
from chartsafe._release_settings import ReleaseSettings
from chartsafe.cli import main

DRY = ["--dry-run", "client", "--storage", "memory"]


@pytest.mark.parametrize(
    ("flags", "environment", "sent"),
    [
        ([], None, 10),  # helm's CLI default
        ([], "3", 3),
        (["--history-max", "5"], "3", 5),  # the flag wins over the environment
        (["--history-max", "0"], None, 0),  # 0: keep every revision
        ([], "", 10),  # set but empty: not set, as in helm
    ],
    ids=["default", "environment", "flag over environment", "no limit", "empty environment"],
)
@pytest.mark.parametrize(
    ("command", "function"),
    [
        (["upgrade", "shop", str(APP), "--reset-values"], "helm_upgrade"),
        (["rollback", "shop", "1"], "helm_rollback"),
    ],
    ids=["upgrade", "rollback"],
)
@pytest.mark.usefixtures("without_openapi")
def test_each_command_sends_helms_number(
    command: list[str],
    function: str,
    flags: list[str],
    environment: str | None,
    sent: int,
    fake_kubeconfig: Path,
    sent_actions: list[SentAction],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if environment is None:
        monkeypatch.delenv("HELM_MAX_HISTORY", raising=False)
    else:
        monkeypatch.setenv("HELM_MAX_HISTORY", environment)
    cluster = ["-n", "apps", "--kubeconfig", str(fake_kubeconfig), "--dry-run", "client"]
    assert main([*command, *cluster, *flags]) == 0
    (action,) = sent_actions
    assert action.function == function and action.options["max_history"] == sent


@pytest.fixture
def target(tmp_path: Path) -> Iterator[ClusterTarget]:
    with serving(FakeApi(records=[], accepts_objects=True)) as api:
        kubeconfig = kubeconfig_for(api.server, tmp_path / "kubeconfig", namespace="apps")
        yield ClusterTarget(
            namespace="apps", access=ClusterAccess(kubeconfig=kubeconfig), storage="memory"
        )


@pytest.mark.usefixtures("without_openapi")
@pytest.mark.parametrize(
    ("settings", "kept"),
    [(ReleaseSettings(), 10), (ReleaseSettings(max_history=3), 3),
     (ReleaseSettings(max_history=0), 13)],
    ids=["default", "three", "no limit"],
)  # fmt: skip
def test_helm_deletes_the_oldest_records(
    settings: ReleaseSettings, kept: int, target: ClusterTarget
) -> None:
    settings.no_hooks = True  # APP's hook is a Job the fake cannot delete
    with HelmReleases(target) as releases:
        install_release("shop", APP, {}, target=target, settings=settings, releases=releases)
        for _ in range(12):
            upgrade_release("shop", APP, {}, target=target, settings=settings, releases=releases)
        revisions = [entry["revision"] for entry in releases.history("shop")]
    assert revisions == list(range(14 - kept, 14))  # the newest, the deployed one last
