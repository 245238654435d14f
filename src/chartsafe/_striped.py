"""Work over a list of documents split across threads, for readers that let go of the GIL.

Helm's parser (in Go) and yaml-rs (in Rust) both release the GIL while they parse, so two
threads read documents side by side; one piece of code decides when that pays and how the
documents are dealt out, for both.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence

__all__ = ["PARALLEL_FROM_BYTES", "run_striped"]

#: Below this many bytes of documents one thread parses them all: on a handful of small
#: ones, the threads' start and their turns at the GIL cost more than they save. Measured
#: on Tracecat's render (25 documents, 70 kB): 10.0 ms on one thread, 8.0 ms on two;
#: break-even near 17 kB.
PARALLEL_FROM_BYTES = 20_000


def run_striped(
    work: Callable[[Sequence[int]], None], indexes: Sequence[int], *, size: int, most: int
) -> None:
    """``work`` over ``indexes`` dealt out in turn (0, n, 2n... to the first thread) to at
    most ``most`` threads, the caller's among them, when ``size`` bytes make it pay."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    workers = min(cores or 1, most, len(indexes)) if size >= PARALLEL_FROM_BYTES else 1
    workers = max(workers, 1)
    threads = [
        threading.Thread(
            target=work, args=(indexes[n::workers],), name=f"chartsafe-yaml-{n}", daemon=True
        )
        for n in range(1, workers)
    ]
    for thread in threads:
        thread.start()
    work(indexes[0::workers])
    for thread in threads:
        thread.join()
