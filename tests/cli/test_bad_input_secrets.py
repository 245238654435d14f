"""Bad input to ``chartsafe secrets``/``keys``: one line naming what is wrong, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from bad_input import one_clear_line

from chartsafe.cli import main
from chartsafe.store import create_identity_file


def _store(tmp: Path) -> str:
    """A store with one key, decryptable with SOPS_AGE_KEY_FILE set by the test."""
    recipient = create_identity_file(tmp / "keys.txt", exist_ok=True)
    store = str(tmp / "store.yaml")
    assert main(["secrets", "set", "-n", "tc", "a", "k", "--from-literal", "v-1234567890",
                 "--store", store, "--age", recipient]) == 0  # fmt: skip
    return store


def _new_store_beside_a_key(tmp: Path) -> str:
    """A store path to create, with an identity where sops looks (SOPS_AGE_KEY_FILE)."""
    create_identity_file(tmp / "keys.txt", exist_ok=True)
    return str(tmp / "new.yaml")


def _other_key(tmp: Path) -> str:
    """An age key file whose identity is not one the store is encrypted to."""
    create_identity_file(tmp / "other.txt", exist_ok=True)
    return str(tmp / "other.txt")


# (id, args builder, exit code, words the message must contain)
def _bytes(path: Path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


def _sops_rules_bytes(tmp: Path) -> str:
    """A values file whose nearest ``.sops.yaml`` is not text."""
    (tmp / ".sops.yaml").write_bytes(b"creation_rules: \xff\n")
    return _bytes(tmp / "values.yaml", b"a: 1\n")


CASES: list[tuple[str, object, int, list[str]]] = [
    ("store missing", ["secrets", "list", "--store", "/no/store.yaml"], 2,
     ["/no/store.yaml", "no such file"]),
    ("no --store", ["secrets", "list"], 2, ["--store"]),
    ("not a SOPS file", lambda t: ["secrets", "list", "--store", _plain(t)], 2,
     ["plain.yaml"]),
    ("no recipients for a new store", lambda t: ["secrets", "set", "-n", "tc", "a", "k",
     "--from-literal", "x", "--store", str(t / "new.yaml")], 2,
     ["no age recipients", "--age", "chartsafe keys init prints a recipient"]),
    ("no recipients, and an identity of one's own", lambda t: ["secrets", "set", "-n", "tc",
     "a", "k", "--from-literal", "x", "--store", _new_store_beside_a_key(t)], 2,
     ["no age recipients", "to encrypt it to your own age identity: --age age1"]),
    ("bad --age", lambda t: ["secrets", "set", "a", "k", "--from-literal", "x", "--store",
     str(t / "n.yaml"), "--age", "age1nope"], 2, ["'age1nope'", "not an age recipient"]),
    ("bad namespace", lambda t: ["secrets", "set", "-n", "Bad_NS", "a", "k", "--from-literal",
     "x", "--store", _store(t)], 2, ["namespace 'Bad_NS'"]),
    ("bad key name", lambda t: ["secrets", "set", "-n", "tc", "a", "bad key", "--from-literal",
     "x", "--store", _store(t)], 2, ["key 'bad key'"]),
    ("empty value", lambda t: ["secrets", "set", "-n", "tc", "a", "k2", "--from-literal", "",
     "--store", _store(t)], 2, ["k2", "empty"]),
    ("--format unknown", lambda t: ["secrets", "set", "-n", "tc", "a", "k2", "--format",
     "bogusformat", "--from-literal", "abc", "--store", _store(t)], 2,
     ["--format 'bogusformat'", "not a known format"]),
    ("--format the value does not fit", lambda t: ["secrets", "set", "-n", "tc", "a", "k2",
     "--format", "hex:32", "--from-literal", "v-1234567890", "--store", _store(t)], 2,
     ["--format hex:32", "key k2 of Secret tc/a does not fit", "not hexadecimal"]),
    ("--from-file missing", lambda t: ["secrets", "set", "-n", "tc", "a", "k", "--from-file",
     "/no/file", "--store", _store(t)], 2, ["--from-file /no/file", "no such file"]),
    ("both sources", lambda t: ["secrets", "set", "-n", "tc", "a", "k", "--from-file", "/x",
     "--from-literal", "y", "--store", _store(t)], 2, ["only one of"]),
    ("get without --reveal", lambda t: ["secrets", "get", "-n", "tc", "a", "k", "--store",
     _store(t)], 2, ["--reveal"]),
    ("get unknown key", lambda t: ["secrets", "get", "-n", "tc", "a", "zz", "--store",
     _store(t), "--reveal"], 2, ["key zz of Secret tc/a", "secrets set"]),
    ("get unknown part", lambda t: ["secrets", "get", "-n", "tc", "a", "k", "--part", "public",
     "--store", _store(t), "--reveal"], 2, ["no part 'public'"]),
    ("get previous never rotated", lambda t: ["secrets", "get", "-n", "tc", "a", "k",
     "--previous", "--store", _store(t), "--reveal"], 2, ["never rotated"]),
    ("rekey to recipients without the caller's own", lambda t: ["secrets", "rekey", "--store",
     _store(t), "--age", create_identity_file(t / "other.txt")], 2,
     ["none of your age identities", "store.yaml", "--force"]),
    ("rotate unknown Secret", lambda t: ["secrets", "rotate", "-n", "tc", "zz", "--store",
     _store(t)], 2, ["Secret tc/zz is not in"]),
    ("rotate with unknown generator", lambda t: ["secrets", "rotate", "-n", "tc", "a", "k",
     "--generator", "nope", "--store", _store(t)], 2, ["unknown generator 'nope'"]),
    ("rotate set-by-hand key", lambda t: ["secrets", "rotate", "-n", "tc", "a", "k",
     "--store", _store(t)], 2, ["no generator is known", "--generator"]),
    ("missing key file", lambda t: ["secrets", "list", "--store", _store(t), "--age-key-file",
     str(t / "other.txt")], 2, ["the age key file", "other.txt", "cannot be used (not found)"]),
    ("wrong key file", lambda t: ["secrets", "list", "--store", _store(t), "--age-key-file",
     _other_key(t)], 2, ["no age identity opens", "other.txt (1 identity)"]),
    ("keys init into a bad path", ["keys", "init", "--key-file", "/proc/nope/keys.txt"], 2,
     ["/proc/nope/keys.txt"]),
    ("keys init over a file not UTF-8", lambda t: ["keys", "init", "--key-file", _bytes(
        t / "keys.txt", b"\xff\xfe")], 2, ["keys.txt", "holds no age identity", "not UTF-8"]),
    ("sops encrypt under a .sops.yaml not UTF-8", lambda t: ["sops", "encrypt", _sops_rules_bytes(
        t)], 2, [".sops.yaml: not UTF-8 text"]),
    # secrets init / render (Tracecat with the seed's flags, in namespace tc)
    ("init --generator without =", lambda t: ["secrets", "init", *_tc(_store(t)),
     "--generator", "hex:32"], 2, ["--generator 'hex:32'", "KEY=SPEC"]),
    ("init --generator for no required key", lambda t: ["secrets", "init", *_tc(_store(t)),
     "--generator", "apiKey=hex:32"], 2, ["--generator apiKey=", "no Secret"]),
    ("init --generator unknown", lambda t: ["secrets", "init", *_tc(_store(t)),
     "--generator", "serviceKey=bogus:1"], 2, ["unknown generator 'bogus'"]),
    ("init --generator with a literal password", lambda t: ["secrets", "init",
     *_tc(_store(t)), "--generator", "url=url:redis://:LiteralRedisPw-8080@redis:6379"], 2,
     ["--generator url=...", "literally", "url:redis://:{password:32}@redis:6379"]),
    ("rotate --generator with a literal password", lambda t: ["secrets", "rotate", "-n", "tc",
     "a", "k", "--generator", "url:redis://:LiteralRedisPw-8080@r:6379", "--store", _store(t)],
     2, ["--generator", "literally", "url:redis://:{password:32}@r:6379"]),
    ("init chart missing", lambda t: ["secrets", "init", "/no/chart", "--store", _store(t)], 2,
     ["/no/chart"]),
    ("render unknown backend", lambda t: ["secrets", "render", *_tc(_store(t)), "--as",
     "plain"], 2, ["--as 'plain'", "secret", "sealed"]),
    ("render values to stdout", lambda t: ["secrets", "render", *_tc(_filled(t)), "--as",
     "secret"], 2, ["not printing them", "--reveal", "--out"]),
    ("render flag of another backend", lambda t: ["secrets", "render", *_tc(_store(t)),
     "--as", "secret", "--cert", "c.pem"], 2, ["--cert: not used by --as secret"]),
    ("render sealed without --cert", lambda t: ["secrets", "render", *_tc(_filled(t)),
     "--as", "sealed"], 2, ["no --cert", "could not be fetched", "--cert FILE"]),
    ("render sealed bad --scope", lambda t: ["secrets", "render", *_tc(_filled(t)), "--as",
     "sealed", "--cert", "c.pem", "--scope", "galaxy"], 2, ["--scope 'galaxy'", "strict"]),
    ("render sealed cert missing", lambda t: ["secrets", "render", *_tc(_filled(t)), "--as",
     "sealed", "--cert", "/no/cert.pem"], 2, ["/no/cert.pem"]),
    ("render key not in store", lambda t: ["secrets", "render", *_tc(_store(t)), "--as",
     "secret", "--out", "s.yaml"], 2, ["no value for key", "tc/tracecat-", "secrets set"]),
    ("render --out unwritable", lambda t: ["secrets", "render", *_tc(_filled(t)), "--as",
     "secret", "--out", "/proc/nope/s.yaml"], 2, ["--out /proc/nope/s.yaml"]),
    ("render -o table", lambda t: ["secrets", "render", *_tc(_filled(t)), "--as", "secret",
     "--out", "s.yaml", "-o", "table"], 2, ["-o table"]),
    # a chart with no values.schema.json to catch it: the name a value gives the Secret
    ("init: a Secret name Kubernetes refuses", lambda t: ["secrets", "init", "rel", GLOBALS,
     "--set", "global.secretName=Prod_DB", "--store", _store(t)], 2,
     ["Secret name 'Prod_DB' is not a DNS subdomain", "named by global.secretName",
      "set global.secretName to a lowercase name"]),
    ("render: a Secret name Kubernetes refuses", lambda t: ["secrets", "render", "rel", GLOBALS,
     "--set", "global.secretName=Prod_DB", "--store", _store(t), "--as", "secret"], 2,
     ["Secret name 'Prod_DB'", "named by global.secretName"]),
]  # fmt: skip

GLOBALS = str(Path(__file__).resolve().parents[1] / "data" / "contract" / "globals")

_SEED = [
    "secrets.existingSecret=tracecat-secrets",
    "tracecat.auth.superadminEmail=admin@example.com",
    "ingress.host=tracecat.example.com",
    "externalPostgres.host=your-db-host.example.com",
    "externalPostgres.auth.existingSecret=tracecat-postgres-credentials",
    "externalRedis.auth.existingSecret=tracecat-redis-credentials",
]
_TRACECAT = Path(__file__).resolve().parents[2] / "charts" / "tracecat"


def _tc(store: str) -> list[str]:
    """Tracecat with the seed's flags in namespace tc, and the store."""
    return ["tracecat", str(_TRACECAT), "-n", "tc", *(a for s in _SEED for a in ("--set", s)),
            "--store", store]  # fmt: skip


