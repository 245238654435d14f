"""Every command that reaches a cluster takes helm's cluster flags and goes where they say.

There is no kubeconfig in the tests' home, and ``--kube-apiserver`` names a closed port:
a command that dropped the flag would say there is no kubeconfig; one that kept it names
the port in its one-line error (exit 2). ``$HELM_KUBEAPISERVER`` does the same.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from chartsafe.cli import main

DATA = Path(__file__).resolve().parents[1] / "data"
APP = str(DATA / "release" / "app")
READER = str(DATA / "check" / "live-reader")
SECRET = str(DATA / "sealed" / "secret-full.yaml")
VECTORS = Path(__file__).resolve().parents[3] / "shared/vectors/sealed/generated"
SEALED = str(VECTORS / "sealedsecret.kubeseal-format-yaml.yaml")
OLD_KEY = str(VECTORS / "rsa2048.key.pem")

# (id, command line without the cluster flag)
COMMANDS: list[tuple[str, list[str]]] = [
    ("status", ["status", "r"]),
    ("history", ["history", "r"]),
    ("list", ["list"]),
    ("get values", ["get", "values", "r"]),
    ("get manifest", ["get", "manifest", "r"]),
    ("get hooks", ["get", "hooks", "r"]),
    ("get notes", ["get", "notes", "r"]),
    ("get metadata", ["get", "metadata", "r"]),
    ("get all", ["get", "all", "r"]),
    ("uninstall", ["uninstall", "r"]),
    ("rollback", ["rollback", "r", "1"]),
    ("test", ["test", "r", "--logs"]),
    ("install: the check first", ["install", "r", READER, "-n", "tracecat"]),
    ("install --skip-check", ["install", "r", APP, "--skip-check"]),
    ("upgrade", ["upgrade", "r", APP]),
    ("diff upgrade", ["diff", "upgrade", "r", APP]),
    ("check --against cluster", ["check", "r", READER, "-n", "tracecat", "--against", "cluster"]),
    ("seal: the controller's certificate", ["seal", "-f", SECRET]),
    ("reseal", ["reseal", SEALED, "--from-key", OLD_KEY]),
    ("sealed cert", ["sealed", "cert"]),
]  # fmt: skip


@pytest.fixture(scope="module")
def closed(refused_port: int) -> str:
    return f"127.0.0.1:{refused_port}"


@pytest.mark.parametrize("args", [c[1] for c in COMMANDS], ids=[c[0] for c in COMMANDS])
@pytest.mark.parametrize("how", ["flag", "variable"])
def test_the_command_goes_to_the_named_server(
    args: list[str],
    how: str,
    closed: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = f"http://{closed}"
    if how == "flag":
        args = [*args, "--kube-apiserver", server]
    else:
        monkeypatch.setenv("HELM_KUBEAPISERVER", server)
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    error = [line for line in err.splitlines() if line.startswith("chartsafe: error:")]
    assert len(error) == 1 and "Traceback" not in err, err
    assert closed in error[0] and "kubeconfig found" not in err


@pytest.mark.parametrize(
    "args",
    [["status", "r", "--help"], ["status", "r"], ["sealed", "cert"], ["list", "--qps", "x"]],
    ids=["help", "Helm's error", "chartsafe's client error", "a bad flag"],
)
def test_the_token_is_never_printed(
    args: list[str],
    closed: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    token = "token-never-printed-31c9"
    monkeypatch.setenv("HELM_KUBETOKEN", token)
    monkeypatch.setenv("HELM_KUBEAPISERVER", f"https://{closed}")
    main([*args, "--kube-token", token])
    captured = capsys.readouterr()
    assert token not in captured.out + captured.err
