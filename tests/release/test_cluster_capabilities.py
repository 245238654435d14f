"""On a cluster, chartsafe's render takes the cluster's ``.Capabilities``, as Helm's does.

Helm's install and upgrade against a cluster (and with ``--dry-run=server``) render with the
cluster's own version and the API versions its discovery lists, and ignore ``--kube-version``
and ``--api-versions``. The render chartsafe validates, gates and derives the contract from
must be that one: the capabilities chart (tests/data/capabilities) prints them into a
ConfigMap, and the fake API server says which version and groups the cluster has.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from chart_files import write_chart
from release_fake_api import FakeApi

from chartsafe import Capabilities, ClusterAccess, cluster_capabilities
from chartsafe._errors import CheckFailed
from chartsafe._helm_release import ClusterTarget, HelmReleases
from chartsafe._release import install_release
from chartsafe._render import RenderResult
from chartsafe.cli import main

CAPS = Path(__file__).resolve().parents[1] / "data" / "capabilities"


class Stop(CheckFailed):
    """Raised by the test's gate: the render was seen, nothing more is wanted."""


def _seen(fake_kubeconfig: Path, chart: Path = CAPS) -> RenderResult:
    """The render install's gate sees (validation has passed by then)."""
    seen: list[RenderResult] = []

    def gate(result: RenderResult) -> None:
        seen.append(result)
        raise Stop("seen")

    target = ClusterTarget(namespace="apps", access=ClusterAccess(kubeconfig=fake_kubeconfig))
    with pytest.raises(Stop):
        install_release("caps", chart, {}, target=target, gate=gate)
    return seen[0]


def _config_map(objects: list[Any]) -> dict[str, str]:
    (found,) = [o.body["data"] for o in objects if o.kind == "ConfigMap"]
    return dict(found)


def test_capabilities_are_helms_own(fake_api: FakeApi, fake_kubeconfig: Path) -> None:
    fake_api.kube_version = "v1.31.4"
    fake_api.groups = {"a/v1": ["Thing"]}
    target = ClusterTarget(access=ClusterAccess(kubeconfig=fake_kubeconfig))
    found = cluster_capabilities(target)
    assert isinstance(found, Capabilities)
    assert found.kube_version == "v1.31.4"
    assert {"v1", "apps/v1", "a/v1", "a/v1/Thing", "v1/Secret"} <= set(found.api_versions)
    assert "b/v1" not in found.api_versions
    # Asked as Helm's install asks; no release record read or written (memory storage).
    assert not [r for r in fake_api.requests if "secrets" in r or not r.startswith("GET")]


@pytest.mark.parametrize(
    ("version", "groups", "expected"),
    [
        ("v1.31.4", {"a/v1": ["Thing"]}, {"kube": "v1.31.4", "a": "true", "b": "false"}),
        ("v1.29.1", {"b/v1": ["Other"]}, {"kube": "v1.29.1", "a": "false", "b": "true"}),
    ],
)
def test_install_validates_and_gates_the_render_helm_makes_there(
    fake_api: FakeApi,
    fake_kubeconfig: Path,
    version: str,
    groups: dict[str, list[str]],
    expected: dict[str, str],
) -> None:
    fake_api.kube_version, fake_api.groups = version, groups
    seen = _seen(fake_kubeconfig)
    assert _config_map(seen.objects) == {**expected, "val": "unset"}
    assert seen.validated and not seen.problems


def test_helms_server_dry_run_renders_the_same(
    fake_api: FakeApi, fake_kubeconfig: Path, without_openapi: None
) -> None:
    """The oracle: Helm's own install on the same cluster (a server dry run, which sends the
    objects with dryRun=All) renders the ConfigMap chartsafe validated."""
    fake_api.kube_version, fake_api.groups = "v1.30.2", {"a/v1": ["Thing"]}
    fake_api.accepts_objects = True
    ours = _config_map(_seen(fake_kubeconfig).objects)
    target = ClusterTarget("apps", ClusterAccess(kubeconfig=fake_kubeconfig), "memory")
    with HelmReleases(target) as releases:
        helms = releases.install(CAPS, "caps", {}, dry_run="server")
    (config_map,) = [d for d in yaml.safe_load_all(helms["manifest"]) if d]
    assert ours == config_map["data"]
    assert ours["kube"] == "v1.30.2" and ours["a"] == "true"


@pytest.mark.parametrize(
    ("version", "schemas", "validated_against"),
    [("v1.39.2", "1.37", "1.37"), ("v1.22.17", "1.25", "1.25"), ("v1.33.0-eks-4", None, None)],
)
def test_a_cluster_version_without_schemas_is_validated_against_the_nearest(
    fake_api: FakeApi,
    fake_kubeconfig: Path,
    version: str,
    schemas: str | None,
    validated_against: str | None,
) -> None:
    """A cluster's version is not refused as an unknown --kube-version is: the nearest
    schema set serves, and the render says so."""
    fake_api.kube_version = version
    seen = _seen(fake_kubeconfig)
    assert seen.validated and _config_map(seen.objects)["kube"] == version
    notes = [w for w in seen.warnings if "kubernetes-validate has schemas" in w]
    if schemas is None:
        assert notes == []
    else:
        assert notes == [
            f"the cluster runs Kubernetes {version} and kubernetes-validate has schemas for "
            f"1.25 to 1.37: objects were validated against {validated_against}"
        ]


