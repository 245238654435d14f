"""Schema validation in a forked process, for the ``chartsafe`` console script.

Why: on ``chartsafe template`` the Kubernetes schemas (importing jsonschema-rs,
reading and compiling them) are a third of the work that holds the GIL, and a
thread cannot run it beside typer's import and the command's own Python code.
A process can: :func:`start` forks before anything else has run (no thread
exists yet, Helm's Go runtime is not loaded), the child builds the schemas on
the other core while the parent parses its flags and renders, and validating
the rendered objects is then one round trip over a pipe.

The child waits for :func:`go` before it starts: on two cores, building the
schemas at once would compete with Helm's Go runtime starting in the parent's
engine thread, which the render waits for; once that has loaded, the core is
free and the schemas are ready long before the render is (measured: the
validating run then costs what ``--no-validate`` does, plus one round trip).

The child answers one request and exits; it also exits when the parent does
(its end of the pipe closes). Anything that goes wrong on the way (no worker,
a dead child, data that is not JSON) makes :func:`ask` return None and the
caller validates in its own process, with the same code and the same verdicts.
Only :func:`chartsafe.cli.run` starts a worker: a library caller or a test that
calls ``main`` validates in process, as before.
"""

from __future__ import annotations

import os
import sys
import threading

# Not typing.TYPE_CHECKING, and json imported where used: start() forks before
# anything heavier than this module is imported, so that the child, not the
# parent, imports the schema code.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from ._objects import K8sObject
    from ._schema import ObjectProblem

__all__ = ["ask", "ready", "start"]

_HEADER_SIZE = 8  # the length of the JSON that follows, big-endian

#: Seconds the parent waits for the worker to make progress before it gives up on it
#: (and validates in process): a worker that hangs must never hang the command.
STALL_SECONDS = 60.0


_GO = b"g"  # the one byte that lets the child start building


class _Worker:
    # not a dataclass: importing dataclasses (and inspect) would delay the fork
    def __init__(self, pid: int, requests: int, answers: int) -> None:
        self.pid = pid
        self.requests = requests  # our write end
        self.answers = answers  # our read end
        self.going = False
        self.lock = threading.Lock()  # go() runs in the engine's thread, ask() in the main one


_WORKER: list[_Worker] = []  # at most one, used once


def ready() -> bool:
    """True when a worker is building schemas: nobody else needs to warm them up."""
    return bool(_WORKER)


def go() -> None:
    """Let the worker start building the schemas (once; harmless without a worker)."""
    import contextlib

    for worker in _WORKER:
        with worker.lock:
            if not worker.going:
                worker.going = True
                # one byte fits in an empty pipe; a dead worker is ask()'s to find out
                with contextlib.suppress(OSError):
                    os.write(worker.requests, _GO)


def start() -> bool:
    """Fork the worker, which builds the default Kubernetes version's schemas at once.

    Only while the process has a single thread (a fork copies only the caller's
    thread; a lock another thread held would stay locked in the child) and on
    Linux, where fork without exec is safe for a pure-Python child.
    """
    if _WORKER or not sys.platform.startswith("linux") or threading.active_count() != 1:
        return False
    to_child, requests = os.pipe()
    answers, from_child = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child never returns from here
        code = 1
        try:
            _detach(keep=(to_child, from_child))
            _serve(to_child, from_child)
            code = 0
        finally:
            os._exit(code)
    os.close(to_child)
    os.close(from_child)
    os.set_blocking(requests, False)  # a write never blocks past the stall check (_send)
    _WORKER.append(_Worker(pid, requests, answers))
    return True


