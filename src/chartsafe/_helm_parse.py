"""Helm's own parsers, through the engine: release names, ``--set``-style expressions, and YAML
documents read as Helm reads values files (and, in chartsafe, rendered and on-disk manifests).

The sibling of ``_helm.py`` (charts: load, render, lint), split from it by concept: these
take text and give Python data, and their errors name the flag or key, never a value.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ._errors import TOO_DEEP, InputError, ValuesError
from ._helm import _message, helm
from ._helm_messages import one_line
from ._striped import run_striped

__all__ = [
    "name_from_template",
    "parse_set",
    "validate_release_name",
    "values_from_yaml",
    "values_from_yaml_each",
]

#: ``--set`` style flag → the SDK parser for it.
_SET_PARSERS = {
    "--set": "parse_set_string",
    "--set-string": "parse_set_string_values",
    "--set-json": "parse_set_json",
    "--set-file": "parse_set_file",
    "--set-literal": "parse_set_literal",
}
_SET_HINT = "write key=value, nested keys with dots (a.b=1), lists as {x,y}"
#: What Helm's (and Go's JSON) messages quote: 'x', "x", `x`.
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|`[^`]*`")


def validate_release_name(name: str) -> None:
    """Helm's own rule for release names (DNS label, at most 53 characters)."""
    h = helm()
    try:
        h.validate_release_name(name)
    except h.HelmError as exc:
        raise InputError(
            f"release name {name!r}: {_message(exc)}",
            hint="use lowercase letters, digits and '-', at most 53 characters",
        ) from None


def name_from_template(template: str) -> str:
    """``--name-template``: the release name Helm makes of a Go template with sprig's
    functions (``app-{{ randAlpha 5 | lower }}``).

    Rendered by Helm's own engine, as the one template of a chart written to a private
    temporary folder: the SDK renders charts, not template strings. Helm's install runs it
    with no data; here ``.Values`` is empty and ``.Release`` is a placeholder's, so a name
    template should use functions only, as Helm's documentation shows.
    """
    import tempfile
    from pathlib import Path

    h = helm()
    with tempfile.TemporaryDirectory(prefix="chartsafe-name-") as folder:
        root = Path(folder) / "name-template"
        (root / "templates").mkdir(parents=True)
        (root / "Chart.yaml").write_text("apiVersion: v2\nname: name-template\nversion: 0.1.0\n")
        (root / "templates" / "name").write_text(template)
        try:
            with h.Chart.load(str(root)) as chart:
                rendered = chart.render({}, name="release-name", namespace="default")
        except h.HelmError as exc:
            message = one_line(_message(exc)).replace("name-template/templates/name", "template")
            raise InputError(
                f"--name-template {template}: {message}",
                hint="write a Go template of sprig functions: 'app-{{ randAlpha 5 | lower }}'",
            ) from None
    return "".join(rendered.values())


def parse_set(flag: str, expression: str) -> dict[str, Any]:
    """Parse one ``--set``-style expression with Helm's own parser (strvals)."""
    h = helm()
    parser = getattr(h, _SET_PARSERS[flag])
    try:
        parsed: dict[str, Any] = parser(expression)
    except h.HelmError as exc:
        message = _message(exc)
    else:
        return parsed
    # Raised here, not in the handler: the SDK's error, kept as __context__, quotes the value.
    key, complaint, hint = _set_complaint(flag, expression, message)
    raise ValuesError(f"{flag} {key}=...: {complaint}", hint=hint or _SET_HINT)


def _set_complaint(flag: str, expression: str, message: str) -> tuple[str, str, str | None]:
    """(first key, complaint, hint or None) for Helm's ``message`` on ``expression``: the
    first key and nothing from after the first ``=``.

    Everything there is the value or, after a comma in a value (``a=Sup3r,Tail``), a piece
    of it that Helm reads as another key (``key "Tail" has no value``). So a complaint about
    that part is worded by chartsafe; one about the first key is Helm's, from a parse of
    that key alone.
    """
    before, equals, _ = expression.partition("=")
    key = before.split(",", 1)[0]
    if not equals or "," in before:
        return key, message, None  # the first part has no '=': Helm read no value yet
    h = helm()
    try:
        h.parse_set_string_values(f"{before}=x")
    except h.HelmError as exc:
        return key, _message(exc), None  # the first key itself is wrong
    return key, *_after_key(flag, message)


def _after_key(flag: str, message: str) -> tuple[str, str | None]:
    """Helm's complaint about the text after an expression's first ``=``, without that text."""
    if message.startswith("key map "):
        return "a key after a comma in the value ends with '.'", None
    if "has no value" in message:
        if flag == "--set-json":
            return "text after the JSON value has no '=' (a comma starts another key=JSON)", None
        return (
            "text after a comma in the value is read as another key=value, and has no '='",
            "write a comma inside a value as \\, or give the value with --set-literal",
        )
    if flag == "--set-file" and message.startswith(("open ", "read ")):
        # The value of --set-file is the path the user typed, not the secret: named, as it is
        # named for a missing -f file.
        path, _, why = message.split(" ", 1)[1].rpartition(": ")
        return f"cannot read the file {path}: {why}", None
    if "error parsing index" in message:
        return "a list index after the value is not a number", None
    if message.startswith("negative ") and "index" in message:
        return "a list index after the value is negative", None
    if "maximum supported index" in message:
        return f"a list index after the value is {message.split(' is ', 1)[-1]}", None
    if message == "list must terminate with '}'":
        return message, None
    # Any other: Helm's words with what it quotes left out (json: "invalid character 'x'").
    message = re.sub(r"cannot unmarshal (\w+) \S+ into", r"cannot unmarshal \1 into", message)
    return _QUOTED.sub("'...'", message), None


def values_from_yaml(text: str) -> dict[str, Any]:
    """Parse a values document exactly as ``helm -f`` does; raises the SDK's error text."""
    h = helm()
    try:
        values: dict[str, Any] = h.values_from_yaml(text)
    except h.HelmError as exc:
        raise ValueError(_message(exc)) from None
    except RecursionError:  # Go parsed it; Python's decoder stops at ~1,000 levels
        raise ValueError(TOO_DEEP) from None
    return values


def values_from_yaml_each(texts: Sequence[str]) -> list[dict[str, Any] | ValueError]:
    """Each document parsed as :func:`values_from_yaml` does, in order, on several threads.

    Helm's YAML parser is the bulk of reading a large manifest (a 2,000-object
    release takes about half a second on one core), and even of a chart's
    render (10 ms of ``template`` on Tracecat). Each call releases the
    GIL while in Go, so threads parse documents side by side. A document that
    does not parse gives its ``ValueError`` in its slot: the caller names it.
    """
    results: list[dict[str, Any] | ValueError] = [ValueError("not parsed")] * len(texts)

    def parse(indexes: Sequence[int]) -> None:
        for index in indexes:
            try:
                results[index] = values_from_yaml(texts[index])
            except ValueError as exc:
                results[index] = exc

    run_striped(parse, range(len(texts)), size=sum(len(text) for text in texts), most=4)
    return results
