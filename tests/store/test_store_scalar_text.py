"""A value of a sops-made store that is not a YAML string reads as the text sops gives it.

The oracle is the real sops: ``sops -d --extract`` of the key (which adds a newline after a
value that is not a string, as YAML ends a document). ``secrets get``, the store API and a
``ref+chartsafe://`` reference must all give that text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from store_helpers import AgeKey, SopsRunner

from chartsafe._refs.resolve import ResolveContext, resolve_one
from chartsafe.cli import main
from chartsafe.store.secret_store import SecretStore

# (id, the value as written in the plain YAML, the text sops gives)
SCALARS = [
    ("a date", "2024-01-02", "2024-01-02T00:00:00Z"),
    ("a time with an offset", "2024-01-02T03:04:05+02:00", "2024-01-02T03:04:05+02:00"),
    ("a time with a fraction", "2024-01-02T03:04:05.250Z", "2024-01-02T03:04:05.25Z"),
    ("a date and time with a space", "2024-1-2 3:04:05", "2024-01-02T03:04:05Z"),
    ("a float with no fraction", "123456.0", "123456"),
    ("a large float", "1.5e20", "1.5e+20"),
    ("a small float", "0.0000001", "1e-07"),
    ("a hex int", "0x1F", "31"),
    ("a bool", "True", "true"),
    ("a quoted date", '"2024-01-02"', "2024-01-02"),
]


@pytest.mark.parametrize(("written", "text"), [s[1:] for s in SCALARS], ids=[s[0] for s in SCALARS])
def test_a_value_reads_as_sops_extracts_it(
    tmp_path: Path,
    age_key: AgeKey,
    sops: SopsRunner,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    written: str,
    text: str,
) -> None:
    store = tmp_path / "st.yaml"
    store.write_text(f"chartsafe:\n  version: 1\nsecrets:\n  ns:\n    s:\n      when: {written}\n")
    sops("encrypt", "-i", "--age", age_key.recipient, str(store))
    extracted = sops("decrypt", "--extract", '["secrets"]["ns"]["s"]["when"]', str(store),
                     key_file=age_key.path).stdout  # fmt: skip
    assert extracted in (text, text + "\n")  # the table says what sops gives

    opened = SecretStore.open(store, key_file=age_key.path)
    assert opened.get("ns", "s", "when") == text
    assert opened.secret("ns", "s") == {"when": text}
    context = ResolveContext(age_key_file=age_key.path, store=store)
    assert resolve_one("ref+chartsafe://ns/s/when", context, "x") == text
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(age_key.path))
    capsys.readouterr()
    assert main(["secrets", "get", "-n", "ns", "s", "when", "--store", str(store),
                 "--reveal"]) == 0  # fmt: skip
    assert capsys.readouterr().out == text
