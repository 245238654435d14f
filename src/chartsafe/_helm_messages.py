"""What Helm's messages may say: one line each, no quoted value, no secret user value.

Helm's errors and lint findings quote values: the offending value of a values.schema.json
pattern or format (``'hunter2' does not match pattern ...``), a template's ``fail`` message,
``required`` and type errors. Every message chartsafe builds from Helm's text goes through
here, so ``template``, ``lint``, ``audit``, ``contract``, ``up`` and ``install`` say the same
thing and none prints a password: quoted schema values are always dropped; values that came
from a SOPS ``-f`` file or a reference are masked wherever they appear, and so are values typed
in clear (``--set``, a plain ``-f`` file) under a credential-like key (``db.password``), as
those flags carry passwords into shell history and CI logs. Other clear values (a hostname)
stay: they are the user's own text and make the message useful.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ._errors import ValuesError, ValuesSchemaError
from ._refs import SecretValues, UserValues, leaf_paths
from ._refs.reference import ValuesPath, is_reference
from ._refs.secrets import printed_forms

__all__ = [
    "one_line",
    "outside_locations",
    "parse_schema_message",
    "redact_schema_report",
    "schema_error",
    "secret_masker",
]


def one_line(text: str) -> str:
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


# A URL, or HOST:PORT with the path after it (how Go's registry client names a reference).
_LOCATION = re.compile(r"""[a-z][a-z0-9+.-]*://[^\s"']+|[\w.-]+:\d+(?:/[^\s"':]*)?""", re.I)


def outside_locations(text: str) -> str:
    """``text`` lowercased, each URL and ``HOST:PORT/PATH`` in it replaced by ``<location>``:
    what to look for a status or a word in when choosing a hint. A server on port 40123 is
    not a 401, nor a chart at ``.../forbidden-fruit`` a 403."""
    return _LOCATION.sub("<location>", text).lower()


# Helm quotes the offending value at the start of some messages
# ("'hunter2' does not match pattern ...", "'x' is not valid email"): the value may be a
# password. A quoted keyword ("'anyOf' failed") names the schema rule, not a value.
_QUOTED_VALUE = re.compile(r"^(?!'(?:not|allOf|anyOf|oneOf)' failed)'(?:[^'\\]|\\.)*'")

# One violation line of a values-schema report; nested ones (under anyOf) are indented.
_VIOLATION = re.compile(r"^(\s*- at '.*?': )(.*)$")


def _redact(message: str) -> str:
    return _QUOTED_VALUE.sub("the value", message)


def redact_schema_report(text: str) -> str:
    """Helm's values-schema report (or any message holding one) with no quoted value.

    Helm's lint passes the report through as its finding, line by line; every
    ``- at '/path': 'VALUE' does not match ...`` loses VALUE, other lines stay.
    """
    lines = []
    for line in text.splitlines():
        found = _VIOLATION.match(line)
        lines.append(found.group(1) + _redact(found.group(2)) if found else line)
    return "\n".join(lines)


def secret_masker(values: dict[str, Any]) -> Callable[[str], str]:
    """What hides the secret user values in a message from Helm: those from SOPS files and
    references, and clear ones under a credential-like key (see :func:`_clear_credentials`).

    Built on its first message, not before: most Go calls say nothing, and finding the
    clear credentials imports audit's key rules and walks every value (about 10 ms of
    ``template``'s start, before Helm could render).
    """
    built: list[Callable[[str], str]] = []

    def mask(text: str) -> str:
        if not built:
            built.append(_masker(values))
        return built[0](text)

    return mask


def _masker(values: dict[str, Any]) -> Callable[[str], str]:
    known = values.secrets if isinstance(values, UserValues) else SecretValues()
    clear = _clear_credentials(values)
    if clear:
        known = SecretValues([*known.paths, *clear.paths], [*known.texts, *clear.texts])
    return known.redact if known.texts else _unchanged


