"""Helm's Go log lines on fd 2: info dropped, warnings in chartsafe's words, values masked."""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from chartsafe._go_log import _shown, already_printed, each_warning_once, go_log_filtered
from chartsafe.cli import main

FRACTAL = Path(__file__).resolve().parents[2] / "charts" / "fractal-lba"


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        ("2026/11/22 13:21:58 INFO found symbolic link in path path=/a resolved=/b", None),
        ('2026/11/22 13:21:58 INFO funcMap fail message="bad value s3cret"', None),
        ("2026/11/22 13:21:58 DEBUG anything", None),
        ("2026/11/22 13:21:58 WARN no icon", "chartsafe: warning: helm: no icon"),
        ("2026/11/22 13:21:58 warning: destination for a.b is a table. Ignoring non-table value",
         "chartsafe: warning: helm: destination for a.b is a table. Ignoring non-table value"),
        ("not a log line", "not a log line"),
        # the Kubernetes client's klog lines (Helm's release actions)
        ('E1123 09:21:12.539809   24249 memcache.go:265] "Unhandled Error" err="couldn\'t get '
         'current server API group list: not found" logger="UnhandledError"',
         "chartsafe: warning: kubernetes client: couldn't get current server API group list: "
         "not found"),
        ("W1123 09:21:12.5398 7 warnings.go:70] apps/v1beta1 Deployment is deprecated",
         "chartsafe: warning: kubernetes client: apps/v1beta1 Deployment is deprecated"),
        ('I1123 09:21:12.539809   24249 request.go:700] "Waited before sending request"', None),
        ("E1123 without the rest of klog's prefix", "E1123 without the rest of klog's prefix"),
    ],
)  # fmt: skip
def test_each_line(line: str, shown: str | None) -> None:
    assert _shown(line) == shown


@pytest.mark.parametrize("catch", ["memory file", "pipe"])
def test_lines_written_to_fd_2_are_filtered_and_masked(
    catch: str, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    if catch == "pipe":  # as on a system without memfd_create
        monkeypatch.delattr(os, "memfd_create")
    noise = b"2026/11/22 13:21:58 INFO noise\n" * 5000  # more than a pipe holds
    with go_log_filtered(lambda text: text.replace("s3cret", "<masked>")):
        os.write(2, noise + b"2026/11/22 13:21:58 ERROR bad s3cret\n")
    err = capfd.readouterr().err
    assert err == "chartsafe: warning: helm: bad <masked>\n"


def test_fd_2_is_restored_after_a_failing_call(capfd: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(RuntimeError), go_log_filtered(str):
        os.write(2, b"2026/11/22 13:21:58 ERROR lost with the failure\n")
        raise RuntimeError("the Go call failed")
    os.write(2, b"after\n")
    assert capfd.readouterr().err == "after\n"


@pytest.mark.parametrize("catch", ["memory file", "pipe"])
@pytest.mark.parametrize("where", ["after fd 2 is caught", "between flush and restore"])
def test_fd_2_is_restored_whenever_ctrl_c_lands(
    where: str, catch: str, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C raises after whatever call Python was in: right after the call that points
    fd 2 elsewhere, or after the flush before the one that puts it back. Either way fd 2
    comes back, so that the "interrupted" line reaches the terminal."""
    import sys

    if catch == "pipe":
        monkeypatch.delattr(os, "memfd_create")
    real_dup2, real_flush = os.dup2, sys.stderr.flush

    def dup2_then_interrupted(fd: int, fd2: int) -> None:
        real_dup2(fd, fd2)
        if fd2 == 2 and not caught:  # the first dup2: fd 2 is caught now
            caught.append(True)
            raise KeyboardInterrupt

    def flush_then_interrupted() -> None:
        real_flush()
        if caught and not flushed:  # the flush before fd 2 is put back
            flushed.append(True)
            raise KeyboardInterrupt

    caught: list[bool] = []
    flushed: list[bool] = []
    if where == "after fd 2 is caught":
        monkeypatch.setattr(os, "dup2", dup2_then_interrupted)
    else:
        monkeypatch.setattr(os, "dup2", lambda fd, fd2: (caught.append(True), real_dup2(fd, fd2)))
        monkeypatch.setattr(sys.stderr, "flush", flush_then_interrupted)
    with pytest.raises(KeyboardInterrupt), go_log_filtered(str):
        os.write(2, b"during the call\n")
    monkeypatch.undo()
    os.write(2, b"chartsafe: interrupted\n")
    assert capfd.readouterr().err.endswith("chartsafe: interrupted\n")


@pytest.mark.parametrize(
    "args",
    [["template", str(FRACTAL), "--set", "signing.hmac.key=k", "--no-validate"],
     ["package", str(FRACTAL), "-d", "{tmp}"]],
    ids=["template", "package"],
)  # fmt: skip
def test_a_chart_with_symlinked_subcharts_prints_no_go_log(
    args: list[str], tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    assert main([a.replace("{tmp}", str(tmp_path)) for a in args]) == 0
    err = capfd.readouterr().err
    assert "found symbolic link" not in err
    assert all(line.startswith("chartsafe: ") for line in err.splitlines())


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        (each_warning_once, "chartsafe: warning: helm: again\nnot a log line\nnot a log line\n"),
        (already_printed, "not a log line\nnot a log line\n"),
    ],
    ids=["each warning once", "a repeated render prints none of Helm's"],
)
def test_repeats(
    block: Callable[[], AbstractContextManager[None]],
    expected: str,
    capfd: pytest.CaptureFixture[str],
) -> None:
    with block():
        for _ in range(2):
            with go_log_filtered(str):
                os.write(2, b"2026/11/22 13:21:58 WARN again\nnot a log line\n")
    assert capfd.readouterr().err == expected
