"""An unresolvable reference's error carries the context ``ChartsafeError`` documents.

A library caller reads ``values_path``, ``values_file``, ``secret`` and ``key`` off the error
instead of parsing its message: the values path holding the reference, the file it reads (the
store, the SOPS file) and, for the store, the Secret and key it names.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from chartsafe import ChartsafeError, SecretStore, ValuesInput, load_values
from chartsafe.store import create_identity_file

SECRET_VALUE = "LEAKCANARY_REF_ERRORS"


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store with default/app-db/password, its key, and another key that opens nothing."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CHARTSAFE_STORE", raising=False)
    store = SecretStore.create(tmp_path / "store.yaml", recipients=create_identity_file("key.txt"))
    store.set("default", "app-db", "password", SECRET_VALUE)
    store.save()
    create_identity_file("other.txt")
    return tmp_path


#: (what, the reference at db.url, --store, key file, the error's context attributes)
CASES = [
    ("store has no such key", "ref+chartsafe://default/app-db/nokey", "store.yaml", "key.txt",
     {"values_file": "store.yaml", "secret": "app-db", "key": "nokey"}),
    ("store file missing", "ref+chartsafe://default/app-db/password", "nostore.yaml",
     "key.txt", {"values_file": "nostore.yaml", "secret": "app-db", "key": "password"}),
    ("no store given", "ref+chartsafe://default/app-db/password", None, "key.txt",
     {"values_file": None, "secret": "app-db", "key": "password"}),
    ("store not opened by the key", "ref+chartsafe://default/app-db/password", "store.yaml",
     "other.txt", {"values_file": "store.yaml", "secret": "app-db", "key": "password"}),
    ("name no Secret can have", "ref+chartsafe://default/App_Db/password", "store.yaml",
     "key.txt", {"values_file": None, "secret": "App_Db", "key": None}),
    ("SOPS file has no such key", "ref+sops://store.yaml#/secrets/default/nokey", None,
     "key.txt", {"values_file": "store.yaml", "secret": None, "key": None}),
    ("SOPS file not opened by the key", "ref+sops://store.yaml#/secrets", None, "other.txt",
     {"values_file": "store.yaml", "secret": None, "key": None}),
]  # fmt: skip


@pytest.mark.parametrize(("reference", "store", "key_file", "context"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])  # fmt: skip
def test_the_error_names_where_the_reference_points(
    files: Path,
    reference: str,
    store: str | None,
    key_file: str,
    context: dict[str, str | None],
) -> None:
    given = ValuesInput(
        set=[f"db.url={reference}"],
        store=None if store is None else Path(store),
        age_key_file=Path(key_file),
    )
    with pytest.raises(ChartsafeError) as caught:
        load_values(given)
    error = caught.value
    assert error.values_path == "db.url"
    found = {name: getattr(error, name) for name in context}
    assert {k: None if v is None else str(v) for k, v in found.items()} == context
    assert SECRET_VALUE not in str(error)
