"""Helm's value flags as one value (:class:`ValueFlags`), and how Helm splits a flag's
value into items (:func:`string_slice`).

No typer here: ``template``'s quick path (``_template_quick``) builds the same value from
the command line without it; ``_value_options`` declares the flags for typer.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

# Not at import: _values brings the parsers.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from .._values import ValuesInput

__all__ = ["ValueFlags", "string_slice"]


class ValueFlags(NamedTuple):
    """The value flags as given on the command line, in their order of precedence: what a
    command decorated with :func:`takes_values` receives as ``values``. (A NamedTuple, as
    SourceFlags: cheaper to define on every start than a dataclass.)"""

    values: tuple[str, ...] = ()
    set_values: tuple[str, ...] = ()
    set_string: tuple[str, ...] = ()
    set_file: tuple[str, ...] = ()
    set_json: tuple[str, ...] = ()
    set_literal: tuple[str, ...] = ()

    def input(self, *, age_key_file: Path | None = None, store: Path | None = None) -> ValuesInput:
        """The flags as a ``ValuesInput``; encrypted ``-f`` files and references are read
        when the values are, with ``age_key_file`` and ``store``."""
        from .._fetch import is_url
        from .._values import ValuesInput

        return ValuesInput(
            files=[f if is_url(f) else Path(f) for f in string_slice(list(self.values))],
            set=list(self.set_values),
            set_string=list(self.set_string),
            set_file=list(self.set_file),
            set_json=list(self.set_json),
            set_literal=list(self.set_literal),
            age_key_file=age_key_file,
            store=store,
        )


def string_slice(items: list[str]) -> list[str]:
    """Each item split as Helm's StringSlice flags split theirs (``-f``, ``-a``).

    pflag reads every occurrence as one CSV record: ``a,b`` is two items, ``"a,b"`` (quoted)
    one, and an empty occurrence none.
    """
    if not any(char in item for item in items for char in ',"\r\n'):
        return [item for item in items if item]  # what CSV makes of them, without csv's import
    import csv  # only here: most runs split nothing, and template's start-up is timed

    return [part for item in items if item for part in next(csv.reader([item]))]
