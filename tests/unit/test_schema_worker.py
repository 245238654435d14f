"""Validation in the forked worker (``chartsafe._schema_worker``).

The console script forks a process that builds the Kubernetes schemas beside the
parent; these tests hold it to the verdicts of validating in process, on every
outcome (problems, CRD schemas, kinds nobody knows), to its fallback when the
worker is gone, to its leaving no process behind, and to when the CLI uses it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from chartsafe import RenderOptions, ValuesInput, render_chart
from chartsafe import _schema_worker as worker
from chartsafe.cli import _validates_in_worker, main

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data"

#: Renders a chart in a child Python with a worker started first; prints the verdicts.
SCRIPT = """
import json, sys
from pathlib import Path
from chartsafe import _schema_worker
assert _schema_worker.start()
{before}
from chartsafe import RenderOptions, ValuesInput, render_chart
files = [Path(f) for f in sys.argv[2:]]
result = render_chart(sys.argv[1], ValuesInput(files=files), RenderOptions(release_name="t"))
print(json.dumps({{
    "problems": [str(p) for p in result.problems],
    "not_validated": [o.kind + "/" + o.name for o in result.not_validated],
    "schemas_in_parent": "jsonschema_rs" in sys.modules,
}}))
"""

CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gadgets.example.org}
spec:
  group: example.org
  names: {kind: Gadget, plural: gadgets}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                size: {type: integer}
"""


def _crd_violation(tmp_path: Path) -> Path:
    """A chart whose custom resource breaks the CRD it ships in crds/."""
    chart = tmp_path / "gadgets"
    (chart / "crds").mkdir(parents=True)
    (chart / "templates").mkdir()
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: gadgets\nversion: 0.1.0\n")
    (chart / "crds" / "gadget.yaml").write_text(CRD)
    (chart / "templates" / "g.yaml").write_text(
        "apiVersion: example.org/v1\nkind: Gadget\nmetadata: {name: g}\n"
        "spec: {size: big, colour: red}\n"
    )
    return chart


def _charts(tmp_path: Path) -> dict[str, tuple[Path, list[Path]]]:
    tracecat = REPO / "charts" / "tracecat"
    return {
        "problems": (DATA / "invalid-objects", []),
        "unknown kinds": (DATA / "custom-resources", []),
        "CRD schemas": (DATA / "crd-files", []),
        "CRD violation": (_crd_violation(tmp_path), []),
        "tracecat": (tracecat, [tracecat / "examples" / "values-aws.yaml"]),
    }


def _in_process(chart: Path, files: list[Path]) -> dict[str, Any]:
    result = render_chart(chart, ValuesInput(files=files), RenderOptions(release_name="t"))
    return {
        "problems": [str(p) for p in result.problems],
        "not_validated": [o.kind + "/" + o.name for o in result.not_validated],
    }


def _with_worker(chart: Path, files: list[Path], before: str = "") -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(before=before), str(chart), *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    verdicts: dict[str, Any] = json.loads(done.stdout)
    return verdicts


@pytest.mark.parametrize("case", ["problems", "unknown kinds", "CRD schemas", "CRD violation",
                                  "tracecat"])  # fmt: skip
def test_the_worker_gives_the_in_process_verdicts(case: str, tmp_path: Path) -> None:
    chart, files = _charts(tmp_path)[case]
    expected = _in_process(chart, files)
    got = _with_worker(chart, files)
    assert got.pop("schemas_in_parent") is False  # validated in the worker, not here
    assert got == expected
    if case in ("problems", "CRD violation"):
        assert expected["problems"]  # the comparison covers real violations


#: Ways a worker fails the parent: dead before the request, or hung (stopped) with a
#: short stall limit. Either way the parent validates in process, with the same verdicts.
HARMS = {
    "dead": "pid = _schema_worker._WORKER[0].pid\nos.kill(pid, signal.SIGKILL)\n"
    "os.waitpid(pid, 0)\n",
    "hung": "_schema_worker.STALL_SECONDS = 0.5\n"
    "os.kill(_schema_worker._WORKER[0].pid, signal.SIGSTOP)\n",
}


