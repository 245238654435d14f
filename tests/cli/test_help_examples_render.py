"""Every example of ``install``, ``upgrade``, ``check`` and ``audit --help`` renders as written.

Before, ``install charts/tracecat -g``, the ``upgrade`` and ``check`` examples named Tracecat
without a values file (it cannot render without one: ``secrets.existingSecret is
required``) and ``audit prod charts/llmtrace -f values-production.yaml`` stopped on the
values its production file leaves to ``--set``. Each example runs here with only what it
needs of a cluster replaced: release actions get ``--dry-run client --storage memory`` (a
plain ``upgrade`` also ``--install``: the memory storage holds no release to upgrade),
``check --against cluster`` checks an empty manifest folder instead, and the folders and
files an example names as the user's own are made empty. Rendering must succeed: exit 0,
or 1 where a check ran and found gaps (bad input and template errors are exit 2).
Examples from a registry (``oci://``) are left to ``tests/oci``.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from test_help_examples import _help_examples

from chartsafe.cli import main

REPO = Path(__file__).resolve().parents[2]
COMMANDS = ("install", "upgrade", "check", "audit")


#: Examples from a registry are tests/oci's.
EXAMPLES = [(c, e) for c, e in _help_examples() if c in COMMANDS and "oci://" not in e]


def test_every_screen_has_examples_here() -> None:
    assert {name for name, _ in EXAMPLES} == set(COMMANDS)
    assert len(EXAMPLES) >= 12, EXAMPLES


def _offline(command: str, words: list[str], tmp: Path) -> list[str]:
    """``words`` with what only a cluster or the user has replaced (see the docstring)."""
    if command in ("install", "upgrade"):
        words = [*words, "--dry-run", "client", "--storage", "memory"]
        if command == "upgrade" and not {"-i", "--install"} & set(words):
            words.append("--install")
    if command == "check":
        at = words.index("--against") + 1
        target = tmp / ("empty" if words[at] == "cluster" else words[at])
        if target.suffix in (".yaml", ".yml"):
            target.write_text("apiVersion: v1\nkind: List\nitems: []\n")
        else:
            target.mkdir(parents=True, exist_ok=True)
        words[at] = str(target)
    return words


@pytest.mark.parametrize(("command", "example"), EXAMPLES, ids=[e for _, e in EXAMPLES])
def test_a_help_example_gets_past_rendering(
    command: str,
    example: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "charts").symlink_to(REPO / "charts")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HELM_NAMESPACE", raising=False)
    words = _offline(command, shlex.split(example, comments=True)[1:], tmp_path)
    code = main(words)
    err = capsys.readouterr().err
    assert code in (0, 1), f"{command} --help: {example}\n{err}"
    assert "error" not in err.lower() or code == 1, err
