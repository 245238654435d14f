"""A ``--set``-style error names the flag and the first key, never text from after the ``=``.

What follows the first ``=`` is the value, or, when the value holds a comma
(``auth.password=Sup3r,Tail0f``), a piece of it that Helm's parser reads as the next key and
quotes back (``key "Tail0f" has no value``). Every row puts a canary there; the message,
its hint and the exception's chain (``__context__``, the SDK's raw error) must not hold it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from chartsafe._errors import ValuesError
from chartsafe._helm_parse import parse_set
from chartsafe.cli import main

MINIMAL = Path(__file__).resolve().parents[1] / "data" / "minimal"

# (flag, expression, canary that follows the first '=', words the message must have)
CASES = [
    ("--set", "auth.password=Sup3rS3cr3t,Tail0fPassw0rd", "Tail0fPassw0rd",
     ["--set auth.password=...", "after a comma", "has no '='"]),
    ("--set", "auth.existingSecret={{ .Release.Name }}-creds", "-creds",
     ["--set auth.existingSecret=..."]),
    ("--set-string", "pw=Sup3r,Tail0fPassw0rd", "Tail0fPassw0rd", ["--set-string pw=..."]),
    ("--set", "pw=Sup3r,Tail0f.Passw0rd", "Passw0rd", ["--set pw=..."]),
    ("--set", "pw=Sup3r,Tail0fPassw0rd.=x", "Tail0fPassw0rd", ["--set pw=...", "ends with '.'"]),
    ("--set", "pw=Sup3r,Tail0f[Passw0rd]=1", "Passw0rd", ["--set pw=...", "not a number"]),
    ("--set", "pw=Sup3r,Tail0f[-4711]=1", "4711", ["--set pw=...", "negative"]),
    ("--set", "pw=Sup3r,x[987654]=1", "987654", ["--set pw=...", "65536"]),
    ("--set-json", "pw=1,Tail0fPassw0rd", "Tail0fPassw0rd", ["--set-json pw=..."]),
    ("--set-json", "pw=1e4000123", "4000123", ["--set-json pw=...", "cannot unmarshal number"]),
    ("--set-json", 'pw="Passw0rd\\q"', "'q'", ["--set-json pw=...", "string escape code"]),
    ("--set-file", "pw=/no/such/file,Tail0fPassw0rd", "Tail0fPassw0rd", ["--set-file pw=..."]),
]  # fmt: skip


@pytest.mark.parametrize(("flag", "expression", "canary", "words"), CASES)
def test_nothing_after_the_first_equals_sign(
    flag: str, expression: str, canary: str, words: list[str]
) -> None:
    with pytest.raises(ValuesError) as caught:
        parse_set(flag, expression)
    error = caught.value
    shown = f"{error} {error.hint}"
    assert canary not in shown
    for word in words:
        assert word in shown
    assert error.__context__ is None and error.__cause__ is None


@pytest.mark.parametrize(
    ("flag", "expression", "words"),
    [
        ("--set", "greeting", ["--set greeting=...", 'key "greeting" has no value']),
        ("--set", "a[x]=1", ["--set a[x]=...", 'parsing "x"']),
        ("--set", "a.=x", ["--set a.=...", 'key map "a" has no value']),
    ],
)
def test_an_error_in_the_first_key_keeps_helms_words(
    flag: str, expression: str, words: list[str]
) -> None:
    with pytest.raises(ValuesError) as caught:
        parse_set(flag, expression)
    for word in words:
        assert word in str(caught.value)


def test_cli_error_for_a_password_with_a_comma(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["template", "r", str(MINIMAL), "--set", "auth.password=Sup3rS3cr3t,Tail0fPassw0rd"]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "--set auth.password=..." in err and "\\," in err  # how to write the comma
    assert "Tail0f" not in err and "Sup3r" not in err


def test_set_file_names_the_path_it_cannot_read() -> None:
    """The value of --set-file is a path the user typed, not the secret (that is the file's
    content): it is named, as a missing -f file is, and Helm's error is not kept."""
    with pytest.raises(ValuesError) as caught:
        parse_set("--set-file", "pw=/no/such/dir/token.txt")
    assert "--set-file pw=...: cannot read the file /no/such/dir/token.txt" in str(caught.value)
    assert "no such file" in str(caught.value)
    assert caught.value.__context__ is None and caught.value.__cause__ is None
