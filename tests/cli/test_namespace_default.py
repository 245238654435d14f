"""Without ``-n`` every command uses the kubeconfig context's namespace, as helm and install do.

Also as helm: ``$HELM_NAMESPACE`` comes before the context's, and ``$HELM_KUBECONTEXT``
chooses the context when ``--kube-context`` does not.

What ``template`` renders, what ``secrets init`` stores, what ``seal`` seals and what
``install`` installs must land in one namespace: a SealedSecret sealed for ``default`` does
not open in the release's namespace, and a store key written under ``default`` is not the
one ``up`` reads for a release in ``apps``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from chart_files import write_chart
from chart_readers import READERS, reader_args

from chartsafe.cli import main

SEALED = Path(__file__).resolve().parents[3] / "shared" / "vectors" / "sealed" / "generated"

#: Renders only for the namespace it is told to expect: any other is a template error.
PROBE = """{{- if ne .Release.Namespace .Values.expect }}
{{- fail (printf "rendered for namespace %s" .Release.Namespace) }}
{{- end }}
apiVersion: v1
kind: ConfigMap
metadata:
  name: probe
data:
  namespace: {{ .Release.Namespace }}
"""


def _use_kubeconfig(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A kubeconfig whose current context is in ``apps`` (and another, ``other``, in tracecat)."""
    path = tmp_path / "kubeconfig"
    path.write_text(
        json.dumps(
            {
                "clusters": [{"name": "c", "cluster": {"server": "https://127.0.0.1:1"}}],
                "users": [{"name": "u", "user": {"token": "t"}}],
                "contexts": [
                    {"name": "here", "context": {"cluster": "c", "user": "u", "namespace": "apps"}},
                    {"name": "other",
                     "context": {"cluster": "c", "user": "u", "namespace": "tracecat"}},
                ],
                "current-context": "here",
            }
        )
    )  # fmt: skip
    monkeypatch.setenv("KUBECONFIG", str(path))
    return path


