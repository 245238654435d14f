"""User values: ``-f`` files and ``--set``-style flags, merged in Helm's order.

Helm builds the user-supplied values in a fixed order, and so do we: every
``-f`` file in turn (later wins, maps merged deeply), then ``--set-json``,
``--set``, ``--set-string``, ``--set-file`` and ``--set-literal``. Each file is
parsed by Helm's own YAML reader and each expression by Helm's own parser, so
``yes``, ``1e3`` and ``a[0].b=c`` mean here what they mean to ``helm``.

A ``-f`` file encrypted with SOPS (found by its ``sops`` metadata) is
decrypted in memory with the store's age key lookup and read as its ``sops
-d`` output would be; nothing is written. ``ref+...`` references are resolved
last, in the merged values. Both are recorded in ``UserValues.secrets`` so
printers can mask them.

A ``-f`` file or ``--set-file`` value named by an ``http(s)://`` URL is fetched, as Helm's
getters fetch it (``chartsafe._fetch``).

Error messages name the file, line and column or the flag and key, never a
value: values files and ``--set`` flags carry passwords.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ._errors import TOO_DEEP, ValuesError
from ._helm_parse import parse_set, values_from_yaml
from ._refs import ResolveContext, SecretValues, UserValues, ValuesPath
from ._refs import resolve_references as _resolve_references
from ._strvals import apply_expression, split_assignments

__all__ = ["UserValues", "ValuesInput", "deep_merge", "drop_replaced", "load_values"]


@dataclass
class ValuesInput:
    """Everything a user passes to shape a chart's values, as given on the command line."""

    files: list[Path | str] = field(default_factory=list)
    """``-f`` files in order: paths, ``-`` for stdin, or ``http(s)://`` URLs (fetched as helm's
    http getter does)."""
    set: list[str] = field(default_factory=list)
    set_string: list[str] = field(default_factory=list)
    set_json: list[str] = field(default_factory=list)
    set_file: list[str] = field(default_factory=list)
    set_literal: list[str] = field(default_factory=list)
    age_key_file: Path | None = None
    """Decrypt SOPS ``-f`` files and ``ref+sops://`` with this key file only (default: as sops)."""
    store: Path | None = None
    """The secret store ``ref+chartsafe://`` reads (default: ``$CHARTSAFE_STORE``)."""
    resolve_refs: bool = True
    """Resolve ``ref+...`` references; off for commands that judge references as written."""

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


def _label(path: Path | str) -> str:
    """How messages name a ``-f`` source: its path, or its URL with the password masked."""
    from ._fetch import is_http_url, shown_url

    name = str(path)
    return shown_url(name) if is_http_url(name) else name


def _fetch_text(url: str, what: str) -> str:
    """The UTF-8 text at ``url``; errors name ``what`` and the URL, its password masked."""
    from ._fetch import FetchError, fetch

    try:
        data = fetch(url, accept="application/yaml, text/yaml, application/json, */*")
    except FetchError as exc:
        raise ValuesError(f"{what} {_label(url)}: {exc}", values_file=_label(url),
                          hint="check the URL") from None  # fmt: skip
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ValuesError(
            f"{what} {_label(url)}: not UTF-8 text", values_file=_label(url)
        ) from None


def _unread_scheme(what: str, url: str) -> ValuesError:
    """A URL of a scheme helm's getters would not give values from (``oci://`` holds charts)."""
    from ._fetch import shown_url

    return ValuesError(
        f"{what} {shown_url(url)}: values are read from a path, - (stdin) or an http(s):// "
        f"URL, not from {url.partition('://')[0]}://",
        values_file=shown_url(url),
        hint="download the file and pass its path",
    )


def _read_file(source: Path | str) -> str:
    from ._fetch import is_http_url, is_url

    if str(source) == "-":
        return sys.stdin.read()
    if isinstance(source, str) and is_http_url(source):
        return _fetch_text(source, "values file")
    if is_url(source):
        raise _unread_scheme("values file", source)
    path = Path(source)
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
    """``at line L, column C: problem`` of the first YAML syntax error, without the text.

    Helm's parser says ``yaml: line 3: ...`` at best; PyYAML knows the column.
    Only the position and the problem are used: the snippet PyYAML would print
    may hold a secret.
    """
    import yaml  # only on this error path: start-up stays light

    try:
        for _ in yaml.safe_load_all(text):
            pass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if mark is not None:
            return f"at line {mark.line + 1}, column {mark.column + 1}: {problem}"
        return f": {problem}"
    except yaml.reader.ReaderError as exc:  # a character YAML forbids: where and which code
        before = text[: exc.position]
        line, column = before.count("\n") + 1, exc.position - before.rfind("\n")
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        kind = "control character" if code < 0x20 or 0x7F <= code < 0xA0 else "character"
        return f"at line {line}, column {column}: {kind} U+{code:04X} is not allowed in YAML"
    except (yaml.YAMLError, RecursionError, ValueError):  # ValueError: int("hunter2") of !!int
        return ""
    return ""


