"""Python's cyclic garbage collector, held off while a run imports what it needs.

Why: importing typer, click and a command's modules makes a few hundred thousand
objects, none of them garbage, and the collector walks them again and again as
they come (measured: 9 ms of a 150 ms ``template`` run). :func:`hold` turns it
off when the console script starts; :func:`release`, once the command's modules
are in, sets everything made so far aside for good (``gc.freeze``: modules,
classes and functions that live as long as the process) and turns it back on,
so the command itself runs with the collector as usual. Only ``run`` holds it: a
library caller or a test that calls ``main`` is never touched.
"""

from __future__ import annotations

import gc

__all__ = ["hold", "release"]

_HELD: list[bool] = []


def hold() -> None:
    """Turn the collector off until :func:`release` (if it is on at all)."""
    if gc.isenabled() and not _HELD:
        gc.disable()
        _HELD.append(True)


def release() -> None:
    """Set aside what exists now and turn the collector back on, if :func:`hold` held it."""
    if _HELD:
        _HELD.clear()
        gc.freeze()
        gc.enable()