def _filled(tmp: Path) -> str:
    """``_store`` with every key Tracecat requires (``secrets init``, user name set)."""
    store = _store(tmp)
    assert main(["secrets", "set", "-n", "tc", "tracecat-postgres-credentials", "username",
                 "--from-literal", "tracecat", "--store", store]) == 0  # fmt: skip
    assert main(["secrets", "init", *_tc(store), "--generator",
                 "url=url:redis://:{password:32}@redis:6379"]) == 0  # fmt: skip
    return store


def _plain(tmp: Path) -> str:
    path = tmp / "plain.yaml"
    path.write_text("a: 1\n")
    return str(path)


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
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(tmp_path / "keys.txt"))
    monkeypatch.chdir(tmp_path)
    argv = args(tmp_path) if callable(args) else args
    capsys.readouterr()
    assert main(list(argv)) == code  # type: ignore[arg-type]
    err = capsys.readouterr().err
    one_clear_line(err, code, words)
    assert "v-1234567890" not in err
    assert "LiteralRedisPw" not in err + capsys.readouterr().out


# (id, stdin or None, --from-file content or None, the value stored)
VALUES = [
    ("stdin: echo's newline dropped", "x\n", None, "x"),
    ("stdin: only one newline dropped", "x\n\n", None, "x\n"),
    ("stdin: no newline, kept as is", "x", None, "x"),
    ("--from-file: exact, newline kept", None, "x\n", "x\n"),
]


@pytest.mark.parametrize(
    ("stdin", "content", "stored"), [v[1:] for v in VALUES], ids=[v[0] for v in VALUES]
)
def test_set_reads_values_as_its_help_says(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    stdin: str | None,
    content: str | None,
    stored: str,
) -> None:
    import io

    from chartsafe.store.secret_store import SecretStore

    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(tmp_path / "keys.txt"))
    store = _store(tmp_path)
    source = []
    if content is not None:
        (tmp_path / "value.txt").write_text(content)
        source = ["--from-file", str(tmp_path / "value.txt")]
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin or ""))
    assert main(["secrets", "set", "-n", "tc", "a", "k2", *source, "--store", store]) == 0
    assert SecretStore.open(store).get("tc", "a", "k2") == stored
