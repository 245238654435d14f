"""Value encodings, Go number formats, yaml.v3 scalar resolution, the AES-GCM known answer."""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

import pytest
from store_helpers import GETSOPS

from chartsafe._errors import IntegrityError, SopsFormatError
from chartsafe._go_format import format_float_f, format_float_g
from chartsafe.store import shamir
from chartsafe.store.sops_json import dump_json, load_json
from chartsafe.store.sops_values import (
    decrypt_value,
    encode_plaintext,
    encrypt_value,
    format_float_json,
)
from chartsafe.store.sops_yaml import load_yaml, resolve_plain
from chartsafe.store.yaml_emit import dump_yaml


@pytest.mark.parametrize(
    ("value", "f", "g", "js"),
    [
        (0.5, "0.5", "0.5", "0.5"),
        (1.0, "1", "1", "1"),
        (-0.0, "-0", "-0", "-0"),
        (1e20, "100000000000000000000", "1e+20", "100000000000000000000"),
        (1e21, "1000000000000000000000", "1e+21", "1e+21"),
        (1e-7, "0.0000001", "1e-07", "1e-7"),
        (0.00001, "0.00001", "1e-05", "0.00001"),
        (123456.0, "123456", "123456", "123456"),
        (1234567.0, "1234567", "1.234567e+06", "1234567"),
        (1234.56789, "1234.56789", "1234.56789", "1234.56789"),
        (math.inf, "+Inf", "+Inf", None),
        (-math.inf, "-Inf", "-Inf", None),
    ],
)
def test_go_float_formats(value: float, f: str, g: str, js: str | None) -> None:
    assert format_float_f(value) == f
    assert format_float_g(value) == g
    if js is None:
        with pytest.raises(SopsFormatError):
            format_float_json(value)
    else:
        assert format_float_json(value) == js


@pytest.mark.parametrize(
    ("value", "kind", "raw"),
    [
        ("admin", "str", b"admin"),
        ("", "str", b""),
        (5432, "int", b"5432"),
        (-7, "int", b"-7"),
        (0.5, "float", b"0.5"),
        (1e20, "float", b"100000000000000000000"),
        (math.nan, "float", b"NaN"),
        (True, "bool", b"True"),
        (False, "bool", b"False"),
        (dt.date(2024, 1, 2), "time", b"2024-01-02T00:00:00Z"),
        (
            dt.datetime(2024, 1, 2, 3, 4, 5, 500000, tzinfo=dt.UTC),
            "time",
            b"2024-01-02T03:04:05.5Z",
        ),
        (
            dt.datetime(2024, 1, 2, tzinfo=dt.timezone(dt.timedelta(hours=-5, minutes=-30))),
            "time",
            b"2024-01-02T00:00:00-05:30",
        ),
    ],
)
def test_plaintext_encoding(value: Any, kind: str, raw: bytes) -> None:
    assert encode_plaintext(value) == (kind, raw)


def test_out_of_range_int_is_refused() -> None:
    with pytest.raises(SopsFormatError, match="64 bits"):
        encode_plaintext(2**63, "a.b")


