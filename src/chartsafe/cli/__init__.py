"""The ``chartsafe`` command line: a thin typer shell over the library.

``main`` is the one place that turns outcomes into exit codes:
0 success, 1 a check ran and failed, 2 bad input (or a usage error),
130 interrupted, 3 a bug in chartsafe. No traceback reaches a user; set
``CHARTSAFE_DEBUG=1`` to see one when reporting a bug.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from .._errors import ChartsafeError
from ._app import app

__all__ = ["app", "main"]


def _say(message: str) -> None:
    print(f"chartsafe: {message}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI with ``argv`` (default: ``sys.argv[1:]``); returns the exit code."""
    import typer
    from click.exceptions import ClickException

    args = list(sys.argv[1:] if argv is None else argv)
    try:
        outcome = app(args=args, prog_name="chartsafe", standalone_mode=False)
    except ClickException as exc:  # usage errors: unknown flag, missing argument
        exc.show()
        return 2
    except typer.Exit as exc:
        return int(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        _say("interrupted")
        return 130
    except ChartsafeError as exc:
        _say(f"error: {exc}" if exc.exit_code == 2 else str(exc))
        return exc.exit_code
    except BrokenPipeError:
        # `chartsafe template ... | head`: the reader left; not an error of ours.
        sys.stderr.close()
        return 0
    except Exception as exc:  # the top-level boundary: a bug, reported without a traceback
        if os.environ.get("CHARTSAFE_DEBUG"):
            raise
        _say(
            f"internal error ({type(exc).__name__}); this is a bug in chartsafe. "
            "Run again with CHARTSAFE_DEBUG=1 for the traceback and report it."
        )
        return 3
    return outcome if isinstance(outcome, int) else 0
