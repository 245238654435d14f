"""Fractal LBA (issue 11): `secrets init` on the ed25519 profile makes a real key pair.

The chart declares the agent's private key as `ed25519-private-key-b64`; the store keeps the
public half with it (the backend's ConfigMap value). A signature made with the stored private
half verifies with the stored public half.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from chart_render import CHARTS
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from chartsafe import RenderOptions, ValuesInput
from chartsafe.cli import main
from chartsafe.contract import contract_for_chart
from chartsafe.store import create_identity_file, find_identities
from chartsafe.store.secret_store import SecretStore

CHART = CHARTS / "fractal-lba"
NS, SECRET, KEY = "fractal-lba", "pcs-ed25519-agent-secret", "PCS_ED25519_PRIV_B64"
# The agent (which holds the private key) is off by default: it has no published image.
# The backend's ConfigMap is made by the chart from the public half, a store reference.
PUBLIC = f"signing.ed25519.publicKey=ref+chartsafe://{NS}/{SECRET}/PCS_ED25519_PUB_B64"
AGENT = [
    "agent.enabled=true",
    "agent.image.repository=registry.example.com/fractal-agent",
    PUBLIC,
]


def test_ed25519_profile_init_makes_a_pair_that_signs_and_verifies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract, _ = contract_for_chart(
        CHART,
        ValuesInput(files=[CHART / "values-ed25519.yaml"], set=AGENT, resolve_refs=False),
        RenderOptions(release_name="fractal-lba", namespace=NS, validate=False),
    )
    secret = contract.get(SECRET, NS)
    assert secret is not None and secret.required
    assert secret.keys[KEY].format == "ed25519-private-key-b64"

    key_file = tmp_path / "age.txt"
    recipient = create_identity_file(key_file)
    path = tmp_path / "store.yaml"
    args = ["secrets", "init", "fractal-lba", str(CHART), "-n", NS]
    args += ["-f", str(CHART / "values-ed25519.yaml"), *(a for s in AGENT for a in ("--set", s))]
    args += ["--store", str(path), "--age", recipient, "-o", "json"]
    assert main(args) == 0  # the profile asks for nothing a generator cannot make
    added = json.loads(capsys.readouterr().out)["added"]
    assert any(a["secret"] == SECRET and a["key"] == KEY for a in added), added

    reopened = SecretStore.open(path, identities=find_identities(key_file))
    private_b64 = reopened.get(NS, SECRET, KEY)
    public_b64 = reopened.parts(NS, SECRET, KEY)["public"]
    # the key the reference names is that same public half, not a second pair
    assert reopened.get(NS, SECRET, "PCS_ED25519_PUB_B64") == public_b64
    assert private_b64 and len(base64.b64decode(private_b64)) == 32
    assert len(base64.b64decode(public_b64)) == 32

    private = Ed25519PrivateKey.from_private_bytes(base64.b64decode(private_b64))
    public = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_b64))
    message = b"pcs payload"
    public.verify(private.sign(message), message)  # raises InvalidSignature if not a pair
