"""``lookup`` calls in Go template text, rewritten to include a named template instead.

``_regenerated_lookup`` renders a copy of a chart in which ``lookup`` finds the release's own
Secrets; Helm's engine takes no other answer for ``lookup`` from outside, so each call
``lookup A B C D`` inside an action becomes ``(fromYaml (include DEFINE (list A B C D)))``,
which returns what the named template ``DEFINE`` writes (a map, as ``lookup`` returns).

Only what Go's template lexer would read as a call is rewritten: inside ``{{ }}``, not in a
string, a comment or the text around actions, and not ``$lookup`` or ``.Values.lookup``.
Each operand is a string, a parenthesised pipeline (with fields after it), a variable, a
field or a constant. A call whose last argument is piped in (``$name | lookup "v1" "Secret"
$ns``) has three operands written out and is left as it is: reported as not rewritten, so
the caller can say it cannot tell.
"""

from __future__ import annotations

import re

__all__ = ["DEFINE", "rewrite_lookups"]

#: The named template each ``lookup`` call is rewritten to include.
DEFINE = "chartsafe.internal.lookup"

_IDENT_BEFORE = re.compile(r"[\w.$]")


def rewrite_lookups(text: str) -> tuple[str, bool]:
    """``text`` with each ``lookup A B C D`` inside an action read from the added named
    template instead; and whether every call was rewritten. Text outside actions, strings
    and comments are left as they are."""
    out: list[str] = []
    complete = True
    at = 0
    while True:
        start = text.find("{{", at)
        if start < 0:
            out.append(text[at:])
            return "".join(out), complete
        end = _action_end(text, start + 2)
        if end < 0:
            out.append(text[at:])
            return "".join(out), complete
        inner = text[start + 2 : end]
        body_from, body_to = _trimmed(inner)
        body = inner[body_from:body_to]
        if body.lstrip().startswith("/*"):
            rewritten, done = body, True  # a comment
        else:
            rewritten, done = _rewrite_action(body)
        complete &= done
        out.append(text[at : start + 2] + inner[:body_from] + rewritten + inner[body_to:])
        at = end


def _trimmed(inner: str) -> tuple[int, int]:
    """The bounds of an action's text without Go's trim markers (``{{- `` and `` -}}``)."""
    begin, finish = 0, len(inner)
    if len(inner) >= 2 and inner[0] == "-" and inner[1].isspace():
        begin = 1
    if finish - begin >= 2 and inner[-1] == "-" and inner[-2].isspace():
        finish -= 1
    return begin, finish


def _action_end(text: str, at: int) -> int:
    """Where the action opened before ``at`` ends (its ``}}``), strings and comments skipped;
    -1 when it does not end."""
    while at < len(text):
        if text.startswith("/*", at):
            close = text.find("*/", at + 2)
            if close < 0:
                return -1
            at = close + 2
        elif text[at] in "\"'`":
            at = _string_end(text, at)
            if at < 0:
                return -1
        elif text.startswith("}}", at):
            return at
        else:
            at += 1
    return -1


def _string_end(text: str, at: int) -> int:
    """The index after the string or character literal starting at ``at``; -1 if unclosed."""
    quote = text[at]
    at += 1
    while at < len(text):
        char = text[at]
        if char == "\\" and quote != "`":
            at += 2
            continue
        if char == quote:
            return at + 1
        if char == "\n" and quote != "`":
            return -1
        at += 1
    return -1


def _rewrite_action(body: str) -> tuple[str, bool]:
    out: list[str] = []
    complete = True
    at = 0
    copied = 0
    while at < len(body):
        char = body[at]
        if char in "\"'`":
            end = _string_end(body, at)
            at = len(body) if end < 0 else end
            continue
        if (
            body.startswith("lookup", at)
            and (at == 0 or not _IDENT_BEFORE.match(body[at - 1]))
            and at + 6 < len(body)
            and body[at + 6].isspace()
        ):
            operands, after = _operands(body, at + 6, 4)
            if operands is None:
                complete = False
                at += 6
                continue
            out.append(body[copied:at])
            out.append(f'(fromYaml (include "{DEFINE}" (list {" ".join(operands)})))')
            at = copied = after
            continue
        at += 1
    out.append(body[copied:])
    return "".join(out), complete


def _operands(body: str, at: int, count: int) -> tuple[list[str] | None, int]:
    """``count`` operands of a call from ``at`` (strings, parenthesised pipelines with their
    fields, variables, fields, constants), or None when fewer are there."""
    found: list[str] = []
    while len(found) < count:
        while at < len(body) and body[at].isspace():
            at += 1
        if at >= len(body) or body[at] in ")|":
            return None, at
        start = at
        if body[at] in "\"'`":
            at = _string_end(body, at)
            if at < 0:
                return None, len(body)
        elif body[at] == "(":
            at = _group_end(body, at)
            if at < 0:
                return None, len(body)
            while at < len(body) and body[at] == ".":
                at += 1
                while at < len(body) and (body[at].isalnum() or body[at] == "_"):
                    at += 1
        else:
            while at < len(body) and not body[at].isspace() and body[at] not in "()|":
                at += 1
        found.append(body[start:at])
    return found, at


def _group_end(body: str, at: int) -> int:
    """The index after the parenthesis matching the one at ``at``; -1 if unmatched."""
    depth = 0
    while at < len(body):
        char = body[at]
        if char in "\"'`":
            at = _string_end(body, at)
            if at < 0:
                return -1
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return at + 1
        at += 1
    return -1
