"""Helm's action flags on install, upgrade, rollback and uninstall (``--no-hooks``,
``--skip-crds``, ``--labels``, ``--take-ownership``, ``--wait-for-jobs``, ``--force-replace``,
``--cleanup-on-fail``, ``--history-max``, ``--cascade``, ``--description``): passed to Helm's
action, and hooks Helm will not run are not held against the release.

What Helm then does with most of them (run no hooks, skip CRDs, adopt objects, wait for
Jobs, replace objects) is Helm's own code and needs an API server; these prove that each
reaches Helm's action: the C library's options decoder refuses any field it does not
know, so a call that succeeds carries an option Helm reads. Labels show in Helm's result.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from chart_files import write_chart
from release_fake_api import APP, SentAction, release_record

from chartsafe.cli import main

DRY = ["--dry-run", "client", "--storage", "memory"]


OPTIONS = ("disable_hooks", "skip_crds", "take_ownership", "wait_for_jobs", "labels",
           "disable_openapi_validation")  # fmt: skip


@pytest.mark.parametrize(
    ("flags", "options"),
    [
        ([], {}),
        (["--no-hooks"], {"disable_hooks": True}),
        (["--skip-crds"], {"skip_crds": True}),
        (["--no-hooks", "--skip-crds"], {"disable_hooks": True, "skip_crds": True}),
        (["--take-ownership"], {"take_ownership": True}),
        (["--wait-for-jobs"], {"wait_for_jobs": True}),
        (["--labels", "team=payments,tier=web", "--labels", "tier=api"],
         {"labels": {"team": "payments", "tier": "api"}}),
        (["--disable-openapi-validation"], {"disable_openapi_validation": True}),
    ],
    ids=["none", "no hooks", "skip crds", "both", "take ownership", "wait for jobs", "labels",
         "no openapi validation"],
)  # fmt: skip
@pytest.mark.parametrize("command", [["install", "app"], ["upgrade", "--install", "app"]])
def test_install_passes_them_to_helm(
    command: list[str],
    flags: list[str],
    options: dict[str, Any],
    sent_actions: list[SentAction],
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([*command, str(APP), *DRY, *flags, "-o", "json"]) == 0
    (sent,) = sent_actions
    assert sent.function == "helm_install"
    assert {k: sent.options[k] for k in OPTIONS if k in sent.options} == options
    release = json.loads(capsys.readouterr().out)  # Helm's release object
    assert release["labels"] == options.get("labels", {})  # as Helm's result has them


@pytest.mark.parametrize(
    ("flags", "options"),
    [
        ([], {}),
        (["--replace"], {"replace": True}),
        (["--server-side=false", "--replace"], {"replace": True, "server_side_apply": False}),
    ],
    ids=["none", "replace", "client-side, replace"],
)
def test_install_passes_replace_to_helm(
    flags: list[str], options: dict[str, Any], sent_actions: list[SentAction]
) -> None:
    """``--replace`` is install's (upgrade --install decides it itself: over an uninstalled
    release's kept history)."""
    assert main(["install", "app", str(APP), *DRY, *flags]) == 0
    (sent,) = sent_actions
    keys = ("replace", "server_side_apply")
    assert {k: sent.options[k] for k in keys if k in sent.options} == options


