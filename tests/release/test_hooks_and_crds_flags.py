"""``--no-hooks`` and ``--skip-crds`` on install and upgrade: passed to Helm's action, and hooks
Helm will not run are not held against the release.

Whether Helm then runs hooks or installs CRDs is Helm's own code and needs an API server;
these prove that the flags reach Helm's action (its C options) and what chartsafe's
validation and gate look at.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from release_fake_api import APP, SentAction

from chartsafe.cli import main

DRY = ["--dry-run", "client", "--storage", "memory"]


@pytest.mark.parametrize(
    ("flags", "options"),
    [
        ([], {}),
        (["--no-hooks"], {"disable_hooks": True}),
        (["--skip-crds"], {"skip_crds": True}),
        (["--no-hooks", "--skip-crds"], {"disable_hooks": True, "skip_crds": True}),
    ],
    ids=["none", "no hooks", "skip crds", "both"],
)
@pytest.mark.parametrize("command", [["install", "app"], ["upgrade", "--install", "app"]])
def test_install_passes_them_to_helm(
    command: list[str],
    flags: list[str],
    options: dict[str, bool],
    sent_actions: list[SentAction],
) -> None:
    assert main([*command, str(APP), *DRY, *flags]) == 0
    (sent,) = sent_actions
    assert sent.function == "helm_install"
    given = {k: sent.options[k] for k in ("disable_hooks", "skip_crds") if k in sent.options}
    assert given == options


@pytest.mark.usefixtures("upgrade_without_openapi")
@pytest.mark.parametrize(("flags", "disabled"), [([], None), (["--no-hooks"], True)])
def test_upgrade_passes_no_hooks_to_helm(
    flags: list[str],
    disabled: bool | None,
    fake_kubeconfig: Path,
    sent_actions: list[SentAction],
) -> None:
    args = ["upgrade", "shop", str(APP), "--kubeconfig", str(fake_kubeconfig), "--dry-run",
            "client", "--kube-version", "1.36", "--set", "replicas=3", *flags]  # fmt: skip
    assert main(args) == 0
    (sent,) = sent_actions
    assert sent.function == "helm_upgrade"
    assert sent.options.get("disable_hooks") is disabled


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
