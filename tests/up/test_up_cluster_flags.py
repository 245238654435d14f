"""``up`` asks the server helm's flags name whether a cluster answers (then applies there).

With no kubeconfig in the tests' home and ``--kube-apiserver`` on a closed port, ``up``
finds no cluster and writes the bundle; its note names the port, which it can only know
from the flag.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_up_cli import run, set_username, up_args
from up_helpers import Keys


def test_up_asks_the_named_server(
    tmp_path: Path,
    age_keys: Keys,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    refused_port: int,
) -> None:
    closed = f"127.0.0.1:{refused_port}"
    monkeypatch.chdir(tmp_path)  # the bundle lands in the working directory
    store = tmp_path / "s.sops.yaml"
    set_username(capsys, store, age_keys, "demo-tracecat")
    code, _, err = run(capsys, *up_args(store, age_keys, "--kube-apiserver", f"http://{closed}"))
    assert code == 0, err
    assert f"no cluster reachable (cannot reach the API server http://{closed}" in err
    assert (tmp_path / "tracecat-bundle" / "PLAN.md").is_file()
