"""A signed chart through a registry: ``push`` uploads its ``.prov``, and
``dependency update|build --verify`` checks what Helm's resolver downloads with it.

One anonymous docker-registry on loopback holds the same subchart twice: signed (pushed
with its provenance) under ``signed/`` and unsigned under ``unsigned/``. What proves the
``.prov`` went up is Helm's own downloader finding and checking it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from chartsafe import sign_chart
from chartsafe._helm_oci import RegistryAccess, package_chart, push_chart
from chartsafe.cli import main

from .conftest import NEEDS_REGISTRY, parent_chart
from .registry_server import Registry, start_registry

pytestmark = NEEDS_REGISTRY

REPO = Path(__file__).resolve().parents[2]
KEYS = REPO / "tests" / "data" / "provenance"
PUBRING = KEYS / "pubring.gpg"


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    yield from start_registry(tmp_path_factory.mktemp("registry") / "r", auth=False)


@pytest.fixture(scope="module")
def pushed(registry: Registry, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A subchart ``sub`` 0.1.0 pushed signed and unsigned; each repository's URL."""
    sub = tmp_path_factory.mktemp("sub") / "sub"
    (sub / "templates").mkdir(parents=True)
    (sub / "Chart.yaml").write_text("apiVersion: v2\nname: sub\nversion: 0.1.0\n")
    (sub / "templates" / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-sub\n"
    )
    access = RegistryAccess(plain_http=True)
    unsigned = package_chart(sub, tmp_path_factory.mktemp("unsigned"))
    unsigned_push = push_chart(unsigned, f"{registry.url}/unsigned", access)
    assert unsigned_push.provenance is None
    signed = package_chart(sub, tmp_path_factory.mktemp("signed"))
    sign_chart(signed, "signer@chartsafe.test", KEYS / "signer-secring.gpg")
    signed_push = push_chart(signed, f"{registry.url}/signed", access)
    assert signed_push.provenance == Path(f"{signed}.prov")
    return {"signed": f"{registry.url}/signed", "unsigned": f"{registry.url}/unsigned"}


def test_push_says_it_uploaded_the_provenance(
    registry: Registry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = package_chart(REPO / "charts" / "agentapi-proxy", tmp_path)
    sign_chart(archive, "signer@chartsafe.test", KEYS / "signer-secring.gpg")
    assert main(["push", str(archive), f"{registry.url}/shown", "--plain-http"]) == 0
    assert f"Provenance: {archive}.prov" in capsys.readouterr().out
    assert main(["push", str(archive), f"{registry.url}/shown", "--plain-http", "-o", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["provenance"] == f"{archive}.prov"


@pytest.mark.parametrize("action", ["update", "build"])
def test_dependency_verify_accepts_a_subchart_pushed_with_its_provenance(
    pushed: dict[str, str], tmp_path: Path, action: str
) -> None:
    parent = parent_chart(tmp_path, pushed["signed"])
    args = ["dependency", action, str(parent), "--plain-http", "--verify"]
    assert main([*args, "--keyring", str(PUBRING)]) == 0
    assert (parent / "charts" / "sub-0.1.0.tgz").is_file()


@pytest.mark.parametrize(
    ("repository", "keyring", "words"),
    [
        ("unsigned", PUBRING, ["has no provenance where it was downloaded",
                               "failed to fetch provenance", "helm package --sign"]),
        ("signed", KEYS / "stranger-secring.gpg", ["signed by a key the keyring does not hold"]),
    ],
    ids=["unsigned subchart", "signer not in the keyring"],
)  # fmt: skip
def test_dependency_verify_refuses_what_its_provenance_does_not_vouch_for(
    pushed: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    repository: str,
    keyring: Path,
    words: list[str],
) -> None:
    parent = parent_chart(tmp_path, pushed[repository])
    args = ["dependency", "update", str(parent), "--plain-http", "--verify"]
    assert main([*args, "--keyring", str(keyring)]) == 1
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert f"dependency update {parent}: provenance check failed" in lines[0]
    for word in words:
        assert word in lines[0], lines[0]
    # Without --verify the same fetch goes through: the refusal was the check's.
    assert main(["dependency", "update", str(parent), "--plain-http"]) == 0


def test_verify_pulls_an_oci_chart_with_its_provenance(
    pushed: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """As helm install --verify: fetched with its .prov by Helm's downloader and checked."""
    args = ["template", "r", f"{pushed['signed']}/sub", "--version", "0.1.0", "--plain-http"]
    assert main([*args, "--verify", "--keyring", str(PUBRING)]) == 0
    assert "# Source: sub/templates/cm.yaml" in capsys.readouterr().out
    newest = ["show", "chart", f"{pushed['signed']}/sub", "--plain-http", "--verify"]
    assert main([*newest, "--keyring", str(PUBRING)]) == 0  # no --version: the newest
    assert "name: sub" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("repository", "keyring", "words"),
    [
        ("unsigned", PUBRING, ["has no provenance where it was downloaded"]),
        ("signed", KEYS / "stranger-secring.gpg", ["signed by a key the keyring does not hold"]),
    ],
    ids=["unsigned", "signer not in the keyring"],
)
def test_verify_refuses_an_oci_chart_its_provenance_does_not_vouch_for(
    pushed: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    repository: str,
    keyring: Path,
    words: list[str],
) -> None:
    reference = f"{pushed[repository]}/sub"
    args = ["template", "r", reference, "--version", "0.1.0", "--plain-http", "--verify"]
    assert main([*args, "--keyring", str(keyring)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert f"{reference} --version 0.1.0: provenance check failed" in lines[0]
    for word in words:
        assert word in lines[0]
    assert "chartsafe-verify" not in err  # the throw-away chart is not the user's business


def test_pull_verify_keeps_only_a_chart_its_provenance_vouches_for(
    pushed: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--version", "0.1.0", "--plain-http", "--verify", "--keyring", str(PUBRING)]
    assert main(["pull", f"{pushed['signed']}/sub", "-d", str(tmp_path / "ok"), *args]) == 0
    assert (tmp_path / "ok" / "sub-0.1.0.tgz").is_file()
    assert main(["pull", f"{pushed['unsigned']}/sub", "-d", str(tmp_path / "no"), *args]) == 1
    assert "provenance check failed" in capsys.readouterr().err
    assert not (tmp_path / "no").exists()
