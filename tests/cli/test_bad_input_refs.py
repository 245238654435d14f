"""Bad input for encrypted values files, references and ``chartsafe sops``: one line, exit 2.

Each row: the arguments (or a builder taking a prepared folder), the exit code, and words the
one line must contain. The folder holds ``plain.yaml`` (a plain file), ``enc.yaml`` (encrypted
to a key that is not available) and ``key.txt`` (an age key that opens nothing here).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from bad_input import one_clear_line

from chartsafe.cli import main
from chartsafe.store import create_identity_file, encrypt

DATA = Path(__file__).resolve().parents[1] / "data"
MINIMAL = str(DATA / "minimal")
Build = Callable[[Path], list[str]]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("SOPS_AGE_KEY", "SOPS_AGE_KEY_FILE", "SOPS_AGE_RECIPIENTS", "SOPS_CONFIG",
                 "CHARTSAFE_STORE"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plain.yaml").write_text("password: hunter2-secret\n")
    nine = ", ".join(["*a"] * 9)  # 9,000 values, then 81,000, then 729,000 through aliases
    (tmp_path / "aliases.yaml").write_text(
        f"a: &a [{', '.join(['x'] * 9000)}]\nb: &b [{nine}]\nc: [{nine.replace('a', 'b')}]\n"
    )
    (tmp_path / "itself.yaml").write_text("password: hunter2-secret\nlist: &l [1, *l]\n")
    lost = create_identity_file(tmp_path / "lost.txt")
    (tmp_path / "enc.yaml").write_text(encrypt({"password": "hunter2-secret"}, lost))
    (tmp_path / "lost.txt").unlink()
    create_identity_file(tmp_path / "key.txt")
    return tmp_path


def _at(*args: str) -> Build:
    return lambda d: [a.replace("@", str(d)) for a in args]


def _init(*args: str) -> Build:
    """``secrets init`` on the minimal chart into a new store for key.txt's recipient."""

    def build(d: Path) -> list[str]:
        text = (d / "key.txt").read_text()
        recipient = text.split("# public key: ", 1)[1].split()[0]
        return ["secrets", "init", "x", MINIMAL, "--store", str(d / "new.yaml"), "--age",
                recipient, *_at(*args)(d)]  # fmt: skip

    return build


