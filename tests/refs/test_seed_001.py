"""Seed 001's inline ``--set`` option and its sub-chart credentials, with references only.

The seed passes passwords on the command line (``--set postgresql.auth.password="$(vault read
...)"``). Here every such value is a ``ref+chartsafe://`` reference into the store, so nothing
secret is on the command line, the chart still gets the real values, and no output shows them.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from refs_helpers import AgeKey

from chartsafe._render import RenderOptions, render_chart
from chartsafe._values import ValuesInput
from chartsafe.cli import main
from chartsafe.store.secret_store import SecretStore

LLMTRACE = Path(__file__).resolve().parents[2] / "charts" / "llmtrace"
STORE_VALUES = {
    ("llmtrace", "LLMTRACE_POSTGRES_URL"): "postgres://llmtrace:pgPw-9f8e7d6c@llmtrace-postgresql:5432/llmtrace",
    ("llmtrace", "LLMTRACE_REDIS_URL"): "redis://:rdPw-1a2b3c4d@llmtrace-redis-master:6379",
    ("llmtrace-postgresql", "password"): "pgPw-9f8e7d6c",
    ("llmtrace-redis", "password"): "rdPw-1a2b3c4d",
    ("llmtrace-clickhouse", "password"): "chPw-5e6f7a8b",
}  # fmt: skip
SUBCHART_SETS = [
    "postgresql.auth.password=ref+chartsafe://llmtrace/llmtrace-postgresql/password",
    "redis.auth.password=ref+chartsafe://llmtrace/llmtrace-redis/password",
    "clickhouse.auth.password=ref+chartsafe://llmtrace/llmtrace-clickhouse/password",
]
# (id, --set flags: the seed's, with references instead of values)
OPTIONS = [
    ("option 1: inline --set", [
        "secrets.postgresUrl=ref+chartsafe://llmtrace/llmtrace/LLMTRACE_POSTGRES_URL",
        "secrets.redisUrl=ref+chartsafe://llmtrace/llmtrace/LLMTRACE_REDIS_URL",
        *SUBCHART_SETS,
    ]),
    ("sub-chart credentials", [
        "secrets.create=false", "secrets.existingSecret=llmtrace-external", *SUBCHART_SETS,
    ]),
]  # fmt: skip


@pytest.fixture
def store(tmp_path: Path, age_key: AgeKey, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "store.enc.yaml"
    opened = SecretStore.create(path, recipients=age_key.recipient)
    for (secret, key), value in STORE_VALUES.items():
        opened.set("llmtrace", secret, key, value)
    opened.save()
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(age_key.path))
    return path


def _secret_texts(objects: list[Any]) -> str:
    texts = []
    for obj in objects:
        if obj.kind == "Secret":
            texts += [str(v) for v in (obj.body.get("stringData") or {}).values()]
            texts += [base64.b64decode(v).decode() for v in (obj.body.get("data") or {}).values()]
    return "\n".join(texts)


@pytest.mark.parametrize("sets", [o[1] for o in OPTIONS], ids=[o[0] for o in OPTIONS])
def test_references_reach_the_chart(store: Path, sets: list[str]) -> None:
    result = render_chart(
        LLMTRACE,
        ValuesInput(files=[LLMTRACE / "values-production.yaml"], set=sets, store=store),
        RenderOptions(release_name="llmtrace", namespace="llmtrace", validate=False),
    )
    in_secrets = _secret_texts(result.objects)
    for password in ("pgPw-9f8e7d6c", "rdPw-1a2b3c4d", "chPw-5e6f7a8b"):
        assert password in in_secrets
    inline = "secrets.create=false" not in sets
    assert (STORE_VALUES[("llmtrace", "LLMTRACE_POSTGRES_URL")] in in_secrets) is inline


@pytest.mark.parametrize("sets", [o[1] for o in OPTIONS], ids=[o[0] for o in OPTIONS])
@pytest.mark.parametrize("output", [[], ["-o", "json"]], ids=["yaml", "json"])
def test_no_resolved_value_in_template_output(
    store: Path, sets: list[str], output: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["template", "llmtrace", str(LLMTRACE), "-n", "llmtrace", "--store", str(store),
            "-f", str(LLMTRACE / "values-production.yaml"), "--no-validate", *output]  # fmt: skip
    for expression in sets:
        args += ["--set", expression]
    assert main(args) == 0
    out, err = capsys.readouterr()
    for value in STORE_VALUES.values():
        assert value not in out + err
    assert main([*args, "--reveal"]) == 0
    revealed = capsys.readouterr().out
    assert base64.b64encode(b"pgPw-9f8e7d6c").decode() in revealed or "pgPw-9f8e7d6c" in revealed