def _detach(keep: tuple[int, int]) -> None:
    """Leave the parent's terminal, files and Ctrl-C to the parent."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    low, high = sorted(keep)
    os.closerange(3, low)
    os.closerange(low + 1, high)
    os.closerange(high + 1, os.sysconf("SC_OPEN_MAX"))


def _serve(requests: int, answers: int) -> None:
    import json

    from ._objects import K8sObject
    from ._schema import DEFAULT_KUBE_VERSION, SchemaValidator

    if _read_exactly(requests, len(_GO), None) is None:
        return  # the parent has exited
    SchemaValidator(DEFAULT_KUBE_VERSION).prepare()
    request = _receive(requests)
    if request is None:
        return  # the parent needed no validation, or has exited
    asked = json.loads(request)
    validator = SchemaValidator(asked["kubeVersion"])
    for crd in asked["crds"]:
        validator.crds.add_crd(crd)
    verdicts: list[list[list[str]] | None] = []
    for body, source in asked["objects"]:
        obj = K8sObject(text="", body=body, source=source, release_namespace="")
        problems = validator.problems(obj)
        verdicts.append(
            None if problems is None else [[p.obj, p.source, p.path, p.message] for p in problems]
        )
    _send(answers, json.dumps(verdicts).encode())


def ask(
    kube_version: str, crds: Sequence[dict[str, Any]], objects: Sequence[K8sObject]
) -> list[list[ObjectProblem] | None] | None:
    """Each object's problems (None: no schema knows its kind), from the worker.

    None when there is no worker or it cannot answer: validate in process then.
    """
    if not _WORKER:
        return None
    import json

    from ._schema import ObjectProblem

    go()  # when the engine's thread has not yet
    worker = _WORKER.pop()
    answer = None
    try:
        request = {
            "kubeVersion": kube_version,
            "crds": list(crds),
            "objects": [[o.body, o.source] for o in objects],
        }
        _send(worker.requests, json.dumps(request, allow_nan=False).encode(), STALL_SECONDS)
        answer = _receive(worker.answers, STALL_SECONDS)
    except (OSError, TypeError, ValueError):  # a dead child, or data JSON cannot carry
        answer = None
    finally:
        _close(worker, stalled=answer is None)
    if answer is None:
        return None
    verdicts = json.loads(answer)
    if len(verdicts) != len(objects):
        return None
    return [None if v is None else [ObjectProblem(*p) for p in v] for v in verdicts]


def _close(worker: _Worker, *, stalled: bool) -> None:
    """Close the pipes; reap the worker if it has exited, kill it if it stalled.

    A worker that answered exits by itself, but the kernel takes a few
    milliseconds to tear down its memory (measured: 3 to 4 ms on Tracecat,
    before the manifests could be printed). Nothing waits for that: a worker
    not yet gone stays a zombie until this short-lived process exits and init
    reaps it. A stalled one is killed and waited for.
    """
    import contextlib
    import signal

    os.close(worker.requests)
    os.close(worker.answers)
    with contextlib.suppress(ChildProcessError, ProcessLookupError):
        if stalled:
            os.kill(worker.pid, signal.SIGKILL)
        os.waitpid(worker.pid, 0 if stalled else os.WNOHANG)


def _wait(fd: int, *, write: bool, stall: float | None) -> None:
    """Until ``fd`` can be read or written; TimeoutError after ``stall`` seconds without."""
    if stall is None:
        return
    import select

    ready = select.select([], [fd], [], stall) if write else select.select([fd], [], [], stall)
    if not any(ready):
        raise TimeoutError(f"schema worker made no progress in {stall:.0f} s")


def _send(fd: int, data: bytes, stall: float | None = None) -> None:
    view = memoryview(len(data).to_bytes(_HEADER_SIZE, "big") + data)
    while view:
        _wait(fd, write=True, stall=stall)
        try:
            view = view[os.write(fd, view) :]
        except BlockingIOError:  # the pipe filled up between the check and the write
            continue


def _receive(fd: int, stall: float | None = None) -> bytes | None:
    header = _read_exactly(fd, _HEADER_SIZE, stall)
    return None if header is None else _read_exactly(fd, int.from_bytes(header, "big"), stall)


def _read_exactly(fd: int, size: int, stall: float | None) -> bytes | None:
    chunks: list[bytes] = []
    while size:
        _wait(fd, write=False, stall=stall)
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)
