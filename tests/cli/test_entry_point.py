"""The console script (``chartsafe.cli.run``) and ``python -m chartsafe``.

``run`` ends the process with ``os._exit`` after the command, to skip the interpreter's
teardown; these tests hold it to what a normal exit guarantees: exit codes, complete
output on a pipe or a file, ``atexit`` callbacks, a reader that leaves early, and
Helm's engine started ahead only for commands that render.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from chartsafe.cli import _ENGINE_COMMANDS, main

REPO = Path(__file__).resolve().parents[2]
CHART = REPO / "charts" / "tracecat"
VALUES = CHART / "examples" / "values-aws.yaml"


def _chartsafe(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "chartsafe", *args],
        capture_output=True,
        text=True,
        check=False,
        **kwargs,  # type: ignore[call-overload]
    )


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--version"], 0),
        (["template", "no/such/chart"], 2),
        (["template", str(CHART), "--no-such-flag"], 2),
        (["secrets", "get", "a", "b", "--store", "/nonexistent/store.yaml"], 2),
    ],
)
def test_exit_code_is_mains(args: list[str], code: int) -> None:
    done = _chartsafe(*args)
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr


def test_output_to_a_file_is_complete(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Everything written before ``os._exit`` reaches the file: same bytes as in-process."""
    args = ["template", "t", str(CHART), "-f", str(VALUES), "--no-validate"]
    assert main(args) == 0
    expected = capsys.readouterr().out
    out = tmp_path / "out.yaml"
    with out.open("w") as sink:
        done = subprocess.run(
            [sys.executable, "-m", "chartsafe", *args], stdout=sink, stderr=subprocess.PIPE
        )
    assert done.returncode == 0
    assert len(expected) > 10_000
    assert out.read_text() == expected


def _file_size_limit(limit: int) -> None:
    """In the child: files grow to ``limit`` bytes; past it a write is cut short, then fails
    (EFBIG), as on a disk that fills up."""
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails instead of killing
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


# (what the output goes to, the file size limit or None)
UNWRITABLE = [("a full device", "/dev/full", None), ("a file cut short", "out.yaml", 8192)]


@pytest.mark.parametrize("unbuffered", [True, False], ids=["PYTHONUNBUFFERED", "buffered"])
@pytest.mark.parametrize(
    ("sink", "limit"), [u[1:] for u in UNWRITABLE], ids=[u[0] for u in UNWRITABLE]
)
@pytest.mark.parametrize(
    "args",
    [["--version"], ["template", "t", str(CHART), "-f", str(VALUES)]],
    ids=["small output", "large output"],
)
def test_output_that_cannot_be_written_is_an_error(
    tmp_path: Path, args: list[str], sink: str, limit: int | None, unbuffered: bool
) -> None:
    """``chartsafe template > out.yaml`` on a full disk: one line and exit 2, never exit 0
    on a cut file (with ``PYTHONUNBUFFERED`` Python's own text layer drops a short write)."""
    import os

    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if unbuffered:
        env["PYTHONUNBUFFERED"] = "1"
    target = Path(sink) if sink.startswith("/") else tmp_path / sink
    with target.open("w") as out:
        done = subprocess.run(
            [sys.executable, "-m", "chartsafe", *args], stdout=out, stderr=subprocess.PIPE,
            text=True, env=env, check=False,
            preexec_fn=(lambda: _file_size_limit(limit)) if limit else None,
        )  # fmt: skip
    if limit and args[0] == "--version":
        assert done.returncode == 0, done.stderr  # fits: nothing to report
        return
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines()[-1].startswith("chartsafe: error: cannot write the output: ")
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr


def test_atexit_callbacks_still_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    code = (
        "import atexit, sys\n"
        f"atexit.register(lambda: open({str(marker)!r}, 'w').write('ran'))\n"
        "sys.argv = ['chartsafe', '--version']\n"
        "from chartsafe.cli import run\n"
        "run()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0
    assert done.stdout.startswith("chartsafe ")
    assert marker.read_text() == "ran"


def test_a_reader_that_leaves_early_is_not_an_error() -> None:
    """``chartsafe template ... | head -1``: exit 0, no 'Exception ignored' noise."""
    with subprocess.Popen(
        [sys.executable, "-m", "chartsafe", "template", "t", str(CHART), "-f", str(VALUES),
         "--no-validate"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0,
    ) as proc:  # fmt: skip
        assert proc.stdout is not None and proc.stderr is not None
        first = proc.stdout.read(10)
        proc.stdout.close()
        stderr = proc.stderr.read().decode()
        assert proc.wait(timeout=60) == 0
    assert first.startswith(b"---")
    assert "Exception" not in stderr and "Traceback" not in stderr


@pytest.mark.parametrize(
    ("args", "starts_engine"),
    [
        (["template", str(CHART), "--help"], True),
        (["secrets", "init", "--help"], True),
        (["secrets", "get", "--help"], False),
        (["keys", "--help"], False),
        (["--help"], False),
    ],
)
def test_engine_starts_early_only_for_commands_that_render(
    args: list[str], starts_engine: bool
) -> None:
    code = (
        "import sys, threading\n"
        "from chartsafe.cli import main\n"
        f"main({args!r})\n"
        "print(any(t.name == 'chartsafe-engine' for t in threading.enumerate())"
        " or 'helm_python' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip().splitlines()[-1] == str(starts_engine)


def test_every_engine_command_is_a_command() -> None:
    from chartsafe.cli._app import _registered, load_commands

    load_commands()
    for command in _ENGINE_COMMANDS:
        assert command.split()[0] in _registered()


def _interrupt(*_: object, **__: object) -> None:
    raise KeyboardInterrupt


def _interrupt_on_import(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """``import NAME`` (or ``from .NAME import ...``) raises KeyboardInterrupt from now on."""
    import builtins

    real_import = builtins.__import__

    def importing(module: str, *args: Any, **kwargs: Any) -> Any:
        if module == name:
            raise KeyboardInterrupt
        return real_import(module, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", importing)


@pytest.mark.parametrize("where", ["_prefetch_engine", "typer", "_app"])
def test_an_interrupt_while_main_starts_is_one_line(
    where: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl-C in the first tenth of a second (the engine's thread starting, typer and the
    commands being imported): exit 130 and one line, no traceback."""
    import chartsafe.cli as cli

    if where == "_prefetch_engine":
        monkeypatch.setattr(cli, "_prefetch_engine", _interrupt)
    else:
        _interrupt_on_import(monkeypatch, where)
    try:
        code = main(["lint", "--help"])
    except KeyboardInterrupt:
        pytest.fail("the interrupt escaped main: a traceback for the user")
    assert code == 130
    assert capsys.readouterr().err == "chartsafe: interrupted\n"


@pytest.mark.parametrize("where", ["import atexit", "main"])
def test_an_interrupt_anywhere_in_run_is_one_line(
    where: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The console script itself: an interrupt around main exits 130, no traceback."""
    import os

    import chartsafe.cli as cli

    if where == "main":
        monkeypatch.setattr(cli, "main", _interrupt)
    else:
        _interrupt_on_import(monkeypatch, "atexit")
    exits: list[int] = []

    def exit_(code: int) -> None:
        exits.append(code)
        raise SystemExit(code)

    monkeypatch.setattr(os, "_exit", exit_)
    monkeypatch.setattr(sys, "argv", ["chartsafe", "--version"])
    try:
        with pytest.raises(SystemExit):
            cli.run()
    except KeyboardInterrupt:
        pytest.fail("the interrupt escaped run: a traceback for the user")
    assert exits == [130]
    assert capsys.readouterr().err == "chartsafe: interrupted\n"
