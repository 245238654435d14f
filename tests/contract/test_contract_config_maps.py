"""The contract names the ConfigMaps a release reads and does not create, as it names Secrets:
in the table, ``-o json`` and the Markdown a bundle's CONTRACT.md holds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chartsafe import RenderOptions
from chartsafe.cli import main
from chartsafe.contract import contract_for_chart, contract_markdown

READER = Path(__file__).resolve().parents[1] / "data" / "check" / "configmap-reader"


def test_the_contract_lists_them_with_their_keys() -> None:
    contract, _ = contract_for_chart(READER, None, RenderOptions(release_name="r", validate=False))
    found = {c.name: c.as_dict() for c in contract.config_maps}
    assert sorted(found) == ["app-config", "tuning"]  # not r-own, not kube-root-ca.crt
    assert found["app-config"]["keys"] == ["LOG_LEVEL", "features.yaml", "settings.yaml"]
    assert (found["tuning"]["optional"], found["tuning"]["optionalKeys"]) == (True, ["TRACE"])
    markdown = contract_markdown(contract)
    assert "### ConfigMaps it reads and does not create" in markdown
    assert "| `tuning` (optional) | TRACE (optional) |" in markdown


def test_json_and_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["contract", "r", str(READER), "-o", "json"]) == 0
    maps = json.loads(capsys.readouterr().out)["configMaps"]
    assert [m["name"] for m in maps] == ["app-config", "tuning"]
    assert main(["contract", "r", str(READER)]) == 0
    out = capsys.readouterr().out
    assert "Release r reads no Secrets." in out
    assert "ConfigMaps it reads and does not create" in out and "app-config" in out
