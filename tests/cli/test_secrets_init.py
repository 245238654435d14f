"""``chartsafe secrets init`` through the CLI: Tracecat with the seed's flags, idempotence
(20 runs change no byte), the ``secrets set`` lines for keys no generator makes, hidden prompts
on a terminal, and progress when many keys are generated."""

from __future__ import annotations

import base64
import getpass
import io
import json
import re
import stat
from pathlib import Path

import pytest
from secrets_flow import DOCKER, REDIS, TYPED, run, sets, tracecat_args, values_of

from chartsafe.store import create_identity_file


@pytest.fixture
def key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "keys.txt"
    create_identity_file(path)
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(path))
    monkeypatch.chdir(tmp_path)
    return path


def _recipient(key_file: Path) -> str:
    return create_identity_file(key_file, exist_ok=True)


def test_tracecat_init_then_set_then_20_idempotent_runs(
    tmp_path: Path, key_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "secrets.sops.yaml"
    init = ["secrets", "init", *tracecat_args(store, "--generator", REDIS)]
    code, out, err = run(capsys, *init, "--age", _recipient(key_file))
    assert code == 1  # the database user name is no generator's to invent
    assert f"  chartsafe secrets set -n tracecat tracecat-postgres-credentials username " \
           f"--store {store}\n" in err  # fmt: skip
    added = re.findall(r"^added: tracecat/(\S+) (\S+) ", out, re.M)
    assert sorted(added) == [
        ("tracecat-postgres-credentials", "password"),
        ("tracecat-redis-credentials", "url"),
        ("tracecat-secrets", "dbEncryptionKey"),
        ("tracecat-secrets", "serviceKey"),
        ("tracecat-secrets", "signingSecret"),
        ("tracecat-secrets", "userAuthSecret"),
    ]
    assert stat.S_IMODE(store.stat().st_mode) == 0o600
    code, _, _ = run(capsys, "secrets", "set", "-n", "tracecat", "tracecat-postgres-credentials",
                     "username", "--from-literal", "tracecat", "--store", str(store))  # fmt: skip
    assert code == 0
    code, out, _ = run(capsys, *init, "-o", "json")
    report = json.loads(out)
    assert code == 0 and report["added"] == [] and report["missing"] == []
    assert len(report["kept"]) == 7 and report["written"] is False

    values = values_of(store, key_file)
    core = {k: v for (_, s, k), v in values.items() if s == "tracecat-secrets"}
    assert len(base64.urlsafe_b64decode(core["dbEncryptionKey"])) == 32
    hexes = [core[k] for k in ("serviceKey", "signingSecret", "userAuthSecret")]
    assert all(re.fullmatch(r"[0-9a-f]{64}", value) for value in hexes)
    assert len(set(hexes)) == 3, "each hex key has its own value"
    assert re.fullmatch(
        r"redis://:[A-Za-z0-9]{32}@your-redis-host\.example\.com:6379",
        values[("tracecat", "tracecat-redis-credentials", "url")],
    )

    before = store.read_bytes()
    for _ in range(20):
        code, out, _ = run(capsys, *init)
        assert code == 0 and "added:" not in out
        assert store.read_bytes() == before
    assert values_of(store, key_file) == values


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_keys_no_generator_makes_are_asked_for_on_a_terminal(
    tmp_path: Path,
    key_file: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    prompts: list[str] = []

    def typed(prompt: str = "") -> str:
        prompts.append(prompt)
        return "vendor-token-0123456789"

    monkeypatch.setattr("sys.stdin", _Terminal())
    monkeypatch.setattr(getpass, "getpass", typed)
    store = tmp_path / "s.yaml"
    code, out, err = run(capsys, "secrets", "init", "web", str(TYPED), "-n", "web",
                         "--store", str(store), "--age", _recipient(key_file),
                         "--generator", DOCKER)  # fmt: skip
    assert code == 0
    assert prompts[0].startswith("Value for web/app-credentials apiToken (the vendor's API token)")
    assert len(prompts) == 2  # typed twice
    assert values_of(store, key_file)[("web", "app-credentials", "apiToken")] == (
        "vendor-token-0123456789"
    )
    assert "added: web/app-credentials apiToken (entered)" in out
    assert "vendor-token-0123456789" not in out + err


def test_without_a_terminal_the_set_lines_are_printed_and_json_lists_them(
    tmp_path: Path, key_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "s.yaml"
    code, out, _ = run(capsys, "secrets", "init", "web", str(TYPED), "-n", "web", "--store",
                       str(store), "--age", _recipient(key_file), "--generator", DOCKER,
                       "-o", "json")  # fmt: skip
    report = json.loads(out)
    assert code == 1
    assert [(m["secret"], m["key"], m["command"]) for m in report["missing"]] == [
        ("app-credentials", "apiToken",
         f"chartsafe secrets set -n web app-credentials apiToken --store {store}"),
    ]  # fmt: skip
    # what could be generated was saved anyway
    assert ("web", "regcred", ".dockerconfigjson") in values_of(store, key_file)


@pytest.mark.parametrize(("many", "shown"), [(True, True), (False, False)])
def test_progress_is_shown_when_many_keys_are_generated(
    many: bool, shown: bool, tmp_path: Path, key_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "s.yaml"
    code, _, err = run(capsys, "secrets", "init", "web", str(TYPED), "-n", "web", "--store",
                       str(store), "--age", _recipient(key_file), "--generator", DOCKER,
                       *sets([f"many={str(many).lower()}"]))  # fmt: skip
    assert code == 1
    counts = re.findall(r"^generated (\d+)/(\d+) keys$", err, re.M)
    assert bool(counts) is shown
    if shown:
        done, total = counts[-1]
        assert done == total and int(total) >= 24 and len(counts) >= 5
