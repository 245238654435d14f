"""Pod volumes whose plugin reads a Secret to mount them: the kubelet or the driver reads it,
and a missing one leaves the pod in ContainerCreating. A PersistentVolume names its CSI
driver's Secrets (and Ceph's) with a namespace of their own. The plugins that fix their keys
(Azure Files' account name and key, Ceph's ``key``) name them; the others (a CSI driver's, a
FlexVolume's, iSCSI CHAP) are read whole, their keys unknown to the chart."""

from __future__ import annotations

from pathlib import Path

import pytest
from chart_files import write_chart
from contract_cases import DATA, derive

# (Secret, the keys read (None: read whole, keys unknown), the reader)
PLUGINS = [
    ("csi-driver-creds", None, "Deployment/rel-files csi"),
    ("azure-storage", {"azurestorageaccountname", "azurestorageaccountkey"},
     "Deployment/rel-files azureFile"),
    ("ceph-admin", {"key"}, "Deployment/rel-files cephfs"),
    ("ceph-rbd", {"key"}, "Deployment/rel-files rbd"),
    ("flex-creds", None, "Deployment/rel-files flexVolume"),
    ("chap-creds", None, "Deployment/rel-files iscsi"),
]  # fmt: skip


@pytest.mark.parametrize(("secret", "keys", "reader"), PLUGINS, ids=[p[0] for p in PLUGINS])
def test_a_volume_plugin_reads_its_secret(secret: str, keys: set[str] | None, reader: str) -> None:
    found = derive(DATA / "volume-plugins").get(secret, "ns")
    assert found is not None and found.required
    if keys is None:
        assert not found.keys_known
        assert [r.describe() for r in found.whole_readers] == [reader]
    else:
        assert set(found.keys) == keys
        assert all([r.describe() for r in k.readers] == [reader] for k in found.keys.values())


def test_a_volume_with_no_secret_reads_none() -> None:
    names = {s.name for s in derive(DATA / "volume-plugins").secrets}
    assert names == {p[0] for p in PLUGINS}


_PERSISTENT_VOLUME = """apiVersion: v1
kind: PersistentVolume
metadata: {name: share}
spec:
  capacity: {storage: 10Gi}
  accessModes: [ReadWriteMany]
  csi:
    driver: smb.csi.k8s.io
    volumeHandle: share-1
    nodeStageSecretRef: {name: smb-creds, namespace: storage}
    nodePublishSecretRef: {name: smb-publish}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: ceph}
spec:
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  rbd:
    monitors: ["10.0.0.1:6789"]
    image: data
    secretRef: {name: ceph-pv, namespace: storage}
"""


def test_a_persistent_volume_names_its_drivers_secrets(tmp_path: Path) -> None:
    contract = derive(write_chart(tmp_path / "pv", {"pv.yaml": _PERSISTENT_VOLUME}))
    stage = contract.get("smb-creds", "storage")  # the namespace the reference names
    assert stage is not None and stage.required and not stage.keys_known
    assert [r.describe() for r in stage.whole_readers] == [
        "PersistentVolume/share spec.csi.nodeStageSecretRef"
    ]
    publish = contract.get("smb-publish", "ns")  # none named: the release's
    assert publish is not None and publish.required
    ceph = contract.get("ceph-pv", "storage")
    assert ceph is not None and list(ceph.keys) == ["key"]
