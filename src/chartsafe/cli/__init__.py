"""The ``chartsafe`` command line: a thin typer shell over the library.

``main`` is the one place that turns outcomes into exit codes:
0 success, 1 a check ran and failed, 2 bad input (or a usage error),
130 interrupted, 3 a bug in chartsafe. No traceback reaches a user; set
``CHARTSAFE_DEBUG=1`` to see one when reporting a bug.

``run`` is the console script: ``main`` plus the two start-up and shut-down
savings that only a whole process can take (see their docstrings).
"""

from __future__ import annotations

import errno
import os
import sys
import threading

# Not typing.TYPE_CHECKING: nothing but what starts Helm's engine is imported before it.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, NoReturn, TextIO

    from click.exceptions import ClickException

    from ._app import app

__all__ = ["app", "main", "run"]


def __getattr__(name: str) -> Any:
    # ``app`` is built on first use: importing this package must not import typer, so
    # that ``main`` can start Helm's engine first (see _prefetch_engine).
    if name == "app":
        from ._app import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _say(message: str) -> None:
    print(f"chartsafe: {message}", file=sys.stderr)


#: Commands (first word, or first two for groups) that load a chart through Helm's engine.
_ENGINE_COMMANDS = frozenset(
    {"template", "lint", "contract", "check", "audit", "install", "upgrade", "diff", "up",
     "package", "push", "pull", "verify", "show", "secrets init", "secrets render",
     "repo index"}
)  # fmt: skip

#: Of those, the ones that validate rendered objects unless --no-validate.
_VALIDATING_COMMANDS = frozenset({"template", "lint", "install", "upgrade", "diff", "up"})

#: Of those, the quick ones, where validating in a forked worker is worth a process
#: (see _schema_worker); the others spend their time on the cluster.
_FORKING_COMMANDS = frozenset({"template", "lint"})


def _command(args: Sequence[str]) -> list[str]:
    """The first two words that are not flags: the command, or a group and its command."""
    return [a for a in args if not a.startswith("-")][:2]


def _default_validation(args: Sequence[str]) -> bool:
    """True when the command validates against the default schemas (no flag changes them)."""
    words = _command(args)
    return (
        bool(words)
        and words[0] in _VALIDATING_COMMANDS
        and not any(
            a == "--no-validate" or a.startswith(("--kube-version", "--crd-dir")) for a in args
        )
    )


def _load_engine(validate: bool) -> None:
    """The engine thread's work (see _prefetch_engine): only ever a head start.

    Whatever fails here is the main thread's to meet when it needs the engine or the
    schemas, and to report as every error is reported. The thread itself says nothing: an
    interrupt that stops the main thread in the middle of importing a module this thread
    imports too makes this import fail, and Python would print the thread's traceback
    under the one line the interrupt gets.
    """
    from .. import _schema_worker

    try:
        try:
            import helm_python  # noqa: F401
        finally:
            _schema_worker.go()  # Go's runtime is up: the other core is the worker's now
        if validate:
            from .._schema import DEFAULT_KUBE_VERSION, SchemaValidator

            SchemaValidator(DEFAULT_KUBE_VERSION).prepare()
    except Exception:
        return  # a head start that failed (see above)


def _validates_in_worker(args: Sequence[str]) -> bool:
    """Whether ``run`` forks a schema worker for this command line (see _schema_worker)."""
    return _default_validation(args) and _command(args)[0] in _FORKING_COMMANDS


def _prefetch_engine(args: Sequence[str]) -> None:
    """Load Helm's Go library, then the default Kubernetes schemas, in a thread.

    Runs while typer and the command modules are imported. Loading the library
    is mostly ``dlopen`` and the Go runtime's start, which release the GIL, and
    the main thread later waits on Go calls, when the schemas can be built: the
    two fill each other's idle time instead of following each other. Only
    commands that render a chart do it; the schemas only for those that
    validate, with the default ``--kube-version`` (any other is built on use).
    """
    words = _command(args)
    if not words or (words[0] not in _ENGINE_COMMANDS and " ".join(words) not in _ENGINE_COMMANDS):
        return
    if words[0] == "audit" and ("--files" in args or "--list-rules" in args):
        return  # no chart: manifests are read by yaml-rs where it agrees (see _yaml_quick)
    from .. import _schema_worker

    validate = _default_validation(args) and not _schema_worker.ready()
    threading.Thread(
        target=_load_engine, args=(validate,), name="chartsafe-engine", daemon=True
    ).start()


