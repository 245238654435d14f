"""Sealed Secrets as users hand them over (user trial §4, §6, §7), on the real vectors.

- ``sealed verify`` fails (exit 1) only for what stops the controller: a SealedSecret with no
  ``spec.template`` or none naming a scope (``kubeseal --raw`` values in a hand-written object,
  ``@linode/kubeseal-encrypt``, old manifests) is fine, as the controller reads the scope from
  ``metadata`` alone.
- ``unseal`` opens the items of an object with ``spec.template.data`` and names, in one note,
  the Go templates it does not render.
- ``seal --merge-into`` seals under the file's name and namespace, as kubeseal does, and says
  so when they replace the Secret's own.
"""

from __future__ import annotations

import base64
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from sealed_helpers import GENERATED, VECTORS
from typer.testing import CliRunner

from chartsafe.cli import main
from chartsafe.deliver.sealed_crypto import CLUSTER_WIDE_ANNOTATION, NAMESPACE_WIDE_ANNOTATION

CERT = str(GENERATED / "rsa2048.cert.pem")
KEY = str(GENERATED / "rsa2048.key.pem")
#: kubeseal v0.36 -o yaml of input-secret.yaml: default/mysecret, namespace-wide, RSA-2048.
KUBESEAL = GENERATED / "sealedsecret.kubeseal-format-yaml.yaml"
#: Its values (input-secret.yaml).
KUBESEAL_VALUES = {"password": "hunter2", "username": "admin"}
NPM = VECTORS / "cross-check-linode-npm" / "namespace-wide_prod_from-node-webcrypto.sealed.b64"
SCOPE_ANNOTATION = {"strict": {}, "namespace-wide": {NAMESPACE_WIDE_ANNOTATION: "true"},
                    "cluster-wide": {CLUSTER_WIDE_ANNOTATION: "true"}}  # fmt: skip


def _run(args: list[str], capsys: pytest.CaptureFixture[str], code: int = 0) -> tuple[str, str]:
    capsys.readouterr()
    assert main(args) == code
    captured = capsys.readouterr()
    return captured.out, captured.err


def _kubeseal() -> dict[str, Any]:
    sealed: dict[str, Any] = yaml.safe_load(KUBESEAL.read_text())
    return sealed


def _write(path: Path, sealed: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(sealed))
    return path


def _random_values(scope: str) -> dict[str, str]:
    """random-values.json's RSA-2048 values of ``scope`` (prod/db-creds), item name → value."""
    rows = json.loads((GENERATED / "random-values.json").read_text())
    return {f"v{i}": row["sealed_base64"] for i, row in enumerate(
        r for r in rows if r["key"] == "rsa2048.key.pem" and r["scope"] == scope)}  # fmt: skip


def _hand_written(scope: str, items: dict[str, str], name: str = "db-creds") -> dict[str, Any]:
    """A SealedSecret as people write one around ``kubeseal --raw`` output: no template."""
    metadata: dict[str, Any] = {"name": name, "namespace": "prod"}
    if SCOPE_ANNOTATION[scope]:
        metadata["annotations"] = dict(SCOPE_ANNOTATION[scope])
    return {"apiVersion": "bitnami.com/v1alpha1", "kind": "SealedSecret", "metadata": metadata,
            "spec": {"encryptedData": items}}  # fmt: skip


def _without_template(sealed: dict[str, Any]) -> dict[str, Any]:
    del sealed["spec"]["template"]
    return sealed


def _without_template_annotations(sealed: dict[str, Any]) -> dict[str, Any]:
    del sealed["spec"]["template"]["metadata"]["annotations"]
    return sealed


# (id, the SealedSecret, how many items open)
UNSEALABLE = [
    ("kubeseal output, spec.template removed", lambda: _without_template(_kubeseal()), 2),
    ("kubeseal output, template without annotations",
     lambda: _without_template_annotations(_kubeseal()), 2),
    *[(f"kubeseal --raw values, {scope}, no template",
       lambda scope=scope: _hand_written(scope, _random_values(scope)), 4)
      for scope in SCOPE_ANNOTATION],
    ("@linode/kubeseal-encrypt value, no template", lambda: _hand_written(
        "namespace-wide", {"from-node": NPM.read_text().strip()}, name="any"), 1),
]  # fmt: skip


