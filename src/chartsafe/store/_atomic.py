"""Atomic, private file writes: a 0600 temporary file in the same directory, then a rename.

A reader sees the old file or the new one, never a half-written one, and the content is never
readable by other users, not even for a moment.

A path that is a symbolic link is written through: the rename happens at the link's target, as
sops (which opens the path) does, so the link stays a link and the file it names is updated.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

__all__ = ["write_atomic"]


def write_atomic(path: Path, data: bytes, *, mode: int = 0o600, overwrite: bool = True) -> None:
    """Write ``data`` to ``path`` atomically with permissions ``mode``.

    With ``overwrite=False`` an existing ``path`` raises ``FileExistsError`` and is left alone,
    even if it appears while writing.
    """
    path = Path(path)
    if overwrite and path.is_symlink():
        path = Path(os.path.realpath(path))  # the link's final target, not the link itself
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # fails if path exists: no clobbering, still atomic
            tmp.unlink()
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
