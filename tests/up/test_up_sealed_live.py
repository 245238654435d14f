"""``up --deliver sealed`` against a cluster keeps the ciphertexts of the SealedSecrets already
there for values that have not changed, as a bundle keeps those of its old ``secrets.yaml``.

The install itself (Helm against a real API server) is not what is tested: ``release_mode``
is replaced by a recorder of what would be applied. The fake API serves the SealedSecrets a
first run delivered; a namespace whose SealedSecrets cannot be listed is sealed anew.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from test_up_cli import SEALED_CERT, run, set_username, up_args
from up_helpers import FakeApi, Keys

from chartsafe import _up_apply


def _kubeconfig(path: Path, server: str) -> Path:
    path.write_text(yaml.safe_dump({
        "apiVersion": "v1", "kind": "Config", "current-context": "fake",
        "clusters": [{"name": "fake", "cluster": {"server": server}}],
        "users": [{"name": "fake", "user": {"token": "t"}}],
        "contexts": [{"name": "fake", "context": {"cluster": "fake", "user": "fake"}}],
    }))  # fmt: skip
    return path


def _path(body: dict[str, Any]) -> str:
    meta = body["metadata"]
    return f"/apis/bitnami.com/v1alpha1/namespaces/{meta['namespace']}/sealedsecrets/{meta['name']}"


def _encrypted(manifests: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
    return {m["metadata"]["name"]: m["spec"]["encryptedData"] for m in manifests}


@pytest.mark.parametrize("listable", [True, False], ids=["listed", "none found"])
def test_live_up_keeps_what_the_cluster_holds(
    listable: bool,
    tmp_path: Path,
    age_keys: Keys,
    fake_api: FakeApi,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store, bundle = tmp_path / "s.sops.yaml", tmp_path / "bundle"
    set_username(capsys, store, age_keys, "demo-tracecat")
    sealed = ["--deliver", "sealed", "--cert", str(SEALED_CERT)]
    code, _, err = run(capsys, *up_args(store, age_keys, *sealed, "--out", str(bundle)))
    assert code == 0, err
    first = list(yaml.safe_load_all((bundle / "secrets.yaml").read_text()))
    for body in first:  # as the first run applied them
        fake_api.objects[_path(body)] = {"apiVersion": body["apiVersion"], **body}
    if not listable:
        fake_api.objects = {p.replace("/tracecat/", "/locked/"): o
                            for p, o in fake_api.objects.items()}  # fmt: skip

    applied: list[list[dict[str, Any]]] = []

    def record(request: Any, name: str, delivery: Any, *rest: Any) -> None:
        applied.append(delivery.manifests)

    monkeypatch.setattr(_up_apply, "release_mode", record)
    kubeconfig = _kubeconfig(tmp_path / "kubeconfig", fake_api.url)
    code, _, err = run(capsys, *up_args(store, age_keys, *sealed, "--kubeconfig", str(kubeconfig)))
    assert code == 0, err
    (manifests,) = applied
    listed = ("GET", "/apis/bitnami.com/v1alpha1/namespaces/tracecat/sealedsecrets")
    assert listed in [(method, path) for method, path, _, _ in fake_api.requests]
    before, after = _encrypted(first), _encrypted(manifests)
    assert before.keys() == after.keys()
    for name, data in after.items():
        kept = {key for key in data if data[key] == before[name][key]}
        assert kept == (set(data) if listable else set()), name
