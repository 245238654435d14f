"""Every ``chartsafe secrets``/``keys`` subcommand, and no value in anything they print."""

from __future__ import annotations

import base64
import json
import re
import stat
from pathlib import Path

import pytest
from secrets_flow import REDIS, SEED, TRACECAT, sets

from chartsafe.cli import main
from chartsafe.store import create_identity_file
from chartsafe.store.secret_store import SecretStore

SEALED_CERT = (
    Path(__file__).resolve().parents[3] / "shared/vectors/sealed/generated/rsa2048.cert.pem"
)


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A key file found through SOPS_AGE_KEY_FILE, its recipient, and a store path."""
    key_file = tmp_path / "keys.txt"
    recipient = create_identity_file(key_file)
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(key_file))
    monkeypatch.chdir(tmp_path)
    return {"recipient": recipient, "store": str(tmp_path / "store.yaml"), "key": str(key_file)}


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _values(path: str, key_file: str) -> list[str]:
    store = SecretStore.open(path, key_file=key_file)
    found = []
    infos = store.keys()
    for info in infos:
        found.append(store.get(info.namespace, info.secret, info.key) or "")
        previous = store.previous(info.namespace, info.secret, info.key)
        found += [previous] if previous else []
        found += store.parts(info.namespace, info.secret, info.key).values()
    return [value for value in found if len(value) >= 8]


def test_no_subcommand_prints_a_value(
    env: dict[str, str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store, rec = env["store"], env["recipient"]
    secret_file = tmp_path / "cert.pem"
    secret_file.write_text("file-value-0123456789\n")
    outputs: list[str] = []
    tracecat = ["tracecat", str(TRACECAT), "-n", "tc", *sets(SEED), "--store", store]
    runs = [
        ["keys", "init", "--key-file", str(tmp_path / "second.txt")],
        ["keys", "init", "--key-file", str(tmp_path / "second.txt"), "-o", "json"],
        ["secrets", "set", "-n", "tc", "tc-pg", "password", "--from-literal",
         "literal-value-0123456789", "--store", store, "--age", rec],
        ["secrets", "set", "-n", "tc", "tc-tls", "tls.crt", "--from-file", str(secret_file),
         "--store", store, "-o", "json"],
        ["secrets", "set", "-n", "tc", "tc-secrets", "serviceKey", "--from-literal",
         "0" * 64, "--format", "hex:32", "--store", store],
        ["secrets", "list", "--store", store],
        ["secrets", "list", "--store", store, "-n", "tc", "-o", "json"],
        ["secrets", "rotate", "-n", "tc", "tc-secrets", "serviceKey", "--store", store],
        ["secrets", "rotate", "-n", "tc", "tc-pg", "--generator", "password:24",
         "--store", store, "-o", "json"],
        ["secrets", "rekey", "--store", store, "--age", rec],
        ["secrets", "rekey", "--store", store, "--age", rec, "-o", "json"],
        ["secrets", "get", "-n", "tc", "tc-pg", "password", "--store", store],  # no --reveal
        ["secrets", "get", "-n", "tc", "tc-pg", "nokey", "--store", store, "--reveal"],
        ["secrets", "rotate", "-n", "tc", "tc-tls", "--store", store],  # set by hand: refused
        # init and render on tracecat with the seed's flags, in namespace tc
        ["secrets", "init", *tracecat, "--generator", REDIS],  # username missing: exit 1
        ["secrets", "set", "-n", "tc", "tracecat-postgres-credentials", "username",
         "--from-literal", "db-user-0123456789", "--store", store],
        ["secrets", "init", *tracecat, "-o", "json"],
        ["secrets", "render", *tracecat, "--as", "secret", "--out", str(tmp_path / "s.yaml"),
         "--values-out", str(tmp_path / "o.yaml")],
        ["secrets", "render", *tracecat, "--as", "secret", "--out", str(tmp_path / "s.yaml"),
         "-o", "json"],
        ["secrets", "render", *tracecat, "--as", "sealed", "--cert", str(SEALED_CERT)],
        ["secrets", "render", *tracecat, "--as", "secret"],  # no --out, no --reveal: refused
    ]  # fmt: skip
    codes = []
    for args in runs:
        code, text = _run(capsys, *args)
        codes.append(code)
        outputs.append(text)
    assert codes == [0] * 11 + [2, 2, 2] + [1, 0, 0, 0, 0, 0, 2]
    values = [*_values(store, env["key"]), "literal-value-0123456789", "file-value-0123456789"]
    assert len(values) >= 13
    for args, text in zip(runs, outputs, strict=True):
        for value in values:
            assert value not in text, f"{args[:2]} printed a value"
            assert base64.b64encode(value.encode()).decode() not in text, f"{args[:2]}: base64"
    assert stat.S_IMODE(Path(store).stat().st_mode) == 0o600


def test_get_reveal_prints_exactly_the_value(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    store = env["store"]
    _run(capsys, "secrets", "set", "-n", "tc", "a", "k", "--from-literal", "v1-abcdefgh",
         "--store", store, "--age", env["recipient"])  # fmt: skip
    _run(capsys, "secrets", "rotate", "-n", "tc", "a", "k", "--generator", "hex:16",
         "--store", store)  # fmt: skip
    code, out = _run(capsys, "secrets", "get", "-n", "tc", "a", "k", "--store", store, "--reveal")
    assert code == 0 and re.fullmatch(r"[0-9a-f]{32}", out)
    code, out = _run(capsys, "secrets", "get", "-n", "tc", "a", "k", "--store", store,
                     "--reveal", "--previous")  # fmt: skip
    assert code == 0 and out == "v1-abcdefgh"


@pytest.mark.parametrize(
    ("flags", "stored"),
    [
        ([], "piped-value-123"),  # as $(...) would: the one newline `echo` adds goes
        (["--from-file", "-"], "piped-value-123\n"),  # exactly, as --from-file FILE
    ],
    ids=["no flag", "--from-file -"],
)
def test_set_reads_stdin_when_not_a_tty(
    env: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    flags: list[str],
    stored: str,
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"piped-value-123\n")))
    code, _ = _run(capsys, "secrets", "set", "-n", "tc", "a", "k", *flags,
                   "--store", env["store"], "--age", env["recipient"])  # fmt: skip
    assert code == 0
    store = SecretStore.open(env["store"], key_file=env["key"])
    assert store.get("tc", "a", "k") == stored


def test_list_json_shape(env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    _run(capsys, "secrets", "set", "-n", "tc", "a", "k", "--from-literal", "v-abcdefghij",
         "--format", "password", "--store", env["store"], "--age", env["recipient"])  # fmt: skip
    code, out = _run(capsys, "secrets", "list", "--store", env["store"], "-o", "json")
    listing = json.loads(out)
    assert code == 0 and [(e["secret"], e["key"], e["format"]) for e in listing] == [
        ("a", "k", "password")
    ]


def test_keys_init_writes_where_sops_looks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    code, _ = _run(capsys, "keys", "init")
    key_file = tmp_path / "cfg" / "sops" / "age" / "keys.txt"
    assert code == 0 and stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert main(["keys", "init"]) == 0
    out = capsys.readouterr().out
    assert re.fullmatch(r"age1[0-9a-z]{58}\n", out)
    assert "AGE-SECRET-KEY" not in out