# (id, args, exit code, words the message must contain)
CASES: list[tuple[str, Build, int, list[str]]] = [
    ("encrypted -f, no key anywhere", _at("template", MINIMAL, "-f", "@/enc.yaml"), 2,
     ["@/enc.yaml", "no age identity opens", "looked in: SOPS_AGE_KEY (not set)"]),
    ("encrypted -f, wrong --age-key-file", _at("template", MINIMAL, "-f", "@/enc.yaml",
                                               "--age-key-file", "@/key.txt"), 2,
     ["enc.yaml", "looked in: @/key.txt (1 identity)"]),
    ("encrypted -f, no key: the hint names SOPS_AGE_KEY_FILE", _at(
        "template", MINIMAL, "-f", "@/enc.yaml"), 2, ["point SOPS_AGE_KEY_FILE at"]),
    ("encrypted -f, wrong --age-key-file: the hint names it", _at(
        "template", MINIMAL, "-f", "@/enc.yaml", "--age-key-file", "@/key.txt"), 2,
     ["give --age-key-file the key file of one of these recipients"]),
    ("encrypted -f, --age-key-file missing", _at("template", MINIMAL, "-f", "@/enc.yaml",
                                                 "--age-key-file", "@/none.txt"), 2,
     ["enc.yaml: the age key file @/none.txt cannot be used (not found); the data key is "
      "encrypted to age1", "give --age-key-file the path"]),
    ("encrypted -f that does not parse: an error, not plain values", lambda d: _at(
        "template", MINIMAL, "-f", "@/bad.yaml")(d) if (d / "bad.yaml").write_text(
        (d / "enc.yaml").read_text() + "password: again\n") else [], 2,
     ["@/bad.yaml: line", "duplicate key 'password'"]),
    ("unknown reference scheme", _at("template", MINIMAL, "--set", "password=ref+vault://a/b"), 2,
     ["password: unknown reference scheme ref+vault://"]),
    ("ref+sops to a missing file", _at("template", MINIMAL, "--set",
                                       "password=ref+sops://@/nope.yaml#/a"), 2,
     ["password: sops reference", "nope.yaml", "no such file"]),
    ("ref+sops to a missing key", _at("template", MINIMAL, "--set",
                                      "password=ref+sops://@/enc.yaml#/a"), 2,
     ["password: sops reference", "no age identity opens"]),
    ("ref+chartsafe without a store", _at("template", MINIMAL, "--set",
                                          "password=ref+chartsafe://ns/s/k"), 2,
     ["password: ref+chartsafe://ns/s/k needs a secret store", "--store"]),
    ("ref+chartsafe, store missing", _at("template", MINIMAL, "--store", "@/store.yaml", "--set",
                                         "password=ref+chartsafe://ns/s/k"), 2,
     ["the secret store @/store.yaml does not exist"]),
    ("ref+chartsafe, namespace not a name", _at(
        "template", MINIMAL, "--store", "@/enc.yaml", "--set",
        "password=ref+chartsafe://Bad_NS/ext/endpoint"), 2,
     ["password: ref+chartsafe://Bad_NS/ext/endpoint", "namespace 'Bad_NS' is not a DNS label"]),
    ("install: ref+chartsafe, --store missing", _at(
        "install", "x", MINIMAL, "--dry-run", "client", "--storage", "memory", "--store",
        "@/none.yaml", "--set", "password=ref+chartsafe://ns/s/k"), 2,
     ["password: ref+chartsafe://ns/s/k", "the secret store @/none.yaml does not exist"]),
    ("secrets init: malformed ref+chartsafe", _init("--set", "password=ref+chartsafe://ns/s"),
     2, ["password: ref+chartsafe://ns/s must be ref+chartsafe://NAMESPACE/SECRET/KEY"]),
    ("secrets init: --generator for no key", _init(
        "--set", "password=ref+chartsafe://ns/s/k", "--generator", "kk=hex:32"), 2,
     ["--generator kk=...", "requires or the values reference"]),
    ("sops encrypt: no such file", _at("sops", "encrypt", "@/none.yaml"), 2,
     ["@/none.yaml: no such file"]),
    ("sops encrypt: no recipients", _at("sops", "encrypt", "@/plain.yaml"), 2,
     ["no age recipients for", "--age"]),
    ("sops encrypt: already encrypted", _at("sops", "encrypt", "--age", "age1qqqq", "@/enc.yaml"),
     2, ["enc.yaml: already encrypted"]),
    ("sops encrypt: malformed recipient", _at("sops", "encrypt", "--age", "age1nope",
                                              "@/plain.yaml"), 2, ["age1nope"]),
    ("sops encrypt: two selectors", _at("sops", "encrypt", "--age", "x", "--encrypted-regex", "a",
                                        "--unencrypted-suffix", "_c", "@/plain.yaml"), 2,
     ["give only one of --encrypted-regex, --unencrypted-suffix"]),
    ("sops encrypt: bad regex", _at("sops", "encrypt", "--age", "x", "--encrypted-regex", "(",
                                    "@/plain.yaml"), 2, ["--encrypted-regex", "not a regex"]),
    ("sops decrypt: plain file", _at("sops", "decrypt", "@/plain.yaml"), 2,
     ["plain.yaml: not encrypted"]),
    ("sops decrypt: YAML read as JSON", _at("sops", "decrypt", "--input-type", "json",
                                            "@/enc.yaml"), 2,
     ["enc.yaml: not valid JSON", "--input-type json"]),
    ("sops edit: YAML read as JSON", _at("sops", "edit", "--input-type", "json", "@/enc.yaml"),
     2, ["enc.yaml: not valid JSON", "--input-type json"]),
    ("sops decrypt: no key", _at("sops", "decrypt", "@/enc.yaml"), 2,
     ["no age identity opens", "looked in"]),
    ("sops edit: plain file", _at("sops", "edit", "@/plain.yaml"), 2,
     ["plain.yaml: not encrypted", "sops encrypt --in-place"]),
    ("sops edit: a directory", _at("sops", "edit", "@"), 2, ["is a directory"]),
    ("sops encrypt: aliases that expand too far", _at("sops", "encrypt", "--age",
     "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p", "@/aliases.yaml"), 2,
     ["@/aliases.yaml: document 1: excessive aliasing", "fewer aliases"]),
    ("sops encrypt: an anchor holding its own alias", _at("sops", "encrypt", "--age",
     "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p", "@/itself.yaml"), 2,
     ["@/itself.yaml: document 1: line 2: an anchor's value contains its own alias"]),
    ("a store holding its own alias", _at("secrets", "list", "--store", "@/itself.yaml"), 2,
     ["itself.yaml", "line 2: an anchor's value contains its own alias"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("build", "code", "words"),
    [(build, code, words) for _, build, code, words in CASES],
    ids=[case[0] for case in CASES],
)
def test_bad_input_gets_one_clear_line(
    build: Build, code: int, words: list[str], folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(build(folder)) == code
    captured = capsys.readouterr()
    one_clear_line(captured.err, code, [w.replace("@", str(folder)) for w in words])
    assert "hunter2-secret" not in captured.err + captured.out


# (id, editor script body ($1 is the file), words the message must contain)
EDITORS = [
    ("removes the file", 'rm "$1"', ["editor removed the file", "not changed"]),
    ("writes binary", "printf '\\377\\376' > \"$1\"", ["not UTF-8", "not changed"]),
    (
        "adds a top-level sops key",
        "printf 'a: 1\\nsops: x\\n' > \"$1\"",
        ["@/mine.yaml: ", "top-level 'sops' key", "not changed"],
    ),
]


@pytest.mark.parametrize(("script", "words"), [e[1:] for e in EDITORS], ids=[e[0] for e in EDITORS])
def test_sops_edit_refuses_what_the_editor_left(
    folder: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    script: str,
    words: list[str],
) -> None:
    """One line naming the file, exit 2, and the encrypted file exactly as it was."""
    recipient = create_identity_file(folder / "mine.txt")
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(folder / "mine.txt"))
    mine = folder / "mine.yaml"
    mine.write_text(encrypt({"password": "hunter2-secret"}, recipient))
    before = mine.read_bytes()
    editor = folder / "editor.sh"
    editor.write_text(f"#!/bin/sh\n{script}\n")
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # no terminal: no "edit again?" prompt
    assert main(["sops", "edit", str(mine)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "hunter2-secret" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    wanted = [w.replace("@", str(folder)) for w in words]
    assert len(lines) == 1 and all(w in lines[0] for w in wanted), err
    assert mine.read_bytes() == before


# (id, extra environment, words the message must contain); no request leaves the machine
AWS_CASES = [
    ("no region", {}, ["ref+awssecrets://name", "no AWS region", "AWS_DEFAULT_REGION",
                       "?region="]),
    ("unknown profile", {"AWS_REGION": "eu-west-1", "AWS_PROFILE": "nope-profile"},
     ["ref+awssecrets://name", "profile is not configured"]),
    ("no credentials", {"AWS_DEFAULT_REGION": "eu-west-1"},
     ["ref+awssecrets://name", "no AWS credentials"]),
]  # fmt: skip


_AWS_VARIABLES = (
    "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_WEB_IDENTITY_TOKEN_FILE",
)  # fmt: skip


@pytest.mark.parametrize(
    ("env", "words"), [c[1:] for c in AWS_CASES], ids=[c[0] for c in AWS_CASES]
)
def test_awssecrets_setup_errors_are_one_line(
    folder: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str],
    words: list[str],
) -> None:
    pytest.importorskip("boto3")
    for name in _AWS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(folder / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(folder / "no-aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # never ask the instance metadata
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # loopback, should it try
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    reference = "ref+awssecrets://name#/key"
    assert main(["template", MINIMAL, "--set", f"password={reference}"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and all(w in lines[0] for w in words), err
