"""``chartsafe check --against DIR`` on charts/tracecat with the seed's install flags.

Issue 7's first "done when": an empty directory lists every missing Secret and key with its
fix; after ``secrets init`` + ``secrets render --as secret`` into the directory it passes;
deleting one key fails naming it; a placeholder (or otherwise implausible) value is caught,
and no value is ever printed.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from check_helpers import (  # noqa: F401 (fixtures, used by name)
    REQUIRED,
    delivered_fixture,
    delivered_once_fixture,
    documents,
    run,
    store_values,
    tracecat,
    write_documents,
)


def test_empty_directory_lists_every_missing_secret_and_key_with_its_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "check", *tracecat("--against", str(tmp_path), "-o", "json"))
    report = json.loads(out)
    assert code == 1 and report["ok"] is False
    missing = [(s["name"], k["key"]) for s in report["secrets"] for k in s["keys"]
               if k["status"] == "missing"]  # fmt: skip
    assert sorted(missing) == REQUIRED
    assert {s["status"] for s in report["secrets"]} == {"missing"}
    fixes = {(s["name"], k["key"]): k["fix"] for s in report["secrets"] for k in s["keys"]}
    init = "chartsafe secrets init tracecat"
    assert fixes[("tracecat-secrets", "serviceKey")].startswith(init)
    assert fixes[("tracecat-secrets", "dbEncryptionKey")].startswith(init)
    assert fixes[("tracecat-postgres-credentials", "username")] == (
        "chartsafe secrets set -n tracecat tracecat-postgres-credentials username "
        "--store $CHARTSAFE_STORE"
    )
    paths = {s["name"]: s["fix"][-1] for s in report["secrets"]}
    assert "--set externalRedis.auth.existingSecret=NAME" in paths["tracecat-redis-credentials"]
    assert report["deliver"].endswith(f"--out {tmp_path / 'tracecat-secrets.yaml'}")

    code, text, _ = run(capsys, "check", *tracecat("--against", str(tmp_path)))
    assert code == 1
    for secret, key in REQUIRED:
        assert f"GAP Secret tracecat/{secret}: MISSING" in text
        assert f"      {key}  MISSING  [" in text
    assert "fix: chartsafe secrets set -n tracecat tracecat-redis-credentials url" in text
    assert text.rstrip().endswith(
        f"contract not met: 7 gaps for release tracecat against {tmp_path}"
    )


def test_secrets_from_init_and_render_pass(
    delivered: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "check", *tracecat("--against", str(delivered), "-o", "json"))
    report = json.loads(out)
    assert code == 0, out + err
    statuses = {(s["name"], k["key"]): k["status"] for s in report["secrets"] for k in s["keys"]}
    assert statuses == dict.fromkeys(REQUIRED, "present")
    assert report["deliver"] is None
    code, text, err = run(capsys, "check", *tracecat("--against", str(delivered / "secrets.yaml")))
    assert code == 0, err
    assert "contract met: 3 required Secrets of release tracecat" in text
    for value in store_values(delivered):
        assert value not in out + text


@pytest.mark.parametrize(("secret", "key"), REQUIRED, ids=lambda x: str(x))
def test_deleting_one_key_fails_naming_it(
    delivered: Path, capsys: pytest.CaptureFixture[str], secret: str, key: str
) -> None:
    path = delivered / "secrets.yaml"
    docs = documents(path)
    for doc in docs:
        if doc["metadata"]["name"] == secret:
            for field in ("data", "stringData"):
                (doc.get(field) or {}).pop(key, None)
    write_documents(path, docs)
    code, out, _ = run(capsys, "check", *tracecat("--against", str(delivered)))
    assert code == 1
    gaps = [line for line in out.splitlines() if "MISSING" in line]
    assert gaps == [f"      {key}  MISSING  [" + gaps[0].split("[", 1)[1]]
    assert f"GAP Secret tracecat/{secret}: found as Secret" in out
    assert "contract not met: 1 gap for release tracecat" in out


# (Secret, key, value put in its place, words the reason must contain)
BAD_VALUES = [
    ("tracecat-postgres-credentials", "password", "changeme", "placeholder"),
    ("tracecat-postgres-credentials", "password", "strong-password-here", "placeholder"),
    ("tracecat-postgres-credentials", "username", "CHANGE_ME", "placeholder"),
    ("tracecat-secrets", "userAuthSecret", "your-secret-key-here", "placeholder"),
    ("tracecat-secrets", "signingSecret", "s3cret", "placeholder"),
    ("tracecat-secrets", "serviceKey", "0" * 64, "repeated"),
    ("tracecat-secrets", "serviceKey", "ab12" * 8, "32 hex digits, 64 expected"),
    ("tracecat-secrets", "serviceKey", "g" + "a1" * 31 + "b", "not hexadecimal"),
    ("tracecat-secrets", "dbEncryptionKey", base64.urlsafe_b64encode(b"k" * 16).decode(),
     "not a Fernet key: 16 bytes, 32 expected"),
    ("tracecat-redis-credentials", "url", "your-redis-host.example.com:6379", "placeholder"),
    ("tracecat-redis-credentials", "url", "cache.internal:6379", "no scheme"),
    ("tracecat-redis-credentials", "url", "https://cache.internal:6379", "expected redis://"),
    ("tracecat-secrets", "serviceKey", "", "EMPTY"),
]  # fmt: skip


@pytest.mark.parametrize(("secret", "key", "value", "words"), BAD_VALUES,
                         ids=[f"{b[1]}={b[2][:12]}" for b in BAD_VALUES])  # fmt: skip
def test_implausible_value_is_caught_and_never_printed(
    delivered: Path,
    capsys: pytest.CaptureFixture[str],
    secret: str,
    key: str,
    value: str,
    words: str,
) -> None:
    path = delivered / "secrets.yaml"
    docs = documents(path)
    for doc in docs:
        if doc["metadata"]["name"] == secret:
            doc.setdefault("stringData", {})[key] = value
            (doc.get("data") or {}).pop(key, None)
    write_documents(path, docs)
    code, out, err = run(capsys, "check", *tracecat("--against", str(delivered)))
    assert code == 1
    line = next(line for line in out.splitlines() if line.startswith(f"      {key}  "))
    assert words in line
    assert "IMPLAUSIBLE" in line or words == "EMPTY"
    assert f"fix: chartsafe secrets set -n tracecat {secret} {key}" in out
    code, as_json, _ = run(capsys, "check", *tracecat("--against", str(delivered), "-o", "json"))
    assert code == 1
    for shown in (out, err, as_json):
        if value:
            assert value not in shown
        for other in store_values(delivered):
            assert other not in shown
