"""``up``'s progress says what it counts (user trial, review-charts §13): the contract line
counts every Secret the release reads, as ``chartsafe contract`` lists them, and says how many
the chart creates itself; an optional Secret left unset is named with the key its reader
names, not "no keys named". And the library's ``KeysMissing`` (review-library §5) does not
send a caller to lines above that only the CLI prints."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from chart_files import env_deployment
from test_up_cli import run
from up_helpers import Keys

from chartsafe import ValuesInput
from chartsafe._up import up
from chartsafe._up_model import KeysMissing, UpRequest

APP = env_deployment(
    "{name: DB_PASSWORD, valueFrom: {secretKeyRef: {name: app-db, key: password}}}",
    "{name: MADE, valueFrom: {secretKeyRef: {name: made, key: x}}}",
    "{name: EXTRA, valueFrom: {secretKeyRef: {name: app-optional, key: value, optional: true}}}",
)
MADE = "apiVersion: v1\nkind: Secret\nmetadata: {name: made}\nstringData: {x: fixed}\n"


def _chart(root: Path, *templates: tuple[str, str]) -> Path:
    (root / "templates").mkdir(parents=True)
    (root / "Chart.yaml").write_text("apiVersion: v2\nname: app\nversion: 0.1.0\n")
    for name, text in templates:
        (root / "templates" / name).write_text(text)
    return root


def test_the_progress_counts_what_the_contract_lists(
    tmp_path: Path, age_keys: Keys, capsys: pytest.CaptureFixture[str]
) -> None:
    chart = _chart(tmp_path / "app", ("app.yaml", APP), ("made.yaml", MADE))
    store = tmp_path / "s.sops.yaml"
    code, _, err = run(capsys, "up", "r", str(chart), "-n", "apps",
                         *age_keys.store_flags(store), "--out", str(tmp_path / "b"))  # fmt: skip
    assert code == 0, err
    lines = err.splitlines()
    _, listed, _ = run(capsys, "contract", "r", str(chart), "-n", "apps", "-o", "json")
    names = sorted(s["name"] for s in json.loads(listed)["secrets"])
    assert names == ["app-db", "app-optional", "made"]  # the 3 counted below
    assert (
        "==> [1/6] render: 2 objects; contract: 3 Secret(s) read, 1 of them created by the chart"
    ) in lines
    assert (
        "      1 optional Secret left unset: apps/app-optional (key value not set in the store; "
        f"set it with `chartsafe secrets set -n apps app-optional value --store {store}`)"
    ) in lines


def test_keys_missing_speaks_to_a_library_caller_too(tmp_path: Path, age_keys: Keys) -> None:
    chart = _chart(tmp_path / "app", ("app.yaml", APP))  # made/x: no generator makes it
    store = tmp_path / "s.sops.yaml"
    request = UpRequest(name="r", chart=chart, values=ValuesInput(), store=store,
                        out=tmp_path / "b", recipients=[age_keys.recipient],
                        age_key_file=age_keys.key_file)  # fmt: skip
    with pytest.raises(KeysMissing) as raised:
        up(request)
    assert raised.value.commands == [f"chartsafe secrets set -n default made x --store {store}"]
    assert raised.value.hint is not None
    assert "above" not in raised.value.hint
    assert "secrets set command, listed with this error" in raised.value.hint
