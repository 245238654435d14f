"""Standard output for the console script: a reader that leaves, a closed or full output.

Three things a whole process must decide about its output that a library call must not:

- The reader leaves early (``chartsafe template ... | head -1``). Python raises
  ``BrokenPipeError`` at the next write, in the middle of the command, and its verdict
  (an invalid object, a failed check, printed to stderr after the output) is lost: the
  run used to exit 0 with nothing said. :class:`ReaderMayLeave` catches it at the write,
  points the descriptor at ``/dev/null`` and lets the command finish, so its problems
  still reach stderr and its exit code is its own (0 when all is well, as before).
- No standard output at all (``chartsafe template ... >&-``): Python sets ``sys.stdout``
  to None and ``print`` writes nowhere. A write raises ``EBADF`` instead, reported as an
  output that cannot be written, never as an internal error.
- ``PYTHONUNBUFFERED`` took the buffer away (see :func:`buffered_stdout`).
"""

from __future__ import annotations

import errno
import io
import os
import sys

# Not typing.TYPE_CHECKING: this module is imported before Helm's engine starts loading
# (see run), and typing (with re) is 5 ms that can wait until the engine loads beside it.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["ClosedOutput", "ReaderMayLeave", "buffered_stdout", "guard_stdout"]


class ReaderMayLeave:
    """``stream`` (the process's stdout), writes to which go nowhere once its reader left.

    Everything but ``write``, ``writelines`` and ``flush`` is the stream's own (encoding,
    ``isatty``, ``fileno``), so click and rich see the stream they would otherwise.
    """

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.reader_left = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)

    def _left(self) -> None:
        """Send the descriptor's later bytes (and the buffer's pending ones) to /dev/null."""
        self.reader_left = True
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, self._stream.fileno())
        finally:
            os.close(devnull)

    def write(self, text: str) -> int:
        if self.reader_left:
            return len(text)
        try:
            return int(self._stream.write(text))
        except BrokenPipeError:
            self._left()
            return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._left()
            self._stream.flush()  # what was pending goes to /dev/null now


class ClosedOutput(io.TextIOBase):
    """What ``sys.stdout`` is when the process has no descriptor 1: a write is an error."""

    encoding = "utf-8"

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")

    def isatty(self) -> bool:
        return False


def buffered_stdout() -> None:
    """Put a buffer under stdout when ``PYTHONUNBUFFERED`` took it away.

    Without one, a short write (a disk filling up under ``chartsafe template > out.yaml``)
    is dropped without an error by Python's text layer: the file ends mid-document and the
    command exits 0. Measured with ``PYTHONUNBUFFERED=1`` (common in container images) on a
    nearly full file system: 8 KB of a 59 KB render written, exit 0. A buffered writer
    retries short writes and raises when the disk is full; flushing at each line keeps what
    unbuffered output promises.
    """
    raw = getattr(sys.stdout, "buffer", None)
    if isinstance(raw, io.FileIO) and isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout = io.TextIOWrapper(
            io.BufferedWriter(raw),
            encoding=sys.stdout.encoding,
            errors=sys.stdout.errors,
            line_buffering=True,
        )


def guard_stdout() -> None:
    """The console script's stdout: buffered, and guarded as the module docstring says."""
    if sys.stdout is None:
        sys.stdout = ClosedOutput()
        return
    buffered_stdout()
    sys.stdout = ReaderMayLeave(sys.stdout)
