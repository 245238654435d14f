"""Helm's meaning of the rendering and --dry-run flags in install and upgrade.

--kube-version and -a/--api-versions set ``.Capabilities`` in the manifest Helm itself
installs, not only in chartsafe's validation render; -a and -f split on commas as Helm's
StringSlice flags do.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from release_fake_api import APP

from chartsafe import ClusterAccess
from chartsafe._release import upgrade_release
from chartsafe._release_settings import ReleaseSettings
from chartsafe._render import RenderOptions
from chartsafe.cli import main
from chartsafe.cli._release_options import cluster_target

CAPS = Path(__file__).resolve().parents[1] / "data" / "capabilities"
INSTALL = ["install", "caps", str(CAPS), "--dry-run", "client", "--storage", "memory"]


@pytest.mark.parametrize(
    ("flags", "lines"),
    [
        ([], ['kube: "v1.36.0"', 'a: "false"', 'b: "false"']),
        (["--kube-version", "1.29.0"], ['kube: "v1.29.0"']),
        (["-a", "a/v1", "--api-versions", "b/v1"], ['a: "true"', 'b: "true"']),
        (["-a", "a/v1,b/v1"], ['a: "true"', 'b: "true"']),
        (["-a", '"a/v1",b/v1'], ['a: "true"', 'b: "true"']),
    ],
    ids=["defaults", "kube-version", "repeated -a", "comma-separated -a", "quoted -a"],
)
@pytest.mark.parametrize("command", [INSTALL, ["upgrade", "--install", *INSTALL[1:]]])
def test_capabilities_reach_helms_own_render(
    command: list[str], flags: list[str], lines: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*command, *flags]) == 0
    out = capsys.readouterr().out
    for line in lines:
        assert f"  {line}" in out


def test_upgrade_hands_capabilities_to_helm(
    fake_kubeconfig: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fake API server serves no OpenAPI documents, so Helm's upgrade fails after
    reading its options; what matters is that they held the capabilities."""
    import helm_python

    seen: list[dict[str, Any]] = []
    real = helm_python._native.call_string

    def spy(function: str, *args: Any) -> Any:
        if function == "helm_upgrade":
            seen.append(json.loads(args[-1]))
        return real(function, *args)

    monkeypatch.setattr(helm_python._native, "call_string", spy)
    target = cluster_target("apps", ClusterAccess(fake_kubeconfig), "secret")
    render = RenderOptions(kube_version="1.29.0", api_versions=["a/v1"], validate=False)
    with pytest.raises(Exception, match="failed to download openapi"):
        upgrade_release("shop", APP, {}, target=target, render=render,
                        settings=ReleaseSettings(dry_run="client"))  # fmt: skip
    assert seen and seen[0]["kube_version"] == "1.29.0"
    assert seen[0]["api_versions"] == ["a/v1"]
    assert seen[0]["dry_run"] == "client" and seen[0]["timeout_seconds"] == 300


@pytest.mark.parametrize(
    ("files", "expected"),
    [("{one},{two}", 'val: "two"'), ("{two},{one}", 'val: "one"'),
     ("{one},{missing}", "values file {missing}: no such file")],
)  # fmt: skip
def test_values_files_split_on_commas(
    files: str, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = {"one": tmp_path / "one.yaml", "two": tmp_path / "two.yaml",
             "missing": tmp_path / "missing.yaml"}  # fmt: skip
    paths["one"].write_text("val: one\n")
    paths["two"].write_text("val: two\n")
    main(["template", str(CAPS), "-f", files.format(**paths), "--no-validate"])
    out, err = capsys.readouterr()
    assert expected.format(**paths) in out + err
