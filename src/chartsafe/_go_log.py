"""Helm's Go log lines, kept off the terminal or put in chartsafe's words.

Go's default ``log``/``slog`` in Helm's chart loader, values coalescing and lint-mode
``fail`` write to file descriptor 2 directly (the SDK cannot route them: see
:func:`chartsafe._helm.helm`). Left alone they print timestamped lines such as ``INFO found
symbolic link in path`` and, on ``lint``, ``INFO funcMap fail message="..."`` with the value
a chart put in its failure, secrets included. :func:`go_log_filtered` points fd 2 at a
pipe for one Go call, then drops the informational lines and writes the rest
through ``mask`` (which hides values from secret sources) as one-line warnings.

The Kubernetes client inside Helm's release actions logs through klog, also to fd 2
(``E1123 09:21:12.539809   24249 memcache.go:265] "Unhandled Error" err="..."``): its
warnings and errors are shown the same way, its info lines dropped.

Helm logs the same warning from several calls (coalescing runs in render and again in
merge; lint renders the chart many times): each distinct line prints once per call, and
once per :func:`each_warning_once` block around several calls.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import threading
from collections.abc import Callable, Iterator
from contextvars import ContextVar

__all__ = ["already_printed", "each_warning_once", "go_log_filtered"]

#: The warnings already printed in the current :func:`each_warning_once` block.
_PRINTED: ContextVar[set[str] | None] = ContextVar("chartsafe_go_log_printed", default=None)


@contextlib.contextmanager
def each_warning_once() -> Iterator[None]:
    """Around several Go calls (nested blocks share the outer one's record)."""
    if _PRINTED.get() is not None:
        yield
        return
    token = _PRINTED.set(set())
    try:
        yield
    finally:
        _PRINTED.reset(token)


class _Everything(set[str]):
    """A record that holds every line: nothing in its block is printed again."""

    def __contains__(self, item: object) -> bool:
        return True


@contextlib.contextmanager
def already_printed() -> Iterator[None]:
    """Around Go calls that repeat earlier ones with the same inputs (a second render to
    compare): their warnings were printed by the first, and Helm's lines are not repeated."""
    token = _PRINTED.set(_Everything())
    try:
        yield
    finally:
        _PRINTED.reset(token)


#: Go's log prefix: date and time, then slog's level when there is one.
_GO_LOG = re.compile(
    r"^\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)? (?:(DEBUG|INFO|WARN|ERROR) )?"
)

#: klog's prefix: level letter, date, time, thread, file:line and "]".
_KLOG = re.compile(r"^([IWEF])\d{4} \d{2}:\d{2}:\d{2}\.\d+\s+\d+ [^ \]]+:\d+\] ")
#: A structured klog message's error, the part a person needs (``err="..."``).
_KLOG_ERR = re.compile(r'\berr="((?:[^"\\]|\\.)*)"')


@contextlib.contextmanager
def go_log_filtered(mask: Callable[[str], str]) -> Iterator[None]:
    """Around one Go call: its log lines go through :func:`_shown` after it returns.

    Into memory, never a file on disk: a line may hold a secret value before it is masked.
    On Linux fd 2 points at an anonymous memory file (``memfd_create``) read after the
    call; elsewhere at a pipe that a thread drains while Go runs (a full pipe would block
    Go's write). The memory file needs no thread: a template run makes six Go calls.
    """
    sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:  # no fd 2 at all, or no descriptors left: leave fd 2 alone
        yield
        return
    try:
        with _captured(saved) as chunks:
            yield
    finally:
        os.close(saved)
    _print_filtered(b"".join(chunks), mask)


@contextlib.contextmanager
def _captured(saved: int) -> Iterator[list[bytes]]:
    """fd 2 caught for the block; the list holds what was written once the block is done.

    Ctrl-C raises wherever Python checks for it, after any call: also between pointing fd 2
    elsewhere and the ``try`` that puts it back, or in the ``finally`` between the flush and
    the restore. Either left fd 2 caught for good: the "interrupted" line went into the
    memory file, and the command exited 130 with nothing on stderr (measured: 1 run in 1,625
    of template interrupted at random times). So fd 2 is pointed elsewhere inside the
    ``try``, and put back in a ``finally`` of its own.
    """
    chunks: list[bytes] = []
    if hasattr(os, "memfd_create"):
        memory = os.memfd_create("chartsafe-go-log", os.MFD_CLOEXEC)
        try:
            with _redirected(memory, saved):
                yield chunks
            os.lseek(memory, 0, os.SEEK_SET)
            while chunk := os.read(memory, 1 << 20):
                chunks.append(chunk)
        finally:
            os.close(memory)
        return
    read_end, write_end = os.pipe()

    def drain() -> None:
        while chunk := os.read(read_end, 65536):
            chunks.append(chunk)

    reader = threading.Thread(target=drain, name="chartsafe-go-log", daemon=True)
    reader.start()
    try:
        with _redirected(write_end, saved):
            yield chunks
    finally:
        os.close(write_end)  # fd 2 is back: the pipe's last write end, the reader sees its end
        reader.join()
        os.close(read_end)


@contextlib.contextmanager
def _redirected(target: int, saved: int) -> Iterator[None]:
    """fd 2 on ``target`` for the block, then back on ``saved`` whatever interrupts."""
    try:
        os.dup2(target, 2)
        yield
    finally:
        try:
            sys.stderr.flush()  # what Python wrote meanwhile was caught too
        finally:
            os.dup2(saved, 2)


def _print_filtered(caught: bytes, mask: Callable[[str], str]) -> None:
    printed = _PRINTED.get()
    printed = set() if printed is None else printed
    for line in caught.decode("utf-8", errors="replace").splitlines():
        shown = _shown(line)
        if shown is None:
            continue
        masked = mask(shown)
        if _GO_LOG.match(line) or _KLOG.match(line):  # repeats; others' output kept as written
            if masked in printed:
                continue
            printed.add(masked)
        print(masked, file=sys.stderr)


def _shown(line: str) -> str | None:
    """The line as chartsafe prints it, or None for Go's debug and info lines."""
    klog = _KLOG.match(line)
    if klog is not None:
        if klog.group(1) == "I":
            return None
        text = line[klog.end() :].strip()
        error = _KLOG_ERR.search(text)
        return f"chartsafe: warning: kubernetes client: {error.group(1) if error else text}"
    match = _GO_LOG.match(line)
    if match is None:
        return line  # not a Go log line: someone else's output, kept
    level, text = match.group(1), line[match.end() :].strip()
    if level in ("DEBUG", "INFO") or not text:
        return None
    return f"chartsafe: warning: helm: {text.removeprefix('warning: ')}"
