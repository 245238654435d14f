"""No resolved value in any output without ``--reveal``: every command that takes value flags.

Each row runs one command through the CLI on the leak chart (``leak_helpers``): values from a
SOPS ``-f`` file and from ``ref+chartsafe://`` and ``ref+sops://`` references, copied by the chart
into a Secret, a ConfigMap, an env literal and NOTES.txt. No secret (raw, base64, JSON-escaped)
may appear in stdout, stderr, or a file the command writes for people to read. Files written to
be applied (a bundle's manifests, rendered Secrets) must hold the values to work: those must be
0600. Where the command has ``--reveal``, revealing shows the value, so the test can fail.

Release commands talk to the release tests' loopback fake API, which holds the deployed
revision (other secret values) with the secret values paths recorded as ``install`` records
them; install and upgrade run as a client dry run with memory storage.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from leak_helpers import LEAK, FakeApi, Sources, forms, kubeconfig_for, leak_record, serving
from refs_helpers import AgeKey

from chartsafe.cli import main
from chartsafe.store import encrypt_file
from chartsafe.store.secret_store import SecretStore

NEW = Sources(
    password="pw-from-sops-file-3c1d9e",
    endpoint="endpoint-from-store-7b2a4f.internal",
    token="tok-from-sops-ref-5e8f0a",
)
DEPLOYED = Sources(
    password="pw-deployed-earlier-11aa",
    endpoint="endpoint-deployed-earlier-22bb.internal",
    token="tok-deployed-earlier-33cc",
)
API_KEY = "api-key-in-store-44dd55ee"
NAMESPACE = "apps"
#: Files written to be applied: they carry values by design, and must be 0600.
APPLIED = {"manifests.yaml", "secrets.yaml", "secrets-out.yaml"}


@dataclass
class Setup:
    work: Path
    store: Path
    key: AgeKey
    out: Path
    kubeconfig: Path
    against: Path

    def values(self) -> list[str]:
        return [
            "-f", str(self.work / "secret-values.enc.yaml"),
            "--set", "config.endpoint=ref+chartsafe://apps/leak-app/endpoint",
            "--set", f"app.token=ref+sops://{self.work / 'token.enc.yaml'}#/token",
            "-n", NAMESPACE,
        ]  # fmt: skip

    def chart(self, *command: str) -> list[str]:
        return [*command, "leak", str(LEAK), *self.values()]

    def refs(self) -> list[str]:
        """The store and key named by flags, not the environment (install, upgrade, diff)."""
        return ["--store", str(self.store), "--age-key-file", str(self.key.path)]

    def cluster(self) -> list[str]:
        return ["--kubeconfig", str(self.kubeconfig)]


@pytest.fixture
def fake_release() -> Iterator[FakeApi]:
    with serving(FakeApi(records=[leak_record("leak", NAMESPACE, 1, DEPLOYED)])) as api:
        yield api


@pytest.fixture
def setup(
    tmp_path: Path, age_key: AgeKey, monkeypatch: pytest.MonkeyPatch, fake_release: FakeApi
) -> Setup:
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(age_key.path))
    work = tmp_path / "inputs"
    work.mkdir()
    encrypt_file(work / "secret-values.enc.yaml", {"db": {"password": NEW.password}},
                 recipients=age_key.recipient)  # fmt: skip
    encrypt_file(work / "token.enc.yaml", {"token": NEW.token}, recipients=age_key.recipient)
    store = work / "store.enc.yaml"
    opened = SecretStore.create(store, recipients=age_key.recipient)
    opened.set(NAMESPACE, "leak-app", "endpoint", NEW.endpoint)
    opened.set(NAMESPACE, "leak-external", "apiKey", API_KEY)
    opened.save()
    monkeypatch.setenv("CHARTSAFE_STORE", str(store))
    against = work / "cluster-secrets.yaml"
    against.write_text(yaml.safe_dump({
        "apiVersion": "v1", "kind": "Secret",
        "metadata": {"name": "leak-external", "namespace": NAMESPACE},
        "stringData": {"apiKey": API_KEY},
    }))  # fmt: skip
    kubeconfig = kubeconfig_for(fake_release.server, work / "kubeconfig", namespace=NAMESPACE)
    (tmp_path / "out").mkdir()
    return Setup(work, store, age_key, tmp_path / "out", kubeconfig, against)


Args = Callable[[Setup], list[str]]
DRY = ["--dry-run", "client", "--storage", "memory"]

# (id, command line, exit codes that are fine, has --reveal, secrets that must not show)
COMMANDS: list[tuple[str, Args, set[int], bool, list[Sources]]] = [
    ("template", lambda s: s.chart("template"), {0}, True, [NEW]),
    ("template -o json", lambda s: [*s.chart("template"), "-o", "json"], {0}, True, [NEW]),
    ("contract", lambda s: s.chart("contract"), {0}, False, [NEW]),
    ("contract -o json", lambda s: [*s.chart("contract"), "-o", "json"], {0}, False, [NEW]),
    ("check", lambda s: [*s.chart("check"), "--against", str(s.against)], {0}, False, [NEW]),
    ("check -o json", lambda s: [*s.chart("check"), "--against", str(s.against), "-o", "json"],
     {0}, False, [NEW]),
    ("install --dry-run", lambda s: [*s.chart("install"), *DRY, "--skip-check", *s.refs()],
     {0}, False, [NEW]),
    ("install --dry-run -o json",
     lambda s: [*s.chart("install"), *DRY, "--skip-check", "-o", "json"], {0}, False, [NEW]),
    ("upgrade --install --dry-run",
     lambda s: [*s.chart("upgrade"), "--install", *DRY, "--skip-check"], {0}, False, [NEW]),
    ("diff upgrade", lambda s: [*s.chart("diff", "upgrade"), *s.cluster(), *s.refs()], {0},
     False, [NEW, DEPLOYED]),
    ("diff upgrade -o json",
     lambda s: [*s.chart("diff", "upgrade"), *s.cluster(), "-o", "json"], {0}, False,
     [NEW, DEPLOYED]),
    ("up --dry-run", lambda s: [*s.chart("up"), "--store", str(s.store), *DRY], {0}, False,
     [NEW]),
    ("up --out", lambda s: [*s.chart("up"), "--store", str(s.store), "--out", str(s.out)],
     {0}, False, [NEW]),
    ("up --out, no chart Secret", lambda s: [
        *s.chart("up"), "--set", "db.create=false", "--store", str(s.store), "--out", str(s.out),
    ], {0}, False, [NEW]),
    ("up --out -o json",
     lambda s: [*s.chart("up"), "--store", str(s.store), "--out", str(s.out), "-o", "json"],
     {0}, False, [NEW]),
    ("secrets init", lambda s: [*s.chart("secrets", "init"), "--store", str(s.store)], {0},
     False, [NEW]),
    ("secrets init -o json",
     lambda s: [*s.chart("secrets", "init"), "--store", str(s.store), "-o", "json"], {0},
     False, [NEW]),
    ("secrets render", lambda s: [
        *s.chart("secrets", "render"), "--store", str(s.store), "--as", "secret",
        "--out", str(s.out / "secrets-out.yaml"), "--values-out", str(s.out / "values.yaml"),
    ], {0}, False, [NEW]),
    ("get values", lambda s: ["get", "values", "leak", "-n", NAMESPACE, *s.cluster()], {0}, True,
     [DEPLOYED]),
    ("get values --all -o json",
     lambda s: ["get", "values", "leak", "-n", NAMESPACE, *s.cluster(), "--all", "-o", "json"],
     {0}, True, [DEPLOYED]),
    ("status", lambda s: ["status", "leak", "-n", NAMESPACE, *s.cluster()], {0}, False,
     [DEPLOYED]),
    ("status -o json", lambda s: ["status", "leak", "-n", NAMESPACE, *s.cluster(), "-o", "json"],
     {0}, False, [DEPLOYED]),
    ("history", lambda s: ["history", "leak", "-n", NAMESPACE, *s.cluster()], {0}, False,
     [DEPLOYED]),
    # audit renders references unresolved but decrypts the SOPS -f file: its findings
    # name values paths and places, never what is there
    ("audit", lambda s: [*s.chart("audit"), "--profile", "production"], {0, 1}, False, [NEW]),
    ("audit -o json", lambda s: [*s.chart("audit"), "--profile", "production", "-o", "json"],
     {0, 1}, False, [NEW]),
    ("audit -o sarif", lambda s: [*s.chart("audit"), "--profile", "production", "-o", "sarif"],
     {0, 1}, False, [NEW]),
]  # fmt: skip


def _run(capsys: pytest.CaptureFixture[str], args: list[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _leaks(text: str, sides: list[Sources]) -> list[str]:
    return [form for side in sides for s in side.texts() for form in forms(s) if form in text]


@pytest.mark.parametrize(
    ("args", "codes", "has_reveal", "sides"),
    [c[1:] for c in COMMANDS],
    ids=[c[0] for c in COMMANDS],
)
def test_no_resolved_value_without_reveal(
    setup: Setup, capsys: pytest.CaptureFixture[str], args: Args, codes: set[int],
    has_reveal: bool, sides: list[Sources],
) -> None:  # fmt: skip
    code, printed = _run(capsys, args(setup))
    assert code in codes, printed
    assert _leaks(printed, sides) == [], printed
    for path in sorted(setup.out.rglob("*")) if setup.out.exists() else []:
        if not path.is_file():
            continue
        found = _leaks(path.read_text(), sides)
        if path.name in APPLIED:
            assert not found or stat.S_IMODE(path.stat().st_mode) == 0o600, path
        else:
            assert found == [], f"{path.name}: {found}"
    if has_reveal:
        code, revealed = _run(capsys, [*args(setup), "--reveal"])
        assert code in codes, revealed
        assert all(_leaks(revealed, [side]) for side in sides), revealed


def test_the_table_covers_every_command_with_value_flags() -> None:
    names = {c[0].split(" -")[0].split(" --")[0] for c in COMMANDS}
    wanted = {"template", "contract", "check", "audit", "install", "upgrade", "diff upgrade",
              "up", "secrets init", "secrets render", "get values", "status",
              "history"}  # fmt: skip
    assert wanted <= names
    assert os.sep  # the table above is the whole contract of this module
