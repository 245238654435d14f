"""llmtrace's README, "Delivering the credentials": every chartsafe command there, run as written.

The commands are read from the README's bash blocks, so the documented flow cannot drift from
what works: the store is filled once, the proxy's URLs are made from the stored sub-chart
passwords, and each delivery (external, sealed, plain Secret) carries the four keys. Only
paths change: the store and output files go to a temporary folder, ``cert.pem`` is the test
vectors' controller certificate, and ``install`` runs with ``--dry-run client``.
"""

from __future__ import annotations

import base64
import shlex
import stat
import urllib.parse
from pathlib import Path

import pytest
import yaml

from chartsafe.cli import main
from chartsafe.store import create_identity_file
from chartsafe.store.secret_store import SecretStore

REPO = Path(__file__).resolve().parents[2]
README = REPO / "charts" / "llmtrace" / "README.md"
CERT = REPO.parent / "shared" / "vectors" / "sealed" / "generated" / "rsa2048.cert.pem"
KEYS = ["LLMTRACE_CLICKHOUSE_DATABASE", "LLMTRACE_CLICKHOUSE_URL", "LLMTRACE_POSTGRES_URL",
        "LLMTRACE_REDIS_URL"]  # fmt: skip


def _commands() -> list[str]:
    """The chartsafe lines of the delivery section's bash blocks, continuations joined."""
    text = README.read_text().split("## Delivering the credentials", 1)[1].split("\n## ", 1)[0]
    found = []
    for block in text.split("```bash\n")[1:]:
        body = block.split("```", 1)[0].replace("\\\n", " ")
        found += [line for line in body.splitlines() if line.startswith(("chartsafe ", "export"))]
    return found


def test_the_readme_shows_every_delivery() -> None:
    commands = _commands()
    assert commands[0] == "export CHARTSAFE_STORE=llmtrace.sops.yaml"
    assert [c.split()[1:3] for c in commands[1:]] == [
        ["secrets", "init"], ["secrets", "set"], ["secrets", "init"], ["install", "llmtrace"],
        ["secrets", "render"], ["secrets", "render"], ["secrets", "render"],
    ]  # fmt: skip


def test_the_readme_flow_delivers_the_four_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    key_file = tmp_path / "keys.txt"
    recipient = create_identity_file(key_file)
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(key_file))
    monkeypatch.chdir(REPO)  # the README's chart paths are relative to the checkout
    outputs, printed = [], ""
    for command in _commands():
        if command.startswith("export "):
            monkeypatch.setenv("CHARTSAFE_STORE", str(tmp_path / command.split("=", 1)[1]))
            continue
        args = shlex.split(command.replace('"$AGE_RECIPIENT"', recipient))[1:]
        args = [str(CERT) if a == "cert.pem" else a for a in args]
        if "--out" in args:
            index = args.index("--out") + 1
            args[index] = str(tmp_path / args[index])
            outputs.append(Path(args[index]))
        if args[0] == "install":
            args += ["--dry-run", "client", "--storage", "memory"]
        code = main(args)
        out, err = capsys.readouterr()
        assert code == 0, f"{command}\n{err}"
        printed += out + err
    store = SecretStore.open(tmp_path / "llmtrace.sops.yaml")
    proxy = store.secret("llmtrace", "llmtrace")
    assert sorted(proxy) == KEYS
    password = urllib.parse.quote(store.get("llmtrace", "llmtrace-postgresql", "password") or "",
                                  safe="")  # fmt: skip
    assert proxy["LLMTRACE_POSTGRES_URL"] == (
        f"postgres://llmtrace:{password}@llmtrace-postgresql:5432/llmtrace"
    )
    external, sealed, plain = ([d for d in yaml.safe_load_all(p.read_text()) if d]
                               for p in outputs)  # fmt: skip
    (eso,) = [d for d in external if d["kind"] == "ExternalSecret"]
    assert eso["apiVersion"] == "external-secrets.io/v1"
    assert eso["spec"]["target"]["name"] == "llmtrace"
    assert eso["spec"]["secretStoreRef"]["name"] == "llmtrace-store"
    (sealed_secret,) = [d for d in sealed if d["kind"] == "SealedSecret"]
    assert sorted(sealed_secret["spec"]["encryptedData"]) == KEYS
    (secret,) = [d for d in plain if d["kind"] == "Secret"]
    assert {k: base64.b64decode(v).decode() for k, v in secret["data"].items()} == proxy
    assert stat.S_IMODE(outputs[2].stat().st_mode) == 0o600
    passwords = [store.get("llmtrace", f"llmtrace-{sub}", key) or "" for sub, key in
                 (("postgresql", "password"), ("redis", "redis-password"),
                  ("clickhouse", "password"))]  # fmt: skip
    for text in (printed, *(p.read_text() for p in outputs[:2])):  # no password readable
        assert all(len(p) >= 16 and p not in text for p in passwords)
        assert all(urllib.parse.quote(p, safe="") not in text for p in passwords)
