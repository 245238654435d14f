"""User values are built in Helm's order, with Helm's parsers."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from chartsafe import ValuesInput, load_values


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_later_files_win_and_maps_merge(tmp_path: Path) -> None:
    first = _file(tmp_path, "a.yaml", "a: {p: 1, q: 1}\nlist: [1, 2]\n")
    second = _file(tmp_path, "b.yaml", "a: {q: 2, r: 2}\nlist: [3]\n")
    assert load_values(ValuesInput(files=[first, second])) == {
        "a": {"p": 1, "q": 2, "r": 2},
        "list": [3],
    }


def test_flags_apply_after_files_in_helms_order(tmp_path: Path) -> None:
    base = _file(tmp_path, "v.yaml", "k: from-file\nj: from-file\n")
    secret_file = _file(tmp_path, "f.txt", "from-set-file")
    given = ValuesInput(
        files=[base],
        set=["k=from-set", "n=1"],
        set_string=["k=from-set-string", "s=2"],
        set_json=['k="from-set-json"', 'j={"deep":[1]}'],
        set_file=[f"f={secret_file}"],
        set_literal=["lit=a,b=c"],
    )
    assert load_values(given) == {
        "k": "from-set-string",  # --set-json < --set < --set-string
        "j": {"deep": [1]},
        "n": 1,
        "s": "2",
        "f": "from-set-file",
        "lit": "a,b=c",
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: yes\n", {"a": True}),  # Helm's YAML reader, not PyYAML's defaults
        ("a: 1e3\n", {"a": 1000}),
        ("a: '012'\n", {"a": "012"}),
        ("y: 1\n", {"true": 1}),  # YAML 1.1: the key y is a boolean, as helm -f reads it
        ("", {}),
    ],
)
def test_values_files_parse_as_helm_does(tmp_path: Path, text: str, expected: Any) -> None:
    assert load_values(ValuesInput(files=[_file(tmp_path, "v.yaml", text)])) == expected


def test_set_file_dash_reads_stdin_as_helm_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """helm's ``--set-file key=-`` (its readFile) takes the value from stdin, byte for byte."""
    monkeypatch.setattr("sys.stdin", io.StringIO("-----BEGIN KEY-----\nabc,d=e\n"))
    local = _file(tmp_path, "t.txt", "from-disk")
    given = ValuesInput(set_file=[f"tls.key=-,auth.token={local}"])
    assert load_values(given) == {
        "tls": {"key": "-----BEGIN KEY-----\nabc,d=e\n"},
        "auth": {"token": "from-disk"},
    }
