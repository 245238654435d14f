"""A secret that YAML reads as a number is masked where a chart prints it, as Helm prints it.

Helm reads values as JSON, so a number is a float64 in a template, and ``{{ .Values.pin }}``
prints 12345678 as ``1.2345678e+07``: the mask must find that text, not only ``12345678``.
Before, only string values were searched for, and an unquoted port or PIN from an encrypted
``-f`` file was printed in clear wherever a chart copied it.
"""

from __future__ import annotations

import pytest

from chartsafe._refs.secrets import TEXT_MASK, SecretValues

# (value, texts Helm's engine or a JSON/YAML printer writes it as)
CASES: list[tuple[object, list[str]]] = [
    (54329, ["54329"]),
    (12345678, ["12345678", "1.2345678e+07"]),
    (1000000, ["1000000", "1e+06"]),
    (123456, ["123456"]),
    (0.00001, ["1e-05"]),
    (1234.5, ["1234.5"]),
    (-98765, ["-98765"]),
]


@pytest.mark.parametrize(("value", "printed"), CASES, ids=[str(c[0]) for c in CASES])
def test_a_numeric_secret_is_masked_in_every_form_it_is_printed(
    value: object, printed: list[str]
) -> None:
    secrets = SecretValues.of({"db": {"pin": value}}, [("db", "pin")])
    for text in printed:
        assert secrets.redact(f"pin: {text}\n") == f"pin: {TEXT_MASK}\n", text


@pytest.mark.parametrize("value", [True, False, None, 123])
def test_booleans_nulls_and_short_numbers_are_masked_by_path_only(value: object) -> None:
    """``true`` or ``123`` searched for in text would hide the output, not the secret."""
    secrets = SecretValues.of({"db": {"pin": value}}, [("db", "pin")])
    assert secrets.redact("on: true, off: false, n: null, port: 123") == (
        "on: true, off: false, n: null, port: 123"
    )
    assert secrets.mask({"db": {"pin": value}}) != {"db": {"pin": value}}
