"""The namespace a command uses without ``-n``: the kubeconfig context's, read as helm reads it.

Only the context is read. A user's credentials are the cluster client's business: an exec
plugin must not run (it takes seconds on EKS) and a user kind chartsafe cannot use must not
turn the namespace into ``default`` while helm, reading the same context, picks another.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from chartsafe._cluster_context import context_namespace
from chartsafe._cluster_errors import ClusterError
from chartsafe.cli._cluster_options import release_namespace


def _kubeconfig(
    path: Path, user: dict[str, Any], *, current: str = "here", namespace: str = "apps"
) -> Path:
    path.write_text(
        json.dumps(
            {
                "clusters": [{"name": "c", "cluster": {"server": "https://127.0.0.1:1"}}],
                "users": [{"name": "u", "user": user}],
                "contexts": [
                    {"name": "here", "context": {"cluster": "c", "user": "u",
                                                 "namespace": namespace}},
                    {"name": "bare", "context": {"cluster": "c", "user": "u"}},
                    {"name": "other", "context": {"cluster": "c", "user": "u",
                                                  "namespace": "tracecat"}},
                ],
                "current-context": current,
            }
        )
    )  # fmt: skip
    return path


def _marking_plugin(tmp_path: Path) -> tuple[dict[str, Any], Path]:
    """An exec user whose plugin leaves a file behind when it runs."""
    marker = tmp_path / "plugin-ran"
    plugin = tmp_path / "plugin.py"
    plugin.write_text(f"open({str(marker)!r}, 'w').close()\nprint('{{}}')\n")
    user = {"exec": {"apiVersion": "client.authentication.k8s.io/v1",
                     "command": sys.executable, "args": [str(plugin)]}}  # fmt: skip
    return user, marker


# (id, user, current context, --kube-context, namespace expected)
CASES = [
    ("token user", {"token": "t"}, "here", None, "apps"),
    ("auth-provider user (chartsafe's client refuses it)",
     {"auth-provider": {"name": "oidc"}}, "here", None, "apps"),
    ("context without a namespace", {"token": "t"}, "bare", None, "default"),
    ("--kube-context picks another", {"token": "t"}, "here", "other", "tracecat"),
    ("no current context", {"token": "t"}, "", None, "default"),
]  # fmt: skip


@pytest.mark.parametrize(("user", "current", "context", "expected"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])  # fmt: skip
def test_the_contexts_namespace(
    tmp_path: Path, user: dict[str, Any], current: str, context: str | None, expected: str
) -> None:
    path = _kubeconfig(tmp_path / "kc", user, current=current)
    assert context_namespace(path, context) == expected
    assert release_namespace(None, path, context) == expected
    assert release_namespace("given", path, context) == "given"


# (id, --kubeconfig is a file, --kube-context, words of the error)
EXPLICIT = [
    ("no such context", True, "nope", "--kube-context nope: no such context in kubeconfig"),
    ("no such file", False, None, "--kubeconfig"),
    ("a context and no kubeconfig", None, "here", "--kube-context here: there is no kubeconfig"),
]  # fmt: skip


@pytest.mark.parametrize(("file", "context", "words"),
                         [c[1:] for c in EXPLICIT], ids=[c[0] for c in EXPLICIT])  # fmt: skip
def test_a_kubeconfig_or_context_named_and_missing_is_said(
    tmp_path: Path, file: bool | None, context: str | None, words: str
) -> None:
    path = tmp_path / "kc"
    if file:
        _kubeconfig(path, {"token": "t"})
    with pytest.raises(ClusterError, match=re.escape(words)):
        context_namespace(None if file is None else path, context)


def test_an_exec_plugin_is_not_run_for_the_namespace(tmp_path: Path) -> None:
    user, marker = _marking_plugin(tmp_path)
    path = _kubeconfig(tmp_path / "kc", user)
    assert release_namespace(None, path, None) == "apps"
    assert not marker.exists()


def test_kubeconfig_env_files_merge_first_current_context_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _kubeconfig(tmp_path / "a", {"token": "t"}, current="other")
    second = _kubeconfig(tmp_path / "b", {"token": "t"}, current="here")
    monkeypatch.setenv("KUBECONFIG", f"{first}:{second}")
    assert context_namespace() == "tracecat"


@pytest.mark.parametrize(
    "text", ["contexts: [unclosed\n", "- a list\n", "contexts: 5\ncurrent-context: here\n"]
)
def test_an_unreadable_kubeconfig_is_default(tmp_path: Path, text: str) -> None:
    path = tmp_path / "kc"
    path.write_text(text)
    assert context_namespace(path) == "default"


# (id, environment, service account files, namespace expected)
POD_CASES = [
    ("not in a pod", {}, {"token": "t", "namespace": "tenant"}, "default"),
    ("the service account's namespace", {"KUBERNETES_SERVICE_HOST": "10.96.0.1",
     "KUBERNETES_SERVICE_PORT": "443"}, {"token": "t", "namespace": "tenant\n"}, "tenant"),
    ("POD_NAMESPACE first", {"KUBERNETES_SERVICE_HOST": "10.96.0.1",
     "KUBERNETES_SERVICE_PORT": "443", "POD_NAMESPACE": "podns"},
     {"token": "t", "namespace": "tenant"}, "podns"),
    ("no namespace file", {"KUBERNETES_SERVICE_HOST": "10.96.0.1",
     "KUBERNETES_SERVICE_PORT": "443"}, {"token": "t"}, "default"),
    ("no token: not the pod's account", {"KUBERNETES_SERVICE_HOST": "10.96.0.1",
     "KUBERNETES_SERVICE_PORT": "443"}, {"namespace": "tenant"}, "default"),
]  # fmt: skip


@pytest.mark.parametrize(("env", "files", "expected"),
                         [c[1:] for c in POD_CASES], ids=[c[0] for c in POD_CASES])  # fmt: skip
def test_in_a_pod_without_kubeconfig(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str],
    files: dict[str, str],
    expected: str,
) -> None:
    for name in ("KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT", "POD_NAMESPACE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    account = tmp_path / "sa"
    account.mkdir()
    for name, text in files.items():
        (account / name).write_text(text)
    assert context_namespace(service_account_dir=account) == expected
