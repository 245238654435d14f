"""``secrets set --format`` records the format also when the value is the one the store holds
already (user trial, review-charts §2): a person telling what a value is (a ``private.pem``
that holds a private key) was answered ``unchanged`` and their format dropped. Recording it
changes no value: no rotation is stamped, no previous value kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from store_helpers import AgeKey

from chartsafe.store.secret_ops import SetResult, set_value
from chartsafe.store.secret_store import SecretStore

HEX = "00112233445566778899aabbccddeeff"

# (id, format of the first set, format of the second set with the same value,
#  changed, format_recorded, format in the store after)
CASES = [
    ("first given now", None, "hex:16", False, True, "hex:16"),
    ("another one given", "hex:16", "text", False, True, "text"),
    ("the same again", "hex:16", "hex:16", False, False, "hex:16"),
    ("none given keeps the recorded one", "hex:16", None, False, False, "hex:16"),
]


@pytest.mark.parametrize(
    ("first", "second", "changed", "recorded", "after"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_a_format_given_is_recorded_for_an_unchanged_value(
    tmp_path: Path,
    age_key: AgeKey,
    first: str | None,
    second: str | None,
    changed: bool,
    recorded: bool,
    after: str,
) -> None:
    store = tmp_path / "s.sops.yaml"

    def put(fmt: str | None) -> SetResult:
        return set_value(store, "apps", "keys", "k", HEX, format=fmt,
                         recipients=[age_key.recipient], key_file=age_key.path)  # fmt: skip

    put(first)
    result = put(second)
    assert (result.changed, result.format_recorded) == (changed, recorded)
    assert result.as_dict()["format_recorded"] is recorded
    opened = SecretStore.open(store, key_file=age_key.path)
    meta = opened.info("apps", "keys", "k")
    assert meta.get("format") == after
    assert "rotated" not in meta and opened.previous("apps", "keys", "k") is None
    assert opened.get("apps", "keys", "k") == HEX
