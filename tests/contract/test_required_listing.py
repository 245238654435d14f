"""``contract --required`` that leaves every Secret out says how many the release reads (all
created by it), not that it reads none: ``check`` says the same ("needs no Secret before
install"). A release that reads none still says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from chartsafe.cli import main

REPO = Path(__file__).resolve().parents[2]
TRACECAT_AWS = [str(REPO / "charts" / "tracecat"), "-f",
                str(REPO / "charts" / "tracecat" / "examples" / "values-aws.yaml")]  # fmt: skip
HOOK_ORDER = [str(REPO / "tests" / "data" / "check" / "hook-order")]
CONFIG_MAPS_ONLY = [str(REPO / "tests" / "data" / "check" / "configmap-reader")]

_SOME = "reads 3 Secrets; none must exist before install."


@pytest.mark.parametrize(
    ("chart", "flags", "line"),
    [
        (TRACECAT_AWS, ["--required"], f"Release r {_SOME}"),
        (TRACECAT_AWS, ["--required", "-o", "markdown"], f"This release {_SOME}"),
        (HOOK_ORDER, ["--required"], "Release r reads 1 Secret; none must exist before install."),
        (CONFIG_MAPS_ONLY, ["--required"], "Release r reads no Secrets."),
        (CONFIG_MAPS_ONLY, ["-o", "markdown"], "This release reads no Secrets."),
    ],
    ids=["eso-table", "eso-markdown", "one-made-by-the-release", "none", "none-markdown"],
)
def test_a_required_listing_with_nothing_required_says_what_is_read(
    capsys: pytest.CaptureFixture[str], chart: list[str], flags: list[str], line: str
) -> None:
    assert main(["contract", "r", *chart, *flags]) == 0
    out = capsys.readouterr().out
    assert line in out.splitlines()
    assert "reads no Secrets" not in out or "no Secrets" in line
