"""Every example in ``chartsafe secrets render --help`` runs as written, from the checkout.

The file names an example only names (the store, the certificate, what it writes) are put in
a temporary folder; the chart and its values file are the checkout's own. A ``> FILE`` at the
end is done as the shell does it. The store is filled as a user fills it: ``secrets init``,
then ``secrets set`` for the two keys no generator can make.
"""

from __future__ import annotations

import base64
import shlex
from pathlib import Path

import pytest
import typer.rich_utils
import yaml
from sealed_helpers import GENERATED

from chartsafe.cli import main
from chartsafe.store import create_identity_file

REPO = Path(__file__).resolve().parents[2]
MINIKUBE = "charts/tracecat/examples/values-minikube.yaml"


def _examples(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> list[str]:
    monkeypatch.setattr(typer.rich_utils, "MAX_WIDTH", 1000)  # one line per example
    capsys.readouterr()
    assert main(["secrets", "render", "--help"]) == 0
    text = capsys.readouterr().out.split("Examples", 1)[1]
    return [line.strip() for line in text.splitlines() if line.strip().startswith("chartsafe ")]


def _fill_store(tmp: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    store = tmp / "secrets.sops.yaml"
    recipient = create_identity_file(tmp / "age.txt")
    tracecat = ["tracecat", "charts/tracecat", "-n", "tracecat", "-f", MINIKUBE]
    assert main(["secrets", "init", *tracecat, "--store", str(store), "--age", recipient]) in (
        0,
        1,  # 1: keys left that no generator can make, set below
    )
    for secret, key, value in (
        ("tracecat-postgres-credentials", "username", "tracecat"),
        ("tracecat-redis-credentials", "url", "redis://:pw@redis.example.com:6379"),
    ):
        argv = ["secrets", "set", "-n", "tracecat", secret, key, "--from-literal", value,
                "--store", str(store)]  # fmt: skip
        assert main(argv) == 0
    capsys.readouterr()
    return store


def test_every_render_help_example_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(tmp_path / "age.txt"))
    examples = _examples(monkeypatch, capsys)
    assert len(examples) >= 3
    assert any("--as sealed" in line for line in examples)
    assert any("--as secret" in line for line in examples)
    store = _fill_store(tmp_path, capsys)
    files = {
        "secrets.sops.yaml": str(store),
        "cert.pem": str(GENERATED / "rsa2048.cert.pem"),
        **{name: str(tmp_path / name) for name in ("secrets.yaml", "overrides.yaml",
                                                   "sealed.yaml")},
    }  # fmt: skip
    for line in examples:
        words = [files.get(word, word) for word in shlex.split(line)]
        assert all(Path(word).exists() for word in words if word.endswith(".yaml") and
                   word.startswith("charts/"))  # fmt: skip
        redirect = words.index(">") if ">" in words else None
        argv = words[1:redirect]
        code = main(argv)
        captured = capsys.readouterr()
        assert code == 0, f"{line}\n{captured.err}"
        if redirect is not None:
            Path(words[redirect + 1]).write_text(captured.out)

    secrets = list(yaml.safe_load_all((tmp_path / "secrets.yaml").read_text()))
    assert {s["kind"] for s in secrets} == {"Secret"}
    sealed = [d for d in yaml.safe_load_all((tmp_path / "sealed.yaml").read_text()) if d]
    assert {d["kind"] for d in sealed} == {"SealedSecret"}
    assert {d["metadata"]["name"] for d in sealed} == {s["metadata"]["name"] for s in secrets}
    capsys.readouterr()
    key = str(GENERATED / "rsa2048.key.pem")
    assert main(["unseal", str(tmp_path / "sealed.yaml"), "--private-key", key, "--reveal"]) == 0
    unsealed = list(yaml.safe_load_all(capsys.readouterr().out))
    redis = next(s for s in unsealed if s["metadata"]["name"] == "tracecat-redis-credentials")
    assert base64.b64decode(redis["data"]["url"]) == b"redis://:pw@redis.example.com:6379"
