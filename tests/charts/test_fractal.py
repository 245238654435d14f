"""fractal-lba: signing keys and metrics auth (seed 003), who reads which key.

HMAC: one Secret (PCS_HMAC_KEY) read by backend and agent. Ed25519: the public key in a
ConfigMap for the backend, the private key in a Secret for the agent only. Metrics Basic
Auth: one Secret read by the backend and by the ServiceMonitor.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from chart_render import CHARTS, Rendered, render, render_error
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

CHART = "fractal-lba"
NAME = "fractal-lba"
FILES = CHARTS / CHART
HMAC, ED25519 = FILES / "values-hmac.yaml", FILES / "values-ed25519.yaml"
METRICS = FILES / "values-metrics-auth.yaml"
AGENT = ["agent.enabled=true", "agent.image.repository=registry.example.com/fractal-agent"]


def run(*files: Any, sets: list[str] | tuple[str, ...] = ()) -> Rendered:
    return render(CHART, *files, set=list(sets), name=NAME, namespace=NAME)


def workload(r: Rendered, component: str) -> dict[str, Any]:
    (found,) = [
        o
        for o in r.all("Deployment") + r.all("StatefulSet")
        if o["metadata"]["name"] == f"{NAME}-{component}"
    ]
    return found


def container(r: Rendered, component: str) -> dict[str, Any]:
    spec = workload(r, component)["spec"]["template"]["spec"]
    (c,) = [c for c in spec["containers"] if c["name"] == component]
    return c


def env(r: Rendered, component: str) -> dict[str, Any]:
    return {e["name"]: e.get("value", e.get("valueFrom")) for e in container(r, component)["env"]}


def env_from(r: Rendered, component: str) -> list[tuple[str, str]]:
    """(secret|configMap, name) of each envFrom source."""
    out = []
    for src in container(r, component).get("envFrom", []):
        kind = "secret" if "secretRef" in src else "configMap"
        out.append((kind, src.get("secretRef", src.get("configMapRef"))["name"]))
    return out


def secrets_read(r: Rendered, component: str) -> set[str]:
    """Every Secret the component's pod can read: envFrom, secretKeyRef and volumes."""
    spec = workload(r, component)["spec"]["template"]["spec"]
    names = {n for k, n in env_from(r, component) if k == "secret"}
    for c in spec["containers"] + spec.get("initContainers", []):
        for e in c.get("env", []):
            if "secretKeyRef" in e.get("valueFrom", {}):
                names.add(e["valueFrom"]["secretKeyRef"]["name"])
    names |= {v["secret"]["secretName"] for v in spec.get("volumes", []) if "secret" in v}
    return names


def decoded(secret: dict[str, Any]) -> dict[str, str]:
    return {k: base64.b64decode(v).decode() for k, v in secret["data"].items()}


# (values file, --set, Secret both components read)
HMAC_SOURCES = [
    ("existing-secret", [HMAC], [], "pcs-hmac-secret"),
    ("key-via-set", [], ["signing.hmac.key=" + "ab" * 32], f"{NAME}-hmac"),
]


@pytest.mark.parametrize(("case", "files", "sets", "secret"), HMAC_SOURCES, ids=lambda x: x)
def test_hmac_key_shared_by_backend_and_agent(
    case: str, files: list[Any], sets: list[str], secret: str
) -> None:
    r = run(*files, sets=[*sets, *AGENT])
    for component in ("backend", "agent"):
        assert env(r, component)["PCS_SIGN_ALG"] == "hmac"
        assert ("secret", secret) in env_from(r, component)
        assert "PCS_HMAC_KEY" not in env(r, component)  # only from the Secret
    if case == "key-via-set":
        assert decoded(r.get("Secret", secret)) == {"PCS_HMAC_KEY": "ab" * 32}
    else:
        assert secret not in r.names("Secret")


def test_seed_envfrom_lines_are_not_duplicated() -> None:
    r = run(HMAC, sets=AGENT)
    assert env_from(r, "backend") == [("secret", "pcs-hmac-secret")]