@pytest.mark.parametrize(("make", "opened"), [c[1:] for c in UNSEALABLE],
                         ids=[c[0] for c in UNSEALABLE])  # fmt: skip
def test_verify_passes_a_sealedsecret_whose_template_names_no_scope(
    make: Any, opened: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path / "sealed.yaml", make())
    out, _ = _run(["unseal", str(path), "--private-key", KEY], capsys)  # the controller's view
    assert out.count("<masked") == opened
    out, err = _run(["sealed", "verify", str(path), "--private-key", KEY], capsys)
    assert out.startswith("ok: SealedSecret ") and f"items, {opened} opened)" in out
    assert "problem" not in out and err == ""
    out, _ = _run(["sealed", "verify", str(path), "-o", "json"], capsys)  # no key: same verdict
    assert json.loads(out)[0]["ok"] is True


def test_a_scope_on_the_template_only_is_a_note_and_the_key_decides(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The classic mistake, the annotation moved to the template: without a key verify cannot
    know (exit 0, a note saying how to find out); with one it opens nothing (exit 1)."""
    sealed = _kubeseal()
    del sealed["metadata"]["annotations"]
    path = _write(tmp_path / "sealed.yaml", sealed)
    out, _ = _run(["sealed", "verify", str(path)], capsys)
    assert out.startswith("ok: SealedSecret default/mysecret (strict, 2 items)")
    assert "note: spec.template says scope namespace-wide but metadata says strict" in out
    assert "--private-key checks" in out
    out, err = _run(["sealed", "verify", str(path), "--private-key", KEY, "-o", "json"], capsys,
                    code=1)  # fmt: skip
    [result] = json.loads(out)
    assert result["opened"] == 0
    assert all("sealed for scope namespace-wide in namespace default" in p
               for p in result["problems"]) and len(result["problems"]) == 2  # fmt: skip
    assert "would not unseal as applied" in err


TEMPLATE = '{"password": {{ toJson .password }}}'


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_unseal_opens_the_items_and_names_the_templates_it_does_not_render(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sealed = _kubeseal()
    sealed["spec"]["template"]["data"] = {"config.json": TEMPLATE}
    path = _write(tmp_path / "sealed.yaml", sealed)
    out, err = _run(["unseal", str(path), "--private-key", KEY, "-o", fmt], capsys)
    secret = yaml.safe_load(out)
    assert sorted(secret["data"]) == ["password", "username"]
    assert all(value.startswith("<masked") for value in secret["data"].values())
    assert err.splitlines() == [
        "chartsafe: note: SealedSecret default/mysecret: spec.template.data key(s) config.json "
        "not rendered (Go templates: the controller renders them, chartsafe does not); "
        "config.json left out"
    ]
    for value in KUBESEAL_VALUES.values():
        assert value not in out + err
    out, err = _run(["unseal", str(path), "--private-key", KEY, "--reveal", "-o", fmt], capsys)
    data = yaml.safe_load(out)["data"]
    assert {k: base64.b64decode(v).decode() for k, v in data.items()} == KUBESEAL_VALUES
    assert err.count("\n") == 1 and "config.json" in err


def test_unseal_says_which_item_the_controller_replaces_with_a_template(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sealed = _kubeseal()
    sealed["spec"]["template"]["data"] = {"password": "{{ .password | upper }}"}
    path = _write(tmp_path / "sealed.yaml", sealed)
    out, err = _run(["unseal", str(path), "--private-key", KEY], capsys)
    assert sorted(yaml.safe_load(out)["data"]) == ["password", "username"]
    assert "key(s) password not rendered" in err
    assert "password shown as sealed, which the controller replaces with the rendered" in err
    assert "left out" not in err


def _merge_secret(tmp_path: Path, metadata: dict[str, str], values: dict[str, str]) -> Path:
    body = {"apiVersion": "v1", "kind": "Secret", "metadata": metadata, "stringData": values}
    path = tmp_path / "secret.yaml"
    path.write_text(yaml.safe_dump(body))
    return path


def _revealed(path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, str]:
    out, _ = _run(["unseal", str(path), "--private-key", KEY, "--reveal", *extra], capsys)
    data = yaml.safe_load(out)["data"]
    return {k: base64.b64decode(v).decode(errors="replace") for k, v in data.items()}


def test_merge_seals_under_the_files_name_and_namespace_as_kubeseal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The trial's case: the Secret names another name and namespace; kubeseal's
    SealMergingInto seals it as the file's SealedSecret, and so does chartsafe, with a note."""
    target = tmp_path / "sealed.yaml"
    target.write_text(KUBESEAL.read_text())
    secret = _merge_secret(tmp_path, {"name": "whatever", "namespace": "prod"}, {"new": "n-1"})
    out, err = _run(["seal", "--merge-into", str(target), "-f", str(secret), "--cert", CERT],
                    capsys)  # fmt: skip
    assert out == ""
    assert err.splitlines() == [
        "chartsafe: note: the Secret's name whatever and namespace prod were replaced by the "
        "SealedSecret's (default/mysecret), as kubeseal --merge-into does",
        f"merged into {target}: added new",
    ]
    merged = yaml.safe_load(target.read_text())
    assert merged["metadata"] == _kubeseal()["metadata"]
    assert merged["spec"]["template"]["metadata"] == _kubeseal()["spec"]["template"]["metadata"]
    assert _revealed(target, capsys) == {**KUBESEAL_VALUES, "new": "n-1"}
    out, _ = _run(["sealed", "verify", str(target), "--private-key", KEY], capsys)
    assert out.startswith("ok: SealedSecret default/mysecret (namespace-wide, 3 items, 3 opened")


def test_merge_of_a_secret_named_as_the_file_says_nothing_more(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = _write(tmp_path / "sealed.yaml", _hand_written("strict", _random_values("strict")))
    secret = _merge_secret(tmp_path, {"name": "db-creds", "namespace": "prod"}, {"new": "n-2"})
    _, err = _run(["seal", "--merge-into", str(target), "-f", str(secret), "--cert", CERT],
                  capsys)  # fmt: skip
    assert err == f"merged into {target}: added new\n"
    assert _revealed(target, capsys)["new"] == "n-2"


def test_merge_into_a_file_naming_no_namespace_keeps_the_secrets_as_kubeseal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """kubeseal passes the file's empty namespace on, so the Secret's own stays: the new key
    opens where the file's strict prod/db-creds values open."""
    monkeypatch.setenv("KUBECONFIG", str(tmp_path / "none"))
    monkeypatch.delenv("HELM_NAMESPACE", raising=False)
    sealed = _hand_written("strict", _random_values("strict"))
    del sealed["metadata"]["namespace"]
    target = _write(tmp_path / "sealed.yaml", sealed)
    secret = _merge_secret(tmp_path, {"name": "other", "namespace": "prod"}, {"new": "n-3"})
    _, err = _run(["seal", "--merge-into", str(target), "-f", str(secret), "--cert", CERT],
                  capsys)  # fmt: skip
    assert "name other was replaced by the SealedSecret's (db-creds)" in err
    assert "namespace" not in err
    revealed = _revealed(target, capsys, "-n", "prod")
    assert revealed["new"] == "n-3" and len(revealed) == 5


def test_seal_help_says_the_files_name_and_namespace_replace_the_secrets() -> None:
    from chartsafe.cli._app import app, load_commands

    load_commands(["seal"])
    result = CliRunner().invoke(app, ["seal", "--help"], env={"COLUMNS": "200"})
    text = " ".join(re.sub(r"[│╭╮╰╯─]", " ", result.output).split())
    assert "sealed for the file's name, namespace and scope (they replace the Secret's own)" in text


def test_merge_still_refuses_a_flag_it_cannot_obey(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """kubeseal ignores them; chartsafe says so, and leaves the file alone."""
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    target = tmp_path / "sealed.yaml"
    target.write_text(KUBESEAL.read_text())
    secret = _merge_secret(tmp_path, {"name": "whatever"}, {"new": "n"})
    refused = [(["--name", "other"], "is SealedSecret mysecret but --name is other"),
               (["-n", "prod"], "is for namespace default but -n says prod")]  # fmt: skip
    for flags, words in refused:
        _, err = _run(["seal", "--merge-into", str(target), "-f", str(secret), "--cert", CERT,
                       *flags], capsys, code=2)  # fmt: skip
        assert words in err
    assert target.read_text() == KUBESEAL.read_text()
