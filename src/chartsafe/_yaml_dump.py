"""YAML that Go reads back as it was meant: the one dumper for objects Kubernetes will parse.

PyYAML quotes a string only when its own YAML 1.1 resolver would read it as something else.
Helm, kubectl and the API server read YAML with Go's (sigs.k8s.io/yaml over go-yaml v2), which
reads more plain scalars as numbers or booleans: ``1e3`` (no dot needed for an exponent),
``0o17``, ``0b101``, ``08``, ``1_000`` after its underscores go, ``y`` and ``n``. A label, an
env value or a Secret's data written plain in one of those forms is rejected ("must be of type
string") or, worse, changed. :class:`GoSafeDumper` quotes every string that Go's reader, YAML
1.1 or YAML 1.2 could take for anything but a string; quoting one too many is harmless, one too
few is the bug. It also writes non-ASCII text as text (``café``), as Helm prints it, not as
``\\xE9`` escapes.

Use :func:`dump` / :func:`dump_all` wherever chartsafe writes an object it parsed (or built)
for Kubernetes or Helm to read; an object chartsafe did not change is better printed from its
rendered text (``K8sObject.text``), which keeps the chart's comments and key order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Final

import yaml

__all__ = ["GoSafeDumper", "dump", "dump_all", "read_as_other_than_string"]

#: go-yaml v2's resolve table: plain scalars it reads as booleans, nulls, floats or a merge
#: key. YAML 1.1's ``y``/``n`` are among them, and PyYAML's resolver does not know them.
_GO_WORDS: Final = frozenset(
    {
        "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
        "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
        "", "~", "null", "Null", "NULL",
        ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF",
        "-.inf", "-.Inf", "-.INF", "<<",
    }
)  # fmt: skip

#: go-yaml tries a plain scalar starting with one of these as a number (or a timestamp).
_GO_NUMBER_START: Final = frozenset("+-.0123456789")
#: strconv.ParseInt/ParseUint with base 0, after go-yaml removed the underscores: a sign, then
#: 0x/0o/0b prefixed digits or decimal digits (a leading 0 is octal; "08" fails as an int but
#: is then read as the float 8). Any size: an int too big is still read as a float.
_GO_INT: Final = re.compile(r"[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[0-9]+)")
#: go-yaml's yamlStyleFloat, which gates strconv.ParseFloat: ``1e3``, ``-.5``, ``1.``. Out of
#: range (``5e1234``) Go keeps the string, but quoting it costs nothing.
_GO_FLOAT: Final = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
#: go-yaml reads a plain date or date-time as a timestamp: any of its layouts start so.
_GO_TIMESTAMP: Final = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")
_STR_TAG: Final = "tag:yaml.org,2002:str"


def read_as_other_than_string(text: str) -> bool:
    """Whether Go's YAML (Helm, kubectl, the API server) reads ``text`` written plain as a
    number, boolean, null, timestamp or merge key: such a string must be quoted.

    YAML 1.1 and 1.2 forms PyYAML knows (``1:20``, ``0x1F``, ``~``) it quotes by itself; this
    covers the ones it does not. Multi-line or otherwise odd text is left to PyYAML, which
    quotes or blocks it as needed.
    """
    if text in _GO_WORDS:
        return True
    if not text or text[0] not in _GO_NUMBER_START:
        return False
    plain = text.replace("_", "")
    return bool(
        _GO_INT.fullmatch(plain) or _GO_FLOAT.fullmatch(plain) or _GO_TIMESTAMP.match(plain)
    )


class GoSafeDumper(yaml.SafeDumper):
    """PyYAML's SafeDumper, quoting every string Go's YAML would read as another type."""


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    if read_as_other_than_string(data):
        return dumper.represent_scalar(_STR_TAG, data, style="'")
    return dumper.represent_str(data)


GoSafeDumper.add_representer(str, _represent_str)


def dump(data: Any) -> str:
    """One YAML document (no ``---``), keys in their order, non-ASCII as text."""
    return yaml.dump(data, Dumper=GoSafeDumper, sort_keys=False, allow_unicode=True)


def dump_all(documents: Iterable[Any]) -> str:
    """YAML documents, each after ``---``, as :func:`dump` writes them."""
    return yaml.dump_all(
        documents, Dumper=GoSafeDumper, sort_keys=False, allow_unicode=True, explicit_start=True
    )
