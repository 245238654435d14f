"""A value sealed now by @linode/kubeseal-encrypt (WebCrypto, run with node) opens with our code.

The package is installed into .npm-peers/ by scripts/npm-peers.sh (run by .ci/run).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from sealed_helpers import GENERATED, private_key

from chartsafe.deliver.sealed_crypto import Scope, UnsealError, label_for, unseal_value

ROOT = Path(__file__).resolve().parents[2]
PEERS = ROOT / ".npm-peers"
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed on this machine")

_SCRIPT = """
const { encryptSecretItem } = require(process.argv[1]);
const fs = require("fs");
encryptSecretItem(fs.readFileSync(process.argv[2], "utf8"), process.argv[3], process.argv[4])
  .then((sealed) => process.stdout.write(sealed));
"""


def _npm_seal(key: str, namespace: str, value: str) -> str:
    package = PEERS / "node_modules" / "@linode" / "kubeseal-encrypt"
    assert package.is_dir(), "run `bash scripts/npm-peers.sh` first (.ci/run does)"
    done = subprocess.run(
        [NODE or "node", "-e", _SCRIPT, str(package), str(GENERATED / f"{key}.pub.spki.pem"),
         namespace, value],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    return done.stdout.strip()


@pytest.mark.parametrize("key", ["rsa2048", "rsa4096"])
@pytest.mark.parametrize("value", ["from-node-at-test-time", "pässwörd with spaces"])
def test_npm_sealed_value_opens_namespace_wide(key: str, value: str) -> None:
    sealed = _npm_seal(key, "tracecat", value)
    label = label_for(Scope.namespace_wide, "tracecat", "any-name")
    assert unseal_value([private_key(key)], sealed, label, where="npm") == value.encode()
    for wrong in (
        label_for(Scope.namespace_wide, "other", ""),
        label_for(Scope.strict, "tracecat", "any-name"),
        label_for(Scope.cluster_wide, "", ""),
    ):
        with pytest.raises(UnsealError):
            unseal_value([private_key(key)], sealed, wrong, where="npm")
