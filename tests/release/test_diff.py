"""diff upgrade: object by object, Secret data as key changes with sizes, never a value."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from release_fake_api import APP, DATA

from chartsafe._diff import diff_objects
from chartsafe._objects import K8sObject
from chartsafe.cli import main

REVISIONS = yaml.safe_load((DATA / "revisions.yaml").read_text())
DEPLOYED = REVISIONS[1]["values"]  # shop, revision 2
NEW_KEY = "brand-new-api-key-5e6f"
NEW_EXTRA = "extra-secret-value-8a8a"


def _sets(values: dict[str, Any]) -> list[str]:
    flags = []
    for key, value in values.items():
        if isinstance(value, dict):
            flags += [f"--set-string={key}.{k}={v}" for k, v in value.items()]
        else:
            flags.append(f"--set-string={key}={value}")
    return flags


def diff(
    capsys: pytest.CaptureFixture[str], kubeconfig: Path, values: dict[str, Any], *more: str
) -> tuple[int, str, str]:
    args = ["diff", "upgrade", "shop", str(APP), "--kubeconfig", str(kubeconfig), *_sets(values)]
    code = main([*args, *more])
    out, err = capsys.readouterr()
    return code, out, err


def everything_secret() -> list[str]:
    raw = {NEW_KEY, NEW_EXTRA}
    for revision in REVISIONS:
        raw |= {revision["values"]["password"], revision["values"]["apiKey"]}
    return sorted(raw | {base64.b64encode(s.encode()).decode() for s in raw})


def test_same_values_no_changes(capsys: pytest.CaptureFixture[str], fake_kubeconfig: Path) -> None:
    # --set-string would make replicas a string; pass it as a number.
    code, out, _ = diff(
        capsys, fake_kubeconfig, {k: v for k, v in DEPLOYED.items() if k != "replicas"},
        "--set", "replicas=2", "--exit-code",
    )  # fmt: skip
    assert (code, out.strip()) == (0, "release shop: no changes (revision 2)")


def test_changes_shown_values_never(
    capsys: pytest.CaptureFixture[str], fake_kubeconfig: Path
) -> None:
    values = {k: v for k, v in DEPLOYED.items() if k != "replicas"}
    values |= {"apiKey": NEW_KEY, "extraKey": NEW_EXTRA, "image": "nginx:1.28"}
    code, out, err = diff(capsys, fake_kubeconfig, values, "--set", "replicas=3", "--exit-code")
    assert code == 1
    for secret in everything_secret():
        assert secret not in out + err
    assert "apps/Secret/shop-app: changed" in out
    assert f"  data.apiKey: changed ({len(DEPLOYED['apiKey'])} -> {len(NEW_KEY)} bytes)" in out
    assert f"  data.extraKey: added ({len(NEW_EXTRA)} bytes)" in out
    assert "data.password" not in out  # unchanged keys are not listed
    assert "-  replicas: 2\n+  replicas: 3\n" in out
    assert "+      - image: nginx:1.28" in out or "+    image: nginx:1.28" in out
    assert "apps/Job/shop-migrate (hook): changed" in out


def test_json_lists_secret_keys_with_sizes(
    capsys: pytest.CaptureFixture[str], fake_kubeconfig: Path
) -> None:
    values = {k: v for k, v in DEPLOYED.items() if k not in ("replicas", "webhook")}
    code, out, err = diff(capsys, fake_kubeconfig, values, "--set", "replicas=2", "-o", "json")
    assert code == 0
    result = json.loads(out)
    (secret,) = [c for c in result["changes"] if c["kind"] == "Secret"]
    assert secret["secretKeys"] == [
        {"key": "token", "change": "removed", "oldSize": 17, "newSize": None}
    ]
    assert [c["kind"] for c in result["changes"]] == ["Secret"]
    for secret_text in everything_secret():
        assert secret_text not in out + err


def _secret(name: str, field: str, data: dict[str, str]) -> K8sObject:
    if field.startswith("data"):
        data = {k: base64.b64encode(v.encode()).decode() for k, v in data.items()}
    if field == "data wrapped":  # as `base64` prints it; Go's decoder skips the line breaks
        data = {k: "\n".join(v[i : i + 8] for i in range(0, len(v), 8)) for k, v in data.items()}
        field = "data"
    body = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name}, field: data}
    return K8sObject(text=yaml.safe_dump(body), body=body, source="t/s.yaml",
                     release_namespace="ns")  # fmt: skip


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # stringData and data holding the same bytes are the same Secret.
        (("data", {"a": "value-one"}), ("stringData", {"a": "value-one"}), []),
        (("data", {"a": "value-one"}), ("data wrapped", {"a": "value-one"}), []),
        (("data", {"a": "value-one"}), ("data", {"a": "value-two!"}),
         ["a: changed (9 -> 10 bytes)"]),
        (("data", {"a": "x1234"}), ("data", {}), ["a: removed (was 5 bytes)"]),
        (("stringData", {}), ("stringData", {"b": "abcdef"}), ["b: added (6 bytes)"]),
    ],
)  # fmt: skip
def test_secret_key_changes(
    old: tuple[str, dict[str, str]], new: tuple[str, dict[str, str]], expected: list[str]
) -> None:
    changes = diff_objects([_secret("s", *old)], [_secret("s", *new)])
    assert [str(k) for c in changes for k in c.secret_keys] == expected
    for change in changes:
        for value in [*old[1].values(), *new[1].values()]:
            assert value not in change.diff


def test_a_secret_inlined_elsewhere_is_scrubbed() -> None:
    """A password copied into a ConfigMap is masked in the diff by its Secret's value."""
    secret = _secret("s", "stringData", {"password": "inline-pass-1234"})

    def config(value: str) -> K8sObject:
        body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"},
                "data": {"dsn": f"postgres://u:{value}@db/x", "mode": value[:3]}}  # fmt: skip
        return K8sObject(text="", body=body, source="t/c.yaml", release_namespace="ns")

    changes = diff_objects([secret, config("old-pass-0000")], [secret, config("inline-pass-1234")])
    (change,) = changes
    assert change.kind == "ConfigMap"
    assert "inline-pass-1234" not in change.diff
    assert "<masked>" in change.diff


def test_removed_and_added_objects() -> None:
    def cm(name: str) -> K8sObject:
        body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}}
        return K8sObject(text="", body=body, source="t/c.yaml", release_namespace="ns")

    changes = diff_objects([cm("gone")], [cm("new")])
    assert [(c.name, c.change) for c in changes] == [("new", "added"), ("gone", "removed")]
    assert changes[0].diff.startswith("--- /dev/null\n+++ b/ns/ConfigMap/new")
