"""Helm's Go log lines, kept off the terminal or put in chartsafe's words.

Go's default ``log``/``slog`` in Helm's chart loader, values coalescing and lint-mode
``fail`` write to file descriptor 2 directly (the SDK cannot route them: see
:func:`chartsafe._helm.helm`). Left alone they print timestamped lines such as ``INFO found
symbolic link in path`` and, on ``lint``, ``INFO funcMap fail message="..."`` with the value
a chart put in its failure, secrets included. :func:`go_log_filtered` points fd 2 at a
temporary file for one Go call, then drops the informational lines and writes the rest
through ``mask`` (which hides values from secret sources) as one-line warnings.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterator

__all__ = ["go_log_filtered"]

#: Go's log prefix: date and time, then slog's level when there is one.
_GO_LOG = re.compile(
    r"^\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)? (?:(DEBUG|INFO|WARN|ERROR) )?"
)


@contextlib.contextmanager
def go_log_filtered(mask: Callable[[str], str]) -> Iterator[None]:
    """Around one Go call: its log lines go through :func:`_shown` after it returns."""
    sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:  # no fd 2 at all: nothing can reach a terminal
        yield
        return
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()  # what Python wrote meanwhile goes to the sink too
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            captured = sink.read().decode("utf-8", errors="replace")
    for line in captured.splitlines():
        shown = _shown(line)
        if shown is not None:
            print(mask(shown), file=sys.stderr)


def _shown(line: str) -> str | None:
    """The line as chartsafe prints it, or None for Go's debug and info lines."""
    match = _GO_LOG.match(line)
    if match is None:
        return line  # not a Go log line: someone else's output, kept
    level, text = match.group(1), line[match.end() :].strip()
    if level in ("DEBUG", "INFO") or not text:
        return None
    return f"chartsafe: warning: helm: {text.removeprefix('warning: ')}"
