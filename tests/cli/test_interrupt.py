"""Ctrl-C: never inside importlib's own code (a hang), always one line and exit 130."""

from __future__ import annotations

import importlib._bootstrap
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

import pytest

from chartsafe.cli import _interrupt

CHART = Path(__file__).parents[1] / "data" / "minimal"


def _frame_in_importlib() -> FrameType:
    """A frame of importlib's frozen code (``_call_with_frames_removed`` calling us)."""
    frame: FrameType = importlib._bootstrap._call_with_frames_removed(sys._getframe)  # type: ignore[attr-defined]
    return frame


def test_in_importlib_the_interrupt_waits_until_that_code_is_left() -> None:
    frame = _frame_in_importlib()
    assert frame.f_code.co_filename.startswith("<frozen importlib")
    signal.signal(signal.SIGINT, _interrupt._on_interrupt)
    _interrupt._on_interrupt(signal.SIGINT, frame)  # returns: nothing raised in there
    with pytest.raises(KeyboardInterrupt):
        time.sleep(2)  # the retry arrives here, outside importlib, and raises
    assert _interrupt.raised()


def test_a_retry_that_arrives_while_the_handler_runs_waits_too() -> None:
    """On a loaded machine the retry can come while the handler is still running inside
    importlib's code: raising there left importlib's lock held (a hang)."""
    handler_frames: list[FrameType] = []

    def grab(frame: FrameType, event: str, arg: object) -> None:
        if event == "call" and frame.f_code is _interrupt._on_interrupt.__code__:
            handler_frames.append(frame)

    signal.signal(signal.SIGINT, _interrupt._on_interrupt)
    sys.setprofile(grab)
    try:
        _interrupt._on_interrupt(signal.SIGINT, _frame_in_importlib())
    finally:
        sys.setprofile(None)
    with pytest.raises(KeyboardInterrupt):
        time.sleep(2)  # the first retry
    _interrupt._on_interrupt(signal.SIGINT, handler_frames[0])  # returns: asks again
    with pytest.raises(KeyboardInterrupt):
        time.sleep(2)


def test_elsewhere_the_interrupt_raises_at_once() -> None:
    with pytest.raises(KeyboardInterrupt):
        _interrupt._on_interrupt(signal.SIGINT, sys._getframe())
    assert _interrupt.raised()


def test_an_interrupt_inside_a_command_is_one_line() -> None:
    """typer turns a KeyboardInterrupt inside a command into a silent exit 130: the
    console script still says why it stopped, in one line, without a traceback."""
    with subprocess.Popen(
        [sys.executable, "-m", "chartsafe", "template", str(CHART), "-f", "-"],
        stdin=subprocess.PIPE,  # left open: the command waits in reading -f -
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        time.sleep(1.5)  # past start-up: if it came earlier, the answer must be the same
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert err == "chartsafe: interrupted\n"
    assert out == ""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the engine's thread needs the console script")
def test_interrupts_during_start_up_never_hang() -> None:
    """Ctrl-C at many points of the first 0.2 s, while two threads import: every run ends
    (an interrupt in Python's own start-up, before chartsafe runs, may end it otherwise).
    Before the handler, about one run in thirty hung on the import lock."""
    for delay_ms in range(20, 200, 12):
        with subprocess.Popen(
            [sys.executable, "-m", "chartsafe", "template", str(CHART)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        ) as proc:
            time.sleep(delay_ms / 1000)
            proc.send_signal(signal.SIGINT)
            try:
                _, err = proc.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                pytest.fail(f"Ctrl-C after {delay_ms} ms: the process hung")
        if proc.returncode == 130:
            assert err.endswith("chartsafe: interrupted\n"), err


@pytest.mark.parametrize("validate", [False, True], ids=["engine", "engine and schemas"])
def test_the_engines_head_start_fails_quietly(
    validate: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An interrupt that stops the main thread while it imports a module the engine's thread
    imports too fails that thread's import: its traceback must not follow the one line the
    interrupt gets (the main thread meets and reports any real failure itself)."""
    import threading

    from chartsafe import cli

    monkeypatch.setitem(sys.modules, "helm_python", None)  # its import now fails
    raised: list[BaseException | None] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: raised.append(args.exc_value))
    thread = threading.Thread(target=cli._load_engine, args=(validate,))
    thread.start()
    thread.join()
    assert raised == []
