"""Contract hazards in ``check``: a pre-install hook reading a Secret the release creates later
fails the check (the install would hang), with the hazard explained; fixed, it passes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from chart_files import write_chart
from check_helpers import DATA, run

CHART = str(DATA / "hook-order")


def test_pre_install_hook_reading_a_later_secret_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "check", "hk", CHART, "--against", str(tmp_path))
    assert code == 1
    assert "the release needs no Secret before install" in out
    assert (
        "GAP hazard [hook-order] pre-install hook Job/hk-migrate (weight 0) reads Secret hk-db, "
        "which Secret/hk-db creates; it is created only after the hook has run." in out
    )
    assert "Fix: make it a pre-install hook with a weight below 0" in out
    assert "contract not met: 1 gap for release hk" in out
    code, out, _ = run(capsys, "check", "hk", CHART, "--against", str(tmp_path), "-o", "json")
    report = json.loads(out)
    assert code == 1 and report["secrets"] == []
    assert [(h["rule"], h["secret"], h["error"]) for h in report["hazards"]] == [
        ("hook-order", "hk-db", True)
    ]


def test_the_secret_as_an_earlier_hook_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "check", "hk", CHART, "--against", str(tmp_path),
                       "--set", "secretAsHook=true")  # fmt: skip
    assert code == 0
    assert "hazard" not in out
    assert "contract met: 0 required Secrets of release hk" in out


_UPGRADE_TEMPLATES = {
    "secret.yaml": (
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}-backup\n"
        "stringData:\n  target: s3://bucket/backups\n"
    ),
    "configmap.yaml": (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-backup\n"
        "data:\n  schedule: nightly\n"
    ),
    "job.yaml": (
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {{ .Release.Name }}-backup\n"
        "  annotations:\n    helm.sh/hook: pre-upgrade\nspec:\n  template:\n    spec:\n"
        "      restartPolicy: Never\n      containers:\n        - name: backup\n"
        "          image: example.com/backup:1.0.0\n          env:\n"
        "            - name: TARGET\n              valueFrom:\n                secretKeyRef:\n"
        "                  {name: '{{ .Release.Name }}-backup', key: target}\n"
        "          envFrom:\n            - configMapRef: {name: '{{ .Release.Name }}-backup'}\n"
    ),
}


class _Cluster:
    """A source as the cluster answers: the Secrets it holds."""

    description = "cluster (test)"

    def __init__(self, *names: str) -> None:
        from chartsafe.check import FoundSecret

        self.found = {
            ("apps", n): FoundSecret(n, "apps", "Secret", "cluster", frozenset({"target"}))
            for n in names
        }

    def find(self, namespaces: object, *, names: object = ()) -> dict[tuple[str, str], object]:
        return dict(self.found)

    def find_config_maps(self, namespaces: object, *, names: object = ()) -> object:
        from chartsafe.check import FoundConfigMaps

        return FoundConfigMaps(found={k: ("cluster", frozenset()) for k in self.found})


@pytest.mark.parametrize(
    ("is_upgrade", "in_cluster", "failed"),
    [(True, [], True), (True, ["r-backup"], False), (False, [], False)],
    ids=["new-in-this-version", "left-by-the-release", "install"],
)
def test_a_pre_upgrade_hook_needs_the_secret_the_deployed_release_left(
    tmp_path: Path, is_upgrade: bool, in_cluster: list[str], failed: bool
) -> None:
    """A chart version that adds a Secret and a pre-upgrade hook reading it: the upgrade runs
    the hook before it creates the Secret. The gate asks the cluster whether it is there."""
    from chartsafe import RenderOptions, render_chart
    from chartsafe.check import ContractNotMet, contract_gate

    chart = write_chart(tmp_path / "up", _UPGRADE_TEMPLATES, version="0.2.0")
    options = RenderOptions(release_name="r", namespace="apps", is_upgrade=is_upgrade)
    rendered = render_chart(chart, None, options)
    reports = []
    gate = contract_gate(_Cluster(*in_cluster), release="r", chart=str(chart),  # type: ignore[arg-type]
                         namespace="apps", on_report=reports.append)  # fmt: skip
    if failed:
        with pytest.raises(ContractNotMet):
            gate(rendered)
    else:
        gate(rendered)
    (report,) = reports
    hazards = [(h.rule, h.secret, h.error) for h in report.hazards]
    assert hazards == ([("upgrade-order", "r-backup", True)] if failed else [])
    late = [(c.name, c.status, c.readers) for c in report.config_maps if not c.ok]
    assert late == ([("r-backup", "late", ["pre-upgrade hook Job/r-backup (weight 0)"])]
                    if failed else [])  # fmt: skip
    if failed:
        message = report.hazards[0].message
        assert message.startswith("pre-upgrade hook Job/r-backup (weight 0) reads Secret r-backup")
        assert "the deployed release has none" in message
        assert "s3://bucket" not in message + report.hazards[0].fix


_DEPLOYED = """apiVersion: v1
kind: Secret
metadata: {name: r-backup, namespace: apps}
stringData: {target: "s3://bucket/backups"}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: r-backup, namespace: apps}
data: {schedule: nightly}
"""


@pytest.mark.parametrize(
    ("flags", "deployed", "code"),
    [(["--is-upgrade"], False, 1), (["--is-upgrade"], True, 0), ([], False, 0)],
    ids=["upgrade-new-in-this-version", "upgrade-left-by-the-release", "install"],
)
def test_check_is_upgrade_holds_the_hooks_to_what_the_deployed_release_left(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flags: list[str], deployed: bool, code: int
) -> None:
    """``check --is-upgrade`` (before a ``helm upgrade``) asks what the gate of ``chartsafe
    upgrade`` asks, of the cluster or of manifests standing for the deployed release."""
    chart = write_chart(tmp_path / "up", _UPGRADE_TEMPLATES, version="0.2.0")
    manifests = tmp_path / "deployed"
    manifests.mkdir()
    if deployed:
        (manifests / "release.yaml").write_text(_DEPLOYED)
    argv = ["check", "r", str(chart), "-n", "apps", "--against", str(manifests), *flags]
    got, out, _ = run(capsys, *argv, "-o", "json")
    assert got == code
    report = json.loads(out)
    assert report["upgrade"] is bool(flags)
    hazards = [(h["rule"], h["secret"]) for h in report["hazards"]]
    assert hazards == ([("upgrade-order", "r-backup")] if code else [])
    late = [c["name"] for c in report["configMaps"] if c["status"] == "late"]
    assert late == (["r-backup"] if code else [])
    got, out, _ = run(capsys, *argv)
    assert got == code and ("GAP hazard [upgrade-order]" in out) == bool(code)
    assert "s3://bucket" not in out
    before = "the upgrade" if flags else "install"
    assert f"the release needs no Secret before {before}\n" in out


_DEPLOYED_DIR = DATA / "deployed"
_READER = ["check", "r", str(DATA / "configmap-reader"), "-n", "tracecat",
           "--set", "hookJob=true"]  # fmt: skip


@pytest.mark.parametrize(
    ("argv", "deployed", "code", "hazards", "late"),
    [
        # The migration-Job pattern: a pre-install,pre-upgrade hook reading the release's own
        # regular Secret. An upgrade runs it by its pre-upgrade event: the Secret is there if
        # the deployed release left it, else it is an upgrade-order gap (not hook-order).
        (["check", "r", CHART, "--is-upgrade"], ["r-db.yaml"], 0, [], []),
        (["check", "r", CHART, "--is-upgrade"], [], 1, ["upgrade-order"], []),
        (["check", "r", CHART], ["r-db.yaml"], 1, ["hook-order"], []),
        # The same with a ConfigMap of the release.
        ([*_READER, "--is-upgrade"], ["app-config.yaml", "r-own.yaml"], 0, [], []),
        ([*_READER, "--is-upgrade"], ["app-config.yaml"], 1, [], ["r-own"]),
        (_READER, ["app-config.yaml", "r-own.yaml"], 1, [], ["r-own"]),
    ],
    ids=["upgrade-left", "upgrade-new", "install", "cm-left", "cm-new", "cm-install"],
)
def test_a_hook_of_both_events_is_judged_by_its_upgrade_event_in_an_upgrade(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    deployed: list[str],
    code: int,
    hazards: list[str],
    late: list[str],
) -> None:
    for name in deployed:
        (tmp_path / name).write_text((_DEPLOYED_DIR / name).read_text())
    got, out, _ = run(capsys, *argv, "--against", str(tmp_path), "-o", "json")
    report = json.loads(out)
    assert got == code, out
    assert [h["rule"] for h in report["hazards"]] == hazards
    assert [c["name"] for c in report["configMaps"] if c["status"] == "late"] == late
    notes = " ".join(c["note"] or "" for c in report["configMaps"] if c["status"] == "late")
    if "--is-upgrade" in argv and late:
        assert "the deployed release has none" in notes
    messages = " ".join(h["message"] for h in report["hazards"])
    assert ("pre-upgrade hook Job/r-migrate" in messages) == (hazards == ["upgrade-order"])
    assert "app:app" not in out
