"""Bad input to ``template`` that the first table cannot show, and its one line.

Unreadable values files that stay unreadable for root too (test_bad_input.py's
permission case is skipped there: root reads any file), and the --set paths
Helm refuses. Same row format as tests/cli/test_bad_input.py.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from bad_input import one_clear_line

from chartsafe.cli import main

DATA = Path(__file__).resolve().parents[1] / "data"
MINIMAL = str(DATA / "minimal")
BAD_YAML = str(DATA / "bad-yaml")
#: The value the broken document of tests/data/bad-yaml holds
PLANTED = "planted-s3cret-value"


def _symlink_loop(tmp: Path) -> list[str]:
    loop = tmp / "values.yaml"
    os.symlink(loop, loop)  # open() fails with ELOOP, for every user
    return ["template", MINIMAL, "-f", str(loop)]


def _under_a_file(tmp: Path) -> list[str]:
    plain = tmp / "notes.txt"
    plain.write_text("a file, not a directory\n")
    return ["template", MINIMAL, "-f", str(plain / "values.yaml")]  # ENOTDIR, for every user


def _not_utf8(tmp: Path) -> list[str]:
    path = tmp / "latin1.yaml"
    path.write_bytes(b"greeting: gr\xfc\xdf\n")
    return ["template", MINIMAL, "-f", str(path)]


def _control_character(tmp: Path) -> list[str]:
    path = tmp / "ctl.yaml"
    path.write_bytes(b'name: web\npassword: "x\x01y"\n')
    return ["template", MINIMAL, "-f", str(path)]


def _image_is_a_string(tmp: Path) -> list[str]:
    path = tmp / "values.yaml"
    path.write_text("image: nginx\n")
    return ["template", MINIMAL, "-f", str(path), "--set", "image.tag=1.27"]


#: A document that parses (Helm's Go parser reads it) but that Python's parsers, which
#: recurse once per level, cannot: 3,000 nested lists.
DEEP = "a: " + "[" * 3000 + "]" * 3000 + "\n"


def _deep(tmp: Path) -> list[str]:
    path = tmp / "deep.yaml"
    path.write_text(DEEP)
    return ["template", MINIMAL, "-f", str(path)]


def _output_dir_through_a_file(tmp: Path) -> list[str]:
    plain = tmp / "notes.txt"
    plain.write_text("a file, not a directory\n")
    return ["template", MINIMAL, "--output-dir", str(plain / "out")]


# (id, args builder, exit code, words the message must contain)
CASES: list[tuple[str, object, int, list[str]]] = [
    ("values file unreadable: symlink loop", _symlink_loop, 2,
     ["values file", "values.yaml", "Too many levels of symbolic links"]),
    ("values file unreadable: path through a file", _under_a_file, 2,
     ["values file", "notes.txt/values.yaml", "Not a directory"]),
    ("values file not UTF-8", _not_utf8, 2, ["values file", "latin1.yaml", "not UTF-8"]),
    ("values file with a control character", _control_character, 2,
     ["values file", "ctl.yaml", "line 2, column 13", "control character U+0001", "not allowed"]),
    ("values file nested too deeply", _deep, 2,
     ["values file", "deep.yaml", "nested too deeply"]),
    ("--set through a string from -f", _image_is_a_string, 2,
     ["--set image.tag=...", "image is a string", "not a map"]),
    ("--set through a string from --set", ["template", MINIMAL, "--set", "greeting=hi",
                                           "--set", "greeting[0]=x"], 2,
     ["--set greeting[0]=...", "greeting is a string", "not a list"]),
    ("a name and --generate-name", ["template", "x", MINIMAL, "-g"], 2,
     ["cannot set --generate-name and also give NAME"]),
    ("--output-dir with -o json", ["template", MINIMAL, "--output-dir", "out", "-o", "json"], 2,
     ["--output-dir writes YAML files; -o json prints to stdout", "drop one"]),
    ("--output-dir under a file", _output_dir_through_a_file, 2,
     ["--output-dir", "notes.txt/out", "cannot write", "Not a directory"]),
    ("a template renders YAML that does not parse",
     ["template", BAD_YAML, "--set", "doc=invalid"], 2,
     ["template bad-yaml/templates/secrets.yaml: its rendered document 2 is not valid YAML",
      "line 6: mapping values are not allowed", "chartsafe template --reveal prints that "
      "document"]),
    ("a template renders a string", ["template", BAD_YAML, "--set", "doc=string"], 2,
     ["bad-yaml/templates/secrets.yaml: its rendered document 2 is a string, not a mapping"]),
    ("a template renders a list", ["contract", BAD_YAML, "--set", "doc=list"], 2,
     ["bad-yaml/templates/secrets.yaml: its rendered document 2 is a list, not a mapping"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [(args, code, words) for _, args, code, words in CASES],
    ids=[case[0] for case in CASES],
)
def test_bad_input_gets_one_clear_line(
    args: object,
    code: int,
    words: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = args(tmp_path) if callable(args) else args
    assert main(list(argv)) == code  # type: ignore[arg-type]
    err = capsys.readouterr().err
    one_clear_line(err, code, words)
    assert PLANTED not in err


@pytest.mark.parametrize("doc", ["invalid", "string", "list"])
def test_reveal_prints_the_document_that_is_not_an_object(
    doc: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Helm's --debug prints the whole render for it; --reveal prints that document only,
    numbered by line as Helm's parser counts them, and then the one error line."""
    assert main(["template", BAD_YAML, "--set", f"doc={doc}", "--reveal"]) == 2
    out, err = capsys.readouterr()
    lines = err.splitlines()
    printed = {
        "invalid": ["1 | apiVersion: v1", "2 | kind: Secret", "3 | metadata:",
                    "4 |   name: broken", "5 | stringData:", f"6 |   password: {PLANTED}: oops"],
        "string": [f"1 | {PLANTED}"],
        "list": [f"1 | - {PLANTED}"],
    }[doc]  # fmt: skip
    assert out == "" and lines[:-1] == printed
    assert lines[-1].startswith("chartsafe: error: template bad-yaml/templates/secrets.yaml: ")
    assert "--reveal" not in lines[-1]
