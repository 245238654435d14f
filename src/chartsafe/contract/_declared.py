"""The chart's own declaration of its secrets: the ``chartsafe.io/secrets`` annotation.

See ``docs/chart-annotations.md``. A declaration says what rendering cannot
show (the keys of a Secret read through ``envFrom``, the format of a key), and
matches a Secret by literal name or by the values path holding its name.
Subcharts declare in their own ``Chart.yaml``; their values paths are
relative to the subchart and are prefixed here with its values key (alias).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .._errors import TOO_DEEP, InputError, yaml_error_at
from .._values_paths import split_path
from ._formats import format_problem

__all__ = ["ANNOTATION", "DeclaredKey", "DeclaredSecret", "read_declarations"]

ANNOTATION = "chartsafe.io/secrets"


@dataclass(frozen=True)
class DeclaredKey:
    name: str
    format: str | None = None
    description: str = ""
    optional: bool = False


@dataclass
class DeclaredSecret:
    """One entry of the annotation."""

    names: list[str] = field(default_factory=list)
    values_paths: list[str] = field(default_factory=list)
    keys: dict[str, DeclaredKey] = field(default_factory=dict)
    description: str = ""
    chart: str = ""

    def matches(self, secret: str, values: dict[str, Any]) -> list[str] | None:
        """The values paths holding ``secret``'s name (may be empty), or None if no match."""
        paths = [p for p in self.values_paths if lookup(values, p) == secret]
        if paths or secret in self.names:
            return paths
        return None


def lookup(values: dict[str, Any], dotted: str) -> Any:
    node: Any = values
    for step in split_path(dotted):
        if not isinstance(node, dict) or step not in node:
            return None
        node = node[step]
    return node


def _bad(chart: str, what: str) -> InputError:
    return InputError(
        f"{chart}/Chart.yaml: annotation {ANNOTATION}: {what}",
        hint="see docs/chart-annotations.md for the form of the declaration",
    )


def _keys(chart: str, raw: Any, number: int) -> dict[str, DeclaredKey]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise _bad(
            chart,
            f"entry {number}: 'keys' must be a mapping of key name to {{format, description}}",
        )
    keys = {}
    for name, spec in raw.items():
        spec = spec if isinstance(spec, dict) else {}
        fmt, optional = spec.get("format"), spec.get("optional", False)
        if fmt is not None and not isinstance(fmt, str):
            raise _bad(
                chart, f"entry {number}: key {name}: 'format' must be a format name such as hex:32"
            )
        if not isinstance(optional, bool):
            raise _bad(chart, f"entry {number}: key {name}: 'optional' must be true or false")
        fmt = fmt.strip() if fmt else None
        problem = format_problem(fmt) if fmt else None
        if problem is not None:  # a typo would be a format no generator makes, no check knows
            what, hint = problem
            raise InputError(
                f"{chart}/Chart.yaml: annotation {ANNOTATION}: entry {number}: key {name}: {what}",
                hint=hint,
            )
        keys[str(name)] = DeclaredKey(
            name=str(name),
            format=fmt,
            description=str(spec.get("description", "")),
            optional=optional,
        )
    return keys


def _strings(chart: str, item: dict[str, Any], one: str, many: str, number: int) -> list[str]:
    """``one`` (a string) then the items of ``many`` (a list of strings, or one string)."""
    given = item.get(many)
    listed = [given] if isinstance(given, str) else given or []
    single = item.get(one)
    if not isinstance(listed, list) or not all(isinstance(v, str) for v in listed):
        raise _bad(chart, f"entry {number}: '{many}' must be a list of strings")
    if single is not None and not isinstance(single, str):
        raise _bad(chart, f"entry {number}: '{one}' must be a string")
    return [single, *listed] if single else listed


def _entries(chart: str, text: str, prefix: str) -> list[DeclaredSecret]:
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise _bad(chart, f"not valid YAML ({yaml_error_at(exc)})") from None
    except RecursionError:
        raise _bad(chart, TOO_DEEP) from None
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise _bad(chart, "must be a YAML list of entries")
    entries = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            raise _bad(chart, f"entry {i + 1} must be a mapping")
        paths = _strings(chart, item, "valuesPath", "valuesPaths", i + 1)
        names = _strings(chart, item, "name", "names", i + 1)
        if not paths and not names:
            raise _bad(chart, f"entry {i + 1} needs a name or a valuesPath")
        entries.append(
            DeclaredSecret(
                names=names,
                values_paths=[f"{prefix}{p}" for p in paths],
                keys=_keys(chart, item.get("keys"), i + 1),
                description=str(item.get("description", "")),
                chart=chart,
            )
        )
    return entries


def _annotation(metadata: dict[str, Any]) -> str | None:
    annotations = metadata.get("annotations")
    if isinstance(annotations, dict) and annotations.get(ANNOTATION):
        return str(annotations[ANNOTATION])
    return None


def read_declarations(
    chart: Path | str, metadata: dict[str, Any], subcharts: list[dict[str, Any]]
) -> list[DeclaredSecret]:
    """Every declaration of the chart and of its subcharts (paths made release-wide)."""
    name = str(metadata.get("name") or Path(chart).name)
    entries: list[DeclaredSecret] = []
    text = _annotation(metadata)
    if text:
        entries.extend(_entries(name, text, ""))
    aliases = {
        str(d.get("name")): str(d.get("alias") or d.get("name"))
        for d in metadata.get("dependencies") or []
        if isinstance(d, dict)
    }
    for sub in subcharts:
        text = _annotation(sub)
        if text:
            sub_name = str(sub.get("name", ""))
            key = aliases.get(sub_name, sub_name)
            entries.extend(_entries(f"{name}/charts/{sub_name}", text, f"{key}."))
    return entries
