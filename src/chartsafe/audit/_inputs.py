"""What an audit looks at: values files (with line numbers and suppressions), the
``--set`` flags, the merged values, the rendered objects and, when known, the contract.

Line numbers come from PyYAML's node marks (Helm's parser keeps none); the
values themselves come from Helm's parser, so ``yes`` and ``1e3`` mean what
they mean to ``helm``.
"""

# No ``from __future__ import annotations``: this module's NamedTuples keep real annotations
# (why: ``chartsafe/audit/_model.py``'s docstring).

import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from .._config_maps import ReleaseConfigMapGap, release_config_map_gaps
from .._errors import InputError
from .._objects import K8sObject
from .._podspec import PodView, iter_pods
from ._model import Suppression

__all__ = [
    "AuditInput",
    "ObjectSpan",
    "SetValue",
    "ValuesDoc",
    "item_name",
    "iter_leaves",
    "join_path",
    "name_value_items",
    "parse_suppressions",
    "parse_values_doc",
]

_SUPPRESS = r"(?:^|\s)#\s*chartsafe:\s*ignore\b(.*)$"  # compiled when a file has one


def join_path(prefix: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{prefix}[{key}]"
    return f"{prefix}.{key}" if prefix else str(key)


def iter_leaves(node: Any, prefix: str = "") -> Iterator[tuple[str, str, Any, Any]]:
    """(values path, last key, value, parent) for every scalar under ``node``."""
    if isinstance(node, dict):
        for key, value in node.items():
            path = join_path(prefix, str(key))
            if isinstance(value, dict | list):
                yield from iter_leaves(value, path)
            else:
                yield path, str(key), value, node
    elif isinstance(node, list):
        for index, value in enumerate(node):
            path = join_path(prefix, index)
            last = prefix.rsplit(".", 1)[-1]
            if isinstance(value, dict | list):
                yield from iter_leaves(value, path)
            else:
                yield path, last, value, node


def item_name(path: str, key: str, parent: Any) -> str | None:
    """The ``name`` of the ``{name, value}`` list item whose ``value`` is at ``path``.

    Kubernetes' env form, which charts copy into their values (``env``, ``extraEnv``,
    ``extraEnvVars``...): the name, not the key ``value``, says what the value is, so
    ``- {name: DB_PASSWORD, value: x}`` is judged as ``DB_PASSWORD: x``. An item with
    ``valueFrom`` reads a Secret or a field: it has no literal to judge.
    """
    if key != "value" or not path.endswith("].value") or not isinstance(parent, dict):
        return None
    name = parent.get("name")
    if not isinstance(name, str) or not name.strip() or "valueFrom" in parent:
        return None
    return name


def name_value_items(node: Any) -> Iterator[tuple[str, str, Any]]:
    """(values path of the ``value``, the item's name, the value) for every
    ``{name, value}`` list item under ``node`` (see ``item_name``)."""
    for path, key, value, parent in iter_leaves(node):
        name = item_name(path, key, parent)
        if name is not None:
            yield path, name, value


def _line_map(text: str) -> dict[str, int]:
    """values path → 1-based line of its key, from PyYAML's node marks."""
    import yaml  # here: auditing manifests alone needs no PyYAML (~10 ms to import)

    lines: dict[str, int] = {}
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, RecursionError):
        return lines  # Helm's parser accepted it; we only lose line numbers

    def walk(node: yaml.Node, prefix: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                path = join_path(prefix, str(key_node.value))
                lines.setdefault(path, key_node.start_mark.line + 1)
                walk(value_node, path)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                path = join_path(prefix, index)
                lines.setdefault(path, item.start_mark.line + 1)
                walk(item, path)

    if root is not None:
        walk(root, "")
    return lines


class ObjectSpan(NamedTuple):
    """A document of a manifest file: its first line, and the object it is (``Kind/name``;
    None for a List or a document that is no object)."""

    first_line: int
    obj: str | None


#: Lines that hold no key: blank or a comment; and a document marker (``---``). Compiled on
#: first use, as ``_SUPPRESS``: only a file with a suppression needs them.
_NO_KEY = r"\s*(?:#.*)?"
_MARKER = r"---[ \t]*(?:#.*)?"


def _object_of(
    lines: list[str], number: int, before: str, spans: Sequence[ObjectSpan]
) -> tuple[int | None, str | None]:
    """(the key line a suppression comment on line ``number`` stands for, the object of its
    document) in a manifest file: the comment's own line after a key, else the next line
    holding a key, in the same document."""
    if before.strip() and not re.fullmatch(_MARKER, before.strip()):
        target: int | None = number
    else:
        target = None
        for n in range(number + 1, len(lines) + 1):
            if re.fullmatch(_MARKER, lines[n - 1]):
                break  # the document ends before any key
            if not re.fullmatch(_NO_KEY, lines[n - 1]):
                target = n
                break
    if target is None:
        return None, None
    span = next((s for s in reversed(spans) if s.first_line <= target), None)
    return target, span.obj if span else None


def parse_suppressions(
    text: str,
    file: str,
    lines: dict[str, int],
    *,
    objects: Sequence[ObjectSpan] | None = None,
) -> list[Suppression]:
    """Every ``# chartsafe: ignore`` comment, with the key it covers.

    ``objects``: ``text`` is a manifest file, these its documents; a comment without
    ``object=`` covers the object its key belongs to, in this file.
    A bad one (unknown rule, no reason, nothing below it) is bad input naming
    the file and line: a suppression that silently covers nothing is worse
    than none.
    """
    from ._registry import get_rule

    if "chartsafe:" not in text:  # one scan in C; a 2,000-object manifest has 120,000 lines
        return []
    by_line: dict[int, str] = {}
    for key_path, line in lines.items():
        current = by_line.get(line)
        if current is None or len(key_path) < len(current):
            by_line[line] = key_path  # a list item and its first key share a line: take the item
    found: list[Suppression] = []
    all_lines = text.splitlines()
    for number, raw in enumerate(all_lines, start=1):
        match = re.search(_SUPPRESS, raw) if "chartsafe:" in raw else None
        if match is None:
            continue
        where = f"{file}:{number}"
        words = match.group(1).split()
        if not words:
            raise InputError(
                f"{where}: suppression names no rule",
                values_file=file,
                hint="write # chartsafe: ignore RULE reason",
            )
        rule_id, rest = words[0], words[1:]
        get_rule(rule_id, flag=f"{where}: suppression of")
        glob = None
        if rest and rest[0].startswith("object="):
            glob = rest.pop(0).removeprefix("object=")
        if not rest:
            raise InputError(
                f"{where}: suppression of {rule_id} gives no reason",
                values_file=file,
                hint="say why, e.g. # chartsafe: ignore RULE nsjail needs it",
            )
        path: str | None = None
        if glob is None and objects is not None:
            target, glob = _object_of(all_lines, number, raw[: match.start()], objects)
            if glob is None:
                what = "no key" if target is None else "a key of a List or of no object"
                raise InputError(
                    f"{where}: suppression of {rule_id} is on {what} and has no object=",
                    values_file=file,
                    hint="put it on a key's line or the line above it, or name the object "
                    "with object=KIND/NAME",
                )
            found.append(Suppression(rule_id, " ".join(rest), file, number, None, glob, True))
            continue
        if glob is None:
            before = raw[: match.start()].strip()
            target = number if before else next((n for n in sorted(by_line) if n > number), None)
            path = by_line.get(target) if target is not None else None
            if path is None:
                raise InputError(
                    f"{where}: suppression of {rule_id} is on no key and has no object=",
                    values_file=file,
                    hint="put it on the key's line or the line above it",
                )
        found.append(Suppression(rule_id, " ".join(rest), file, number, path, glob))
    return found


class ValuesDoc(NamedTuple):
    """One values file: its parsed values, key line numbers and suppressions."""

    file: str
    data: dict[str, Any]
    lines: Mapping[str, int]
    suppressions: Sequence[Suppression] = ()
    sops: bool = False

    def __repr__(self) -> str:  # never data: a values file holds passwords
        return f"<ValuesDoc {self.file}>"

    def line_of(self, path: str) -> int | None:
        return self.lines.get(path)

    def has(self, path: str) -> bool:
        return path in self.lines or _lookup(self.data, path) is not _MISSING


_MISSING = object()


def _lookup(data: Any, path: str) -> Any:
    node = data
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        if part.startswith("[") and isinstance(node, list):
            index = int(part[1:-1])
            node = node[index] if index < len(node) else _MISSING
        elif isinstance(node, dict):
            node = node.get(part, _MISSING)
        else:
            return _MISSING
        if node is _MISSING:
            return _MISSING
    return node


def parse_values_doc(path: Path, text: str, data: dict[str, Any] | None = None) -> ValuesDoc:
    """A values file as the audit sees it; ``data`` when already parsed by Helm's reader."""
    from ..store import is_sops_document

    if data is None:
        from .._values import load_values_file

        data = load_values_file(path)
    lines = _line_map(text)
    file = str(path)
    return ValuesDoc(
        file=file,
        data=data,
        lines=lines,
        suppressions=parse_suppressions(text, file, lines),
        # the cheap test first: is_sops_document parses the whole file
        sops="sops" in text and "mac" in text and is_sops_document(text),
    )


class SetValue(NamedTuple):
    """One scalar given with a ``--set``-style flag (the value stays in memory only)."""

    flag: str
    path: str
    value: Any

    def __repr__(self) -> str:  # never the value
        return f"<SetValue {self.flag}>"


class AuditInput:
    """Everything one audit run looks at; rules read it and never change it.

    A plain class, as the audit's other records are NamedTuples: see ``_model``'s doc.
    """

    def __init__(
        self,
        *,
        profile: str = "dev",
        chart: Path | None = None,
        chart_name: str = "",
        namespace: str = "default",
        values_docs: list[ValuesDoc] | None = None,
        user_files: list[str] | None = None,
        set_values: list[SetValue] | None = None,
        objects: list[K8sObject] | None = None,
        objects_from_files: bool = False,
    ) -> None:
        self.profile = profile
        self.chart = chart
        self.chart_name = chart_name
        self.namespace = namespace
        self.values_docs = [] if values_docs is None else values_docs  # every file scanned
        self.user_files = [] if user_files is None else user_files  # the -f files among them
        self.set_values = [] if set_values is None else set_values
        self.merged: dict[str, Any] | None = None  # chart defaults + user values (chart mode)
        self.objects = [] if objects is None else objects
        self.objects_from_files = objects_from_files  # manifests given with --files
        self.contract: Any = None  # chartsafe.contract.Contract when it could be derived
        #: (values path, message) for each values.schema.json violation: nothing rendered
        self.schema_violations: list[tuple[str, str]] = []
        #: chartsafe._regenerated.RegeneratedKey for each Secret key a second render changed
        self.regenerated: list[Any] = []
        self.calls_lookup = False  # a template of the chart calls lookup
        self._pods: list[PodView] | None = None
        self._config_map_gaps: list[ReleaseConfigMapGap] | None = None

    def __repr__(self) -> str:  # never values: they hold passwords
        return f"<AuditInput {self.profile} {self.chart or 'files'}>"

    def pod_views(self) -> list[PodView]:
        """Every pod template of ``objects``, walked once for all the rules that look."""
        if self._pods is None:
            self._pods = list(iter_pods(self.objects))
        return self._pods

    def config_map_gaps(self) -> list[ReleaseConfigMapGap]:
        """The release's own ConfigMaps its pods cannot read as they need, found once for the
        rules that report them."""
        if self._config_map_gaps is None:
            self._config_map_gaps = release_config_map_gaps(self.objects, pods=self.pod_views())
        return self._config_map_gaps

    def source_of(self, path: str) -> tuple[str | None, int | None]:
        """Where the effective value at ``path`` was set: the last flag or file that has it."""
        for given in reversed(self.set_values):
            if given.path == path or path.startswith(given.path + "."):
                return given.flag, None
        for doc in reversed(self.values_docs):
            if doc.file in self.user_files and doc.has(path):
                return doc.file, doc.line_of(path)
        for doc in self.values_docs:
            if doc.file not in self.user_files and doc.has(path):
                return doc.file, doc.line_of(path)
        return (str(self.chart) if self.chart else None), None

    @property
    def suppressions(self) -> list[Suppression]:
        return [s for doc in self.values_docs for s in doc.suppressions]
