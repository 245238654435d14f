"""A Secret read only by a ``helm test`` hook is not needed before install (user trial,
review-charts §6): Helm's install and upgrade never run test hooks. It is listed as needed by
``chartsafe test``, never fails ``check``, the install gate or ``up``, and is filled and
delivered as an optional Secret is (made when a generator can, left unset otherwise).
``check --skip-tests`` leaves the test hooks out, as ``template --skip-tests`` does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from chart_files import env_deployment

from chartsafe.cli import main

TEST_POD = """apiVersion: v1
kind: Pod
metadata:
  name: "{{ .Release.Name }}-test-connection"
  annotations: {helm.sh/hook: EVENTS}
spec:
  restartPolicy: Never
  containers:
    - name: c
      image: busybox
      env:
        - {name: API_TOKEN, valueFrom: {secretKeyRef: {name: smoke-test-creds, key: api-token}}}
"""
APP = env_deployment(
    "{name: API_TOKEN, valueFrom: {secretKeyRef: {name: smoke-test-creds, key: api-token}}}",
)


def _chart(root: Path, events: str, *, app: bool = False) -> Path:
    (root / "templates").mkdir(parents=True)
    (root / "Chart.yaml").write_text("apiVersion: v2\nname: testhook\nversion: 0.1.0\n")
    (root / "templates" / "test.yaml").write_text(TEST_POD.replace("EVENTS", events))
    (root / "templates" / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n"
    )
    if app:
        (root / "templates" / "app.yaml").write_text(APP)
    return root


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# (id, hook events, a Deployment reads it too, check's exit code, testOnly)
CASES = [
    ("a test hook only", "test", False, 0, True),
    ("helm 2's test-success", "test-success", False, 0, True),
    ("a test hook and a Deployment", "test", True, 1, False),
    ("a pre-install hook", "pre-install", False, 1, False),
]


@pytest.mark.parametrize(
    ("events", "app", "code", "test_only"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_a_secret_only_test_hooks_read_is_not_needed_for_install(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    events: str,
    app: bool,
    code: int,
    test_only: bool,
) -> None:
    chart = str(_chart(tmp_path / "c", events, app=app))
    empty = tmp_path / "none"  # a GitOps folder that creates no Secret
    empty.mkdir()
    got, out, err = _run(capsys, "check", "r", chart, "--against", str(empty))
    assert got == code, out + err
    assert ("only helm test hooks read it" in out) is test_only
    _, out, _ = _run(capsys, "contract", "r", chart, "--required", "-o", "json")
    (secret,) = json.loads(out)["secrets"]
    assert (secret["name"], secret["testOnly"], secret["optional"]) == (
        "smoke-test-creds",
        test_only,
        test_only,
    )
    _, out, _ = _run(capsys, "contract", "r", chart, "-o", "markdown")
    origin = "- Must exist before chartsafe test (helm test) only: install does not read it."
    assert (origin in out.splitlines()) is test_only, out


def test_check_skip_tests_leaves_the_test_hooks_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chart = str(_chart(tmp_path / "c", "test"))
    empty = tmp_path / "none"  # a GitOps folder that creates no Secret
    empty.mkdir()
    code, out, err = _run(capsys, "check", "r", chart, "--against", str(empty), "--skip-tests",
                          "-o", "json")  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["secrets"] == []


def test_up_neither_stops_for_nor_delivers_an_unset_test_credential(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], age_recipient: str
) -> None:
    chart = str(_chart(tmp_path / "c", "test"))
    store = tmp_path / "s.sops.yaml"
    code, _, err = _run(capsys, "up", "r", chart, "--store", str(store), "--age", age_recipient,
                        "--out", str(tmp_path / "b"))  # fmt: skip
    assert code == 0, err
    assert (
        "1 optional Secret left unset: default/smoke-test-creds (only helm test reads it; key "
        "api-token not set in the store; set it with `chartsafe secrets set -n default "
        f"smoke-test-creds api-token --store {store}`)"
    ) in err
