"""Every age-encrypted vector in ../shared/vectors/sops decrypts to its known plaintext.

``open_document`` verifies the MAC before returning, so a passing case also proves the MAC.
Re-dumping with the same data key, IVs and ``lastmodified`` must give back sops's own bytes.
"""

from __future__ import annotations

import base64
import datetime as dt
import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from store_helpers import DERIVED, FLUX, GETSOPS, SOPS_311, vector_identities

from chartsafe._errors import DecryptionError
from chartsafe.store import Format, decrypt_dotenv, open_document

KEYS_311 = SOPS_311 / "age-identities.txt"
KEYS_FLUX = FLUX / "keys_age.txt"
KEYS_FLUX_GLOBAL = FLUX / "keys_age-global.txt"
JAN_2 = dt.datetime(2024, 1, 2, tzinfo=dt.UTC)
WORKED = {
    "app": {
        "user": "admin",
        "port": 5432,
        "ratio": 0.5,
        "debug": False,
        "hosts": ["a.example", "b.example"],
        "note_unencrypted": "visible",
        "empty": "",
        "nothing": None,
    }
}

# (vector, format, key file, the plain documents sops -d gives)
CASES: list[tuple[Path, Format, Path, list[dict[str, Any]]]] = [
    (DERIVED / "worked-example.enc.yaml", "yaml", KEYS_311, [WORKED]),
    (DERIVED / "worked-example.enc.json", "json", KEYS_311, [WORKED]),
    (
        SOPS_311 / "types-and-comments.enc.yaml",
        "yaml",
        KEYS_311,
        [
            {
                "db": {
                    "user": "admin",
                    "port": 5432,
                    "ratio": 0.5,
                    "one": 1.0,
                    "big": 1e20,
                    "enabled": True,
                    "nothing": None,
                    "empty": "",
                    "when": JAN_2,
                    "hosts": ["a.example", "b.example"],  # the list comment is not data
                    "note_unencrypted": "visible",
                    "octal": 15,
                },
                "list_of_maps": [{"name": "x", "secret": "y"}],
            }
        ],
    ),
    (
        SOPS_311 / "types-no-comments.enc.yaml",
        "yaml",
        KEYS_311,
        [
            {
                "db": {
                    "user": "admin",
                    "port": 5432,
                    "ratio": 0.5,
                    "one": 1.0,
                    "enabled": False,
                    "nothing": None,
                    "empty": "",
                    "when": JAN_2,
                    "hosts": ["a.example", "b.example"],
                    "note_unencrypted": "visible",
                    "multi": "line1\nline2\n",
                },
                "list_of_maps": [{"name": "x", "secret": "y"}, ["nested", 2]],
                "top": "quoted: value",
            }
        ],
    ),
    (SOPS_311 / "groups.enc.yaml", "yaml", KEYS_311, [{"a": 1, "b": "two"}]),
    (
        SOPS_311 / "cfg.enc.json",
        "json",
        KEYS_311,
        [
            {
                "user": "bob",
                "password": "hunter2",
                "n": 12345678901234567000.0,  # sops 3.11 read it as a float64
                "f": 1.5,
                "nested": {"token": True, "x": None},
                "arr": [1, "two", 3],
            }
        ],
    ),
    (SOPS_311 / "multi.enc.yaml", "yaml", KEYS_311, [{"a": 1}, {"b": 2}]),
    (
        SOPS_311 / "clear-floats.enc.yaml",
        "yaml",
        KEYS_311,
        [
            {
                "f_unencrypted": {
                    "a": 1,
                    "b": 1234567.0,
                    "c": 1e-05,
                    "d": 2.5,
                    "e": 1e20,
                    "g": 123456,
                },
                "x": 1,
            }
        ],
    ),
    (
        SOPS_311 / "clear-floats.enc.json",
        "json",
        KEYS_311,
        [{"f_unencrypted": {"a": 1, "b": 1234567, "c": 1e-05, "d": 1e21, "e": 1e-07}, "x": 1.0}],
    ),
    (
        SOPS_311 / "edge-scalars.enc.yaml",
        "yaml",
        KEYS_311,
        [
            {
                "a": "yes",
                "b": "on",
                "c": None,
                "d": 31,
                "e": 1000,
                "f": math.inf,
                "g": -0.0,
                "h": 1e-07,
                "i": "123",
                "j": "hello",
            }
        ],
    ),
    (
        FLUX / "algorithms_age.yaml",
        "yaml",
        KEYS_FLUX,
        [
            {
                "apiVersion": "v1",
                "kind": "Secret",
                "metadata": {"name": "age"},
                "stringData": {"key": "value"},
            }
        ],
    ),
    (
        FLUX / "global_secret.yaml",
        "yaml",
        KEYS_FLUX_GLOBAL,
        [
            {
                "apiVersion": "v1",
                "kind": "Secret",
                "metadata": {"name": "global-age-secret", "namespace": "default"},
                "type": "Opaque",
                "stringData": {"key": "global-value"},
            }
        ],
    ),
    (FLUX / "files_file.txt", "json", KEYS_FLUX, [{"data": "value"}]),
]


