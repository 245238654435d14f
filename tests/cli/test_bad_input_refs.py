"""Bad input for encrypted values files, references and ``chartsafe sops``: one line, exit 2.

Each row: the arguments (or a builder taking a prepared folder), the exit code, and words the
one line must contain. The folder holds ``plain.yaml`` (a plain file), ``enc.yaml`` (encrypted
to a key that is not available) and ``key.txt`` (an age key that opens nothing here).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

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
    ("encrypted -f, --age-key-file missing", _at("template", MINIMAL, "-f", "@/enc.yaml",
                                                 "--age-key-file", "@/none.txt"), 2,
     ["looked in: @/none.txt (not found)"]),
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
    ("sops decrypt: no key", _at("sops", "decrypt", "@/enc.yaml"), 2,
     ["no age identity opens", "looked in"]),
    ("sops edit: plain file", _at("sops", "edit", "@/plain.yaml"), 2,
     ["plain.yaml: not encrypted", "sops encrypt --in-place"]),
    ("sops edit: a directory", _at("sops", "edit", "@"), 2, ["is a directory"]),
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
    assert "Traceback" not in captured.err
    assert "hunter2-secret" not in captured.err + captured.out
    wanted = [w.replace("@", str(folder)) for w in words]
    lines = [line for line in captured.err.splitlines() if line.strip()]
    assert any(all(w in line for w in wanted) for line in lines), (
        f"no line with {wanted} in:\n{captured.err}"
    )
