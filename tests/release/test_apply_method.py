"""Helm 4's apply method: ``--server-side`` (install: true or false; upgrade and rollback:
auto, true or false) and ``--force-conflicts``.

The flags reach Helm's actions (the C library's options decoder refuses unknown fields),
and Helm then applies as asked: the fake API server takes the release's objects and
lists how each came (server-side apply is a ``PATCH`` of ``application/apply-patch+yaml``,
client-side a ``POST``), for a release kept in Helm's memory storage.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from release_fake_api import APP, DATA, FakeApi, SentAction, kubeconfig_for, serving

from chartsafe import ClusterAccess
from chartsafe._helm_release import ClusterTarget, HelmReleases
from chartsafe._release import install_release, upgrade_release
from chartsafe._release_errors import ReleaseFailed
from chartsafe._release_settings import ReleaseSettings
from chartsafe._release_undo import rollback_release
from chartsafe.cli import main

EMPTY = DATA / "empty"  # no objects: an upgrade from it applies every object anew
APPLY = "application/apply-patch+yaml"
OBJECTS = 3  # APP's Secret, ConfigMap and Deployment (its hook is not run here)


@pytest.fixture
def object_api() -> Iterator[FakeApi]:
    with serving(FakeApi(records=[], accepts_objects=True)) as api:
        yield api


@pytest.fixture
def target(object_api: FakeApi, tmp_path: Path) -> ClusterTarget:
    kubeconfig = kubeconfig_for(object_api.server, tmp_path / "kubeconfig", namespace="apps")
    return ClusterTarget(
        namespace="apps", access=ClusterAccess(kubeconfig=kubeconfig), storage="memory"
    )


def _how(api: FakeApi) -> set[tuple[str, str]]:
    """How the objects came: ("ssa", force) for server-side apply, ("csa", "") for create."""
    return {
        ("ssa", a.query.get("force", "")) if a.content_type == APPLY else ("csa", "")
        for a in api.applied
    }


@pytest.mark.usefixtures("without_openapi")
@pytest.mark.parametrize(
    ("flags", "how"),
    [
        ([], {("ssa", "false")}),  # Helm 4's default
        (["--server-side"], {("ssa", "false")}),
        (["--server-side=false"], {("csa", "")}),
        (["--server-side", "FALSE"], {("csa", "")}),
    ],
    ids=["default", "alone", "false", "FALSE"],
)
def test_install_applies_as_asked(
    flags: list[str], how: set[tuple[str, str]], object_api: FakeApi, target: ClusterTarget
) -> None:
    kubeconfig = str(target.access.kubeconfig)
    args = ["install", "shop", str(APP), "-n", "apps", "--kubeconfig", kubeconfig,
            "--storage", "memory", "--no-hooks", "--skip-check", *flags]  # fmt: skip
    assert main(args) == 0
    assert len(object_api.applied) == OBJECTS
    assert _how(object_api) == how
    assert {a.query["fieldManager"] for a in object_api.applied} == {_field_manager()}


def test_helms_openapi_check_can_be_turned_off_on_install(
    object_api: FakeApi, target: ClusterTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    """The fake serves no OpenAPI document, as a server whose document Helm cannot read:
    Helm's client-side check fails the install unless it is turned off."""
    args = ["install", "shop", str(APP), "-n", "apps", "--kubeconfig",
            str(target.access.kubeconfig), "--storage", "memory", "--no-hooks",
            "--skip-check"]  # fmt: skip
    assert main(args) == 1
    assert "failed to download openapi" in capsys.readouterr().err
    assert main([*args, "--disable-openapi-validation"]) == 0
    assert len(object_api.applied) == OBJECTS


def test_helms_openapi_check_can_be_turned_off_on_upgrade(
    object_api: FakeApi, target: ClusterTarget
) -> None:
    with HelmReleases(target) as releases:
        off = ReleaseSettings(no_hooks=True, disable_openapi_validation=True)
        install_release("shop", EMPTY, target=target, settings=off, releases=releases)
        with pytest.raises(ReleaseFailed, match="failed to download openapi"):
            upgrade_release("shop", APP, target=target, releases=releases,
                            settings=ReleaseSettings(no_hooks=True))  # fmt: skip
        upgrade_release("shop", APP, target=target, settings=off, releases=releases)
    assert len(object_api.applied) == OBJECTS


def _field_manager() -> str:
    """The name Helm's client applies under: the process's program name (see the README)."""
    import sys

    return Path(sys.orig_argv[0]).name