def _looks_encrypted(text: str) -> bool:
    """Cheap pre-check before parsing a values file a second time with the SOPS reader."""
    return "sops" in text and ("lastmodified" in text or "mac" in text)


def _sops_format(path: Path | str, text: str) -> Literal["yaml", "json"]:
    from urllib.parse import urlsplit

    from ._fetch import is_http_url

    name = str(path)
    suffix = Path(urlsplit(name).path if is_http_url(name) else name).suffix
    if suffix.lower() == ".json" or (name == "-" and text.lstrip().startswith("{")):
        return "json"
    return "yaml"


def _encrypted_leaves(data: Any, selector: Any, path: ValuesPath = ()) -> list[ValuesPath]:
    """Leaves the file's selector encrypts: the values its author declared secret."""
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in _encrypted_leaves(v, selector, (*path, k))]
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in _encrypted_leaves(v, selector, (*path, i))]
    keys = [part for part in path if isinstance(part, str)]
    if data is None or data == "" or not selector.encrypts(keys):
        return []
    return [path]


def _has_merge_key(data: Any) -> bool:
    if isinstance(data, dict):
        return "<<" in data or any(_has_merge_key(v) for v in data.values())
    return isinstance(data, list) and any(_has_merge_key(v) for v in data)


def _encrypted_marks(data: Any, selector: Any, path: tuple[str, ...] = ()) -> Any:
    """``data`` with each leaf replaced by whether the file's selector encrypts it."""
    if isinstance(data, dict):
        return {k: _encrypted_marks(v, selector, (*path, k)) for k, v in data.items()}
    if isinstance(data, list):
        return [_encrypted_marks(v, selector, path) for v in data]
    return data is not None and data != "" and selector.encrypts(path)


def _marked_leaves(data: Any, path: ValuesPath = ()) -> list[ValuesPath]:
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in _marked_leaves(v, (*path, k))]
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in _marked_leaves(v, (*path, i))]
    return [path] if data is True else []


def _secret_leaves(plain: list[dict[str, Any]], selector: Any, fmt: Any) -> list[ValuesPath]:
    """Where Helm's values hold what the file encrypts.

    sops keeps a merge key (``<<``) as a key, and encrypts the values under it with ``<<`` in
    their path; Helm then merges them into the mapping, where a later key may override them
    (or, as Helm's YAML reader does it, they may override an earlier one). So with a merge key
    the leaves are marked encrypted or not and the marks read back by Helm: its own merge
    puts each mark where the value goes.
    """
    if not _has_merge_key(plain[0]):
        return _encrypted_leaves(plain[0], selector)
    from .store.sops_format import dump_documents

    marks = [_encrypted_marks(doc, selector) for doc in plain]
    return _marked_leaves(values_from_yaml(dump_documents(marks, fmt, None)))


def _decrypt_values(
    path: Path | str, text: str, context: ResolveContext
) -> tuple[dict[str, Any], list[ValuesPath]] | None:
    """An encrypted values file as Helm reads its decrypted twin, or None if not SOPS."""
    if not _looks_encrypted(text):
        return None  # before importing the store: crypto libraries take ~0.1 s to load
    from .store import is_sops_document, open_document
    from .store.sops_format import dump_documents

    fmt = _sops_format(path, text)
    if not is_sops_document(text, fmt):
        return None
    source = "stdin" if str(path) == "-" else _label(path)
    document = open_document(text, fmt=fmt, identities=context.identities(), source=source)
    from ._refs.backends import plain_value

    plain = [plain_value(doc) for doc in document.documents]
    try:
        values = values_from_yaml(dump_documents(plain, fmt, None))
    except ValueError as exc:
        where = _label(path)
        raise ValuesError(f"values file {where}: decrypted, but {exc}", values_file=where) from None
    return values, _secret_leaves(plain, document.metadata.selector, fmt)


def load_values_file(path: Path | str, *, context: ResolveContext | None = None) -> dict[str, Any]:
    """One ``-f`` file, parsed as Helm parses it (decrypted first if it is a SOPS file)."""
    text = _read_file(path)
    decrypted = _decrypt_values(path, text, context or ResolveContext())
    return decrypted[0] if decrypted else _parse_values(path, text)


