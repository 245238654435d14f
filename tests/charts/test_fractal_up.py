"""fractal-lba through `chartsafe up`: QA's command lines, run through the CLI.

TLS (values-tls.yaml) mounts Secret backend-tls-secret whole at /etc/tls and names the files
it reads in its env (TLS_CERT_FILE, TLS_KEY_FILE, TLS_CA_FILE): the contract takes those as
the Secret's keys, so `secrets init` fills them and `up` delivers them; before, init reported
nothing missing and up stopped on "its keys are unknown".

Ed25519 (values-ed25519.yaml): the backend reads ConfigMap pcs-ed25519-config. The chart
creates it from signing.ed25519.publicKey; without that value the render fails and says how
to give it, instead of `up` reporting "contract met" for a backend that cannot start.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from chart_render import CHARTS
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from chartsafe.cli import main
from chartsafe.store import create_identity_file

CHART = CHARTS / "fractal-lba"
NS = "fl"
AGENT = ["--set", "agent.enabled=true", "--set", "agent.image.repository=x/agent"]
AGENT += ["--set-string", "agent.image.tag=1"]
PUBLIC_REF = "ref+chartsafe://fl/pcs-ed25519-agent-secret/PCS_ED25519_PUB_B64"
TLS_KEYS = {"ca.crt", "tls.crt", "tls.key"}


def files(*names: str) -> list[str]:
    return [arg for name in names for arg in ("-f", str(CHART / f"values-{name}.yaml"))]


@pytest.fixture
def recipient(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """An age identity in tmp_path, where sops and chartsafe look for it."""
    key_file = tmp_path / "age.txt"
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(key_file))
    monkeypatch.delenv("SOPS_AGE_KEY", raising=False)
    monkeypatch.delenv("CHARTSAFE_STORE", raising=False)
    monkeypatch.chdir(tmp_path)
    return create_identity_file(key_file)


def up(store: Path, out: Path, *values: str) -> int:
    return main(["up", "fl", str(CHART), "-n", NS, *values, "--store", str(store),
                 "--out", str(out)])  # fmt: skip


def bundle(out: Path, name: str) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all((out / name).read_text()) if d]


def delivered(out: Path, secret: str) -> dict[str, str]:
    (found,) = [d for d in bundle(out, "secrets.yaml") if d["metadata"]["name"] == secret]
    return {k: base64.b64decode(v).decode() for k, v in found["data"].items()}


def assert_tls_pair(keys: dict[str, str]) -> None:
    """The delivered certificate, its key and the CA that signed it belong together."""
    assert set(keys) == TLS_KEYS
    cert = x509.load_pem_x509_certificate(keys["tls.crt"].encode())
    key = serialization.load_pem_private_key(keys["tls.key"].encode(), password=None)
    raw = serialization.PublicFormat.SubjectPublicKeyInfo
    pem = serialization.Encoding.PEM
    assert cert.public_key().public_bytes(pem, raw) == key.public_key().public_bytes(pem, raw)
    ca = x509.load_pem_x509_certificate(keys["ca.crt"].encode())
    assert cert.issuer == ca.subject


# QA's TLS command lines: values-tls alone with hmac, and the README's combination.
TLS_PROFILES = [
    ("hmac-tls", ["hmac", "tls"], []),
    (
        "readme-combination",
        ["hmac", "metrics-auth", "redis", "postgres", "tls"],
        [("metrics-auth-secret", "METRICS_USER", "ops"),
         ("postgres-conn-secret", "POSTGRES_CONN", "host=fl-postgresql port=5432 user=fractal "
          "password=pw dbname=fractal_lba sslmode=disable")],
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "profiles", "by_hand"), TLS_PROFILES, ids=[c[0] for c in TLS_PROFILES]
)
def test_tls_secret_mounted_whole_is_filled_and_delivered(
    case: str,
    profiles: list[str],
    by_hand: list[tuple[str, str, str]],
    recipient: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store = tmp_path / "s.sops.yaml"
    init = ["secrets", "init", "fl", str(CHART), "-n", NS, *files(*profiles)]
    init += ["--store", str(store), "--age", recipient, "-o", "json"]
    # exit 1 only for the keys a person must give (a user name, a libpq string), named below
    assert main(init) == (1 if by_hand else 0)
    report = json.loads(capsys.readouterr().out)
    added = {(a["secret"], a["key"]) for a in report["added"]}
    assert {("backend-tls-secret", key) for key in TLS_KEYS} <= added
    assert {(m["secret"], m["key"]) for m in report["missing"]} == {(s, k) for s, k, _ in by_hand}

    for secret, key, value in by_hand:
        set_key = ["secrets", "set", "-n", NS, secret, key, "--from-literal", value]
        assert main([*set_key, "--store", str(store)]) == 0
    out = tmp_path / "b"
    assert up(store, out, *files(*profiles)) == 0, capsys.readouterr().err
    assert "contract met" in capsys.readouterr().err
    assert_tls_pair(delivered(out, "backend-tls-secret"))


def test_ed25519_without_public_key_stops_before_anything_is_written(
    recipient: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """QA's line: nothing would create pcs-ed25519-config, so it is no "contract met"."""
    store, out = tmp_path / "fle2.sops.yaml", tmp_path / "b-fle2"
    assert up(store, out, *files("ed25519"), *AGENT, "--age", recipient) == 2
    err = capsys.readouterr().err
    assert "contract met" not in err
    (line,) = [x for x in err.splitlines() if x.startswith("chartsafe: error:")]
    for words in ("signing.ed25519.publicKey", "ConfigMap pcs-ed25519-config", PUBLIC_REF,
                  "signing.ed25519.existingConfigMap"):  # fmt: skip
        assert words in line
    assert not store.exists() and not out.exists()


def test_ed25519_public_half_from_the_store_verifies_the_agents_signatures(
    recipient: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With the reference, the chart's ConfigMap holds the public half of the generated pair."""
    store, out = tmp_path / "fle2.sops.yaml", tmp_path / "b-fle2"
    values = [*files("ed25519"), *AGENT, "--set", f"signing.ed25519.publicKey={PUBLIC_REF}"]
    init = ["secrets", "init", "fl", str(CHART), "-n", NS, *values, "--store", str(store)]
    assert main([*init, "--age", recipient]) == 0, capsys.readouterr().err
    assert up(store, out, *values) == 0, capsys.readouterr().err
    assert "contract met" in capsys.readouterr().err

    (config,) = [d for d in bundle(out, "manifests.yaml") if d["kind"] == "ConfigMap"]
    assert config["metadata"]["name"] == "pcs-ed25519-config"
    public = config["data"]["PCS_ED25519_PUB_B64"]
    private = delivered(out, "pcs-ed25519-agent-secret")["PCS_ED25519_PRIV_B64"]
    signer = Ed25519PrivateKey.from_private_bytes(base64.b64decode(private))
    verifier = Ed25519PublicKey.from_public_bytes(base64.b64decode(public))
    verifier.verify(signer.sign(b"pcs"), b"pcs")  # raises InvalidSignature if not a pair