@pytest.mark.usefixtures("without_openapi")
@pytest.mark.parametrize(
    ("flags", "options"),
    [
        ([], {}),
        (["--no-hooks"], {"disable_hooks": True}),
        (["--take-ownership", "--wait-for-jobs"], {"take_ownership": True, "wait_for_jobs": True}),
        (["--force-replace"], {"force_replace": True}),
        (["--labels", "team=payments"], {"labels": {"team": "payments"}}),
    ],
    ids=["none", "no hooks", "take ownership, wait for jobs", "force replace", "labels"],
)
def test_upgrade_passes_them_to_helm(
    flags: list[str],
    options: dict[str, Any],
    fake_kubeconfig: Path,
    sent_actions: list[SentAction],
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["upgrade", "shop", str(APP), "--kubeconfig", str(fake_kubeconfig), "--dry-run",
            "client", "--kube-version", "1.36", "--set", "replicas=3", "-o", "json",
            *flags]  # fmt: skip
    assert main(args) == 0
    (sent,) = sent_actions
    assert sent.function == "helm_upgrade"
    wanted = (*OPTIONS[:-1], "force_replace")  # without_openapi sets the last one
    assert {k: sent.options[k] for k in wanted if k in sent.options} == options
    release = json.loads(capsys.readouterr().out)  # Helm's release object
    assert release["labels"] == options.get("labels", {})  # as Helm's result has them


@pytest.fixture
def invalid_hook(tmp_path: Path) -> Path:
    """The test chart, its pre-upgrade hook Job carrying a field Kubernetes does not know."""
    chart = shutil.copytree(APP, tmp_path / "app")
    hook = chart / "templates" / "migrate.yaml"
    hook.write_text(hook.read_text().replace("spec:\n", "spec:\n  retries: 3\n", 1))
    return chart


@pytest.mark.parametrize(("flags", "code"), [([], 1), (["--no-hooks"], 0)])
def test_a_hook_helm_will_not_run_does_not_stop_the_install(
    flags: list[str], code: int, invalid_hook: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["install", "app", str(invalid_hook), *DRY, *flags]) == code
    err = capsys.readouterr().err
    assert ("Job/app-migrate" in err) is (code == 1)


@pytest.mark.parametrize(
    ("selector", "names"),
    [(None, ["blog", "cart", "shop"]), ("team=payments", ["cart"]), ("team=web", [])],
    ids=["no selector", "a label", "no match"],
)
def test_list_selects_by_the_labels_given_at_install(
    selector: str | None,
    names: list[str],
    fake_api: Any,
    fake_kubeconfig: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``list -l`` is Helm's label query over the release records' labels."""
    cart = {"name": "cart", "namespace": "apps", "version": 1, "status": "deployed",
            "description": "Install complete", "values": {},
            "labels": {"team": "payments"}}  # fmt: skip
    fake_api.records.append(release_record(cart))
    args = ["list", "-A", "--kubeconfig", str(fake_kubeconfig), "-o", "json"]
    assert main([*args, *(["-l", selector] if selector else [])]) == 0
    found = json.loads(capsys.readouterr().out)
    assert sorted(r["name"] for r in found) == names
    assert [r["labels"] for r in found if r["name"] == "cart"] == (
        [{"team": "payments"}] if "cart" in names else []
    )


@pytest.mark.parametrize(
    ("flags", "options"),
    [
        ([], {"max_history": 10}),  # helm's CLI default (see test_history_max.py)
        (["--no-hooks", "--force-replace", "--cleanup-on-fail", "--history-max", "3",
          "--wait-for-jobs"],
         {"disable_hooks": True, "force_replace": True, "cleanup_on_fail": True,
          "max_history": 3, "wait_for_jobs": True}),
    ],
    ids=["none", "all"],
)  # fmt: skip
def test_rollback_passes_them_to_helm(
    flags: list[str],
    options: dict[str, Any],
    fake_kubeconfig: Path,
    sent_actions: list[SentAction],
) -> None:
    args = ["rollback", "shop", "1", "--kubeconfig", str(fake_kubeconfig), "--dry-run", "client"]
    assert main([*args, *flags]) == 0
    (sent,) = sent_actions
    assert sent.function == "helm_rollback" and sent.options["version"] == 1
    extras = ("disable_hooks", "force_replace", "cleanup_on_fail", "max_history", "wait_for_jobs")
    assert {k: sent.options[k] for k in extras if k in sent.options} == options


@pytest.mark.parametrize(
    ("flags", "options"),
    [
        ([], {}),
        (["--no-hooks", "--cascade", "orphan", "--description", "retired"],
         {"disable_hooks": True, "deletion_propagation": "orphan", "description": "retired"}),
        (["--cascade", "background"], {}),  # Helm's default: nothing to pass
    ],
    ids=["none", "all", "default cascade"],
)  # fmt: skip
def test_uninstall_passes_them_to_helm(
    flags: list[str],
    options: dict[str, Any],
    fake_kubeconfig: Path,
    sent_actions: list[SentAction],
) -> None:
    args = ["uninstall", "shop", "--kubeconfig", str(fake_kubeconfig), "--dry-run"]
    assert main([*args, *flags]) == 0
    (sent,) = sent_actions
    assert sent.function == "helm_uninstall" and sent.options["dry_run"] is True
    extras = ("disable_hooks", "deletion_propagation", "description")
    assert {k: sent.options[k] for k in extras if k in sent.options} == options


@pytest.mark.parametrize("output", [[], ["-o", "json"]], ids=["text", "json"])
def test_hide_notes_leaves_the_notes_out(
    output: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["install", "app", str(APP), *DRY, *output]
    assert main(args) == 0
    assert "app is running" in capsys.readouterr().out  # the chart's NOTES.txt
    assert main([*args, "--hide-notes"]) == 0
    assert "app is running" not in capsys.readouterr().out


@pytest.mark.parametrize("flags", [[], ["--render-subchart-notes"]], ids=["top", "subcharts"])
def test_render_subchart_notes_prints_the_subcharts_notes_too(
    flags: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chart = shutil.copytree(APP, tmp_path / "app")
    sub = write_chart(
        chart / "charts" / "extra", {"NOTES.txt": "extra notes for {{ .Release.Name }}"}
    )
    assert sub.is_dir()
    assert main(["install", "app", str(chart), *DRY, *flags]) == 0
    out = capsys.readouterr().out
    assert "app is running" in out  # the top chart's notes, always
    assert ("extra notes for app" in out) is bool(flags)
