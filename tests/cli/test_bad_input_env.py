"""Bad values in helm's environment variables and cluster flags: one line naming them, exit 2.

chartsafe reads ``$HELM_NAMESPACE``, ``$HELM_KUBECONTEXT``, ``$HELM_DRIVER``,
``$HELM_MAX_HISTORY`` and the ``$HELM_KUBE*``, ``$HELM_BURST_LIMIT`` and ``$HELM_QPS``
variables of helm's cluster flags as helm does; a user who never typed the flag must be
told which variable holds the bad value, or the message points at a flag they did not give.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chartsafe.cli import main

DATA = Path(__file__).resolve().parents[1] / "data"
MINIMAL = str(DATA / "minimal")
APP = str(DATA / "release" / "app")
DRY = ["--dry-run", "client", "--storage", "memory"]

# (id, environment, args, words the one line must contain); {kubeconfig}: one with a context
CASES: list[tuple[str, dict[str, str], list[str], list[str]]] = [
    ("$HELM_KUBECONTEXT not in the kubeconfig", {"HELM_KUBECONTEXT": "nope"},
     ["template", "r", MINIMAL, "--kubeconfig", "{kubeconfig}"],
     ["$HELM_KUBECONTEXT nope: no such context in kubeconfig {kubeconfig}"]),
    ("$HELM_KUBECONTEXT and no kubeconfig", {"HELM_KUBECONTEXT": "nope"},
     ["template", "r", MINIMAL], ["$HELM_KUBECONTEXT nope: there is no kubeconfig"]),
    ("$HELM_KUBECONTEXT for a store command", {"HELM_KUBECONTEXT": "nope"},
     ["secrets", "get", "db", "password", "--store", "/no/store.sops.yaml"],
     ["$HELM_KUBECONTEXT nope: there is no kubeconfig"]),
    ("--kube-context named, $HELM_KUBECONTEXT another", {"HELM_KUBECONTEXT": "here"},
     ["template", "r", MINIMAL, "--kube-context", "nope", "--kubeconfig", "{kubeconfig}"],
     ["--kube-context nope: no such context"]),
    ("$HELM_DRIVER unknown", {"HELM_DRIVER": "sql"}, ["list"],
     ["'--storage' (env var: 'HELM_DRIVER')", "'sql' is not one of"]),
    ("$HELM_MAX_HISTORY not a number", {"HELM_MAX_HISTORY": "few"}, ["upgrade", "r", APP, *DRY],
     ["'--history-max' (env var: 'HELM_MAX_HISTORY')", "'few' is not a valid integer"]),
    ("$HELM_QPS not a number", {"HELM_QPS": "fast"}, ["list"],
     ["'--qps' (env var: 'HELM_QPS')", "'fast' is not a valid float"]),
    ("$HELM_BURST_LIMIT not a number", {"HELM_BURST_LIMIT": "lots"}, ["status", "r"],
     ["'--burst-limit' (env var: 'HELM_BURST_LIMIT')", "'lots' is not a valid integer"]),
    ("$HELM_KUBEINSECURE_SKIP_TLS_VERIFY not a boolean",
     {"HELM_KUBEINSECURE_SKIP_TLS_VERIFY": "maybe"}, ["list"],
     ["(env var: 'HELM_KUBEINSECURE_SKIP_TLS_VERIFY')", "'maybe' is not a valid boolean"]),
    ("$HELM_KUBECAFILE missing, for Helm's SDK", {"HELM_KUBECAFILE": "/no/ca.pem"}, ["list"],
     ["--kube-ca-file /no/ca.pem: no such file"]),
    ("--kube-ca-file missing, for chartsafe's client", {}, ["sealed", "cert", "--kube-ca-file",
     "/no/ca.pem", "--kube-apiserver", "https://127.0.0.1:9"], ["--kube-ca-file /no/ca.pem"]),
    ("$HELM_KUBEASGROUPS without a user", {"HELM_KUBEASGROUPS": "devs,ops"},
     ["sealed", "cert", "--kube-apiserver", "https://127.0.0.1:9"],
     ["--kube-as-group: Kubernetes impersonates groups only together with a user"]),
    ("--kube-context and --kube-apiserver, no kubeconfig", {},
     ["sealed", "cert", "--kube-context", "x", "--kube-apiserver", "https://127.0.0.1:9"],
     ["--kube-context x: there is no kubeconfig to find it in"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("environment", "args", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_environment_is_one_line(
    environment: dict[str, str],
    args: list[str],
    words: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kubeconfig = tmp_path / "kubeconfig"
    context = {"cluster": "c", "user": "u"}
    kubeconfig.write_text(json.dumps({"contexts": [{"name": "here", "context": context}],
                                      "current-context": "here"}))  # fmt: skip
    for name, value in environment.items():
        monkeypatch.setenv(name, value)

    def fill(text: str) -> str:
        return text.replace("{kubeconfig}", str(kubeconfig))

    assert main([fill(a) for a in args]) == 2
    captured = capsys.readouterr()
    message = captured.err.strip()
    assert "\n" not in message and "Traceback" not in message, message
    for word in words:
        assert fill(word) in message