def _clear_credentials(values: dict[str, Any]) -> SecretValues:
    """The values at credential-like paths, judged by their last key as ``audit`` judges them
    (``db.password``, ``apiKey``, not ``existingSecret`` or ``passwordKey``).

    A reference as written names where a credential lives, not the credential. Values shorter
    than MIN_REDACTED_LENGTH are left, as for every secret (SecretValues drops them).
    """
    from ._credential_detect import credential_key  # here: ~2 ms of regexes, on a message only

    paths: list[ValuesPath] = []
    texts: list[str] = []
    for path in leaf_paths(values):
        key = next((part for part in reversed(path) if isinstance(part, str)), None)
        if key is None or not credential_key(key):
            continue
        value = _leaf(values, path)
        # --set db.password=12345678 arrives as a number, which Helm prints as Go does
        forms = [] if isinstance(value, str) and is_reference(value) else printed_forms(value)
        if forms:
            paths.append(path)
            texts.extend(forms)
    return SecretValues(paths, texts)


def _leaf(values: Any, path: ValuesPath) -> Any:
    node = values
    for part in path:
        node = node[part]
    return node


def _unchanged(text: str) -> str:
    return text


def parse_schema_message(
    text: str, charts: list[tuple[str, str]] | None = None
) -> list[tuple[str, str]]:
    """Split Helm's values-schema report into (values path, message) pairs.

    Helm lists every violation of every chart's schema as ``- at '/a/b': msg``
    under a ``chart:`` line naming the chart only; the path becomes dotted (``a.b``) and,
    for a subchart, is prefixed with where the subchart's values sit (``sub.gc``).
    ``charts`` is every chart of the tree as (name, values prefix) in Helm's walking order
    (see :func:`_chart_prefixes`); without it, the first chart listed is taken for the one
    rendered and later ones for its direct subcharts.
    """
    violations: list[tuple[str, str]] = []
    chart_prefix = ""
    charts_seen: list[str] = []
    at = 0  # where in ``charts`` the previous chart listed was found
    entries: list[tuple[int, str, str]] = []  # (indent, values path, message) of one chart

    def flush() -> None:
        violations.extend(_leaf_violations(entries))
        entries.clear()

    for raw in text.splitlines():
        line = raw.rstrip()
        body = line.lstrip(" ")
        if body.startswith("- at '") and "': " in body:
            pointer, message = body[len("- at '") :].split("': ", 1)
            parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/") if p]
            dotted = ".".join(parts)
            path = ".".join(p for p in (chart_prefix, dotted) if p)
            entries.append((len(line) - len(body), path or "(root)", _redact(message.strip())))
        elif line.startswith("values don't meet"):
            continue
        elif line.endswith(":") and not line.startswith(("-", " ")):
            flush()
            name = line[:-1].strip()
            charts_seen.append(name)
            # Helm walks the tree depth first and lists only the charts with violations:
            # the next chart of that name, else the first (a name used twice).
            found = [i for i, (n, _) in enumerate(charts or []) if n == name]
            if charts and found:
                at = next((i for i in found if i >= at), found[0])
                chart_prefix = charts[at][1]
            else:
                chart_prefix = name if len(charts_seen) > 1 and ">" not in name else ""
    flush()
    return violations


#: The message of a violation that only stands for the ones indented under it.
_ONLY_CHILDREN = "validation failed"


def _leaf_violations(entries: list[tuple[int, str, str]]) -> list[tuple[str, str]]:
    """One chart's violations, nested as Helm indents them, as a flat list.

    When one key has several violations and a sibling key fails too, Helm's schema library
    heads them with ``- at '/db': validation failed`` and lists them indented under it:
    that head is replaced by what is under it. Any other head (``anyOf failed``: one of
    several alternatives must hold) keeps its own message, with its alternatives after it,
    as one violation: listing the alternatives alone would ask for all of them.
    """
    flat: list[tuple[str, str]] = []
    index = 0
    while index < len(entries):
        indent, path, message = entries[index]
        end = index + 1
        while end < len(entries) and entries[end][0] > indent:
            end += 1
        children = _leaf_violations(entries[index + 1 : end])
        if not children:
            flat.append((path, message))
        elif message == _ONLY_CHILDREN:
            flat.extend(children)
        else:
            said = "; ".join(m if p == path else f"{p}: {m}" for p, m in children)
            flat.append((path, f"{message} ({said})"))
        index = end
    return flat


