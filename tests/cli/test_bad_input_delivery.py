"""Bad input to ``secrets render --as external|aws`` and ``secrets push``: one line naming the
flag, exit 2, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from bad_input import one_clear_line

from chartsafe.cli import main
from chartsafe.store import create_identity_file

CHART = str(Path(__file__).resolve().parents[2] / "charts" / "tracecat")
SEED = ["secrets.existingSecret=tracecat-secrets", "tracecat.auth.superadminEmail=a@example.com",
        "ingress.host=tc.example.com", "externalPostgres.host=db.example.com",
        "externalPostgres.auth.existingSecret=tracecat-postgres-credentials",
        "externalRedis.auth.existingSecret=tracecat-redis-credentials"]  # fmt: skip


def _store(tmp: Path) -> list[str]:
    """A store with one key of the three Secrets Tracecat needs, and the flags to open it."""
    recipient = create_identity_file(tmp / "keys.txt", exist_ok=True)
    store = str(tmp / "store.yaml")
    if not (tmp / "store.yaml").exists():
        argv = ["secrets", "set", "-n", "tracecat", "tracecat-secrets", "serviceKey",
                "--from-literal", "v-1234567890", "--store", store, "--age", recipient]  # fmt: skip
        assert main(argv) == 0
    return ["--store", store, "--age-key-file", str(tmp / "keys.txt")]


#: A chart that needs no Secret: a render writes an empty file, whatever the store holds.
READER = Path(__file__).resolve().parents[1] / "data" / "check" / "configmap-reader"


def _render(*extra: str) -> object:
    sets = [f for item in SEED for f in ("--set", item)]
    return lambda t: ["secrets", "render", "tracecat", CHART, "-n", "tracecat", *sets,
                      *_store(t), *extra]  # fmt: skip


def _push(*extra: str) -> object:
    sets = [f for item in SEED for f in ("--set", item)]
    return lambda t: ["secrets", "push", "tracecat", CHART, "-n", "tracecat", *sets,
                      *_store(t), *extra]  # fmt: skip


# (id, args builder, exit code, words the message must contain)
CASES: list[tuple[str, object, int, list[str]]] = [
    ("external without --store-ref", _render("--as", "external"), 2,
     ["--as external needs --store-ref"]),
    ("bad --refresh-interval", _render("--as", "external", "--store-ref", "s",
     "--refresh-interval", "hourly"), 2, ["--refresh-interval 'hourly'", "duration"]),
    ("bad --creation-policy", _render("--as", "external", "--store-ref", "s",
     "--creation-policy", "Always"), 2, ["--creation-policy 'Always'", "Owner"]),
    ("Delete without Owner", _render("--as", "external", "--store-ref", "s",
     "--deletion-policy", "Delete", "--creation-policy", "Orphan"), 2,
     ["--deletion-policy Delete needs --creation-policy Owner"]),
    ("bad --store-kind", _render("--as", "external", "--store-ref", "s", "--store-kind",
     "Vault"), 2, ["--store-kind 'Vault'"]),
    ("bad --provider", _render("--as", "external", "--store-ref", "s", "--provider", "ibm"), 2,
     ["--provider 'ibm'", "aws, gcp, azure, vault"]),
    ("bad --store-setting", _render("--as", "external", "--store-ref", "s", "--with-store",
     "--store-setting", "colour=blue"), 2, ["--store-setting 'colour=blue'", "NAME=VALUE"]),
    ("store lacks what --with-store needs", _render("--as", "external", "--store-ref", "s",
     "--provider", "gcp", "--with-store"), 2, ["provider gcp", "project=ID"]),
    ("bad --prefix for azure", _render("--as", "external", "--store-ref", "s", "--provider",
     "azure", "--prefix", "prod/"), 2, ["--prefix 'prod/'", "azure"]),
    ("flag aws does not read", _render("--as", "aws", "--provider", "gcp"), 2,
     ["--provider: not used by --as aws"]),
    ("--out into a folder that is not there", lambda t: [
        "secrets", "render", "r", str(READER), *_store(t), "--as", "secret",
        "--out", "/nonexistent/dir/es.yaml"], 2,
     ["--out /nonexistent/dir/es.yaml: its folder /nonexistent/dir does not exist",
      "mkdir -p /nonexistent/dir"]),
    ("push to an unknown target", _push("--to", "gcp"), 2, ["--to 'gcp' is not a push target"]),
    ("push with keys missing from the store", _push("--to", "aws", "--region", "us-east-1"), 2,
     ["no value for key dbEncryptionKey", "tracecat/tracecat-secrets", "secrets set"]),
]  # fmt: skip


@pytest.mark.parametrize(("args", "code", "words"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])  # fmt: skip
def test_bad_input_gets_one_clear_line(
    args: object, code: int, words: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = args(tmp_path) if callable(args) else args
    assert main(list(argv)) == code  # type: ignore[arg-type]
    err = capsys.readouterr().err
    one_clear_line(err, code, words)
    assert "v-1234567890" not in err