# (case, --set besides the agent's, whether the chart renders the seed's ConfigMap)
ED25519_PUBLIC_KEYS = [
    ("public-key-value", ["signing.ed25519.publicKey=" + "A" * 43 + "="], True),
    ("configmap-you-create", ["signing.ed25519.existingConfigMap=pcs-ed25519-config"], False),
]


@pytest.mark.parametrize(("case", "sets", "made"), ED25519_PUBLIC_KEYS, ids=lambda x: x)
def test_ed25519_file_public_key_for_backend_private_for_agent(
    case: str, sets: list[str], made: bool
) -> None:
    r = run(ED25519, sets=[*sets, *AGENT])
    assert env(r, "backend")["PCS_SIGN_ALG"] == env(r, "agent")["PCS_SIGN_ALG"] == "ed25519"
    assert env_from(r, "backend") == [("configMap", "pcs-ed25519-config")]
    assert env_from(r, "agent") == [("secret", "pcs-ed25519-agent-secret")]
    assert "pcs-ed25519-agent-secret" not in secrets_read(r, "backend")
    # The backend's ConfigMap is the seed's name, created by the chart from the value or not at all.
    if made:
        data = r.get("ConfigMap", "pcs-ed25519-config")["data"]
        assert data == {"PCS_ED25519_PUB_B64": "A" * 43 + "="}
    else:
        assert "pcs-ed25519-config" not in r.names("ConfigMap")


def keypair() -> tuple[ed25519.Ed25519PrivateKey, str, str]:
    """A key pair as the seed's script prints it: base64 of the raw 32 bytes each."""
    private = ed25519.Ed25519PrivateKey.generate()
    raw_private = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    raw_public = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return private, base64.b64encode(raw_private).decode(), base64.b64encode(raw_public).decode()


def test_ed25519_pair_from_values_verifies_and_private_stays_with_the_agent() -> None:
    _, private_b64, public_b64 = keypair()
    r = run(
        sets=[
            "backend.env.PCS_SIGN_ALG=ed25519",
            f"signing.ed25519.publicKey={public_b64}",
            f"signing.ed25519.agentPrivateKey={private_b64}",
            *AGENT,
        ]
    )
    public = r.get("ConfigMap", f"{NAME}-ed25519")["data"]["PCS_ED25519_PUB_B64"]
    assert len(public) == 44 and len(base64.b64decode(public)) == 32
    agent_secret = decoded(r.get("Secret", f"{NAME}-ed25519-agent"))["PCS_ED25519_PRIV_B64"]
    # The agent signs with its Secret's key; the backend verifies with the ConfigMap's key.
    signer = ed25519.Ed25519PrivateKey.from_private_bytes(base64.b64decode(agent_secret))
    verifier = ed25519.Ed25519PublicKey.from_public_bytes(base64.b64decode(public))
    verifier.verify(signer.sign(b"pcs"), b"pcs")
    assert env_from(r, "backend") == [("configMap", f"{NAME}-ed25519")]
    assert env_from(r, "agent") == [("secret", f"{NAME}-ed25519-agent")]
    backend = json.dumps(workload(r, "backend"))
    assert f"{NAME}-ed25519-agent" not in backend
    assert private_b64 not in backend


def test_ed25519_without_agent_renders_no_private_key() -> None:
    _, private_b64, public_b64 = keypair()
    r = run(
        sets=[
            "backend.env.PCS_SIGN_ALG=ed25519",
            f"signing.ed25519.publicKey={public_b64}",
            f"signing.ed25519.agentPrivateKey={private_b64}",
        ]
    )
    assert r.all("Secret") == []


