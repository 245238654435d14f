"""One writer at a time per store: an advisory lock held from reading a store to saving it.

Why: a store edit is read, change in memory, write the whole file. Two commands doing it at
once (two CI jobs running ``chartsafe up`` on releases that share a store, a ``secrets set``
beside a ``secrets init``) each write the file they read plus their own change: the later
rename drops the other's keys without a word. A dropped key that was already delivered is
worse than a lost edit: the next run finds it missing and generates a new value, which no
longer matches what the database was initialised with. Measured before this lock: eight
concurrent ``secrets set`` of eight different keys left five.

The lock is ``flock`` on the store's directory (the directory of the file a symbolic link
names, where the write lands): no lock file appears beside a store kept in git, a crashed
command releases it with its process, and readers never take it (they see the old file or
the new one, as the write is a rename). Stores in one directory share the lock; edits are
short, so that costs nothing. Where the file system has no ``flock`` for directories (some
network file systems) the edit goes on unlocked, as before.

A command that finds the lock held waits for it (edits take milliseconds; ``up`` holds it
only while it generates), and gives up with a clear error after ``wait`` seconds, writing
nothing: the holder may be a ``secrets init`` waiting for someone to type a value.
"""

from __future__ import annotations

import contextlib
import errno
import os
import time
from collections.abc import Iterator
from pathlib import Path

from chartsafe._errors import StoreError

__all__ = ["STORE_LOCK_WAIT", "store_lock"]

#: Seconds a command waits for another command's edit of the same store directory.
STORE_LOCK_WAIT = 30.0

_POLL_SECONDS = 0.05

#: flock errors that mean "this file system cannot lock a directory", not "it is locked".
_UNSUPPORTED = frozenset({errno.EBADF, errno.EINVAL, errno.ENOLCK, errno.EOPNOTSUPP})


@contextlib.contextmanager
def store_lock(path: Path | str, *, wait: float | None = None) -> Iterator[None]:
    """Hold the edit lock of the store at ``path`` for the ``with`` block.

    Raises StoreError when another process holds it for more than ``wait`` seconds
    (default ``STORE_LOCK_WAIT``). A directory that does not exist (yet) is not locked:
    writing there fails anyway.
    """
    import fcntl

    wait = STORE_LOCK_WAIT if wait is None else wait
    directory = Path(os.path.realpath(path)).parent
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        yield
        return
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno in _UNSUPPORTED:
                    break  # no locking here: edit as before
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                    raise
            if time.monotonic() >= deadline:
                raise StoreError(
                    f"{path}: another chartsafe command is changing a store in {directory} "
                    f"and still held it after {wait:g} s; nothing written",
                    file=str(path),
                    hint="let it finish (a `secrets init` may be waiting for input), "
                    "then run this again",
                )
            time.sleep(_POLL_SECONDS)
        yield
    finally:
        os.close(fd)  # releases the lock