@pytest.fixture
def kubeconfig(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return _use_kubeconfig(tmp_path, monkeypatch)


def _command(command: str, chart: Path, tmp_path: Path, flags: list[str]) -> list[str]:
    if command == "template":
        return [command, "r", str(chart), *flags]
    if command == "lint":
        return [command, str(chart), *flags]
    return reader_args(command, chart, tmp_path, *flags)


# (helm's environment, flags, namespace expected): helm reads $HELM_NAMESPACE and
# $HELM_KUBECONTEXT as the defaults of -n and --kube-context, and so does every command here.
FLAGS = [
    ({}, [], "apps"),
    ({}, ["--kube-context", "other"], "tracecat"),
    ({}, ["-n", "given"], "given"),
    ({"HELM_NAMESPACE": "fromenv"}, [], "fromenv"),
    ({"HELM_KUBECONTEXT": "other"}, [], "tracecat"),
    ({"HELM_NAMESPACE": "fromenv"}, ["-n", "given"], "given"),
    ({"HELM_KUBECONTEXT": "other"}, ["--kube-context", "here"], "apps"),
    ({"HELM_NAMESPACE": "fromenv", "HELM_KUBECONTEXT": "other"}, [], "fromenv"),
]
FLAG_IDS = ["context", "--kube-context", "-n", "$HELM_NAMESPACE", "$HELM_KUBECONTEXT",
            "-n over $HELM_NAMESPACE", "--kube-context over $HELM_KUBECONTEXT",
            "$HELM_NAMESPACE over the context's"]  # fmt: skip


@pytest.mark.parametrize("command", ["template", "lint", *READERS])
@pytest.mark.parametrize(("environment", "flags", "expected"), FLAGS, ids=FLAG_IDS)
def test_commands_that_render_use_the_contexts_namespace(
    command: str,
    environment: dict[str, str],
    flags: list[str],
    expected: str,
    kubeconfig: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    chart = write_chart(tmp_path / "probe", {"cm.yaml": PROBE}, values="expect: nowhere\n")
    code = main(_command(command, chart, tmp_path, [*flags, "--set", f"expect={expected}"]))
    err = capsys.readouterr().err
    assert "rendered for namespace" not in err
    assert code == 0, err


def test_without_kubeconfig_it_is_default(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    chart = write_chart(tmp_path / "probe", {"cm.yaml": PROBE}, values="expect: default\n")
    assert main(["template", "r", str(chart)]) == 0
    assert "namespace: default" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("environment", "expected"),
    [({}, "apps"), ({"HELM_KUBECONTEXT": "other"}, "tracecat"),
     ({"HELM_NAMESPACE": "fromenv"}, "fromenv")],
    ids=["context", "$HELM_KUBECONTEXT", "$HELM_NAMESPACE"],
)  # fmt: skip
def test_store_commands_use_the_contexts_namespace(
    environment: dict[str, str],
    expected: str,
    kubeconfig: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """They take no --kube-context, but a context chosen for helm is chosen for them too."""
    from chartsafe.store.secret_ops import init_keys

    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    keys = init_keys(tmp_path / "age-key.txt")
    store = ["--store", str(tmp_path / "s.sops.yaml"), "--age-key-file", str(keys.path)]
    set_ = ["secrets", "set", "db", "password", "--from-literal", "pw", *store]
    assert main([*set_, "--age", keys.recipient]) == 0
    assert f"{expected}/db password" in capsys.readouterr().out
    assert main(["secrets", "get", "-n", expected, "db", "password", *store, "--reveal"]) == 0
    assert capsys.readouterr().out.strip() == "pw"
    assert main(["secrets", "get", "db", "password", *store, "--reveal"]) == 0
    assert capsys.readouterr().out.strip() == "pw"
    assert main(["secrets", "get", "-n", "default", "db", "password", *store]) == 2


SECRET = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db"},
          "stringData": {"password": "pw"}}  # fmt: skip


OWN = {**SECRET, "metadata": {"name": "db", "namespace": "own"}}


@pytest.mark.parametrize(
    ("secret", "flags", "environment", "expected"),
    [
        (SECRET, [], {}, "apps"),
        (SECRET, ["--kube-context", "other"], {}, "tracecat"),
        (SECRET, ["-n", "given"], {}, "given"),
        (OWN, [], {}, "own"),
        (SECRET, [], {"HELM_KUBECONTEXT": "other"}, "tracecat"),
        (SECRET, [], {"HELM_NAMESPACE": "fromenv"}, "fromenv"),
        # a default, not -n: a Secret's own namespace stands (-n elsewhere must agree with it)
        (OWN, [], {"HELM_NAMESPACE": "fromenv"}, "own"),
    ],
    ids=["context", "--kube-context", "-n", "the Secret's own", "$HELM_KUBECONTEXT",
         "$HELM_NAMESPACE", "the Secret's own over $HELM_NAMESPACE"],
)  # fmt: skip
def test_seal_fills_a_missing_namespace_with_the_contexts(
    secret: dict[str, object],
    flags: list[str],
    environment: dict[str, str],
    expected: str,
    kubeconfig: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    source = tmp_path / "secret.yaml"
    source.write_text(yaml.safe_dump(secret))
    cert = str(SEALED / "rsa2048.cert.pem")
    assert main(["seal", "-f", str(source), "--cert", cert, "-o", "json", *flags]) == 0
    sealed = json.loads(capsys.readouterr().out)
    assert sealed["metadata"]["namespace"] == expected
    assert sealed["spec"]["template"]["metadata"]["namespace"] == expected


@pytest.fixture
def sealed_for_apps(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A strict SealedSecret sealed for ``apps`` whose manifest names no namespace."""
    source = tmp_path / "secret.yaml"
    source.write_text(yaml.safe_dump(SECRET))
    cert = str(SEALED / "rsa2048.cert.pem")
    assert main(["seal", "-f", str(source), "--cert", cert, "-n", "apps", "-o", "json"]) == 0
    sealed = json.loads(capsys.readouterr().out)
    del sealed["metadata"]["namespace"], sealed["spec"]["template"]["metadata"]["namespace"]
    path = tmp_path / "sealed.json"
    path.write_text(json.dumps(sealed))
    return path


KEY = str(SEALED / "rsa2048.key.pem")
#: What opens a SealedSecret offline, each without -n.
OPENERS = {
    "unseal": ["unseal", "{file}", "--private-key", KEY],
    "reseal": ["reseal", "{file}", "--from-key", KEY, "--cert", str(SEALED / "rsa2048.cert.pem")],
    "sealed verify": ["sealed", "verify", "{file}", "--private-key", KEY],
}


@pytest.mark.parametrize("command", OPENERS)
@pytest.mark.parametrize("context", [True, False], ids=["context in apps", "no kubeconfig"])
def test_a_sealed_secret_without_namespace_is_opened_for_the_contexts(
    command: str,
    context: bool,
    sealed_for_apps: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if context:
        _use_kubeconfig(tmp_path, monkeypatch)
    args = [a.replace("{file}", str(sealed_for_apps)) for a in OPENERS[command]]
    code = main(args)
    err = capsys.readouterr().err
    assert (code == 0) is context, err  # without the context: sealed for apps, opened for default