def _upgrade(target: ClusterTarget, api: FakeApi, first: str | None, **then: Any) -> None:
    """Install EMPTY applied as ``first``, then upgrade it to APP with ``then``'s settings."""
    with HelmReleases(target) as releases:
        settings = ReleaseSettings(no_hooks=True, server_side=first)
        install_release("shop", EMPTY, target=target, settings=settings, releases=releases)
        assert not api.applied
        settings = ReleaseSettings(no_hooks=True, **then)
        upgrade_release("shop", APP, target=target, settings=settings, releases=releases)


@pytest.mark.usefixtures("without_openapi")
@pytest.mark.parametrize(
    ("first", "then", "how"),
    [
        (None, {}, {("ssa", "false")}),  # auto: as the release was installed
        ("false", {}, {("csa", "")}),
        ("false", {"server_side": "auto"}, {("csa", "")}),
        ("false", {"server_side": "true"}, {("ssa", "false")}),
        (None, {"server_side": "false"}, {("csa", "")}),
        (None, {"force_conflicts": True}, {("ssa", "true")}),
    ],
    ids=["auto after ssa", "auto after csa", "auto given", "true", "false", "force conflicts"],
)
def test_upgrade_applies_as_asked(
    first: str | None,
    then: dict[str, Any],
    how: set[tuple[str, str]],
    object_api: FakeApi,
    target: ClusterTarget,
) -> None:
    _upgrade(target, object_api, first, **then)
    assert len(object_api.applied) == OBJECTS
    assert _how(object_api) == how


@pytest.mark.usefixtures("without_openapi")
@pytest.mark.parametrize(
    ("then", "how"),
    [({}, {("ssa", "false")}), ({"server_side": "false"}, {("csa", "")}),
     ({"force_conflicts": True}, {("ssa", "true")})],
    ids=["auto", "false", "force conflicts"],
)  # fmt: skip
def test_rollback_applies_as_asked(
    then: dict[str, Any], how: set[tuple[str, str]], object_api: FakeApi, target: ClusterTarget
) -> None:
    with HelmReleases(target) as releases:
        settings = ReleaseSettings(no_hooks=True)
        install_release("shop", APP, target=target, settings=settings, releases=releases)
        upgrade_release("shop", EMPTY, target=target, settings=settings, releases=releases)
        object_api.applied.clear()
        settings = ReleaseSettings(no_hooks=True, **then)
        rollback_release("shop", 1, target=target, settings=settings, releases=releases)
    assert len(object_api.applied) == OBJECTS
    assert _how(object_api) == how


@pytest.mark.parametrize(
    ("command", "flags", "options"),
    [
        (["install", "app"], [], {}),
        (["install", "app"], ["--server-side=false"], {"server_side_apply": False}),
        (["install", "app"], ["--server-side", "true"], {"server_side_apply": True}),
        # upgrade --install, installing: auto is install's default, nothing to send
        (["upgrade", "--install", "app"], ["--server-side", "auto"], {}),
        (["upgrade", "--install", "app"], ["--server-side", "false", "--force-conflicts"],
         {"server_side_apply": False}),
    ],
    ids=["install", "install false", "install true", "upgrade -i auto", "upgrade -i false"],
)  # fmt: skip
def test_install_sends_them_to_helm(
    command: list[str],
    flags: list[str],
    options: dict[str, Any],
    sent_actions: list[SentAction],
) -> None:
    args = [*command, str(APP), "--dry-run", "client", "--storage", "memory", *flags]
    assert main(args) == 0
    (sent,) = sent_actions
    keys = ("server_side_apply", "force_conflicts")
    assert {k: sent.options[k] for k in keys if k in sent.options} == options


@pytest.mark.usefixtures("without_openapi")
@pytest.mark.parametrize(
    ("flags", "options"),
    [
        ([], {}),
        (["--server-side", "auto"], {"server_side_apply": "auto"}),
        (["--server-side"], {"server_side_apply": "true"}),
        (["--server-side=false", "--force-conflicts"],
         {"server_side_apply": "false", "force_conflicts": True}),
    ],
    ids=["none", "auto", "alone", "false, force"],
)  # fmt: skip
@pytest.mark.parametrize("command", ["upgrade", "rollback"])
def test_upgrade_and_rollback_send_them_to_helm(
    command: str,
    flags: list[str],
    options: dict[str, Any],
    fake_kubeconfig: Path,
    sent_actions: list[SentAction],
) -> None:
    what = [str(APP), "--kube-version", "1.36"] if command == "upgrade" else ["1"]
    args = [command, "shop", *what, "--kubeconfig", str(fake_kubeconfig), "--dry-run", "client"]
    args += flags
    assert main(args) == 0
    (sent,) = sent_actions
    keys = ("server_side_apply", "force_conflicts")
    assert {k: sent.options[k] for k in keys if k in sent.options} == options
