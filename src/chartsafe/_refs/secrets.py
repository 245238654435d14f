"""Which user values are secret, and hiding them wherever chartsafe prints values or objects.

A value is secret when it came decrypted from a SOPS ``-f`` file (the leaves the file's own
rules encrypt) or from a resolved reference. ``load_values`` returns ``UserValues``: the plain
dict Helm gets, plus ``secrets``, which knows those paths and the text of each secret, so a
printer can mask values by path (``get values``) and redact the same text where a chart copied
it into a ConfigMap or an env literal (``template``, ``diff``, reports).
"""

from __future__ import annotations

import contextlib
import copy
import json
from collections.abc import Iterable, Mapping
from typing import Any, Final

from .. import _secret_forms
from .._go_format import format_float_g
from .reference import ValuesPath, format_path

__all__ = [
    "MIN_REDACTED_LENGTH",
    "TEXT_MASK",
    "SecretValues",
    "UserValues",
    "has_path",
    "mask_paths",
]

TEXT_MASK: Final = "<masked>"
"""What a secret becomes inside printed text: no ``: `` or quote, so YAML and JSON around it
still parse, wherever in a scalar it lands."""

MIN_REDACTED_LENGTH: Final = _secret_forms.MIN_LENGTH
"""Shorter secret strings are masked by path but not searched for in text: a 2-character
search would hide unrelated text, and the value is too short to be guessed from context."""


def _mask() -> str:
    from .._output import MASK

    return MASK


def _has(node: Any, part: str | int) -> bool:
    if isinstance(node, list):
        return isinstance(part, int) and part < len(node)
    return isinstance(node, Mapping) and isinstance(part, str) and part in node


def _get(values: Any, path: ValuesPath) -> tuple[bool, Any]:
    node = values
    for part in path:
        if not _has(node, part):
            return False, None
        node = node[part]
    return True, node


def has_path(values: Any, path: ValuesPath) -> bool:
    """Whether ``values`` has something at ``path``."""
    return _get(values, path)[0]


def mask_paths(values: Any, paths: Iterable[ValuesPath], mask: str | None = None) -> Any:
    """A copy of ``values`` with the leaf at each path replaced by the mask."""
    mask = _mask() if mask is None else mask
    out = copy.deepcopy(values)
    for path in paths:
        if not path:
            return mask
        found, parent = _get(out, path[:-1])
        if found and _has(parent, path[-1]):
            parent[path[-1]] = mask
    return out


def printed_forms(value: Any) -> list[str]:
    """The text a secret leaf becomes where a chart prints it: a string as it is; a number
    (a PIN, a port, a password YAML read as one) as Python and JSON write it, and as Helm's
    templates do: Helm reads values as JSON, so a number is a float64 there, which ``%v``
    prints as ``1.2345678e+07`` (``_go_format.format_float_g``). Not a boolean or null:
    masking every ``true`` would hide the whole output and reveal nothing."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, bool) or not isinstance(value, int | float):
        return []
    forms = {str(value), json.dumps(value)}
    with contextlib.suppress(OverflowError):  # an int past float64's range: none in Helm
        forms.add(format_float_g(float(value)))
    return sorted(forms)


class SecretValues:
    """The secret leaves of a values tree: their paths, and their text for redaction.

    Holds secret text in memory only; its repr shows paths, never a value.
    """

    def __init__(self, paths: Iterable[ValuesPath] = (), texts: Iterable[str] = ()) -> None:
        self.paths: frozenset[ValuesPath] = frozenset(paths)
        self._texts = frozenset(t for t in texts if len(t) >= MIN_REDACTED_LENGTH)
        self._found: tuple[str, ...] | None = None

    @classmethod
    def of(cls, values: Any, paths: Iterable[ValuesPath]) -> SecretValues:
        """The secret paths of ``values`` and the text of what sits there."""
        paths = list(paths)
        texts = []
        for path in paths:
            found, value = _get(values, path)
            if found:
                texts.extend(printed_forms(value))
        return cls(paths, texts)

    def __repr__(self) -> str:
        shown = ", ".join(sorted(format_path(p) for p in self.paths))
        return f"<SecretValues: {shown or 'none'}>"

    def __bool__(self) -> bool:
        return bool(self.paths)

    @property
    def texts(self) -> frozenset[str]:
        """The secret strings themselves (for callers that match whole values)."""
        return self._texts

    def __len__(self) -> int:
        return len(self.paths)

    def is_secret(self, path: ValuesPath) -> bool:
        """Whether ``path`` is a secret leaf or lies under/over one."""
        n = len(path)
        return any(p[:n] == path or path[: len(p)] == p for p in self.paths)

    def mask(self, values: Any) -> Any:
        """``values`` (user or coalesced) with every secret leaf masked."""
        return mask_paths(values, self.paths)

    def _needles(self) -> tuple[str, ...]:
        # Computed once: every printed document and message is searched for the same forms.
        if self._found is None:
            self._found = _secret_forms.needles(self._texts)
        return self._found

    def redact(self, text: str, mask: str = TEXT_MASK) -> str:
        """``text`` with every occurrence of a secret masked, in every form a chart may
        print it in (``_secret_forms``: raw, escaped as YAML, JSON, ``quote``, ``urlquery``,
        ``html``, ``js``, encoded as base64 or base32...)."""
        return _secret_forms.replace_all(text, self._needles(), mask)

    def found_in(self, text: str) -> bool:
        """Whether any secret occurs in ``text`` (what ``redact`` would change)."""
        return any(needle in text for needle in self._needles())


class UserValues(dict[str, Any]):
    """The user-supplied values (a plain dict for Helm) and which of them are secret."""

    secrets: SecretValues

    def __init__(
        self, values: Mapping[str, Any] | None = None, secrets: SecretValues | None = None
    ) -> None:
        super().__init__(values or {})
        self.secrets = secrets if secrets is not None else SecretValues()

    def __repr__(self) -> str:
        return f"<UserValues: {len(self)} top-level key(s), {self.secrets!r}>"

    def masked(self) -> dict[str, Any]:
        """A plain copy with the secret leaves masked, safe to print."""
        masked: dict[str, Any] = self.secrets.mask(dict(self))
        return masked
