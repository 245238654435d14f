"""Helm's value flags (``-f``, ``--set``, ``--set-string``, ``--set-file``, ``--set-json``,
``--set-literal``) and :func:`takes_values`, which gives a command them all as one
:class:`ValueFlags`.

Every command that renders a chart takes the same six flags, in the same order, with
the same help; declared once here, a seventh (as Helm adds them) reaches every one.
"""

from __future__ import annotations

from typing import Annotated

import typer

from ._flag_group import flag_group
from ._options import VALUES_PANEL
from ._value_flags import ValueFlags

__all__ = [
    "FROM_VALUE_FLAGS",
    "SetFile",
    "SetJson",
    "SetLiteral",
    "SetString",
    "SetValues",
    "ValueFlags",
    "Values",
    "takes_values",
]

Values = Annotated[
    list[str] | None,
    typer.Option(
        "-f",
        "--values",
        help="Values file (repeatable, or comma-separated as in helm; later files win). '-' "
        "reads stdin, an http(s):// URL is fetched as helm does. SOPS-encrypted files are "
        "decrypted in memory.",
        rich_help_panel=VALUES_PANEL,
    ),
]
SetValues = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        help="Set values: a.b=1,c=x (repeatable). A value may be a reference: "
        "ref+chartsafe://NS/SECRET/KEY, ref+sops://FILE#/key, ref+awssecrets://NAME#/key.",
        rich_help_panel=VALUES_PANEL,
    ),
]
SetString = Annotated[
    list[str] | None,
    typer.Option(
        "--set-string", help="Set STRING values (repeatable).", rich_help_panel=VALUES_PANEL
    ),
]
SetFile = Annotated[
    list[str] | None,
    typer.Option(
        "--set-file",
        help="Set values from files: key=path, an http(s) URL or - for stdin (repeatable).",
        rich_help_panel=VALUES_PANEL,
    ),
]
SetJson = Annotated[
    list[str] | None,
    typer.Option(
        "--set-json", help="Set JSON values: key=<json> (repeatable).", rich_help_panel=VALUES_PANEL
    ),
]
SetLiteral = Annotated[
    list[str] | None,
    typer.Option(
        "--set-literal",
        help="Set a literal STRING value (repeatable).",
        rich_help_panel=VALUES_PANEL,
    ),
]


#: Each flag as typer reads it: (parameter name, annotation, default), in help order.
_FLAGS: tuple[tuple[str, object, object], ...] = (
    ("values", Values, None),
    ("set_values", SetValues, None),
    ("set_string", SetString, None),
    ("set_file", SetFile, None),
    ("set_json", SetJson, None),
    ("set_literal", SetLiteral, None),
)

#: The default of a command's ``values`` parameter, for Python's sake only: the decorator
#: always passes the value made of the flags.
FROM_VALUE_FLAGS = ValueFlags()

#: ``command`` with Helm's value flags in place of its ``values`` parameter (declared
#: ``values: ValueFlags = FROM_VALUE_FLAGS``), which it receives as the one ValueFlags made
#: of them (a flag not given is empty).
takes_values = flag_group(
    "values", _FLAGS, lambda given: ValueFlags(**{k: tuple(v or ()) for k, v in given.items()})
)