# (case, values files, --set, words of the one-line error)
FAILURES = [
    ("hmac-without-key", [], [], ["PCS_SIGN_ALG=hmac", "signing.hmac.existingSecret"]),
    (
        "ed25519-without-public-key",
        [],
        ["backend.env.PCS_SIGN_ALG=ed25519"],
        ["signing.ed25519.existingConfigMap", "signing.ed25519.publicKey"],
    ),
    (  # the seed's file names the ConfigMap; without the key nothing would create it
        "ed25519-file-without-public-key",
        [ED25519],
        AGENT,
        [
            "signing.ed25519.publicKey",
            "ConfigMap pcs-ed25519-config",
            "pcs-ed25519-agent-secret/PCS_ED25519_PUB_B64",
            "signing.ed25519.existingConfigMap",
        ],
    ),
    (
        "ed25519-agent-without-private-key",
        [],
        ["backend.env.PCS_SIGN_ALG=ed25519", "signing.ed25519.publicKey=x", *AGENT],
        ["signing.ed25519.agentExistingSecret"],
    ),
    (
        "private-key-secret-in-backend-envfrom",
        [ED25519],
        [
            "signing.ed25519.publicKey=x",
            "backend.envFrom[0].secretRef.name=pcs-ed25519-agent-secret",
        ],
        ["pcs-ed25519-agent-secret", "backend"],
    ),
    (
        "private-key-secret-mounted-in-backend",
        [ED25519],
        [
            "signing.ed25519.publicKey=x",
            "backend.volumes[0].name=k",
            "backend.volumes[0].secret.secretName=pcs-ed25519-agent-secret",
        ],
        ["pcs-ed25519-agent-secret", "backend.volumes"],
    ),
    (
        "seed-plaintext-hmac-key",
        [HMAC],
        ["backend.env.PCS_HMAC_KEY=your-secret-key-here"],
        ["backend.env.PCS_HMAC_KEY", "Secret"],
    ),
    (
        "seed-plaintext-metrics-password",
        [HMAC],
        ["backend.env.METRICS_PASS=strong-password-here"],
        ["backend.env.METRICS_PASS"],
    ),
    ("unknown-algorithm", [], ["backend.env.PCS_SIGN_ALG=rsa"], ["PCS_SIGN_ALG"]),
    ("agent-without-image", [HMAC], ["agent.enabled=true"], ["agent.image.repository"]),
    (
        "agent-algorithm-mismatch",
        [HMAC],
        [*AGENT, "agent.env.PCS_SIGN_ALG=ed25519"],
        ["agent.env.PCS_SIGN_ALG"],
    ),
    (
        "grafana-admin-password-literal",
        [HMAC],
        ["grafana.adminPassword=admin"],
        ["grafana.adminPassword"],
    ),
    (
        "grafana-without-admin-secret",
        [HMAC],
        ["grafana.enabled=true"],
        ["grafana.admin.existingSecret"],
    ),
]


@pytest.mark.parametrize(("case", "files", "sets", "words"), FAILURES, ids=[f[0] for f in FAILURES])
def test_render_fails_clearly(
    case: str, files: list[Any], sets: list[str], words: list[str]
) -> None:
    message = render_error(CHART, *files, set=sets, name=NAME)
    for word in words:
        assert word in message


# (case, --set, Secret holding METRICS_USER/METRICS_PASS)
METRICS_SOURCES = [
    ("existing-secret", [], "metrics-auth-secret"),
    (
        "password-via-set",
        ["metrics.auth.existingSecret=", "metrics.auth.password=pw"],
        f"{NAME}-metrics",
    ),
]


@pytest.mark.parametrize(("case", "sets", "secret"), METRICS_SOURCES, ids=lambda x: x)
def test_metrics_basic_auth_backend_and_servicemonitor(
    case: str, sets: list[str], secret: str
) -> None:
    r = run(HMAC, METRICS, sets=sets)
    assert ("secret", secret) in env_from(r, "backend")
    (endpoint,) = r.get("ServiceMonitor", f"{NAME}-backend")["spec"]["endpoints"]
    assert endpoint["path"] == "/metrics"
    assert endpoint["basicAuth"] == {
        "username": {"name": secret, "key": "METRICS_USER"},
        "password": {"name": secret, "key": "METRICS_PASS"},
    }
    if case == "password-via-set":
        assert decoded(r.get("Secret", secret)) == {"METRICS_USER": "ops", "METRICS_PASS": "pw"}


def test_servicemonitor_without_metrics_auth_has_no_basic_auth() -> None:
    r = run(HMAC, sets=["prometheus.enabled=true"])
    (endpoint,) = r.get("ServiceMonitor", f"{NAME}-backend")["spec"]["endpoints"]
    assert "basicAuth" not in endpoint