#: Flags that take a value but may stand alone, as in Helm (pflag's NoOptDefVal): the
#: commands that have each, what it means alone, and the words that are its values.
#: ``--dry-run`` alone is client (``... --dry-run``, ``--dry-run --debug`` and
#: ``--dry-run NAME CHART`` work as there), ``--server-side`` alone is true. Click would
#: take the next word as the value, so such a bare flag is spelled out before click
#: parses. A word after it is still its value when it is one (``--dry-run server``), or
#: when the command's two arguments already came before it (``NAME CHART --dry-run
#: maybe`` is a mistyped mode, reported as such, not a third argument).
_OPTIONAL_VALUES: dict[str, tuple[frozenset[str], str, frozenset[str]]] = {
    "--dry-run": (
        frozenset({"install", "upgrade", "rollback", "up"}),
        "client",
        frozenset({"client", "server", "none", "true", "false"}),
    ),
    "--server-side": (
        frozenset({"install", "upgrade", "rollback", "up"}),
        "true",
        frozenset({"true", "false", "auto"}),
    ),
}


def _bare_flags(args: list[str]) -> list[str]:
    words = _command(args)
    if not words:
        return args
    start = args.index(words[0]) + 1
    end = args.index("--") if "--" in args else len(args)
    out = list(args)
    for flag, (commands, alone, values) in _OPTIONAL_VALUES.items():
        if words[0] not in commands:
            continue
        for i in range(start, end):
            if args[i] != flag:
                continue
            after = args[i + 1] if i + 1 < end else None
            given = [a for a in args[start:i] if not a.startswith("-")]
            if after is None or after.startswith("-") or (after not in values and len(given) < 2):
                out[i] = f"{flag}={alone}"
    return out


def _interrupted() -> int:
    _say("interrupted")
    return 130


def _usage_error(exc: ClickException, args: Sequence[str]) -> int:
    """Click's usage error as the one line every bad input gets, pointing at the help.

    Click's own block (``Usage: ...``, ``Try ... for help.``, ``Error: ...``) is three
    lines and a blank; the message itself is kept, with the command that was meant (from
    ``args`` when click's error has no context: an option missing its value). No-args
    help (a group or ``chartsafe`` alone) is help, printed as it is, and exits 0 as
    ``helm`` alone and ``helm repo`` do.
    """
    from click.exceptions import NoArgsIsHelpError

    if isinstance(exc, NoArgsIsHelpError):
        text = exc.ctx.get_help()  # typer's rich help prints itself to stdout, returns ""
        if text:
            print(text)
        return 0
    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx is not None else _command_path(args)
    message = " ".join(exc.format_message().split())  # one line, whatever click wrapped
    _say(f"error: {message} (see {command} --help)")
    return 2


def _command_path(args: Sequence[str]) -> str:
    """``chartsafe template`` or ``chartsafe secrets list``: the command ``args`` name."""
    from ._app import app

    groups = {group.name for group in app.registered_groups}
    words = _command(args)
    return " ".join(["chartsafe", *words[: 2 if words and words[0] in groups else 1]])


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI with ``argv`` (default: ``sys.argv[1:]``); returns the exit code.

    An interrupt at any point, also while the command's modules are still being
    imported (the first tenth of a second), is one line and exit 130.
    """
    try:
        return _main(list(sys.argv[1:] if argv is None else argv))
    except KeyboardInterrupt:
        return _interrupted()


def _main(args: list[str]) -> int:
    completing = os.environ.get("_CHARTSAFE_COMPLETE")
    if completing:  # a completion script asks for candidates (see chartsafe completion)
        from ._completion import answer

        return answer(completing)
    _prefetch_engine(args)
    from .._errors import ChartsafeError

    try:
        return _run_command(args)
    except KeyboardInterrupt:
        return _interrupted()
    except ChartsafeError as exc:
        _say(f"error: {exc}" if exc.exit_code == 2 else str(exc))
        return exc.exit_code
    except BrokenPipeError:
        # `chartsafe template ... | head`: the reader left; not an error of ours.
        sys.stderr.close()
        return 0
    except UnicodeEncodeError as exc:
        if exc.reason != "surrogates not allowed" or not isinstance(exc.object, str):
            return _internal_error(exc)
        return _not_utf8(exc.object, args)
    except OSError as exc:
        if exc.filename is None and exc.errno in _OUTPUT_FULL:
            return _output_failed(exc)
        if exc.filename is None or not exc.strerror:
            return _internal_error(exc)
        # A path the command was given that the system refuses where no check of ours
        # expected it (a name too long for the file system, a full disk): the path and why.
        _say(f"error: {_shortened(str(exc.filename))}: {exc.strerror}")
        return 2
    except Exception as exc:  # the top-level boundary: a bug, reported without a traceback
        return _internal_error(exc)


def _run_command(args: list[str]) -> int:
    """The command ``args`` name, read by typer, or by a quick path (see _quick);
    its exit code. Errors of typer's are handled here, the others in ``_main``."""
    from ._quick import run_quick

    code = run_quick(args)
    if code is not None:
        return code
    import typer
    from click.exceptions import ClickException

    from ._app import app

    try:
        outcome = app(args=_bare_flags(args), prog_name="chartsafe", standalone_mode=False)
    except ClickException as exc:  # usage errors: unknown flag, missing argument
        return _usage_error(exc, args)
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.Abort:
        return _interrupted()
    except SystemExit:
        from click.utils import PacifyFlushWrapper

        # Typer catches a broken pipe inside the command, wraps stdout so that no later
        # flush fails, and exits 1: the reader left (`install ... | head`), for any command.
        if isinstance(sys.stdout, PacifyFlushWrapper):
            return 0
        raise
    if outcome == 130:
        from ._interrupt import raised

        if raised():  # typer made our KeyboardInterrupt a silent exit 130 (see _interrupt)
            return _interrupted()
    return outcome if isinstance(outcome, int) else 0