@pytest.mark.parametrize(
    ("vector", "fmt", "keys", "expected"), CASES, ids=[c[0].name for c in CASES]
)
def test_vector_decrypts_with_valid_mac(
    vector: Path, fmt: Format, keys: Path, expected: list[dict[str, Any]]
) -> None:
    document = open_document(
        vector.read_text(), fmt=fmt, identities=vector_identities(keys), source=vector.name
    )
    assert document.documents == expected


def test_flux_secret_holding_a_sops_json_document() -> None:
    secret = yaml.safe_load((FLUX / "inside_secret.yaml").read_text())
    inner = base64.b64decode(secret["data"]["key"]).decode()
    document = open_document(inner, fmt="json", identities=vector_identities(KEYS_FLUX))
    assert document.data == {"data": "value"}


def test_flux_dotenv() -> None:
    text = (FLUX / "envs_env.env").read_text()
    assert decrypt_dotenv(text, identities=vector_identities(KEYS_FLUX)) == {"key": "value"}


@pytest.mark.parametrize(
    ("vector", "fmt", "keys"),
    [(c[0], c[1], c[2]) for c in CASES if c[0].parent != FLUX],
    ids=[c[0].name for c in CASES if c[0].parent != FLUX],
)
def test_redump_keeps_sops_bytes(vector: Path, fmt: Format, keys: Path) -> None:
    """Same data key, IVs and lastmodified: the data part is sops's byte for byte.

    The 3.13 worked example matches whole; 3.11 files differ only in the metadata block
    (3.13 key order, our version string). Comments too: ``#ENC[...]`` lines and list elements.
    """
    text = vector.read_text()
    document = open_document(text, fmt=fmt, identities=vector_identities(keys))
    again = document.dump(now=document.metadata.lastmodified)
    if vector.parent == DERIVED:
        assert again == text
        return
    cut = '\t"sops": {' if fmt == "json" else "sops:\n"
    assert again.split(cut)[0] == text.split(cut)[0]


@pytest.mark.parametrize(
    "vector",
    ["example.yaml", "example.json", "functional-tests_res_format.enc.yaml"],
)
def test_pgp_only_vectors_say_what_they_need(vector: str, age_key: Any) -> None:
    path = GETSOPS / vector
    if not path.exists():
        pytest.skip(f"{vector} not among the vectors")
    fmt: Format = "json" if vector.endswith(".json") else "yaml"
    with pytest.raises(DecryptionError) as caught:
        open_document(path.read_text(), fmt=fmt, identities=age_key.identities, source=vector)
    message = str(caught.value)
    assert "no age recipient" in message
    assert "pgp" in message
    assert str(age_key.path) in message
