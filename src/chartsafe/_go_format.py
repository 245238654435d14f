"""Go's text for a float64: ``strconv.FormatFloat(x, fmt, -1, 64)`` for ``'f'``, ``'e'``, ``'g'``.

Two places need Go's spelling of a number, and must agree on it:

* Helm reads values as JSON, so every number is a float64 in a template, and
  ``{{ .Values.pin }}`` prints it with ``%v``, which for a float64 is exactly ``'g'`` with the
  shortest precision: ``12345678`` prints as ``1.2345678e+07``. Masking a numeric secret
  must look for that text (``_refs.secrets.printed_forms``).
* sops writes clear floats in YAML with ``'g'`` and encrypts floats as ``'f'`` (SOPS.md §2.4,
  §9.1), and the MAC hashes that text: one digit off and sops reports a MAC mismatch.

The digits are the shortest that read back as the same float64, as Go chooses them; Python's
``repr`` makes the same choice, so the digits come from it and only the layout is Go's.
``-0.0`` keeps its sign (``-0``); infinities and NaN are ``+Inf``, ``-Inf`` and ``NaN``.

Every render imports this module (through ``_refs.secrets``): it imports nothing.
"""

from __future__ import annotations

__all__ = ["format_float_e", "format_float_f", "format_float_g"]


def _special(x: float) -> str | None:
    """Go's ``+Inf``, ``-Inf`` and ``NaN``, or None for a finite number."""
    if x != x:
        return "NaN"
    if x in (float("inf"), float("-inf")):
        return "+Inf" if x > 0 else "-Inf"
    return None


def _shortest(x: float) -> tuple[str, str, int]:
    """``(sign, digits, point)`` of a finite ``x``: ``x = sign 0.DIGITS x 10**point``.

    ``digits`` is the shortest that reads back as ``x``, without leading or trailing zeros
    (``"0"`` for zero, with ``point`` 1): ``0.015`` -> ``("", "15", -1)``.
    """
    text = repr(x)
    sign = "-" if text.startswith("-") else ""
    mantissa, _, exponent = text.lstrip("-").partition("e")
    whole, _, fraction = mantissa.partition(".")
    written = whole + fraction
    digits = written.lstrip("0").rstrip("0")
    if not digits:
        return sign, "0", 1
    leading_zeros = len(written) - len(written.lstrip("0"))
    return sign, digits, len(whole) + int(exponent or 0) - leading_zeros


def format_float_f(x: float) -> str:
    """Go ``FormatFloat(x, 'f', -1, 64)``: shortest digits, never an exponent (``1e-07`` is
    ``0.0000001``, ``1e+20`` is ``100000000000000000000``)."""
    special = _special(x)
    if special is not None:
        return special
    sign, digits, point = _shortest(x)
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return f"{sign}{digits}{'0' * (point - len(digits))}"
    return f"{sign}{digits[:point]}.{digits[point:]}"


def format_float_e(x: float) -> str:
    """Go ``FormatFloat(x, 'e', -1, 64)``: ``d.ddde±XX``, the exponent with at least two
    digits (``1e-05``, ``1.2345678e+07``, ``5e-324``)."""
    special = _special(x)
    if special is not None:
        return special
    sign, digits, point = _shortest(x)
    exponent = point - 1 if digits != "0" else 0
    mantissa = digits[0] + (f".{digits[1:]}" if len(digits) > 1 else "")
    return f"{sign}{mantissa}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"


def format_float_g(x: float) -> str:
    """Go ``FormatFloat(x, 'g', -1, 64)``, which is also what ``fmt``'s ``%v`` prints for a
    float64: the ``'e'`` form when the decimal exponent is below -4 or at least 6 (with the
    shortest precision Go compares the exponent with 6, whatever the digit count), else
    ``'f'``. So ``123456`` but ``1e+06``, ``0.0001`` but ``1e-05``."""
    special = _special(x)
    if special is not None:
        return special
    _sign, digits, point = _shortest(x)
    exponent = point - 1 if digits != "0" else 0
    if exponent < -4 or exponent >= 6:
        return format_float_e(x)
    return format_float_f(x)
