"""A release command that reaches no cluster names itself in its one error line.

``rollback`` reads the release's history before it rolls back; a refused connection there
was reported as ``history NAME:``, a step nobody typed. Every release command, rollback
included, says ``COMMAND NAME: cannot reach the cluster of kubeconfig FILE`` and which flags
pick another cluster, as install and upgrade always did.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from chartsafe.cli import main

APP = str(Path(__file__).resolve().parents[1] / "data" / "release" / "app")


@pytest.fixture
def closed_kubeconfig(tmp_path: Path, refused_port: int) -> Path:
    """A kubeconfig whose one context points at a loopback port that refuses connections."""
    path = tmp_path / "closed-kubeconfig"
    path.write_text(yaml.safe_dump({
        "apiVersion": "v1", "kind": "Config", "current-context": "closed",
        "clusters": [{"name": "closed", "cluster": {"server": f"http://127.0.0.1:{refused_port}"}}],
        "users": [{"name": "tester", "user": {"token": "not-a-real-token"}}],
        "contexts": [{"name": "closed", "context": {"cluster": "closed", "user": "tester"}}],
    }))  # fmt: skip
    return path


# (the command line without the cluster flag, the words its error starts with)
COMMANDS = [
    (["rollback", "shop"], "rollback shop"),
    (["rollback", "shop", "2"], "rollback shop"),
    (["rollback", "shop", "--wait"], "rollback shop"),
    (["rollback", "shop", "--dry-run", "client"], "rollback shop"),
    (["upgrade", "shop", APP], "upgrade shop"),
    (["uninstall", "shop"], "uninstall shop"),
    (["status", "shop"], "status shop"),
    (["history", "shop"], "history shop"),
]


@pytest.mark.parametrize(("args", "what"), COMMANDS, ids=[" ".join(c[0][:3]) for c in COMMANDS])
def test_the_error_names_the_command_and_the_kubeconfig(
    capsys: pytest.CaptureFixture[str], closed_kubeconfig: Path, args: list[str], what: str
) -> None:
    assert main([*args, "--kubeconfig", str(closed_kubeconfig)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1, err
    assert err.startswith(
        f"chartsafe: error: {what}: cannot reach the cluster of kubeconfig {closed_kubeconfig}: "
    ), err
    assert "connection refused" in err
    assert err.rstrip().endswith(
        "(check --kubeconfig/--kube-context (or $KUBECONFIG/$HELM_KUBECONTEXT))"
    ), err


def test_a_rollback_through_a_context_names_the_context(
    capsys: pytest.CaptureFixture[str], closed_kubeconfig: Path
) -> None:
    args = ["rollback", "shop", "--kubeconfig", str(closed_kubeconfig), "--kube-context", "closed"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("chartsafe: error: rollback shop: cannot reach the cluster of context "
                          "closed: "), err  # fmt: skip
