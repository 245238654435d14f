"""``secrets init`` fills the store entries that ``ref+chartsafe://`` references point at.

Seed 001's inline option with references only, on an empty store: the sub-chart passwords are
generated, the PostgreSQL URL (it needs a host and a user) is not invented but named with the
line that sets it, a second run changes nothing, and ``template`` then renders with them.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from refs_helpers import AgeKey

from chartsafe._refs import parse_reference
from chartsafe.cli import main
from chartsafe.contract._declared import DeclaredKey, DeclaredSecret
from chartsafe.store.secret_init_refs import wanted_for_refs
from chartsafe.store.secret_store import SecretStore

LLMTRACE = Path(__file__).resolve().parents[2] / "charts" / "llmtrace"
REFS = {
    "secrets.postgresUrl": "ref+chartsafe://llmtrace/llmtrace/LLMTRACE_POSTGRES_URL",
    "postgresql.auth.password": "ref+chartsafe://llmtrace/llmtrace-postgresql/password",
    "redis.auth.password": "ref+chartsafe://llmtrace/llmtrace-redis/password",
    "clickhouse.auth.password": "ref+chartsafe://llmtrace/llmtrace-clickhouse/password",
}
PASSWORDS = [("llmtrace-postgresql", "password"), ("llmtrace-redis", "password"),
             ("llmtrace-clickhouse", "password")]  # fmt: skip
URL_GENERATOR = (
    "LLMTRACE_POSTGRES_URL=url:postgres://llmtrace:{llmtrace-postgresql/password}"
    "@llmtrace-postgresql:5432/llmtrace"
)


def _flags(store: Path) -> list[str]:
    flags = [
        "-n",
        "llmtrace",
        "-f",
        str(LLMTRACE / "values-production.yaml"),
        "--store",
        str(store),
    ]
    for path, ref in REFS.items():
        flags += ["--set", f"{path}={ref}"]
    return flags


def _init(capsys: pytest.CaptureFixture[str], store: Path, key: AgeKey, *more: str) -> Any:
    code = main(["secrets", "init", "llmtrace", str(LLMTRACE), *_flags(store),
                 "--age", key.recipient, "-o", "json", *more])  # fmt: skip
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def test_init_generates_referenced_entries_once(
    tmp_path: Path, age_key: AgeKey, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(age_key.path))
    store = tmp_path / "store.enc.yaml"

    # 1. Empty store: the passwords are made; the URL is named, not invented.
    code, report, err = _init(capsys, store, age_key)
    assert code == 1
    added = {(e["secret"], e["key"]): e for e in report["references"]["added"]}
    assert sorted(added) == sorted(PASSWORDS)
    assert {e["valuesPath"] for e in added.values()} == set(REFS) - {"secrets.postgresUrl"}
    [missing] = report["references"]["missing"]
    assert (missing["valuesPath"], missing["format"]) == (
        "secrets.postgresUrl", "url:postgres|postgresql",  # the chart's declared format
    )  # fmt: skip
    assert missing["command"].startswith("chartsafe secrets set -n llmtrace llmtrace ")
    opened = SecretStore.open(store, key_file=age_key.path)
    assert opened.get("llmtrace", "llmtrace", "LLMTRACE_POSTGRES_URL") is None
    passwords = {s: opened.get("llmtrace", s, k) for s, k in PASSWORDS}
    assert all(v and len(v) >= 16 for v in passwords.values())
    main(["secrets", "init", "llmtrace", str(LLMTRACE), *_flags(store), "--age", age_key.recipient])
    out, err = capsys.readouterr()
    assert "secrets.postgresUrl" in err and "chartsafe secrets set -n llmtrace llmtrace" in err
    assert "--generator" in err
    for value in passwords.values():
        assert value not in out + err

    # 2. The URL composed from the generated password, as the user asks with --generator.
    code, report, _ = _init(capsys, store, age_key, "--generator", URL_GENERATOR)
    assert code == 0, report
    assert [e["key"] for e in report["references"]["added"]] == ["LLMTRACE_POSTGRES_URL"]
    url = SecretStore.open(store, key_file=age_key.path).get(
        "llmtrace", "llmtrace", "LLMTRACE_POSTGRES_URL"
    )
    assert url == (
        f"postgres://llmtrace:{passwords['llmtrace-postgresql']}@llmtrace-postgresql:5432/llmtrace"
    )

    # 3. Again: nothing added, the store file not rewritten.
    before = store.read_bytes()
    code, report, _ = _init(capsys, store, age_key, "--generator", URL_GENERATOR)
    assert code == 0 and not report["written"] and not report["references"]["added"]
    assert len(report["references"]["kept"]) == len(REFS)
    assert store.read_bytes() == before

    # 4. template with the same flags renders with the store's values (shown only on --reveal).
    args = ["template", "llmtrace", str(LLMTRACE), *_flags(store), "--no-validate"]
    assert main(args) == 0
    masked = capsys.readouterr().out
    assert main([*args, "--reveal"]) == 0
    revealed = capsys.readouterr().out
    for value in [*passwords.values(), url]:
        encoded = base64.b64encode(value.encode()).decode()
        assert value not in masked and encoded not in masked
        assert value in revealed or encoded in revealed


def _declared(secret: str, key: str, fmt: str, values_path: str = "") -> DeclaredSecret:
    return DeclaredSecret(
        names=[] if values_path else [secret],
        values_paths=[values_path] if values_path else [],
        keys={key: DeclaredKey(key, fmt)},
    )


# (id, values path, reference, declarations, values, expected format, expected spec)
FORMATS = [
    ("declared by Secret name", "a.token", "ref+chartsafe://ns/api/token",
     [_declared("api", "token", "hex:32")], {}, "hex:32", "hex:32"),
    ("declared by values path", "a.b", "ref+chartsafe://ns/ext/key",
     [_declared("x", "key", "fernet", "app.existingSecret")], {"app": {"existingSecret": "ext"}},
     "fernet", "fernet"),
    ("declared key name, other Secret", "a.b", "ref+chartsafe://ns/other/LLM_URL",
     [_declared("api", "LLM_URL", "url:redis")], {}, "url:redis", None),
    ("key name", "a.b", "ref+chartsafe://ns/db/password", [], {}, "password", "password"),
    ("values key name", "db.adminPassword", "ref+chartsafe://ns/db/admin", [], {},
     "password", "password"),
    ("nothing says", "a.b", "ref+chartsafe://ns/vendor/apiKey", [], {}, "unknown", None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("where", "ref", "declarations", "values", "fmt", "spec"),
    [f[1:] for f in FORMATS],
    ids=[f[0] for f in FORMATS],
)
def test_format_of_a_referenced_entry(
    where: str, ref: str, declarations: list[DeclaredSecret], values: dict[str, Any],
    fmt: str, spec: str | None,
) -> None:  # fmt: skip
    path = tuple(where.split("."))
    [entry] = wanted_for_refs(
        [(path, parse_reference(ref))], declarations=declarations, values=values
    )
    assert entry.wanted.format == fmt
    assert (None if entry.wanted.spec is None else str(entry.wanted.spec)) == spec


def test_up_fills_referenced_entries_and_renders_them_resolved(
    tmp_path: Path, age_key: AgeKey, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """``up`` is ``secrets init`` and the rest: referenced entries are made, never remade."""
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(age_key.path))
    store, bundle = tmp_path / "store.enc.yaml", tmp_path / "bundle"
    args = ["up", "llmtrace", str(LLMTRACE), *_flags(store), "--age", age_key.recipient,
            "--out", str(bundle)]  # fmt: skip

    # 1. The passwords are made; the URL is named with its secrets set line; nothing installed.
    assert main(args) == 1
    out, err = capsys.readouterr()
    assert "chartsafe secrets set -n llmtrace llmtrace LLMTRACE_POSTGRES_URL" in err
    opened = SecretStore.open(store, key_file=age_key.path)
    passwords = {s: opened.get("llmtrace", s, k) for s, k in PASSWORDS}
    assert all(v and len(v) >= 16 for v in passwords.values())
    assert not (bundle / "manifests.yaml").exists()

    # 2. With the URL's generator: done, the passwords kept, the bundle rendered resolved.
    assert main([*args, "--generator", URL_GENERATOR]) == 0
    out, err = capsys.readouterr()
    again = SecretStore.open(store, key_file=age_key.path)
    assert {s: again.get("llmtrace", s, k) for s, k in PASSWORDS} == passwords
    url = again.get("llmtrace", "llmtrace", "LLMTRACE_POSTGRES_URL")
    assert url and passwords["llmtrace-postgresql"] in url
    written = "".join(p.read_text() for p in bundle.iterdir() if p.is_file())
    assert "ref+chartsafe://" not in written  # every reference resolved in what is deployed
    for value in [*passwords.values(), url]:
        assert value not in out + err

    # 3. Again: the store file is not rewritten.
    before = store.read_bytes()
    assert main([*args, "--generator", URL_GENERATOR]) == 0
    assert "store unchanged" in capsys.readouterr().err
    assert store.read_bytes() == before


def test_up_on_a_new_store_resolves_references_in_one_run(
    tmp_path: Path, age_key: AgeKey, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """The store ``up`` creates is the one the references are read from, in the same run."""
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(age_key.path))
    store, bundle = tmp_path / "new.enc.yaml", tmp_path / "bundle"
    assert not store.exists()
    code = main(["up", "llmtrace", str(LLMTRACE), *_flags(store), "--age", age_key.recipient,
                 "--out", str(bundle), "--generator", URL_GENERATOR])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 0, err
    written = "".join(p.read_text() for p in bundle.iterdir() if p.is_file())
    assert "ref+chartsafe://" not in written


FRACTAL = LLMTRACE.parent / "fractal-lba"
PUBLIC_KEY = ("pcs-ed25519-agent-secret", "PCS_ED25519_PUB_B64")


def test_a_reference_to_a_key_this_run_made_counts_it_as_added(
    tmp_path: Path, age_key: AgeKey, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """The contract's fill makes the agent's key pair, whose public half a value refers to:
    on a new store the reference's entry was made by this run, not "already in" the store."""
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(age_key.path))
    store = tmp_path / "fl.enc.yaml"
    args = ["secrets", "init", "fl", str(FRACTAL), "-n", "fl", "-f",
            str(FRACTAL / "values-ed25519.yaml"), "--set",
            f"signing.ed25519.publicKey=ref+chartsafe://fl/{'/'.join(PUBLIC_KEY)}",
            "--set", "agent.enabled=true", "--set", "agent.image.repository=x/agent",
            "--set-string", "agent.image.tag=1", "--store", str(store),
            "--age", age_key.recipient]  # fmt: skip
    assert main([*args, "-o", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [(e["secret"], e["key"]) for e in report["references"]["added"]] == [PUBLIC_KEY]
    assert report["references"]["kept"] == []
    assert main(args) == 0  # again, in text: now it was there before, counted once
    err = capsys.readouterr().err
    assert f"kept {len(report['added'])} key(s) already in" in err
    store.unlink()
    assert main(args) == 0  # a new store, in text: nothing kept, the key said once
    out, err = capsys.readouterr()
    assert "kept 0 key(s)" in err
    assert out.count(PUBLIC_KEY[1]) == 1


@pytest.mark.parametrize("store_exists", [False, True], ids=["new store", "existing store"])
def test_a_dry_run_resolves_references_to_what_it_generated_and_saves_nothing(
    tmp_path: Path, age_key: AgeKey, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], store_exists: bool,
) -> None:  # fmt: skip
    """``up --dry-run client``: the referenced entries are generated in memory and the render
    reads them (nothing left unresolved), while the store file is neither created nor
    changed. Before, the dry run wrote the store."""
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(age_key.path))
    store = tmp_path / "dry.enc.yaml"
    if store_exists:
        opened = SecretStore.create(store, recipients=age_key.recipient)
        opened.set("llmtrace", "other", "token", "kept-as-it-was")
        opened.save()
    before = store.read_bytes() if store_exists else None
    files = sorted(tmp_path.rglob("*"))
    code = main(["up", "llmtrace", str(LLMTRACE), *_flags(store), "--age", age_key.recipient,
                 "--generator", URL_GENERATOR, "--dry-run", "client", "--storage", "memory",
                 "-o", "json"])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "not saved (dry run)" in err
    result = json.loads(out)
    assert result["store"]["written"] is False
    assert "llmtrace/llmtrace/LLMTRACE_POSTGRES_URL" in result["store"]["added"]
    assert (store.read_bytes() if store.exists() else None) == before
    assert sorted(tmp_path.rglob("*")) == files


def test_up_counts_a_key_this_run_made_once(
    tmp_path: Path, age_key: AgeKey, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """As secrets init: the agent's public key, made by the contract's fill and referred to
    by a value, is one key generated, none kept, on a new store; then one kept."""
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(age_key.path))
    store = tmp_path / "fl.enc.yaml"
    args = ["up", "fl", str(FRACTAL), "-n", "fl", "-f", str(FRACTAL / "values-ed25519.yaml"),
            "--set", f"signing.ed25519.publicKey=ref+chartsafe://fl/{'/'.join(PUBLIC_KEY)}",
            "--set", "agent.enabled=true", "--set", "agent.image.repository=x/agent",
            "--set-string", "agent.image.tag=1", "--store", str(store),
            "--age", age_key.recipient, "-o", "json"]  # fmt: skip
    assert main([*args, "--out", str(tmp_path / "one")]) == 0
    first = json.loads(capsys.readouterr().out)["store"]
    assert first["added"].count("fl/" + "/".join(PUBLIC_KEY)) == 1
    assert first["kept"] == []
    assert main([*args, "--out", str(tmp_path / "two")]) == 0
    second = json.loads(capsys.readouterr().out)["store"]
    assert sorted(second["kept"]) == sorted(first["added"])
