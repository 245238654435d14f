"""The README's examples of read-only commands run as written, where they name only real files.

Examples with a placeholder (``my-values.yaml``) show a shape; the others must work on a
fresh checkout, since they are what a reader pastes first.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from chartsafe.cli import main

REPO = Path(__file__).resolve().parents[2]
READ_ONLY = ("template", "contract", "lint", "audit")


def _examples() -> list[list[str]]:
    text = (REPO / "README.md").read_text()
    found = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        for line in block.replace("\\\n", " ").splitlines():
            words = shlex.split(line.split(" #", 1)[0].split(">>", 1)[0])
            if len(words) < 3 or words[0] != "chartsafe" or words[1] not in READ_ONLY:
                continue
            if any(w == "CHART" or w.startswith("[") for w in words):
                continue  # the usage summary, not an example
            paths = [w for w in words[2:] if w.startswith("charts/") or w.endswith(".yaml")]
            if all((REPO / p).exists() for p in paths):
                found.append(words[1:])
    return found


EXAMPLES = _examples()


def test_the_llmtrace_examples_are_among_them() -> None:
    assert sum("charts/llmtrace" in words for words in EXAMPLES) >= 2


@pytest.mark.parametrize("words", EXAMPLES, ids=[" ".join(w[:3]) for w in EXAMPLES])
def test_example_runs(
    words: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(REPO)
    code = main(words)
    assert code == 0, capsys.readouterr().err


def test_the_library_examples_run_as_written(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every ```python block of the README, executed from the checkout's root."""
    blocks = re.findall(r"```python\n(.*?)```", (REPO / "README.md").read_text(), flags=re.S)
    assert blocks
    monkeypatch.chdir(REPO)
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})  # our own README, as a reader runs it
    assert "tracecat" in capsys.readouterr().out
