"""No secret value in an error or a lint finding: Helm quotes values, chartsafe passes none on.

Helm's engine puts values in its messages: a template's ``fail`` message, and the offending value
of a values.schema.json pattern (``'hunter2' does not match pattern ...``). The chart in
``tests/data/leaks/chart`` does both (a reference as written passes, so ``up``, which renders
references unresolved first, reaches its render with them resolved). Each row gives it a secret
from a SOPS-encrypted ``-f`` file, a ``ref+chartsafe://`` or a ``ref+sops://`` reference and runs
a command that renders; the secret (raw, base64, JSON-escaped) must not be printed, and the error
must still be reported with the secret masked.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from chartsafe._helm_messages import redact_schema_report, secret_masker
from chartsafe._refs import SecretValues, UserValues
from chartsafe.cli import main
from chartsafe.store import create_identity_file, encrypt_file
from chartsafe.store.secret_store import SecretStore

CHART = Path(__file__).resolve().parents[1] / "data" / "leaks" / "chart"
SECRET = "PWLEAK-hunter2-xyz-4e1f"
NAMESPACE = "apps"


@dataclass
class Inputs:
    """Where the secret is kept: a SOPS values file, a token file, a store; and --out."""

    work: Path
    store: Path
    out: Path

    def flags(self, source: str, key: str) -> list[str]:
        """Value flags that give ``key`` the secret from ``source``."""
        if source == "sops -f":
            return ["-f", str(self.work / f"{key}.enc.yaml")]
        if source == "ref+chartsafe":
            return ["--set", f"{key}=ref+chartsafe://{NAMESPACE}/leaks/value"]
        return ["--set", f"{key}=ref+sops://{self.work / 'token.enc.yaml'}#/token"]


@pytest.fixture
def inputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Inputs:
    """The secret in every source; the key and the store named by the environment, as lint
    (which has no --store or --age-key-file) reads them."""
    work = tmp_path / "inputs"
    work.mkdir()
    key_file = tmp_path / "keys" / "age.txt"
    recipient = create_identity_file(key_file)
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(key_file))
    encrypt_file(work / "boom.enc.yaml", {"boom": SECRET}, recipients=recipient)
    encrypt_file(
        work / "auth.password.enc.yaml", {"auth": {"password": SECRET}}, recipients=recipient
    )
    encrypt_file(work / "token.enc.yaml", {"token": SECRET}, recipients=recipient)
    store = work / "store.enc.yaml"
    opened = SecretStore.create(store, recipients=recipient)
    opened.set(NAMESPACE, "leaks", "value", SECRET)
    opened.save()
    monkeypatch.setenv("CHARTSAFE_STORE", str(store))
    (tmp_path / "out").mkdir()
    return Inputs(work, store, tmp_path / "out")


Command = Callable[[Inputs], list[str]]

# (id, the command before the value flags, whether it renders references resolved)
COMMANDS: list[tuple[str, Command, bool]] = [
    ("template", lambda i: ["template", "leaks", str(CHART)], True),
    ("template -o json", lambda i: ["template", "leaks", str(CHART), "-o", "json"], True),
    ("lint", lambda i: ["lint", str(CHART)], True),
    ("lint -o json", lambda i: ["lint", str(CHART), "-o", "json"], True),
    ("contract", lambda i: ["contract", "leaks", str(CHART)], True),
    ("contract -o json", lambda i: ["contract", "leaks", str(CHART), "-o", "json"], True),
    # audit judges references as written, so only the SOPS file's value is there to leak
    ("audit", lambda i: ["audit", "leaks", str(CHART)], False),
    ("audit -o json", lambda i: ["audit", "leaks", str(CHART), "-o", "json"], False),
    ("up --out", lambda i: [
        "up", "leaks", str(CHART), "--store", str(i.store), "--out", str(i.out / "bundle"),
    ], True),
    ("install --dry-run", lambda i: [
        "install", "leaks", str(CHART), "--dry-run", "client", "--storage", "memory",
        "--skip-check",
    ], True),
]  # fmt: skip

SOURCES = ["sops -f", "ref+chartsafe", "ref+sops"]

# (id, values key, what the report must still say with the secret masked)
ERRORS = [
    ("fail", "boom", "bad value <masked>"),
    ("schema pattern", "auth.password", "does not match pattern"),
]


def _forms(text: str) -> list[str]:
    return [text, base64.b64encode(text.encode()).decode(), json.dumps(text)[1:-1]]


@pytest.mark.parametrize(("key", "reported"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize(
    ("command", "resolves"), [c[1:] for c in COMMANDS], ids=[c[0] for c in COMMANDS]
)
def test_no_secret_in_errors(
    inputs: Inputs, capsys: pytest.CaptureFixture[str], command: Command, resolves: bool,
    source: str, key: str, reported: str,
) -> None:  # fmt: skip
    capsys.readouterr()
    code = main([*command(inputs), *inputs.flags(source, key), "-n", NAMESPACE])
    captured = capsys.readouterr()
    printed = captured.out + captured.err
    assert [form for form in _forms(SECRET) if form in printed] == [], printed
    assert "Traceback" not in printed
    if resolves or source == "sops -f":  # the chart got the secret: it must say no
        assert code in {1, 2}, printed
        assert reported in printed, printed


def test_clear_values_stay_in_fail_messages(capsys: pytest.CaptureFixture[str]) -> None:
    """A value typed in clear with --set is the user's own text: the message keeps it."""
    code = main(["template", str(CHART), "--set", "boom=typed-in-clear"])
    assert code == 2
    assert "bad value typed-in-clear" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("report", "expected"),
    [
        (
            "- at '/auth/password': 'hunter2' does not match pattern '^x$'",
            "- at '/auth/password': the value does not match pattern '^x$'",
        ),
        (  # nested under anyOf: indented, and the keyword line names a rule, not a value
            "c:\n- at '/a': 'anyOf' failed\n  - at '/a': 'it\\'s secret' does not match pattern"
            " '^x$'\n  - at '/a': got string, want integer",
            "c:\n- at '/a': 'anyOf' failed\n  - at '/a': the value does not match pattern '^x$'"
            "\n  - at '/a': got string, want integer",
        ),
        (
            "- at '/b': 'oneOf' failed, none matched\n- at '/m': 'x@' is not valid 'email'",
            "- at '/b': 'oneOf' failed, none matched\n- at '/m': the value is not valid 'email'",
        ),
        ("- at '/n': 'not' failed", "- at '/n': 'not' failed"),
        ("icon is recommended", "icon is recommended"),
    ],
    ids=["pattern", "nested anyOf", "oneOf and format", "not", "other finding"],
)
def test_schema_report_loses_quoted_values(report: str, expected: str) -> None:
    assert redact_schema_report(report) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"boom": SECRET}, f"bad value {SECRET}"),
        (UserValues({"boom": SECRET}), f"bad value {SECRET}"),
        (UserValues({"boom": SECRET}, SecretValues([("boom",)], [SECRET])), "bad value <masked>"),
    ],
    ids=["plain dict", "no secrets", "secret"],
)
def test_secret_masker(values: dict[str, object], expected: str) -> None:
    assert secret_masker(values)(f"bad value {SECRET}") == expected


def test_lint_go_log_has_no_secret(inputs: Inputs, capfd: pytest.CaptureFixture[str]) -> None:
    """What Go's own logger writes to fd 2 below chartsafe's output (chartsafe._go_log)."""
    capfd.readouterr()
    main(["lint", str(CHART), *inputs.flags("sops -f", "boom")])
    captured = capfd.readouterr()
    assert SECRET not in captured.out + captured.err