@pytest.mark.parametrize(
    ("version", "refused"), [("v1.31.4", True), ("v1.29.8", False), ("v1.29.8-gke.100", False)]
)
def test_the_charts_kube_version_is_held_to_the_clusters(
    fake_api: FakeApi,
    fake_kubeconfig: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    version: str,
    refused: bool,
) -> None:
    chart = write_chart(tmp_path / "capped", {"cm.yaml": (CAPS / "templates/cm.yaml").read_text()},
                        metadata="kubeVersion: '<1.30.0-0'\n")  # fmt: skip
    fake_api.kube_version = version
    code = main(["install", "capped", str(chart), "--kubeconfig", str(fake_kubeconfig),
                 "--skip-check", "--set", "val=x"])  # fmt: skip
    err = capsys.readouterr().err
    if refused:
        assert code == 2 and len(err.strip().splitlines()) == 1
        assert (
            f"requires kubeVersion: <1.30.0-0 which is incompatible with Kubernetes {version}"
            in err
        )
        assert "(the cluster's version: install a chart version that supports it)" in err
        assert all(r.startswith("GET") for r in fake_api.requests)  # nothing sent
    else:
        assert "requires kubeVersion" not in err


@pytest.mark.parametrize(
    "command",
    [
        ["install", "caps", str(CAPS)],
        ["install", "caps", str(CAPS), "--dry-run", "server"],
        ["upgrade", "caps", str(CAPS)],
        ["upgrade", "--install", "caps", str(CAPS)],
        ["diff", "upgrade", "caps", str(CAPS)],
    ],
    ids=lambda c: (
        " ".join(c[:2] if c[1] != "caps" else c[:1]) + (" server" if "server" in c else "")
    ),
)
@pytest.mark.parametrize(
    ("flag", "shown"),
    [(["--kube-version", "1.29.0"], "--kube-version 1.29.0"),
     (["-a", "x.example.com/v1"], "--api-versions x.example.com/v1")],
)  # fmt: skip
def test_flags_helm_ignores_on_a_cluster_are_refused_before_it_is_asked(
    fake_api: FakeApi,
    fake_kubeconfig: Path,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
    flag: list[str],
    shown: str,
) -> None:
    code = main([*command, *flag, "--kubeconfig", str(fake_kubeconfig)])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert f"{shown}: Helm ignores it for a release on a cluster" in err
    assert "to render without the cluster" in err
    assert not [r for r in fake_api.requests if r.startswith(("GET /api", "GET /version"))]


def test_a_client_dry_run_keeps_the_flags_and_asks_no_cluster(
    capsys: pytest.CaptureFixture[str], closed_kubeconfig: Path
) -> None:
    code = main(["install", "caps", str(CAPS), "--dry-run", "client", "--kube-version", "1.29.0",
                 "-a", "a/v1", "--kubeconfig", str(closed_kubeconfig)])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert '  kube: "v1.29.0"' in out and '  a: "true"' in out


ESO = Path(__file__).resolve().parents[1] / "data" / "capabilities-eso"


@pytest.mark.parametrize(
    ("groups", "code", "said"),
    [
        ({"external-secrets.io/v1": ["ExternalSecret"]}, 0, "contract met: 0 required Secrets"),
        ({}, 1, "GAP Secret apps/gated-db: MISSING"),
    ],
    ids=["ESO served", "no ESO"],
)
def test_check_against_the_cluster_renders_with_its_capabilities(
    fake_api: FakeApi,
    fake_kubeconfig: Path,
    capsys: pytest.CaptureFixture[str],
    groups: dict[str, list[str]],
    code: int,
    said: str,
) -> None:
    """The chart makes its Secret through an ExternalSecret where ESO's API is served: there
    the release brings it, elsewhere it must exist first. Rendered for chartsafe's default
    API versions, the check would call it missing on both clusters."""
    fake_api.groups = groups
    args = ["check", "gated", str(ESO), "--against", "cluster", "--kubeconfig",
            str(fake_kubeconfig)]  # fmt: skip
    assert main(args) == code
    assert said in capsys.readouterr().out


def test_diff_upgrade_renders_the_new_side_as_the_upgrade_will(
    fake_api: FakeApi, fake_kubeconfig: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chartsafe import _diff

    rendered: list[RenderResult] = []
    real = _diff.render_chart

    def spy(*args: Any, **kwargs: Any) -> RenderResult:
        rendered.append(real(*args, **kwargs))
        return rendered[-1]

    monkeypatch.setattr(_diff, "render_chart", spy)
    fake_api.kube_version, fake_api.groups = "v1.32.1", {"a/v1": ["Thing"]}
    # the deployed release is another chart: its diff is the whole ConfigMap
    main(["diff", "upgrade", "shop", str(CAPS), "--kubeconfig", str(fake_kubeconfig)])
    (result,) = rendered
    data = _config_map(result.objects)
    assert (data["kube"], data["a"], data["b"]) == ("v1.32.1", "true", "false")
