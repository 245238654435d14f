"""Objects inside ``List`` documents (tests/data/lists).

Helm prints a List as the chart rendered it, and its install creates the items (the kubectl
builder flattens Lists), never the List. So every item is an object of its own for
validation, the contract and audit, with the List's hook; the List is printed once, whole,
where Helm prints it, with the values of the Secrets it holds masked. Before, a List failed
validation ("metadata.name: required"), its reads and Secrets were invisible, and a Secret
in it was printed in clear.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from chartsafe import RenderOptions, audit_files, render_chart
from chartsafe.cli import main
from chartsafe.contract import contract_for_chart

LISTS = Path(__file__).resolve().parents[1] / "data" / "lists"
TOKEN = "list-item-token-4b1d9c7e"  # tests/data/lists/values.yaml


def _render(**values: str) -> list[str]:
    result = render_chart(LISTS, dict(values), RenderOptions(release_name="rel", namespace="ns"))
    return [f"{o.kind}/{o.name}" + (" (hook)" if o.hook else "") for o in result.objects]


def test_the_items_are_the_objects_and_validated() -> None:
    assert sorted(_render()) == [
        "ConfigMap/rel-settings",
        "Deployment/rel-web",
        "Job/rel-migrate (hook)",  # the List's hook annotation makes its items hooks
        "List/",  # the empty List: printed, nothing to create or validate
        "Secret/rel-api",
    ]
    result = render_chart(LISTS, {"badField": "x"}, RenderOptions(release_name="rel"))
    assert [(p.obj, p.path) for p in result.problems] == [("Deployment/rel-web", "spec")]


def test_the_contract_reads_inside_lists() -> None:
    contract, _ = contract_for_chart(LISTS, {}, RenderOptions(release_name="rel", namespace="ns"))
    needed = contract.get("listed-db", "ns")
    assert needed is not None and needed.required
    assert sorted(r.describe() for r in needed.keys["password"].readers) == [
        "Deployment/rel-web [web] env DB_PASSWORD",
        "Job/rel-migrate [migrate] env DB_PASSWORD (pre-install hook, weight 0)",
    ]
    made = contract.get("rel-api", "ns")
    assert made is not None and not made.required  # the List's Secret creates it


@pytest.mark.parametrize("reveal", [False, True])
def test_template_prints_each_list_once_and_masks_its_secret(
    reveal: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["template", "rel", str(LISTS), *(["--reveal"] if reveal else [])])
    out = capsys.readouterr().out
    assert code == 0
    assert out.count("# Source: lists/templates/list.yaml\n") == 1
    assert out.count("kind: List") == 3  # the List, the empty List, the hook List
    assert (TOKEN in out) is reveal
    assert ("<masked: pass --reveal to print>" in out) is not reveal


def test_audit_files_sees_inside_a_list(tmp_path: Path) -> None:
    manifest = tmp_path / "list.yaml"
    manifest.write_text(
        "apiVersion: v1\nkind: List\nitems:\n"
        "  - apiVersion: v1\n    kind: Pod\n    metadata: {name: root}\n    spec:\n"
        "      containers:\n        - name: c\n          image: example.com/c:1.0.0\n"
        "          securityContext: {privileged: true}\n"
    )
    found = {(f.rule, f.obj) for f in audit_files([manifest]).findings}
    assert ("privileged", "Pod/root") in found