@pytest.mark.parametrize("harm", sorted(HARMS))
def test_a_failed_worker_means_validating_in_process(harm: str, tmp_path: Path) -> None:
    chart, files = _charts(tmp_path)["CRD violation"]
    got = _with_worker(chart, files, before="import os, signal\n" + HARMS[harm])
    assert got.pop("schemas_in_parent") is True
    assert got == _in_process(chart, files)


def _gone(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] in ("Z", "X")  # exited, not yet reaped


def test_the_worker_exits_with_its_parent() -> None:
    """A parent that never asks (bad input, say) leaves no process behind."""
    code = (
        "from chartsafe import _schema_worker\n"
        "assert _schema_worker.start()\n"
        "print(_schema_worker._WORKER[0].pid)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    pid = int(done.stdout)
    deadline = time.monotonic() + 60
    while not _gone(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _gone(pid)


def test_no_fork_while_another_thread_runs() -> None:
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert worker.start() is False
        assert not worker.ready()
    finally:
        release.set()
        thread.join()


@pytest.mark.parametrize(
    ("args", "forks"),
    [
        (["template", "c"], True),
        (["lint", "c", "-f", "v.yaml"], True),
        (["template", "c", "--no-validate"], False),
        (["template", "c", "--kube-version", "1.30.0"], False),
        (["template", "c", "--kube-version=1.30.0"], False),
        (["lint", "c", "--crd-dir", "crds"], False),
        (["install", "r", "c"], False),  # spends its time on the cluster
        (["audit", "c"], False),
        (["--version"], False),
        ([], False),
    ],
)
def test_which_command_lines_validate_in_a_worker(args: list[str], forks: bool) -> None:
    assert _validates_in_worker(args) is forks


def test_the_console_script_prints_what_main_prints(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["template", str(DATA / "invalid-objects")]
    code = main(args)
    expected = capsys.readouterr()
    done = subprocess.run(
        [sys.executable, "-m", "chartsafe", *args], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout, done.stderr) == (code, expected.out, expected.err)
    assert code == 1 and "invalid:" in expected.err


@pytest.mark.parametrize("told_to_go", [False, True])
def test_the_worker_builds_nothing_before_it_is_told_to_go(
    told_to_go: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before go() the child only waits, leaving the core to Helm's engine starting up."""
    import os

    from chartsafe import SchemaValidator

    prepared: list[bool] = []
    monkeypatch.setattr(SchemaValidator, "prepare", lambda self: prepared.append(True))
    requests_in, requests_out = os.pipe()
    answers_in, answers_out = os.pipe()
    if told_to_go:
        os.write(requests_out, worker._GO)
    os.close(requests_out)  # then the parent goes away without asking
    try:
        worker._serve(requests_in, answers_out)
    finally:
        for fd in (requests_in, answers_in, answers_out):
            os.close(fd)
    assert prepared == ([True] if told_to_go else [])


@pytest.mark.parametrize("stalled", [False, True])
def test_closing_waits_only_for_a_stalled_worker(stalled: bool) -> None:
    """An answered worker exits by itself: the parent prints without waiting for that."""
    import os
    import signal

    pid = os.posix_spawnp("sleep", ["sleep", "30"], dict(os.environ))  # not exited yet
    fds = [*os.pipe(), *os.pipe()]
    try:
        worker._close(worker._Worker(pid, fds[1], fds[2]), stalled=stalled)
        if stalled:  # killed and reaped: no such process any more
            with pytest.raises(ProcessLookupError):
                os.kill(pid, 0)
        else:
            assert not _gone(pid)
    finally:
        if not stalled:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        for fd in (fds[0], fds[3]):
            os.close(fd)


def test_the_worker_side_of_validation_imports_no_helm_code() -> None:
    # The worker imports _schema (and K8sObject) right after the fork, on the core that
    # typer's import and Helm's engine share at start-up; Helm's modules are not its to load.
    code = "import sys, chartsafe._schema; print(sorted(m for m in sys.modules if 'helm' in m))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout.replace("'", '"')) == []
