"""Ctrl-C for the console script: a KeyboardInterrupt, but never inside the import system.

Python raises KeyboardInterrupt wherever the main thread happens to be. Inside
importlib's own code (between taking the global import lock and the ``try``
that releases it, or in the weakref callback that drops a module's lock) the
exception leaves a lock held. While the main thread imports typer, the engine's
thread imports Helm's SDK (see ``_prefetch_engine``): it then waits for that
lock forever, and the main thread for a module the other one is importing.
Measured before this handler: Ctrl-C sent at 3 ms steps in the first 0.2 s of
``chartsafe template`` hung 2 runs in 66, and swallowed the interrupt in 3 more.

So the handler looks at where the main thread is: in importlib's frozen code, it
asks again a few milliseconds later (``interrupt_main``), when that code has
returned to the module being imported; anywhere else it raises as Python would.
The handler itself never blocks and takes no lock: it may run inside importlib's
code, and a retry that arrives while it still runs (a loaded machine) finds the
handler's own frame there, which counts as importlib's. Starting the retry with
``threading.Timer`` waited for the new thread to start: on a loaded machine the
retry came during that wait, raised, and left importlib's lock held (2 runs in 30
hung with two busy CPUs beside them).

It also notes that it raised: typer turns a KeyboardInterrupt inside a command
into a silent exit code 130 (``click.exceptions.Exit(130)``), and ``main`` owes
the user the one line that says why the command stopped.
"""

from __future__ import annotations

# _signal, the C module behind signal (which has no stub): signal builds its enums on
# import, ~2 ms spent before the engine's thread can start (see install).
import _signal  # type: ignore[import-not-found]
import _thread
import threading
import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import FrameType

__all__ = ["install", "raised"]

#: Seconds before asking again; importlib's own code runs for microseconds at a time.
RETRY_SECONDS = 0.002

_RAISED: list[bool] = []  # not empty once the handler has raised (no lock: see above)


def _not_here(frame: FrameType | None) -> bool:
    """The main thread is in importlib's own code, or in this handler (called inside it)."""
    if frame is None:
        return False
    code = frame.f_code
    return code.co_filename.startswith("<frozen importlib") or code is _on_interrupt.__code__


def _ask_again() -> None:
    time.sleep(RETRY_SECONDS)
    _thread.interrupt_main()


def _on_interrupt(signum: int, frame: FrameType | None) -> None:
    if _not_here(frame):
        _thread.start_new_thread(_ask_again, ())  # returns at once, unlike Thread.start
        return
    _RAISED.append(True)
    raise KeyboardInterrupt


def raised() -> bool:
    """Whether the handler has raised KeyboardInterrupt in this process."""
    return bool(_RAISED)


def install() -> None:
    """Handle SIGINT as above (main thread only; the console script calls it first).

    Before the engine's thread starts: the hang needs two threads importing."""
    if threading.current_thread() is threading.main_thread():
        _signal.signal(_signal.SIGINT, _on_interrupt)
