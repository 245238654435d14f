"""Groups of typer flags that a command receives as one value: helm's cluster flags
(``_cluster_flags``), the flags that say where CHART comes from (``_source_options``),
Helm's release-action flags (``_settings_flags``).

typer reads a command's parameters from its signature. A decorator made by
:func:`flag_group` shows typer the group's flags in place of one parameter of the command
and calls the command with that parameter built from their values, so a flag added to a
group reaches every command that declares the group, with no signature to edit.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

__all__ = ["flag_group"]

_Result = TypeVar("_Result")


def flag_group(
    parameter: str,
    flags: Sequence[tuple[str, object, object]],
    build: Callable[[dict[str, Any]], object],
) -> Callable[[Callable[..., _Result]], Callable[..., _Result]]:
    """A decorator for typer commands: ``flags`` (each ``(name, annotation, default)``)
    stand where the command declares ``parameter``, and the command is called with
    ``parameter=build({name: value})``. Apply it under ``@app.command``."""
    names = [name for name, _, _ in flags]

    def decorate(command: Callable[..., _Result]) -> Callable[..., _Result]:
        signature = inspect.signature(command, eval_str=True)
        parameters = list(signature.parameters.values())
        at = [p.name for p in parameters].index(parameter)
        parameters[at : at + 1] = [
            inspect.Parameter(
                name, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=default, annotation=kind
            )
            for name, kind, default in flags
        ]

        @functools.wraps(command)
        def run(**given: Any) -> _Result:
            values = {name: given.pop(name) for name in names}
            return command(**{parameter: build(values)}, **given)

        # what typer reads: the signature, and the annotations it resolves type hints from
        run.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
        annotations = {p.name: p.annotation for p in parameters}
        run.__annotations__ = {**annotations, "return": signature.return_annotation}
        return run

    return decorate
