"""What Helm warns of or skips in a render reaches every command that renders.

A hook name Helm does not know (``post-instal``) makes Helm skip the object in silence, a
chart marked ``deprecated`` gets a warning from helm install, and an object rendered twice
alike is kept once. ``template`` and ``install`` said so; ``lint``, ``contract``, ``check``
and ``up`` did not, so a typo'd hook passed lint and up without a word.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from chart_files import write_chart
from up_helpers import Keys

from chartsafe import RenderOptions, lint_chart, render_chart
from chartsafe.cli import main

UNKNOWN_HOOK = "w/templates/hook.yaml: unknown hook 'post-instal'; Helm skips it"
DEPRECATED = "chart w is deprecated (deprecated: true in its Chart.yaml)"


def _chart(root: Path, *, deprecated: bool | None, hook: str = "post-instal") -> Path:
    hooked = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hooked\n"
        f"  annotations:\n    helm.sh/hook: {hook}\n"
    )
    plain = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n"
    marked = "" if deprecated is None else f"deprecated: {str(deprecated).lower()}\n"
    return write_chart(root, {"hook.yaml": hooked, "cm.yaml": plain}, metadata=marked)


@pytest.mark.parametrize(
    ("deprecated", "hook", "expected"),
    [
        (True, "post-instal", [DEPRECATED, UNKNOWN_HOOK]),
        (False, "post-install", []),
        (None, "post-install", []),
        (None, "post-instal", [UNKNOWN_HOOK]),
    ],
)
def test_render_warns_as_helm_does(
    tmp_path: Path, deprecated: bool | None, hook: str, expected: list[str]
) -> None:
    chart = _chart(tmp_path / "w", deprecated=deprecated, hook=hook)
    assert render_chart(chart, {}, RenderOptions()).warnings == expected


@pytest.mark.parametrize(("strict", "severity"), [(False, "warning"), (True, "error")])
def test_lint_reports_them(tmp_path: Path, strict: bool, severity: str) -> None:
    chart = _chart(tmp_path / "w", deprecated=True)
    result = lint_chart(chart, strict=strict)
    found = [(f.severity, f.message) for f in result.findings if f.origin == "render"]
    assert found == [(severity, DEPRECATED), (severity, UNKNOWN_HOOK)]


@pytest.mark.parametrize(
    "command",
    [["contract"], ["check", "--against", "{empty}"]],
    ids=["contract", "check"],
)
def test_contract_and_check_print_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    chart = _chart(tmp_path / "w", deprecated=True)
    (tmp_path / "empty").mkdir()
    args = [word.format(empty=tmp_path / "empty") for word in command]
    assert main([*args, str(chart)]) == 0
    captured = capsys.readouterr()
    for warning in (DEPRECATED, UNKNOWN_HOOK):
        assert f"warning: {warning}" in captured.out + captured.err


def test_check_json_carries_them(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    chart = _chart(tmp_path / "w", deprecated=None)
    assert main(["check", str(chart), "--against", str(tmp_path), "-o", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["warnings"] == [UNKNOWN_HOOK]


def test_up_says_them_and_keeps_them_in_its_result(
    tmp_path: Path, age_keys: Keys, capsys: pytest.CaptureFixture[str]
) -> None:
    chart = _chart(tmp_path / "w", deprecated=True)
    args = ["up", "r", str(chart), "-n", "ns", "--out", str(tmp_path / "out"),
            *age_keys.store_flags(tmp_path / "s.sops.yaml"), "-o", "json"]  # fmt: skip
    assert main(args) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["warnings"] == [DEPRECATED, UNKNOWN_HOOK]
    assert f"warning: {UNKNOWN_HOOK}" in captured.err