_Node = tuple[dict[str, Any], list["_Node"]]  # a chart's Chart.yaml and its subcharts


def _chart_prefixes(chart: Path) -> list[tuple[str, str]] | None:
    """Every chart of the tree at ``chart`` (a directory or .tgz), depth first as Helm
    validates them: (the name Helm reports, the values prefix), the root's prefix empty.

    Helm's report names a chart, not where it sits; a subchart's values sit under its
    alias or name inside its parent's. None when the tree cannot be read.
    """
    import tarfile  # here, as in _node and _archive_node: only a schema error reads the tree

    import yaml

    try:
        if chart.is_dir():
            files = {
                f.relative_to(chart).as_posix(): f.read_bytes()
                for f in chart.rglob("*")
                if f.is_file() and (f.name == "Chart.yaml" or f.suffix == ".tgz")
            }
            root = _node(files, "")
        else:
            root = _archive_node(chart.read_bytes())
    except (OSError, KeyError, tarfile.TarError, yaml.YAMLError, RecursionError):
        return None
    if root is None:
        return None
    walked: list[tuple[str, str]] = []

    def walk(node: _Node, name: str, prefix: str) -> None:
        walked.append((name, prefix))
        meta, subcharts = node
        for sub in subcharts:
            for alias in _names_in(meta, str(sub[0].get("name", ""))):
                walk(sub, alias, f"{prefix}.{alias}" if prefix else alias)

    walk(root, str(root[0].get("name", "")), "")
    return walked


def _names_in(parent: dict[str, Any], name: str) -> list[str]:
    """The names a subchart takes in its parent: each alias Chart.yaml gives it, or its own."""
    deps = parent.get("dependencies") or []
    aliases = [
        str(d["alias"])
        for d in deps
        if isinstance(d, dict) and d.get("name") == name and d.get("alias")
    ]
    return aliases or [name]


def _node(files: dict[str, bytes], top: str) -> _Node | None:
    """The chart whose Chart.yaml is ``top + 'Chart.yaml'`` in ``files``, with subcharts."""
    import yaml

    if top + "Chart.yaml" not in files:
        return None
    meta = yaml.safe_load(files[top + "Chart.yaml"])
    subcharts: list[_Node] = []
    inside = top + "charts/"
    for path in sorted(files):
        rest = path[len(inside) :] if path.startswith(inside) else ""
        sub: _Node | None = None
        if rest.count("/") == 1 and rest.endswith("/Chart.yaml"):
            sub = _node(files, inside + rest[: -len("Chart.yaml")])
        elif "/" not in rest and rest.endswith(".tgz"):
            sub = _archive_node(files[path])
        if sub is not None:
            subcharts.append(sub)
    return (meta if isinstance(meta, dict) else {}), subcharts


def _archive_node(data: bytes) -> _Node | None:
    """The chart packaged in ``data`` (``helm package``: one top directory)."""
    import io
    import tarfile

    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        files: dict[str, bytes] = {}
        for member in tar.getmembers():
            name = member.name.removeprefix("./")
            if member.isfile() and name.endswith(("/Chart.yaml", ".tgz")):
                handle = tar.extractfile(member)
                if handle is not None:
                    files[name] = handle.read()
    tops = {name.split("/", 1)[0] for name in files if "/" in name}
    return _node(files, f"{tops.pop()}/") if len(tops) == 1 else None


def schema_error(
    chart: Path, text: str, mask: Callable[[str], str] = _unchanged
) -> ValuesSchemaError | ValuesError:
    parsed = parse_schema_message(text, _chart_prefixes(chart))
    violations = [(path, mask(message)) for path, message in parsed]
    if not violations:
        detail = mask(one_line(redact_schema_report(text)))
        return ValuesError(f"chart {chart}: {detail}", chart=chart)
    listing = "; ".join(f"{path}: {message}" for path, message in violations)
    return ValuesSchemaError(
        f"values do not match the values.schema.json of {chart} ({len(violations)} "
        f"violation{'s' if len(violations) != 1 else ''}): {listing}",
        violations,
        chart=chart,
    )
