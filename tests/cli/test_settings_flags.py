"""Helm's action flags reach the release action as one ReleaseSettings (cli/_settings_flags).

Each command names the flags it takes in one table; these tests give every one of them a
value other than its default and compare the ReleaseSettings the library function
receives, field by field, with what the flags mean: a flag dropped from a table, mapped to
the wrong field or not converted (``--timeout 1h30m`` in seconds, ``--labels`` as a
mapping) fails here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from chartsafe._release_settings import ReleaseSettings
from chartsafe.cli import main
from chartsafe.cli._settings_flags import takes_settings

CHART = Path(__file__).resolve().parents[2] / "charts" / "agentapi-proxy"

#: Flags every command below takes, with their meaning.
_COMMON = (["--wait", "--timeout", "1h30m", "--dry-run", "server", "--wait-for-jobs"],
           {"wait": True, "timeout": 5400, "dry_run": "server", "wait_for_jobs": True})  # fmt: skip

#: (command line before the flags, library function to stand in for, the command's own
#: flags, what they mean in ReleaseSettings).
CASES: list[tuple[list[str], str, list[str], dict[str, Any]]] = [
    (["install", "r", str(CHART)], "chartsafe._release.install_release",
     ["--create-namespace", "--atomic", "--no-hooks", "--skip-crds", "--labels", "team=a,tier=b",
      "--take-ownership", "--server-side", "false", "--replace", "--disable-openapi-validation",
      "--description", "first", "--render-subchart-notes"],
     {"create_namespace": True, "atomic": True, "no_hooks": True, "skip_crds": True,
      "labels": {"team": "a", "tier": "b"}, "take_ownership": True, "server_side": "false",
      "replace": True, "disable_openapi_validation": True, "description": "first",
      "subchart_notes": True}),
    (["upgrade", "r", str(CHART)], "chartsafe._release.upgrade_release",
     ["-i", "--create-namespace", "--atomic", "--cleanup-on-fail", "--history-max", "3",
      "--reset-values", "--reuse-values", "--reset-then-reuse-values", "--no-hooks",
      "--skip-crds", "--labels", "team=a", "--take-ownership", "--force-replace",
      "--server-side", "auto", "--force-conflicts", "--disable-openapi-validation",
      "--description", "second", "--render-subchart-notes"],
     {"install": True, "create_namespace": True, "atomic": True, "cleanup_on_fail": True,
      "max_history": 3, "reset_values": True, "reuse_values": True,
      "reset_then_reuse_values": True, "no_hooks": True, "skip_crds": True,
      "labels": {"team": "a"}, "take_ownership": True, "force_replace": True,
      "server_side": "auto", "force_conflicts": True, "disable_openapi_validation": True,
      "description": "second", "subchart_notes": True}),
    (["rollback", "r", "2"], "chartsafe._release_undo.rollback_release",
     ["--no-hooks", "--force-replace", "--cleanup-on-fail", "--history-max", "0",
      "--server-side", "true", "--force-conflicts"],
     {"no_hooks": True, "force_replace": True, "cleanup_on_fail": True, "max_history": 0,
      "server_side": "true", "force_conflicts": True}),
    (["up", "r", str(CHART), "--store", "{store}"], "chartsafe._up.up",
     ["--create-namespace", "--atomic", "--cleanup-on-fail", "--history-max", "5",
      "--take-ownership", "--server-side", "false", "--force-conflicts",
      "--disable-openapi-validation", "--labels", "tier=b", "--description", "by up"],
     {"create_namespace": True, "atomic": True, "cleanup_on_fail": True, "max_history": 5,
      "take_ownership": True, "server_side": "false", "force_conflicts": True,
      "disable_openapi_validation": True, "labels": {"tier": "b"}, "description": "by up"}),
]  # fmt: skip


class _Received(Exception):
    """Raised by the stand-in once it has the settings: nothing reaches a cluster."""


@pytest.mark.parametrize(
    ("command", "function", "flags", "meaning"), CASES, ids=[c[0][0] for c in CASES]
)
def test_every_action_flag_reaches_the_settings(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    command: list[str],
    function: str,
    flags: list[str],
    meaning: dict[str, Any],
) -> None:
    received: list[ReleaseSettings] = []

    def stand_in(*args: Any, **kwargs: Any) -> None:
        settings = kwargs.get("settings") or getattr(args[0], "settings", None)
        received.append(settings)
        raise _Received

    monkeypatch.setattr(function, stand_in)
    monkeypatch.setenv("CHARTSAFE_DEBUG", "1")  # main re-raises what it would call a bug
    argv = [a.format(store=tmp_path / "s.sops.yaml") for a in command]
    with pytest.raises(_Received):
        main([*argv, "-n", "ns", *_COMMON[0], *flags])
    assert received == [ReleaseSettings(**_COMMON[1], **meaning)]


def test_a_flag_missing_from_the_table_is_refused_when_the_command_is_defined() -> None:
    with pytest.raises(ValueError, match="no such flag wiat"):
        takes_settings("wait", "wiat")
