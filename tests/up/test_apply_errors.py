"""Applying into a namespace that does not exist: the API server's 404 names the namespace,
and chartsafe says to create it (``up --create-namespace`` makes only the release's; a
delivered Secret may live in another, a PersistentVolume's or a Gateway's)."""

from __future__ import annotations

import pytest
from up_helpers import FakeApi

from chartsafe._cluster import Cluster
from chartsafe._cluster_config import ClusterConfig
from chartsafe._cluster_errors import ClusterNotFound
from chartsafe._cluster_write import apply_object


def _secret(namespace: str) -> dict[str, object]:
    return {"apiVersion": "v1", "kind": "Secret",
            "metadata": {"name": "smb-creds", "namespace": namespace}, "data": {}}  # fmt: skip


def test_a_missing_namespace_says_to_create_it(fake_api: FakeApi) -> None:
    cluster = Cluster(ClusterConfig(server=fake_api.url))
    with pytest.raises(ClusterNotFound) as caught:
        apply_object(cluster, _secret("gone"))
    assert caught.value.message == (
        'not found: secrets in namespace gone (namespaces "gone" not found)'
    )
    assert caught.value.hint == "create namespace gone first (kubectl create namespace gone)"
    assert apply_object(cluster, _secret("storage"))["metadata"]["namespace"] == "storage"


def test_another_404_gives_no_namespace_hint(fake_api: FakeApi) -> None:
    from chartsafe._cluster_write import patch_object

    cluster = Cluster(ClusterConfig(server=fake_api.url))
    with pytest.raises(ClusterNotFound) as caught:
        patch_object(cluster, "Secret", "absent", "apps", {"data": {}})
    assert caught.value.hint is None
