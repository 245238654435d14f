"""The check every bad-input table row makes (tests/cli/test_bad_input*.py): the one line
that names the problem."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["one_clear_line"]


def one_clear_line(err: str, code: int, words: Sequence[str]) -> str:
    """The line of ``err`` (stderr of a run that exited ``code``) holding every one of
    ``words``; asserts that there is one and no traceback, and for bad input (exit 2)
    that it is the run's only error line."""
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.strip()]
    message = next((line for line in lines if all(w in line for w in words)), None)
    assert message is not None, f"no line with {words} in:\n{err}"
    if code == 2:
        errors = [line for line in lines if line.startswith("chartsafe: error:")]
        assert errors == [message], f"not one error line naming {words}:\n{err}"
    return message
