"""The format a person records with ``secrets set --format`` is the one the check holds a key
to, where only the key's name suggested one (user trial, review-charts §2): a third-party
chart's ``ca.pem`` that holds a key, or any key a name misleads, can then pass ``check``, the
``up`` gate and the install gate without ``--skip-check``. The chart's own declaration still
wins: it knows what the application reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from chart_files import env_deployment
from check_helpers import run
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from chartsafe import RenderOptions, ValuesInput
from chartsafe.check import check_chart
from chartsafe.store.secret_ops import init_keys

DEPLOYMENT = env_deployment(
    "{name: CA, valueFrom: {secretKeyRef: {name: keys, key: ca.pem}}}",
    "{name: PRIV, valueFrom: {secretKeyRef: {name: keys, key: private.pem}}}",
    "{name: SIGN, valueFrom: {secretKeyRef: {name: keys, key: signing.pem}}}",
)
CHART_YAML = """apiVersion: v2
name: keys
version: 0.1.0
annotations:
  chartsafe.io/secrets: |
    - name: keys
      keys:
        signing.pem: {format: pem-private-key}
"""
OPTIONS = RenderOptions(release_name="r", namespace="apps", validate=False)


def _key_pem() -> str:
    return (
        ed25519.Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )


@pytest.fixture
def chart(tmp_path: Path) -> Path:
    root = tmp_path / "keys"
    (root / "templates").mkdir(parents=True)
    (root / "Chart.yaml").write_text(CHART_YAML)
    (root / "templates" / "app.yaml").write_text(DEPLOYMENT)
    return root


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "key.pem"
    path.write_text(_key_pem())
    return path


def _statuses(report: object) -> dict[str, tuple[str, str]]:
    (secret,) = report.secrets  # type: ignore[attr-defined]
    return {k.key: (k.status, k.format) for k in secret.keys}


# (id, the store's recorded formats, {key: (status, format checked for)})
CASES = [
    ("nothing recorded: ca.pem is taken for a certificate", {},
     {"ca.pem": ("implausible", "pem-certificate"), "private.pem": ("present", "unknown"),
      "signing.pem": ("present", "pem-private-key")}),
    ("recorded over a guess from the name", {"ca.pem": "pem-private-key"},
     {"ca.pem": ("present", "pem-private-key"), "private.pem": ("present", "unknown"),
      "signing.pem": ("present", "pem-private-key")}),
    ("recorded where the name says nothing", {"private.pem": "pem-certificate"},
     {"ca.pem": ("implausible", "pem-certificate"),
      "private.pem": ("implausible", "pem-certificate"),
      "signing.pem": ("present", "pem-private-key")}),
    ("the chart's declaration wins", {"signing.pem": "json"},
     {"ca.pem": ("implausible", "pem-certificate"), "private.pem": ("present", "unknown"),
      "signing.pem": ("present", "pem-private-key")}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("recorded", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_the_check_takes_the_recorded_format_over_a_name_guess(
    chart: Path,
    tmp_path: Path,
    recorded: dict[str, str],
    expected: dict[str, tuple[str, str]],
) -> None:
    pem = _key_pem()
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "keys"},
              "stringData": {"ca.pem": pem, "private.pem": pem, "signing.pem": pem}}  # fmt: skip
    manifests = tmp_path / "secrets.yaml"
    manifests.write_text(yaml.safe_dump(secret))
    formats = {("apps", "keys", key): fmt for key, fmt in recorded.items()}
    report = check_chart(chart, ValuesInput(), OPTIONS, str(manifests), formats=formats)
    assert _statuses(report) == expected


def test_up_passes_once_the_format_is_recorded_for_the_same_value(
    chart: Path, tmp_path: Path, key_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = init_keys(tmp_path / "age.txt")
    store = tmp_path / "s.sops.yaml"
    age = ["--age", keys.recipient, "--age-key-file", str(keys.path)]
    for key in ("ca.pem", "private.pem", "signing.pem"):
        code, _, err = run(capsys, "secrets", "set", "-n", "apps", "keys", key, "--from-file",
                           str(key_file), "--store", str(store), *age)  # fmt: skip
        assert code == 0, err
    up = ["up", "r", str(chart), "-n", "apps", "--store", str(store), *age]
    code, _, err = run(capsys, *up, "--out", str(tmp_path / "before"))
    assert code == 1 and "ca.pem" in err and "pem-certificate" in err

    # the same value, its format given: recorded (it was not), and the check holds to it
    set_ca = ["secrets", "set", "-n", "apps", "keys", "ca.pem", "--from-file", str(key_file),
              "--store", str(store), *age, "--format", "pem-private-key"]  # fmt: skip
    code, out, err = run(capsys, *set_ca)
    assert code == 0, err
    assert out.strip() == (
        f"unchanged: apps/keys ca.pem in {store} (format pem-private-key recorded)"
    )
    code, out, _ = run(capsys, *set_ca, "-o", "json")
    assert json.loads(out)["format_recorded"] is False  # recorded already
    code, _, err = run(capsys, *up, "--out", str(tmp_path / "after"))
    assert code == 0, err

    # `check --store` reads it too
    code, _, err = run(capsys, "check", "r", str(chart), "-n", "apps", "--against",
                       str(tmp_path / "after" / "secrets.yaml"), "--store", str(store),
                       "--age-key-file", str(keys.path))  # fmt: skip
    assert code == 0, err
