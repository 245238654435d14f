"""``list``'s state, sorting and paging flags, and its short and headerless forms, as helm's
(fake API server; Helm's own list action chooses and orders the releases)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from release_fake_api import FakeApi, release_record

from chartsafe.cli import main

#: Beside the data's shop (revision 1 superseded, 2 deployed on 2026-01-02), in namespace apps;
#: a record's date is its revision's day of January.
MORE = [("cart", 1, "failed"), ("docs", 1, "uninstalled"), ("alpha", 3, "deployed"),
        ("queue", 1, "pending-install")]  # fmt: skip


@pytest.fixture
def kubeconfig(fake_api: FakeApi, fake_kubeconfig: Path) -> Path:
    for name, version, status in MORE:
        fake_api.records.append(release_record({
            "name": name, "namespace": "apps", "version": version, "status": status,
            "description": "", "values": {"password": "p4ssw0rd-list"},
        }))  # fmt: skip
    return fake_kubeconfig


def _names(capsys: pytest.CaptureFixture[str], kubeconfig: Path, *flags: str) -> list[str]:
    assert main(["list", "-q", *flags, "--kubeconfig", str(kubeconfig)]) == 0
    return capsys.readouterr().out.splitlines()


@pytest.mark.parametrize(
    ("flags", "names"),
    [
        ([], ["alpha", "cart", "shop"]),  # deployed and failed, by name
        (["--deployed"], ["alpha", "shop"]),
        (["--failed"], ["cart"]),
        (["--pending"], ["queue"]),
        (["--superseded"], ["shop"]),
        (["--uninstalled"], ["docs"]),
        (["--failed", "--uninstalled"], ["cart", "docs"]),
        (["-a"], ["alpha", "cart", "docs", "queue", "shop"]),
        (["-r"], ["shop", "cart", "alpha"]),
        (["-d"], ["cart", "shop", "alpha"]),  # January 1st, 2nd, 3rd
        (["-d", "-r"], ["alpha", "shop", "cart"]),
        (["-m", "2"], ["alpha", "cart"]),
        (["--offset", "1"], ["cart", "shop"]),
        (["--offset", "1", "-m", "1"], ["cart"]),
    ],
)  # fmt: skip
def test_states_order_and_paging_as_helm(
    flags: list[str], names: list[str], kubeconfig: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _names(capsys, kubeconfig, *flags) == names


def test_superseded_lists_the_old_revision(
    kubeconfig: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["list", "--superseded", "-o", "json", "--kubeconfig", str(kubeconfig)]) == 0
    (shop,) = json.loads(capsys.readouterr().out)
    assert (shop["name"], shop["revision"], shop["status"]) == ("shop", "1", "superseded")


@pytest.mark.parametrize(("output", "parse"), [("json", json.loads), ("yaml", None)])
def test_short_with_an_output_format_is_a_list_of_names(
    output: str, parse: object, kubeconfig: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import yaml

    assert main(["list", "-q", "-o", output, "--kubeconfig", str(kubeconfig)]) == 0
    assert yaml.safe_load(capsys.readouterr().out) == ["alpha", "cart", "shop"]


def test_no_headers_prints_the_rows_only(
    kubeconfig: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["list", "--no-headers", "--kubeconfig", str(kubeconfig)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == ["alpha", "cart", "shop"]
    assert main(["list", "--no-headers", "--filter", "^none$", "--kubeconfig",
                 str(kubeconfig)]) == 0  # fmt: skip
    assert capsys.readouterr().out == ""


def test_time_format_prints_updated_in_a_go_layout(
    capsys: pytest.CaptureFixture[str], kubeconfig: Path
) -> None:
    """helm's --time-format: the layout applies to the table and to -o json alike."""
    layout = ["--time-format", "Mon Jan _2 2006 15h04", "--kubeconfig", str(kubeconfig)]
    assert main(["list", "--no-headers", *layout]) == 0
    rows = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
    assert " Fri Jan  2 2026 10h00 " in rows["shop"]  # its record: 2026-01-02T10:00:00Z
    assert main(["list", "-o", "json", *layout]) == 0
    shown = {r["name"]: r["updated"] for r in json.loads(capsys.readouterr().out)}
    assert shown["alpha"] == "Sat Jan  3 2026 10h00"
