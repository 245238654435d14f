"""A broken chart renders fields of the wrong shape (``metadata: 5``, ``rules: true``,
``args: "x"``): the commands that read objects report them, or skip them, but never crash.

Found by replacing, one at a time, every field of the objects in tests/data/shapes with a
value of each wrong shape and running every command that reads objects; these rows are the
places that crashed (exit 3) before.
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

from chartsafe import K8sObject, RenderOptions, derive_contract, iter_pods, render_chart
from chartsafe.audit import audit_files
from chartsafe.deliver.sealed_crypto import SealingError
from chartsafe.deliver.sealed_open import unseal
from chartsafe.deliver.sealed_verify import check_placement

OBJECTS = {
    doc["kind"]: doc
    for doc in yaml.safe_load_all(
        (Path(__file__).resolve().parents[1] / "data" / "shapes" / "objects.yaml").read_text()
    )
}
SEALED_KEY = Path(__file__).resolve().parents[3] / "shared" / "vectors" / "sealed" / "generated"


@cache
def _private_key() -> RSAPrivateKey:
    from chartsafe.deliver.sealed_keys import load_private_keys

    return load_private_keys([SEALED_KEY / "rsa2048.key.pem"])[0]


CONTAINER = "spec.template.spec.containers.0"

#: (kind, dotted path of the field replaced)
FIELDS = [
    ("Deployment", "metadata"),
    ("Deployment", "metadata.annotations"),
    ("Deployment", f"{CONTAINER}.args"),
    ("Deployment", f"{CONTAINER}.securityContext.capabilities"),
    ("Deployment", f"{CONTAINER}.securityContext.capabilities.add"),
    ("StatefulSet", "spec"),
    ("StatefulSet", "spec.template"),
    ("StatefulSet", "spec.template.spec"),
    ("StatefulSet", "spec.template.spec.volumes"),
    ("Ingress", "spec"),
    ("Ingress", "spec.tls"),
    ("Ingress", "spec.tls.0"),
    ("Ingress", "spec.tls.0.hosts"),
    ("Ingress", "spec.rules"),
    ("ServiceMonitor", "spec"),
    ("ServiceMonitor", "spec.endpoints"),
    ("ClusterRole", "rules"),
    ("ClusterRole", "rules.0.apiGroups"),
    ("ClusterRole", "rules.0.resources"),
    ("ClusterRole", "rules.0.verbs"),
    ("ClusterRoleBinding", "roleRef"),
    ("ClusterRoleBinding", "subjects"),
    ("SealedSecret", "metadata"),
    ("SealedSecret", "spec"),
    ("SealedSecret", "spec.encryptedData"),
    ("SealedSecret", "spec.template"),
    ("SealedSecret", "spec.template.metadata"),
]
WRONG: list[Any] = [None, 5, "str", ["x"], True]


def _replaced(kind: str, path: str, value: Any) -> dict[str, Any]:
    body = copy.deepcopy(OBJECTS[kind])
    node: Any = body
    steps = [int(s) if s.isdigit() else s for s in path.split(".")]
    for step in steps[:-1]:
        node = node[step]
    node[steps[-1]] = value
    return body


@pytest.mark.parametrize("value", WRONG, ids=repr)
@pytest.mark.parametrize(("kind", "path"), FIELDS, ids=[f"{k}.{p}" for k, p in FIELDS])
def test_a_field_of_the_wrong_shape_crashes_no_reader(
    kind: str, path: str, value: Any, tmp_path: Path
) -> None:
    body = _replaced(kind, path, value)
    others = [copy.deepcopy(o) for k, o in OBJECTS.items() if k != kind]
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(yaml.safe_dump_all([body, *others]))
    audit_files([manifest])  # every rule reads every object
    chart = tmp_path / "chart"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: shapes\nversion: 0.1.0\n")
    (chart / "templates" / "all.yaml").write_text(manifest.read_text())
    result = render_chart(chart, None, RenderOptions(namespace="app", validate=False))
    list(iter_pods(result.objects))
    derive_contract(result)
    if kind == "SealedSecret":
        assert check_placement(body, namespace="app").problems  # wrong shapes are problems
        with pytest.raises(SealingError):  # bad input, one line: nothing opens it
            unseal(body, [_private_key()], namespace="app")


@pytest.mark.parametrize(
    ("rule", "granted"),
    [
        ({"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"]}, True),
        # a string is not a list of its letters: "" is in every string, "secrets" in this one
        ({"apiGroups": "", "resources": "secrets-viewer", "verbs": ["get"]}, False),
        ({"apiGroups": [""], "resources": ["secrets"], "verbs": "get"}, False),
    ],
)
def test_rbac_reads_lists_only(rule: dict[str, Any], granted: bool) -> None:
    from chartsafe._rbac import grants_on_secrets

    role = K8sObject("", {"kind": "ClusterRole", "metadata": {"name": "r"}, "rules": [rule]},
                     "t.yaml", "app")  # fmt: skip
    assert grants_on_secrets(role, frozenset({"get"})) is granted
