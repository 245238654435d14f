"""``up`` on a cluster derives the contract from the render Helm's install will make there.

The chart (tests/data/capabilities-eso) makes its database Secret through an ExternalSecret
where the cluster serves External Secrets Operator's API, and reads it either way. So what
``up`` must deliver depends on the cluster: nothing where ESO makes it, the Secret where not.
Helm's install itself is replaced by a recorder (``release_mode``): what is tested is the
render ``up`` takes its contract from, and that it hands the install the same capabilities.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_up_cli import run
from up_helpers import REPO, FakeApi, Keys

from chartsafe import _up_apply

ESO = REPO / "tests" / "data" / "capabilities-eso"


def _kubeconfig(path: Path, server: str) -> Path:
    path.write_text(
        "apiVersion: v1\nkind: Config\ncurrent-context: fake\n"
        f"clusters: [{{name: fake, cluster: {{server: '{server}'}}}}]\n"
        "users: [{name: fake, user: {token: t}}]\n"
        "contexts: [{name: fake, context: {cluster: fake, user: fake}}]\n"
    )
    return path


@pytest.mark.parametrize(
    ("groups", "progress"),
    [
        # read either way (as `chartsafe contract` lists it), made by the ExternalSecret here
        (
            {"external-secrets.io/v1": ["ExternalSecret"]},
            "2 objects; contract: 1 Secret(s) read, 1 of them created by the chart\n",
        ),
        ({}, "1 objects; contract: 1 Secret(s) read\n"),
    ],
    ids=["ESO served", "no ESO"],
)
def test_up_takes_the_contract_from_the_render_on_the_cluster(
    fake_api: FakeApi,
    age_keys: Keys,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    groups: dict[str, list[str]],
    progress: str,
) -> None:
    fake_api.groups = groups
    handed: list[Any] = []
    monkeypatch.setattr(_up_apply, "release_mode", lambda request, *_: handed.append(request))
    kubeconfig = _kubeconfig(tmp_path / "kubeconfig", fake_api.url)
    code, _, err = run(capsys, "up", "gated", str(ESO), "-n", "apps",
                       *age_keys.store_flags(tmp_path / "store.enc.yaml"), "--kubeconfig",
                       str(kubeconfig))  # fmt: skip
    assert code == 0, err
    assert f"[1/6] render: {progress}" in err
    (request,) = handed
    asked = [r for r in fake_api.requests if r[:2] == ("GET", "/apis")]
    # the install renders with what was asked for the contract, not asked anew
    capabilities = request.render.resolved().capabilities
    assert capabilities.kube_version == "v1.33.4"
    assert ("external-secrets.io/v1/ExternalSecret" in capabilities.api_versions) is bool(groups)
    assert len(asked) == 1 and asked == [r for r in fake_api.requests if r[:2] == ("GET", "/apis")]


def test_up_refuses_a_kube_version_for_a_cluster_and_writes_nothing(
    fake_api: FakeApi, age_keys: Keys, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kubeconfig = _kubeconfig(tmp_path / "kubeconfig", fake_api.url)
    store = tmp_path / "store.enc.yaml"
    code, _, err = run(capsys, "up", "gated", str(ESO), "-n", "apps", "--store", str(store),
                       "--age", age_keys.recipient, "--kube-version", "1.30.0", "--kubeconfig",
                       str(kubeconfig))  # fmt: skip
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "--kube-version 1.30.0: Helm ignores it for a release on a cluster" in err
    assert "(leave it out, or write a bundle with --out DIR to render without the cluster)" in err
    assert not store.exists()
