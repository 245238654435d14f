"""Release commands follow ``$HELM_KUBECONTEXT`` and ``$HELM_NAMESPACE`` as helm does.

The context reaches Helm's SDK as well as chartsafe's own reads: the kubeconfig here has
a current context whose server refuses connections and a ``fake`` one, in namespace
``default``, whose server holds release ``shop`` in ``apps``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from release_fake_api import FakeApi


@pytest.fixture
def two_contexts(fake_api: FakeApi, tmp_path: Path, refused_port: int) -> Path:
    closed = f"http://127.0.0.1:{refused_port}"
    path = tmp_path / "kubeconfig"
    path.write_text(
        yaml.safe_dump(
            {
                "clusters": [{"name": "fake", "cluster": {"server": fake_api.server}},
                             {"name": "closed", "cluster": {"server": closed}}],
                "users": [{"name": "u", "user": {"token": "not-a-real-token"}}],
                "contexts": [{"name": "fake", "context": {"cluster": "fake", "user": "u"}},
                             {"name": "closed", "context": {"cluster": "closed", "user": "u"}}],
                "current-context": "closed",
            }
        )
    )  # fmt: skip
    return path


def _list(
    kubeconfig: Path,
    environment: dict[str, str],
    flags: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[int, str, str]:
    """``chartsafe list -o json`` with helm's ``environment`` exported."""
    from chartsafe.cli import main

    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    code = main(["list", "--kubeconfig", str(kubeconfig), "-o", "json", *flags])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("environment", "flags", "listed"),
    [
        ({"HELM_KUBECONTEXT": "fake", "HELM_NAMESPACE": "apps"}, [], ["shop"]),
        ({"HELM_KUBECONTEXT": "fake"}, ["-n", "apps"], ["shop"]),
        ({"HELM_KUBECONTEXT": "fake"}, [], []),  # the context's namespace: default
        ({"HELM_KUBECONTEXT": "closed"}, ["--kube-context", "fake", "-n", "apps"], ["shop"]),
        ({"HELM_NAMESPACE": "apps"}, ["--kube-context", "fake"], ["shop"]),
        ({"HELM_NAMESPACE": "apps"}, ["--kube-context", "fake", "-n", "default"], []),
    ],
    ids=["both", "-n", "context's namespace", "--kube-context over $HELM_KUBECONTEXT",
         "$HELM_NAMESPACE", "-n over $HELM_NAMESPACE"],
)  # fmt: skip
def test_list_reads_where_helm_would(
    environment: dict[str, str],
    flags: list[str],
    listed: list[str],
    two_contexts: Path,
    fake_api: FakeApi,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, out, err = _list(two_contexts, environment, flags, capsys, monkeypatch)
    assert code == 0, err
    assert [release["name"] for release in json.loads(out)] == listed
    namespace = "apps" if listed else "default"
    assert f"GET /api/v1/namespaces/{namespace}/secrets" in fake_api.requests


def test_without_them_the_current_context_is_used(
    two_contexts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from chartsafe.cli import main

    assert main(["list", "--kubeconfig", str(two_contexts), "-n", "apps"]) == 2
    assert "cannot reach the cluster" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("environment", "flags", "path"),
    [
        ({"HELM_DRIVER": "secrets"}, [], "secrets"),  # helm's plural name
        ({"HELM_DRIVER": "configmaps"}, [], "configmaps"),
        ({"HELM_DRIVER": "configmap"}, [], "configmaps"),
        ({"HELM_DRIVER": "configmaps"}, ["--storage", "secret"], "secrets"),
        ({}, ["--storage", "configmaps"], "configmaps"),
    ],
    ids=["secrets", "configmaps", "configmap", "--storage over $HELM_DRIVER", "--storage plural"],
)
def test_storage_takes_helms_driver_names(
    environment: dict[str, str],
    flags: list[str],
    path: str,
    fake_kubeconfig: Path,
    fake_api: FakeApi,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, out, err = _list(fake_kubeconfig, environment, flags, capsys, monkeypatch)
    assert f"GET /api/v1/namespaces/apps/{path}" in fake_api.requests
    if path == "secrets":  # the fake keeps its records as Secrets
        assert code == 0, err
        assert [release["name"] for release in json.loads(out)] == ["shop"]


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("secrets", "secret"),
        ("configmaps", "configmap"),
        ("memory", "memory"),
        ("secret", "secret"),
    ],
)
def test_a_target_keeps_one_spelling(given: str, kept: str) -> None:
    from chartsafe._helm_release import ClusterTarget

    assert ClusterTarget(storage=given).storage == kept


@pytest.mark.parametrize("storage", ["sql", "Secret", ""])
def test_a_target_refuses_a_driver_it_cannot_use(storage: str) -> None:
    """Library callers too: the CLI's --storage choice never lets one through."""
    from chartsafe._errors import InputError
    from chartsafe._helm_release import ClusterTarget

    with pytest.raises(InputError, match=f"--storage {storage}: unknown release storage driver"):
        ClusterTarget(storage=storage)
