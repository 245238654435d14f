"""Chart.yaml's ``kubeVersion``: held against the version rendered for, with Helm's verdict.

Helm's render entry point skips the check; its install action makes it (``helm template``
and ``install --dry-run=client`` refuse the chart). Each case is put to both: chartsafe's
render and Helm's own client dry-run install, which must agree.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from chart_files import write_chart

from chartsafe import KubeVersionMismatch, RenderOptions, lint_chart, render_chart
from chartsafe._errors import ChartsafeError
from chartsafe._helm_release import ClusterTarget, HelmReleases
from chartsafe.cli import main


def _chart(tmp: Path, constraint: str) -> Path:
    at = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n"
    at += "data:\n  at: {{ .Capabilities.KubeVersion.Version | quote }}\n"
    return write_chart(tmp / "ranged", {"cm.yaml": at}, metadata=f"kubeVersion: '{constraint}'\n")


def _helm_refuses(chart: Path, kube_version: str | None) -> bool:
    """Helm's own verdict: its install action, client dry run, release kept in memory."""
    with HelmReleases(ClusterTarget(namespace="default", storage="memory")) as releases:
        try:
            releases.install(chart, "ranged", {}, kube_version=kube_version, dry_run="client")
        except ChartsafeError as exc:
            assert "kubeVersion" in exc.message
            return True
    return False


@pytest.mark.parametrize(
    ("constraint", "kube_version"),
    [
        (">=1.25.0-0", None),  # the default version: Helm's and chartsafe's are the same
        (">=1.40.0-0", None),
        ("<1.37.0", "1.37.0"),
        ("<1.37.0", "1.36.5"),
        ("~1.30", "1.30.4"),
        ("~1.30", "1.31.0"),
        ("^1.29", "1.36"),
        # Helm counts a pre-release as its release (sprig's semverCompare would not)
        (">=1.25.0", "1.30.2-eks-1"),
        (">=1.25.0-0", "1.30.2-eks-1"),
        ("<1.30.0", "1.30.0-rc.1"),
        ("<=1.30.0", "1.30.0-rc.1"),
        (">=1.25.0", "1.30.2+k3s1"),
        (">= 1.20, < 1.30 || >= 1.32", "1.33.0"),
        (">= 1.20, < 1.30 || >= 1.32", "1.31.0"),
        ("not a range", "1.36.0"),
    ],
)
def test_same_verdict_as_helms_install(
    tmp_path: Path, constraint: str, kube_version: str | None
) -> None:
    chart = _chart(tmp_path, constraint)
    options = RenderOptions(kube_version=kube_version, validate=False)
    try:
        render_chart(chart, {}, options)
        refused = False
    except KubeVersionMismatch as exc:
        refused = True
        assert f"kubeVersion: {constraint} " in exc.message and exc.chart == str(chart)
    assert refused == _helm_refuses(chart, kube_version)


def test_message_names_the_version_and_whose_it_is(tmp_path: Path) -> None:
    chart = _chart(tmp_path, "<1.30.0-0")
    with pytest.raises(KubeVersionMismatch) as default:
        render_chart(chart, {}, RenderOptions(validate=False))
    assert "incompatible with Kubernetes v1.36.0" in default.value.message
    assert "chartsafe's default" in (default.value.hint or "")
    with pytest.raises(KubeVersionMismatch) as given:
        render_chart(chart, {}, RenderOptions(kube_version="1.31", validate=False))
    assert "incompatible with Kubernetes v1.31" in given.value.message
    assert "chartsafe's default" not in (given.value.hint or "")
    assert render_chart(chart, {}, RenderOptions(kube_version="1.29.3")).objects


def test_template_exits_2_and_lint_reports_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chart = str(_chart(tmp_path, "<1.30.0-0"))
    assert main(["template", chart]) == 2
    assert "requires kubeVersion: <1.30.0-0 which" in capsys.readouterr().err
    result = lint_chart(chart)
    errors = [f for f in result.findings if f.severity == "error"]
    assert [f.origin for f in errors] == ["render"]
    assert "requires kubeVersion" in errors[0].message
    assert main(["lint", chart, "--kube-version", "1.29.0"]) == 0


@pytest.mark.parametrize(("kube_version", "checked"), [(None, False), ("1.33.0", True)])
def test_release_commands_leave_the_cluster_version_to_helm(
    kube_version: str | None, checked: bool
) -> None:
    """With no --kube-version, install/upgrade/up render for a cluster whose version only
    Helm's install learns, and it checks the range itself; a version given is checked."""
    options = RenderOptions(kube_version=kube_version).for_release("r", "apps")
    assert options.check_kube_version is checked
    assert RenderOptions(kube_version=kube_version).check_kube_version