def test_aes_gcm_known_answer() -> None:
    kat = json.loads((GETSOPS / "extracted-from-tests" / "aes-gcm-kat.json").read_text())
    key = bytes.fromhex(kat["key_hex"])
    kind, raw, iv = decrypt_value(key, kat["ciphertext"], kat["additional_data"], "kat")
    assert (kind, raw) == ("str", kat["plaintext"].encode())
    again = encrypt_value(key, raw, "str", kat["additional_data"], iv)
    assert again == kat["ciphertext"]
    with pytest.raises(IntegrityError):
        decrypt_value(key, kat["ciphertext"], "", "kat")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yes", "yes"),
        ("on", "on"),
        ("n", "n"),
        ("true", True),
        ("False", False),
        ("~", None),
        ("null", None),
        ("0x1F", 31),
        ("0o17", 15),
        ("017", 15),
        ("0b101", 5),
        ("1_000", 1000),
        ("+5", 5),
        ("08", 8.0),
        ("1e3", 1000.0),
        ("1e20", 1e20),
        (".5", 0.5),
        ("-.inf", -math.inf),
        ("12:30", "12:30"),
        ("1e400", "1e400"),
        ("99999999999999999999", 1e20),
        ("0xFFFFFFFFFFFFFFFFFF", "0xFFFFFFFFFFFFFFFFFF"),
        ("2024-01-02", dt.datetime(2024, 1, 2, tzinfo=dt.UTC)),
        ("2024-1-2 3:4:5", dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC)),
        ("2024-01-02T03:04:05+01:00", dt.datetime(2024, 1, 2, 2, 4, 5, tzinfo=dt.UTC)),
        ("2024-01-02X", "2024-01-02X"),
    ],
)
def test_yaml_v3_scalar_resolution(text: str, expected: Any) -> None:
    value = resolve_plain(text)[1]
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: 1\na: 2\n", "duplicate key 'a'"),
        ("1: x\n", "mapping key is not a string"),
        ("- a\n", "not a mapping"),
        ("", "empty"),
        ("a: [\n", "not valid YAML at line 2"),
        ("pw: 'hunter2\n", "not valid YAML"),
    ],
)
def test_yaml_refusals_name_no_value(text: str, message: str) -> None:
    with pytest.raises(SopsFormatError, match=message) as caught:
        load_yaml(text, "in.yaml")
    assert "hunter2" not in str(caught.value)


def test_yaml_extras() -> None:
    docs = load_yaml("---\na: !!binary aGVsbG8=\nb: &x {c: 1}\nd: *x\ne: !Custom tagged\n---\n")
    assert docs == [{"a": "hello", "b": {"c": 1}, "d": {"c": 1}, "e": "tagged"}, {}]


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ({"a": {"b": [1, {"c": "d", "e": [2]}, [3, 4]]}}, None),
        ({"s": "x\ny\n", "t": "x\ny", "u": "x\n\n", "v": " lead\nx"}, None),
        ({"e": {}, "l": [], "n": None, "f": 1.5, "q": "yes", "h": "a #b"}, None),
    ],
)
def test_yaml_round_trip(data: dict[str, Any], text: str | None) -> None:
    assert load_yaml(dump_yaml([data])) == [data]


def test_yaml_layout() -> None:
    data = {"a": {"b": [{"c": 1, "d": [2, "x\ny\n"]}, ["e"]]}}
    assert dump_yaml([data]) == (
        "a:\n"
        "    b:\n"
        "        - c: 1\n"
        "          d:\n"
        "            - 2\n"
        "            - |\n"
        "              x\n"
        "              y\n"
        "        - - e\n"
    )
    assert dump_yaml([{"a": {"b": 1}}], indent=2) == "a:\n  b: 1\n"


def test_json_numbers_and_escapes() -> None:
    text = '{"i": 5, "big": 12345678901234567890, "f": 1.0, "z": -0, "s": "<a&b>\\u2028"}'
    doc = load_json(text)[0]
    assert doc == {"i": 5, "big": 12345678901234567890.0, "f": 1.0, "z": 0.0, "s": "<a&b>\u2028"}
    assert math.copysign(1, doc["z"]) == -1
    assert dump_json([doc]) == (
        '{\n\t"i": 5,\n\t"big": 12345678901234567000,\n\t"f": 1,\n\t"z": -0,\n'
        '\t"s": "\\u003ca\\u0026b\\u003e\\u2028"\n}\n'
    )
    with pytest.raises(SopsFormatError, match="NaN"):
        load_json('{"x": NaN}')


@pytest.mark.parametrize(("parts", "threshold"), [(2, 2), (3, 2), (5, 3)])
def test_shamir_any_threshold_subset_recovers(parts: int, threshold: int) -> None:
    secret = bytes(range(32))
    shares = shamir.split(secret, parts, threshold)
    assert all(len(s) == 33 for s in shares)
    assert shamir.combine(shares[:threshold]) == secret
    assert shamir.combine(shares[-threshold:]) == secret
    if threshold > 2:  # too few shares give garbage (with overwhelming probability)
        assert shamir.combine(shares[: threshold - 1]) != secret
