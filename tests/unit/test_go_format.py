"""Go's float64 text, from the one formatter Helm's number masking and the sops store share.

Expected strings are Go's: ``strconv.FormatFloat(x, 'f'|'e'|'g', -1, 64)``, and ``fmt``'s
``%v`` of a float64 is the ``'g'`` one (``fmt`` calls ``fmtFloat(v, 64, 'g', -1)``). With the
shortest precision ``'g'`` switches to the exponent form when the decimal exponent is below -4
or at least 6 (not 21: that is ``encoding/json``'s threshold). Infinities and NaN are
``+Inf``/``-Inf``/``NaN`` in every form (``%v`` keeps the ``+``).
"""

from __future__ import annotations

import math
import subprocess
import sys

import pytest

from chartsafe._go_format import format_float_e, format_float_f, format_float_g
from chartsafe._refs.secrets import printed_forms
from chartsafe.store._store_layout import as_text
from chartsafe.store.yaml_emit import dump_yaml

# (value, 'f', 'e', 'g' = %v)
GO = [
    (0.0, "0", "0e+00", "0"),
    (-0.0, "-0", "-0e+00", "-0"),
    (1.0, "1", "1e+00", "1"),
    (1.5, "1.5", "1.5e+00", "1.5"),
    (0.1, "0.1", "1e-01", "0.1"),
    (0.1 + 0.2, "0.30000000000000004", "3.0000000000000004e-01", "0.30000000000000004"),
    (1e-05, "0.00001", "1e-05", "1e-05"),
    (0.0001, "0.0001", "1e-04", "0.0001"),
    (0.00012345, "0.00012345", "1.2345e-04", "0.00012345"),
    (-0.00001234, "-0.00001234", "-1.234e-05", "-1.234e-05"),
    (100000.0, "100000", "1e+05", "100000"),
    (123456.0, "123456", "1.23456e+05", "123456"),
    (123456.7, "123456.7", "1.234567e+05", "123456.7"),
    (999999.5, "999999.5", "9.999995e+05", "999999.5"),
    (1e06, "1000000", "1e+06", "1e+06"),
    (1234567.0, "1234567", "1.234567e+06", "1.234567e+06"),
    (1.2345678e07, "12345678", "1.2345678e+07", "1.2345678e+07"),
    (-98765432.0, "-98765432", "-9.8765432e+07", "-9.8765432e+07"),
    (2.0**53, "9007199254740992", "9.007199254740992e+15", "9.007199254740992e+15"),
    (1e20, "100000000000000000000", "1e+20", "1e+20"),
    (1e21, "1000000000000000000000", "1e+21", "1e+21"),
    (1e-07, "0.0000001", "1e-07", "1e-07"),
    (1e100, "1" + "0" * 100, "1e+100", "1e+100"),
    (-1.5e300, "-15" + "0" * 299, "-1.5e+300", "-1.5e+300"),
    (1.7976931348623157e308, "17976931348623157" + "0" * 292, "1.7976931348623157e+308",
     "1.7976931348623157e+308"),
    (-5e-324, "-0." + "0" * 323 + "5", "-5e-324", "-5e-324"),
    (2.2250738585072014e-308, "0." + "0" * 307 + "22250738585072014",
     "2.2250738585072014e-308", "2.2250738585072014e-308"),
    (math.inf, "+Inf", "+Inf", "+Inf"),
    (-math.inf, "-Inf", "-Inf", "-Inf"),
    (math.nan, "NaN", "NaN", "NaN"),
]  # fmt: skip


@pytest.mark.parametrize(("value", "f", "e", "g"), GO, ids=[repr(row[0]) for row in GO])
def test_go_float_forms(value: float, f: str, e: str, g: str) -> None:
    assert format_float_f(value) == f
    assert format_float_e(value) == e
    assert format_float_g(value) == g


@pytest.mark.parametrize(
    ("value", "helm_prints"),
    [(12345678, "1.2345678e+07"), (1000000, "1e+06"), (0.00001, "1e-05"), (-0.0, "-0"),
     (math.inf, "+Inf")],
)  # fmt: skip
def test_a_numeric_secret_is_masked_as_helm_prints_it(value: float, helm_prints: str) -> None:
    assert helm_prints in printed_forms(value)


def test_an_integer_beyond_float64_is_masked_as_written_not_a_crash() -> None:
    """Helm cannot read it as a float64 either; its digits are what could be printed."""
    huge = 10**400
    assert printed_forms(huge) == [str(huge)]


@pytest.mark.parametrize(
    ("value", "yaml"),
    [(1e6, "1e+06"), (123456.0, "123456"), (1e-05, "1e-05"), (math.inf, ".inf"),
     (-math.inf, "-.inf"), (math.nan, ".nan")],
)  # fmt: skip
def test_the_store_writes_clear_floats_as_sops_does(value: float, yaml: str) -> None:
    assert dump_yaml([{"a": value}], 4) == f"a: {yaml}\n"
    assert as_text(value) == yaml


def test_the_render_path_loads_no_decimal_or_math() -> None:
    """``_refs.secrets`` is imported by every render; the formatter must not slow it."""
    code = (
        "import sys, chartsafe._refs.secrets, chartsafe._go_format as g; "
        "g.format_float_g(1e6); print(sorted({'decimal', 'math'} & set(sys.modules)))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"
