"""``SecretStore.set`` and ``rotate`` refuse what ``chartsafe secrets set`` refuses.

The command checks a value against its ``--format`` and refuses an empty one; the store
itself makes the same checks (with the command's own ``check_format``), so a library caller
cannot record a ``hex:32`` format over a value that is no hex, nor rotate a key to nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from chartsafe import InputError, SecretStore
from chartsafe.store import create_identity_file

VALUE = "LEAKCANARY_STORE_CHECKS"


@pytest.fixture
def store(tmp_path: Path) -> SecretStore:
    """A new store holding default/app/k (generator hex:16: it fits hex:16)."""
    opened = SecretStore.create(
        tmp_path / "s.yaml", recipients=create_identity_file(tmp_path / "key.txt")
    )
    opened.set("default", "app", "k", "00112233445566778899aabbccddeeff", generator="hex:16")
    return opened


# (what, set()'s keyword arguments with the value, words of the error; None: accepted)
SET_CASES: list[tuple[str, dict[str, Any], list[str] | None]] = [
    ("not hex", {"value": VALUE, "format": "hex:32"}, ["hex:32", "does not fit"]),
    ("hex too short", {"value": "abcd", "format": "hex:32"}, ["does not fit", "64 expected"]),
    ("wrong URL scheme", {"value": "postgres://db:5432", "format": "url:redis|rediss"},
     ["does not fit", "redis://"]),
    ("not base64", {"value": "bm90LWJhc2U2NA", "format": "base64:16"},
     ["does not fit", "not base64"]),
    ("malformed format", {"value": "ab", "format": "hex:x"}, ["hex:x", "malformed"]),
    ("empty", {"value": ""}, ["is empty"]),
    ("empty with a format", {"value": "", "format": "text"}, ["is empty"]),
    ("not text", {"value": None}, ["is empty"]),
    ("hex that fits", {"value": "abcd", "format": "hex:2"}, None),
    ("unchecked format", {"value": VALUE, "format": "text"}, None),
    # the contract's formats are recorded as they are: "unknown", a chart's own word
    ("unknown format", {"value": VALUE, "format": "unknown"}, None),
    ("a chart's own format", {"value": VALUE, "format": "licence-key"}, None),
    # a generator's value is made for its spec, which may differ from a chart's format
    ("made by a generator", {"value": VALUE, "format": "hex:32", "generator": "password"}, None),
]  # fmt: skip


@pytest.mark.parametrize(("given", "words"), [c[1:] for c in SET_CASES],
                         ids=[c[0] for c in SET_CASES])  # fmt: skip
def test_set_refuses_what_the_command_refuses(
    store: SecretStore, given: dict[str, Any], words: list[str] | None
) -> None:
    if words is None:
        assert store.set("default", "app", "new", **given)
        assert store.get("default", "app", "new") == given["value"]
        return
    with pytest.raises(InputError) as caught:
        store.set("default", "app", "new", **given)
    error = caught.value
    assert all(word in str(error) for word in words), str(error)
    assert (error.secret, error.key) == ("app", "new")
    assert VALUE not in str(error)
    assert store.get("default", "app", "new") is None
    assert store.info("default", "app", "new") == {}


@pytest.mark.parametrize("value", ["", None], ids=["empty", "not text"])
def test_rotate_refuses_an_empty_value(store: SecretStore, value: Any) -> None:
    before = store.get("default", "app", "k")
    with pytest.raises(InputError, match="is empty") as caught:
        store.rotate("default", "app", "k", value)
    assert (caught.value.secret, caught.value.key) == ("app", "k")
    assert store.get("default", "app", "k") == before
    assert store.previous("default", "app", "k") is None


def test_rotate_takes_a_value(store: SecretStore) -> None:
    """The refusal is of empty values only: a rotation to a new value goes through."""
    before = store.get("default", "app", "k")
    store.rotate("default", "app", "k", "new-value")
    assert store.get("default", "app", "k") == "new-value"
    assert store.previous("default", "app", "k") == before