def _internal_error(exc: Exception) -> int:
    if os.environ.get("CHARTSAFE_DEBUG"):
        raise exc
    _say(
        f"internal error ({type(exc).__name__}); this is a bug in chartsafe. "
        "Run again with CHARTSAFE_DEBUG=1 for the traceback and report it."
    )
    return 3


def _not_utf8(text: str, args: Sequence[str]) -> int:
    """A path (or other argument) whose bytes are not UTF-8 reached Helm's engine, which
    takes UTF-8 strings only: the path as its bytes show it, and the way round.

    The text is shown only when it holds a command-line argument (a path the user typed,
    or one made from it): any other text that fails to encode may be a value read from a
    file, which no error prints.
    """
    typed = [arg for arg in args if arg != arg.encode("utf-8", "replace").decode()]
    if not any(arg in text for arg in typed):
        _say(
            "error: text that is not valid UTF-8 could not be passed on (a file name or "
            "content read from disk?); rename or re-encode it as UTF-8"
        )
        return 2
    shown = os.fsencode(text).decode("utf-8", "backslashreplace")
    _say(
        f"error: {_shortened(shown)}: not valid UTF-8, which Helm's engine needs "
        "(rename it, or link to it under a UTF-8 name: ln -s PATH chart)"
    )
    return 2


def _shortened(path: str, limit: int = 120) -> str:
    return path if len(path) <= limit else f"{path[:limit]}... ({len(path)} characters)"


#: errnos of a write that the output cannot take: `> file` on a full disk or over a quota,
#: a file past its size limit, a device that failed (`> /dev/full` gives the first), no
#: output at all (`>&-`, see _stdout.ClosedOutput).
_OUTPUT_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EBADF})


def _output_failed(exc: OSError) -> int:
    """The command's output could not be written: say so, never exit 0 on a cut file."""
    _say(f"error: cannot write the output: {exc.strerror or exc}")
    return 2


def _flush(stream: TextIO | None) -> OSError | None:
    """Flush ``stream``; the error when what was written could not all be written."""
    if stream is None:  # no such descriptor (`2>&-`): nothing was written to it
        return None
    try:
        stream.flush()
    except (BrokenPipeError, ValueError):
        return None  # a reader that left (`| head`), or a stream the command closed
    except OSError as exc:
        return exc
    return None


def run() -> NoReturn:
    """The ``chartsafe`` console script: :func:`main`, then a quick exit.

    After the command has finished, a normal interpreter exit still frees every
    object and module one by one (the compiled Kubernetes schemas and Helm's
    engine are large): about 30 ms on ``template``, a sixth of its run. Nothing
    of ours needs that teardown, so this does what the exit must do (join
    non-daemon threads, run the ``atexit`` callbacks, flush the standard
    streams) and then ends the process with ``os._exit``. Our files are written
    and closed inside the command (``with`` blocks, atomic writes), never left
    for a finaliser. ``python -m chartsafe`` exits the same way. An interrupt
    before, during or after the command exits 130 with one line, as in ``main``.
    """
    try:
        from ._startup_gc import hold

        hold()
        from ._interrupt import install

        install()
        from ._stdout import guard_stdout

        guard_stdout()
        import atexit

        if _validates_in_worker(sys.argv[1:]):
            from .._schema_worker import start

            start()  # before the engine's thread: a fork copies one thread only
        code = main()
        for thread in threading.enumerate():
            if thread is not threading.current_thread() and not thread.daemon:
                thread.join()
        atexit._run_exitfuncs()
    except KeyboardInterrupt:
        code = _interrupted()
    failed = _flush(sys.stdout)
    if failed is not None and code == 0:
        code = _output_failed(failed)
    _flush(sys.stderr)
    os._exit(code)
