"""``up --dry-run`` changes nothing: not the store, not a bundle folder, not AWS.

Before, a client dry run saved the values it generated into the store (``secrets init ...
store written``), and with ``--out`` wrote the bundle; a cluster it could not reach for the
release's history was reported as a ``history`` command. Now the values are generated in
memory and used for the run's output only, nothing is written, and the error names ``up``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from bad_input import one_clear_line
from test_up_cli import run, set_username, up_args
from up_helpers import Keys

# (id, flags, the exit code, words in stderr)
CASES: list[tuple[str, list[str], int, list[str]]] = [
    ("client, memory storage", ["--dry-run", "client", "--storage", "memory"], 0,
     ["6 key(s) generated, 1 kept, not saved (dry run): {store} unchanged"]),
    ("alone", ["--dry-run", "--storage", "memory"], 0, ["not saved (dry run)"]),
    ("with --out", ["--dry-run", "client", "--out", "{tmp}/bundle"], 0,
     ["bundle: not written (dry run)", "nothing written (dry run)"]),
    ("--deliver aws", ["--dry-run", "client", "--deliver", "aws"], 2,
     ["--deliver aws with --dry-run client", "a dry run changes nothing"]),
    ("the release's history from an unreachable cluster", ["--dry-run", "client",
     "--kubeconfig", "{closed}"], 2,
     ["up tracecat: cannot reach the cluster of kubeconfig {closed} to read the release's "
      "history", "--dry-run client --storage memory, or a bundle with --out DIR"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("flags", "code", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_a_dry_run_writes_nothing(
    tmp_path: Path,
    age_keys: Keys,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    refused_port: int,
    flags: list[str],
    code: int,
    words: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    closed = tmp_path / "closed-kubeconfig"
    closed.write_text(yaml.safe_dump({
        "apiVersion": "v1", "kind": "Config", "current-context": "closed",
        "clusters": [{"name": "closed", "cluster": {"server": f"http://127.0.0.1:{refused_port}"}}],
        "contexts": [{"name": "closed", "context": {"cluster": "closed"}}],
    }))  # fmt: skip
    store = tmp_path / "s.sops.yaml"
    set_username(capsys, store, age_keys, "demo-tracecat")
    before = store.read_bytes()
    files = sorted(tmp_path.rglob("*"))

    def fill(text: str) -> str:
        return (
            text.replace("{tmp}", str(tmp_path))
            .replace("{store}", str(store))
            .replace("{closed}", str(closed))
        )

    got, out, err = run(capsys, *up_args(store, age_keys, *[fill(f) for f in flags]))

    assert got == code, err
    for word in words:
        assert fill(word) in err, err
    if code == 2:
        one_clear_line(err, 2, [fill(words[0])])
        assert "history tracecat" not in err
    else:
        assert "Plan for release tracecat" in out
        assert "store written" not in err
    assert store.read_bytes() == before, "a dry run wrote the store"
    assert sorted(tmp_path.rglob("*")) == files, "a dry run wrote a file"
