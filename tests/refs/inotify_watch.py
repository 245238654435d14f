"""Record every file created, written or moved into some directories (Linux inotify, ctypes).

The kernel queues the events, so even a file that lives for a microsecond is seen; nothing is
polled or timed. Used to show that decrypting values writes no plaintext file.
"""

from __future__ import annotations

import ctypes
import os
import struct
import sys
from pathlib import Path
from types import TracebackType

import pytest

_IN_MODIFY = 0x002
_IN_CLOSE_WRITE = 0x008
_IN_MOVED_TO = 0x080
_IN_CREATE = 0x100
_MASK = _IN_MODIFY | _IN_CLOSE_WRITE | _IN_MOVED_TO | _IN_CREATE
_HEADER = struct.Struct("iIII")


class DirectoryWatch:
    """``with DirectoryWatch([dir, ...]) as watch: ...`` then ``watch.events``: (dir, name)."""

    def __init__(self, directories: list[Path]) -> None:
        if not sys.platform.startswith("linux"):
            pytest.skip("inotify is Linux only")
        self._libc = ctypes.CDLL(None, use_errno=True)
        self._dirs = directories
        self._fd = -1
        self._wds: dict[int, Path] = {}
        self.events: list[tuple[Path, str]] = []

    def __enter__(self) -> DirectoryWatch:
        self._fd = self._libc.inotify_init1(os.O_NONBLOCK)
        if self._fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1")
        for directory in self._dirs:
            wd = self._libc.inotify_add_watch(self._fd, str(directory).encode(), _MASK)
            if wd < 0:
                raise OSError(ctypes.get_errno(), f"inotify_add_watch {directory}")
            self._wds[wd] = directory
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            while True:
                try:
                    data = os.read(self._fd, 65536)
                except BlockingIOError:
                    break
                offset = 0
                while offset < len(data):
                    wd, _mask, _cookie, length = _HEADER.unpack_from(data, offset)
                    offset += _HEADER.size
                    name = data[offset : offset + length].rstrip(b"\0").decode()
                    offset += length
                    self.events.append((self._wds[wd], name))
        finally:
            os.close(self._fd)
