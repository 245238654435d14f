"""User values: ``-f`` files and ``--set``-style flags, merged in Helm's order.

Helm builds the user-supplied values in a fixed order, and so do we: every
``-f`` file in turn (later wins, maps merged deeply), then ``--set-json``,
``--set``, ``--set-string``, ``--set-file`` and ``--set-literal``. Each file is
parsed by Helm's own YAML reader and each expression by Helm's own parser, so
``yes``, ``1e3`` and ``a[0].b=c`` mean here what they mean to ``helm``.

Error messages name the file, line and column or the flag and key, never a
value: values files and ``--set`` flags carry passwords.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ._errors import ValuesError
from ._helm import parse_set, values_from_yaml

__all__ = ["ValuesInput", "deep_merge", "load_values"]


@dataclass
class ValuesInput:
    """Everything a user passes to shape a chart's values, as given on the command line."""

    files: list[Path] = field(default_factory=list)
    set: list[str] = field(default_factory=list)
    set_string: list[str] = field(default_factory=list)
    set_json: list[str] = field(default_factory=list)
    set_file: list[str] = field(default_factory=list)
    set_literal: list[str] = field(default_factory=list)

    def flags(self) -> list[tuple[str, str]]:
        """The ``--set``-style expressions in the order Helm applies them."""
        return [
            *(("--set-json", e) for e in self.set_json),
            *(("--set", e) for e in self.set),
            *(("--set-string", e) for e in self.set_string),
            *(("--set-file", e) for e in self.set_file),
            *(("--set-literal", e) for e in self.set_literal),
        ]


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Merge ``override`` into a copy of ``base``: maps merge, anything else replaces."""
    merged = dict(base)
    for key, value in override.items():
        current = merged.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            merged[key] = deep_merge(current, value)
        else:
            merged[key] = value
    return merged


def _read_file(path: Path) -> str:
    if str(path) == "-":
        return sys.stdin.read()
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValuesError(
            f"values file {path}: no such file", values_file=path, hint="check the -f path"
        ) from None
    except IsADirectoryError:
        raise ValuesError(f"values file {path}: is a directory", values_file=path) from None
    except PermissionError:
        raise ValuesError(f"values file {path}: permission denied", values_file=path) from None
    except UnicodeDecodeError:
        raise ValuesError(f"values file {path}: not UTF-8 text", values_file=path) from None
    except OSError as exc:
        raise ValuesError(f"values file {path}: {exc.strerror}", values_file=path) from None


def _locate_yaml_error(text: str) -> str:
    """Line and column of the first YAML syntax error, without quoting the text.

    Helm's parser says ``yaml: line 3: ...`` at best; PyYAML knows the column.
    Only the position and the problem are used: the snippet PyYAML would print
    may hold a secret.
    """
    try:
        for _ in yaml.safe_load_all(text):
            pass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if mark is not None:
            return f"line {mark.line + 1}, column {mark.column + 1}: {problem}"
        return problem
    except yaml.YAMLError:
        return "invalid YAML"
    return ""


def load_values_file(path: Path) -> dict[str, Any]:
    """One ``-f`` file, parsed as Helm parses it."""
    text = _read_file(path)
    try:
        return values_from_yaml(text)
    except ValueError as exc:
        where = _locate_yaml_error(text)
        if where:
            message = f"values file {path}: YAML syntax error at {where}"
        elif "cannot unmarshal" in str(exc):
            message = f"values file {path}: the top level must be a mapping of keys to values"
        else:
            message = f"values file {path}: {exc}"
        raise ValuesError(message, values_file=path) from None


def load_values(given: ValuesInput) -> dict[str, Any]:
    """The user-supplied values (not yet coalesced with the chart's defaults)."""
    values: dict[str, Any] = {}
    for path in given.files:
        values = deep_merge(values, load_values_file(path))
    for flag, expression in given.flags():
        values = deep_merge(values, parse_set(flag, expression))
    return values
