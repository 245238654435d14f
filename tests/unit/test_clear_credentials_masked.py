"""Credentials typed in clear (--set, a plain -f file) never come back in Helm's messages.

A chart's ``required``/``fail`` message may quote any value; ``--set db.password=...`` is a
password all the same, so every command that reports Helm's messages masks values under a
credential-like key (judged as ``audit`` judges keys) and keeps the others (a hostname).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from chartsafe._helm_messages import secret_masker
from chartsafe._refs import SecretValues, UserValues
from chartsafe.cli import main

PASSWORD = "Hunter2Secret"
HOST = "db.internal.example"
TEMPLATE = (
    '{{ required (printf "pw %s bad host %s" .Values.db.password .Values.db.host) .Values.x }}\n'
)


@pytest.fixture
def chart(tmp_path: Path) -> Path:
    root = tmp_path / "req"
    (root / "templates").mkdir(parents=True)
    (root / "Chart.yaml").write_text("apiVersion: v2\nname: req\nversion: 0.1.0\n")
    (root / "templates" / "cm.yaml").write_text(TEMPLATE)
    return root


def _set(tmp_path: Path) -> list[str]:
    return ["--set", f"db.password={PASSWORD}", "--set", f"db.host={HOST}"]


def _file(tmp_path: Path) -> list[str]:
    values = tmp_path / "values.yaml"
    values.write_text(f"db:\n  password: {PASSWORD}\n  host: {HOST}\n")
    return ["-f", str(values)]


Flags = Callable[[Path], list[str]]
Command = Callable[[Path], list[str]]

COMMANDS: list[tuple[str, Command, int]] = [
    ("template", lambda c: ["template", str(c)], 2),
    ("lint", lambda c: ["lint", str(c)], 1),
    ("install --dry-run", lambda c: ["install", "x", str(c), "--dry-run", "client"], 2),
]


@pytest.mark.parametrize("flags", [_set, _file], ids=["--set", "-f plain"])
@pytest.mark.parametrize(
    ("command", "code"), [c[1:] for c in COMMANDS], ids=[c[0] for c in COMMANDS]
)
def test_clear_credential_masked(
    chart: Path,
    tmp_path: Path,
    capfd: pytest.CaptureFixture[str],
    command: Command,
    code: int,
    flags: Flags,
) -> None:
    capfd.readouterr()
    assert main([*command(chart), *flags(tmp_path)]) == code
    captured = capfd.readouterr()
    printed = captured.out + captured.err
    assert PASSWORD not in printed, printed
    assert f"pw <masked> bad host {HOST}" in printed, printed


@pytest.mark.parametrize(
    ("values", "message", "expected"),
    [
        ({"db": {"password": PASSWORD}}, f"pw {PASSWORD}", "pw <masked>"),
        ({"auth": {"apiKey": PASSWORD}}, f"key {PASSWORD}", "key <masked>"),
        ({"users": [{"token": PASSWORD}]}, f"t={PASSWORD}", "t=<masked>"),
        ({"db": {"host": HOST}}, f"host {HOST}", f"host {HOST}"),
        ({"db": {"existingSecret": "db-creds"}}, "secret db-creds", "secret db-creds"),
        ({"db": {"passwordKey": "pass-key"}}, "key pass-key", "key pass-key"),
        ({"db": {"password": "abc"}}, "pw abc", "pw abc"),  # below MIN_REDACTED_LENGTH
        ({"db": {"password": True}}, "pw true", "pw true"),
        ({"db": {"password": 12345678}}, "pw 1.2345678e+07 12345678", "pw <masked> <masked>"),
        ({"db": {"password": 1234567}}, "pw 1.234567e+06", "pw <masked>"),
        ({"db": {"password": 123456}}, "pw 123456", "pw <masked>"),
        ({"db": {"password": "ref+chartsafe://ns/s/k"}}, "ref+chartsafe://ns/s/k", None),
    ],
    ids=[
        "password", "apiKey", "in a list", "hostname", "existingSecret", "passwordKey",
        "short", "bool", "number as Go prints it", "1e+06", "six digits", "reference",
    ],
)  # fmt: skip
def test_secret_masker_clear_values(
    values: dict[str, object], message: str, expected: str | None
) -> None:
    assert secret_masker(values)(message) == (message if expected is None else expected)


def test_secret_masker_keeps_sops_secrets_and_adds_clear_ones() -> None:
    values = UserValues(
        {"boom": "sops-secret-value", "db": {"password": PASSWORD}},
        SecretValues([("boom",)], ["sops-secret-value"]),
    )
    message = f"a sops-secret-value b {PASSWORD}"
    assert secret_masker(values)(message) == "a <masked> b <masked>"
