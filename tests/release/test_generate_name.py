"""``install -g/--generate-name``: the release named as Helm names it, from CHART and the time;
``--name-template``: named by a Go template that Helm's engine renders."""

from __future__ import annotations

import json
import re
import time

import pytest
from release_fake_api import APP

from chartsafe.cli import main
from chartsafe.cli._options import generated_name


@pytest.mark.parametrize(
    ("chart", "base"),
    [
        ("charts/tracecat", "tracecat"),
        ("charts/tracecat/", "tracecat"),  # Go's filepath.Base drops the trailing slash
        ("dist/tracecat-1.2.3.tgz", "tracecat-1"),  # cut at the first dot, as helm does
        ("oci://registry.example.com/charts/agentapi-proxy", "agentapi-proxy"),
        (".", "chart"),
    ],
)
def test_generated_name_is_the_chart_base_name_and_the_time(chart: str, base: str) -> None:
    before = int(time.time())
    name = generated_name(chart)
    after = int(time.time())
    prefix, _, stamp = name.rpartition("-")
    assert prefix == base and before <= int(stamp) <= after


def test_install_runs_under_the_generated_name(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["install", str(APP), "-g", "--dry-run", "client", "--storage", "memory", "-o", "json"]
    assert main(args) == 0
    outcome = json.loads(capsys.readouterr().out)
    name = outcome["name"]  # Helm's release object
    assert re.fullmatch(r"app-\d{10}", name)
    # Helm rendered under the name chartsafe validated with: the objects carry it
    assert {o["name"] for o in outcome["objects"]} == {f"{name}-app"}


@pytest.mark.parametrize(
    ("command", "rendered"),
    [
        (["install", str(APP), "-g", "--dry-run", "client", "--storage", "memory"], "NAME: app-"),
        (["template", str(APP), "-g", "-s", "templates/configmap.yaml"], "name: app-"),
    ],
    ids=["install", "template"],
)
def test_the_generated_name_is_the_rendered_one(
    command: list[str], rendered: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(command) == 0
    out = capsys.readouterr().out
    assert re.search(rf"{rendered}\d{{10}}", out)


@pytest.mark.parametrize(
    ("command", "rendered"),
    [
        (["install", str(APP), "--dry-run", "client", "--storage", "memory"], "NAME: "),
        (["template", str(APP), "-s", "templates/configmap.yaml"], "name: "),
    ],
    ids=["install", "template"],
)
@pytest.mark.parametrize(
    ("template", "pattern"),
    [
        ("shop-{{ randAlpha 6 | lower }}", r"shop-[a-z]{6}"),
        ('{{ "Blog" | lower }}-{{ add 40 2 }}', r"blog-42"),
    ],
    ids=["random", "functions"],
)
@pytest.mark.parametrize("generate", [[], ["-g"]], ids=["alone", "over -g"])
def test_the_name_template_names_the_release(
    command: list[str],
    rendered: str,
    template: str,
    pattern: str,
    generate: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([*command, "--name-template", template, *generate]) == 0
    out = capsys.readouterr().out
    assert re.search(rf"^\s*{rendered}{pattern}(-app)?$", out, re.MULTILINE), out
