"""``secrets rekey`` to key groups: allowed exactly when the identities one holds still open
the store, as the real sops judges it afterwards.

The test holds identities A and B (one key file); C and D belong to others. A layout is
opened when A or B is in at least ``shamir_threshold`` of its groups (one group: any).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from store_helpers import AgeKey, SopsRunner

from chartsafe._errors import StoreError
from chartsafe.store.secret_ops import rekey_store, set_value

# (id, key groups by name, threshold (None: one group), opens: whether A+B still open it)
LAYOUTS: list[tuple[str, list[list[str]], int | None, bool]] = [
    ("one group without us", [["C"]], None, False),
    ("one group with us among others", [["C", "A"]], None, True),
    ("two groups, both needed, we hold one", [["A"], ["C"]], 2, False),
    ("two groups, both needed, we hold both", [["A"], ["B"]], 2, True),
    ("three groups, two needed, we hold two", [["A"], ["C"], ["B"]], 2, True),
    ("three groups, two needed, we hold one", [["A"], ["C"], ["D"]], 2, False),
    ("three groups, all needed, we hold two", [["A"], ["B"], ["C"]], 3, False),
    ("one of us in each of two groups", [["A", "C"], ["D", "B"]], 2, True),
]


def _rules(groups: list[list[str]], threshold: int | None, keys: dict[str, AgeKey]) -> str:
    if threshold is None:
        return f"creation_rules:\n  - age: {','.join(keys[n].recipient for n in groups[0])}\n"
    lines = ["creation_rules:", f"  - shamir_threshold: {threshold}", "    key_groups:"]
    lines += [f"      - age: [{', '.join(keys[n].recipient for n in g)}]" for g in groups]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("groups", "threshold", "opens"), [c[1:] for c in LAYOUTS], ids=[c[0] for c in LAYOUTS]
)
def test_rekey_refuses_exactly_the_layouts_that_lock_us_out(
    tmp_path: Path,
    new_key: Callable[[str], AgeKey],
    sops: SopsRunner,
    groups: list[list[str]],
    threshold: int | None,
    opens: bool,
) -> None:
    keys = {name: new_key(name) for name in "ABCD"}
    ours = tmp_path / "ours.txt"
    ours.write_text(keys["A"].path.read_text() + keys["B"].path.read_text())
    store = tmp_path / "st.yaml"
    set_value(store, "ns", "s", "k", "v", recipients=[keys["A"].recipient])
    (tmp_path / ".sops.yaml").write_text(_rules(groups, threshold, keys))
    before = store.read_bytes()
    if not opens:
        with pytest.raises(StoreError, match="you could no longer decrypt it; nothing written"):
            rekey_store(store, key_file=ours)
        assert store.read_bytes() == before
        rekey_store(store, key_file=ours, force=True)  # handing it over is allowed
        assert sops("decrypt", str(store), key_file=ours, check=False).returncode != 0
        return
    rekey_store(store, key_file=ours)
    assert store.read_bytes() != before
    out = sops("decrypt", "--extract", '["secrets"]["ns"]["s"]["k"]', str(store), key_file=ours)
    assert out.stdout == "v"