def _parse_values(path: Path | str, text: str) -> dict[str, Any]:
    try:
        return values_from_yaml(text)
    except ValueError as exc:
        helm_says = str(exc)
    # Raised out of the handler: Helm's error, which would stay as the __context__, may quote
    # a value (yaml: cannot decode !!str `hunter2` as a !!int).
    name = _label(path)
    # Helm parsed a document too deep for Python to hold: there is no syntax error to
    # find, and PyYAML's pure-Python scanner takes seconds on such nesting.
    where = "" if helm_says == TOO_DEEP else _locate_yaml_error(text)
    if where:
        message = f"values file {name}: YAML syntax error {where}"
    elif "cannot unmarshal" in helm_says:
        message = f"values file {name}: the top level must be a mapping of keys to values"
    else:
        message = f"values file {name}: {_BACKQUOTED.sub('`...`', helm_says)}"
    raise ValuesError(message, values_file=name)


#: What Go's YAML reader quotes of the text in its messages: `hunter2`.
_BACKQUOTED = re.compile(r"`[^`]*`")


def _replaced(layer: Any, path: ValuesPath = ()) -> list[ValuesPath]:
    """Where a layer replaces what was there: every non-map value (lists replace whole)."""
    if isinstance(layer, dict) and layer:
        return [p for k, v in layer.items() for p in _replaced(v, (*path, k))]
    return [path]


def drop_replaced(secret: set[ValuesPath], layer: dict[str, Any]) -> None:
    """Forget secret paths a later layer replaces (the later value wins in Helm)."""
    for path in _replaced(layer):
        n = len(path)
        secret -= {p for p in secret if p[:n] == path or path[: len(p)] == p}


def _not_a_path(source: str) -> bool:
    """A ``--set-file`` source that Helm's parser would wrongly open as a file."""
    from ._fetch import is_url

    return source == "-" or is_url(source)


def _fetched(flags: list[tuple[str, str]]) -> Iterator[tuple[str, str, str]]:
    """The flags, with each ``--set-file key=URL`` read from its http(s) URL and ``key=-`` from
    stdin, as helm reads them: (flag to apply, expression, flag the user gave).

    Helm reads ``--set-file`` paths with the same getters as ``-f``; Helm's parser here reads
    local files only. A URL's content is applied as ``--set-literal key=CONTENT``, which sets
    the same string at the same key path; messages still name ``--set-file``.
    """
    from ._fetch import is_http_url, is_url

    for flag, expression in flags:
        parts = split_assignments(flag, expression) if flag == "--set-file" else None
        if not parts or not any(_not_a_path(text.partition("=")[2]) for text, _ in parts):
            yield flag, expression, flag
            continue
        for text, _ in parts:
            key, _, source = text.partition("=")
            if is_http_url(source):
                content = _fetch_text(source, f"--set-file {key}")
                yield "--set-literal", f"{key}={content}", flag
            elif source == "-":
                yield "--set-literal", f"{key}={sys.stdin.read()}", flag
            elif is_url(source):
                raise _unread_scheme(f"--set-file {key}", source)
            else:
                yield flag, text, flag


def load_values(given: ValuesInput, *, context: ResolveContext | None = None) -> UserValues:
    """The user-supplied values (not yet coalesced with the chart's defaults).

    SOPS-encrypted ``-f`` files are decrypted in memory; references are then resolved (unless
    ``given.resolve_refs`` is off). The result is a plain dict for Helm whose ``secrets`` names
    every value that came from either, so that nothing prints it unmasked.
    """
    if context is None:
        context = ResolveContext(age_key_file=given.age_key_file, store=given.store)
    values: dict[str, Any] = {}
    secret: set[ValuesPath] = set()
    for path in given.files:
        text = _read_file(path)
        decrypted = _decrypt_values(path, text, context)
        layer = decrypted[0] if decrypted else _parse_values(path, text)
        drop_replaced(secret, layer)
        if decrypted:
            secret.update(decrypted[1])
        values = deep_merge(values, layer)
    for flag, expression, given_flag in _fetched(given.flags()):
        # Into the values so far, as Helm's strvals.ParseInto: a[0].x keeps a[0]'s other keys.
        values, assigned = apply_expression(
            values, flag, expression, parse_set, deep_merge, shown_as=given_flag
        )
        for set_path in assigned:
            n = len(set_path)
            secret -= {p for p in secret if p[:n] == set_path or set_path[: len(p)] == p}
    if given.resolve_refs:
        values, resolved = _resolve_references(values, context)
        secret.update(resolved)
    return UserValues(values, SecretValues.of(values, secret))
