"""``chartsafe test``: Helm's test action through the SDK, against a fake that runs test pods.

The release ``db`` of tests/data/release/tested has two test pods and a Secret holding
its password; its connection test's log prints that password, as a careless test can.
What the report shows comes back from the record Helm's action wrote
(``hook_pods_fake`` keeps what it PUTs).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hook_pods_fake import HookPodsApi, serving_hook_pods
from release_fake_api import DATA, kubeconfig_for, release_record

from chartsafe.cli import main

PASSWORD = "pw-test-hook-5521"
CONNECTION, SLOW = "db-test-connection", "db-test-slow"
LOG = f"connecting as app with {PASSWORD}\nok\n"


@pytest.fixture(scope="module")
def record() -> dict[str, Any]:
    entry = {"name": "db", "namespace": "apps", "version": 1, "status": "deployed",
             "description": "Install complete", "values": {"password": PASSWORD}}  # fmt: skip
    return release_record(entry, DATA / "tested")


@pytest.fixture
def api(record: dict[str, Any]) -> Iterator[HookPodsApi]:
    fake = HookPodsApi(records=[copy.deepcopy(record)], logs={CONNECTION: LOG, SLOW: "zzz\n"})
    with serving_hook_pods(fake) as served:
        yield served


@pytest.fixture
def kubeconfig(api: HookPodsApi, tmp_path: Path) -> Path:
    return kubeconfig_for(api.server, tmp_path / "kubeconfig", namespace="apps")


def _run(kubeconfig: Path, *args: str) -> int:
    return main(["test", "db", "--kubeconfig", str(kubeconfig), *args])


def test_every_test_pod_runs_and_the_report_comes_from_the_record(
    api: HookPodsApi, kubeconfig: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(kubeconfig) == 0
    out = capsys.readouterr().out
    assert api.created == [CONNECTION, SLOW]  # by hook weight
    lines = out.splitlines()
    assert lines[:5] == ["NAME: db", "LAST DEPLOYED: Thu Jan  1 10:00:00 2026", "NAMESPACE: apps",
                         "STATUS: deployed", "REVISION: 1"]  # fmt: skip
    for name in (CONNECTION, SLOW):
        at = lines.index(f"TEST SUITE:     {name}")
        assert lines[at + 1].startswith("Last Started:   20")  # Helm's own timestamps
        assert lines[at + 2].startswith("Last Completed: 20")
        assert lines[at + 3] == "Phase:          Succeeded"
    assert "NOTES:\nConnect with the password in Secret db-db." in out
    assert "POD LOGS" not in out
    assert PASSWORD not in out


def test_logs_are_masked_unless_revealed(
    api: HookPodsApi, kubeconfig: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(kubeconfig, "--logs") == 0
    out, err = capsys.readouterr()
    assert f"POD LOGS: {CONNECTION}\nconnecting as app with " in out
    assert PASSWORD not in out + err
    assert "secret values masked; pass --reveal" in err
    assert _run(kubeconfig, "--logs", "--reveal") == 0
    assert f"connecting as app with {PASSWORD}\nok" in capsys.readouterr().out


def test_a_failed_test_exits_1_after_its_report_and_its_logs(
    api: HookPodsApi, kubeconfig: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The SDK returns no logs for a failed run: chartsafe reads the left pod's itself."""
    api.phases[CONNECTION] = "Failed"
    assert _run(kubeconfig, "--logs") == 1
    out, err = capsys.readouterr()
    assert "Phase:          Failed" in out
    assert f"POD LOGS: {CONNECTION}\nconnecting as app with " in out
    assert PASSWORD not in out + err
    error = [line for line in err.splitlines() if line.startswith("chartsafe:")]
    assert any("test db failed" in line and CONNECTION in line for line in error), err
    assert "Traceback" not in err


def test_filters_pick_the_tests_by_name(
    api: HookPodsApi, kubeconfig: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(kubeconfig, "--filter", f"!name={SLOW}") == 0
    assert api.created == [CONNECTION]
    out = capsys.readouterr().out
    assert f"TEST SUITE:     {CONNECTION}" in out
    assert SLOW not in out
    api.created.clear()
    assert _run(kubeconfig, "--filter", f"name={SLOW}") == 0
    assert api.created == [SLOW]


def test_a_test_that_never_finishes_fails_at_the_timeout(
    api: HookPodsApi, kubeconfig: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    api.phases[CONNECTION] = "Pending"
    assert _run(kubeconfig, "--timeout", "1s") == 1
    err = capsys.readouterr().err
    assert "test db failed" in err


def test_json_report(
    api: HookPodsApi, kubeconfig: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(kubeconfig, "--logs", "-o", "json", "--hide-notes") == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["passed"] is True
    assert [t["name"] for t in shown["tests"]] == [CONNECTION, SLOW]
    assert {t["phase"] for t in shown["tests"]} == {"Succeeded"}
    assert shown["notes"] == ""
    assert PASSWORD not in json.dumps(shown)


#: (id, args, words of the one line); bad input, exit 2.
BAD = [
    ("filter on another attribute", ["--filter", "label=x"], ["--filter label=x", "name=NAME"]),
    ("filter without a value", ["--filter", "name="], ["--filter name=", "name=NAME"]),
    ("timeout not a duration", ["--timeout", "soon"], ["--timeout soon", "not a duration"]),
]


@pytest.mark.parametrize(("args", "words"), [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_input_is_one_line(
    api: HookPodsApi,
    kubeconfig: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    words: list[str],
) -> None:
    assert _run(kubeconfig, *args) == 2
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    for word in words:
        assert word in lines[0]
    assert api.created == []


def test_no_such_release_is_exit_2(
    api: HookPodsApi, kubeconfig: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["test", "nothing", "--kubeconfig", str(kubeconfig)]) == 2
    assert "no release 'nothing' in namespace apps" in capsys.readouterr().err


def test_status_shows_the_last_test_run_as_helm_does(
    api: HookPodsApi, kubeconfig: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = ["status", "db", "--kubeconfig", str(kubeconfig)]
    assert main(status) == 0
    assert "TEST SUITE" not in capsys.readouterr().out  # test hooks, none run yet
    api.phases[SLOW] = "Failed"
    assert _run(kubeconfig) == 1
    capsys.readouterr()
    assert main(status) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    phases = {lines[i].split()[-1]: lines[i + 3] for i, line in enumerate(lines)
              if line.startswith("TEST SUITE:")}  # fmt: skip
    assert phases == {CONNECTION: "Phase:          Succeeded", SLOW: "Phase:          Failed"}
    assert main([*status, "-o", "json"]) == 0
    tests = json.loads(capsys.readouterr().out)["tests"]
    assert [(t["name"], t["phase"]) for t in tests] == [(CONNECTION, "Succeeded"), (SLOW, "Failed")]
