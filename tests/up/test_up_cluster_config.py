"""A cluster configuration ``up`` cannot use is bad input (exit 2), never a bundle.

``up`` writes a deploy bundle instead of installing when no cluster is configured at all (no
kubeconfig, no flags: ``make demo``, ``test_up_cli.test_no_cluster_reachable_writes_a_bundle``)
or when the configured API server does not answer (``test_up_cluster_flags``). Before, it did
so for any cluster error and exited 0: a mistyped ``--kube-context``, a kubeconfig that does
not parse or names no current context, credentials the server refuses. Each is now one
line naming the flag or file, exit 2, with nothing written: no bundle, no store change.
"""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
import yaml
from bad_input import one_clear_line
from loopback import serving_handler
from test_up_cli import run, set_username, up_args
from up_helpers import Keys


def _kubeconfig(server: str, *, current: str | None = "here") -> dict[str, object]:
    config: dict[str, object] = {
        "apiVersion": "v1", "kind": "Config",
        "clusters": [{"name": "c", "cluster": {"server": server}}],
        "users": [{"name": "u", "user": {"token": "not-a-real-token"}}],
        "contexts": [{"name": "here", "context": {"cluster": "c", "user": "u"}}],
    }  # fmt: skip
    if current:
        config["current-context"] = current
    return config


@pytest.fixture
def refusing_server() -> Iterator[str]:
    """An https-less API server answering 401 to everything, as to rejected credentials."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b'{"kind":"Status","apiVersion":"v1","status":"Failure","code":401}'
            self.send_response(401)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    with serving_handler(Handler) as url:
        yield url


# (id, how the kubeconfig is written: {text} or a config, flags, env, the words of the line)
CASES: list[tuple[str, object, list[str], bool, list[str]]] = [
    ("--kube-context not in the kubeconfig", _kubeconfig("{closed}"),
     ["--kube-context", "prod-typo"], False,
     ["--kube-context prod-typo: no such context in kubeconfig {kubeconfig}"]),
    ("$HELM_KUBECONTEXT not in the kubeconfig", _kubeconfig("{closed}"), [], False,
     ["$HELM_KUBECONTEXT prod-typo: no such context in kubeconfig {kubeconfig}"]),
    ("--kubeconfig with a YAML error", "apiVersion: v1\nclusters: [\n", [], False,
     ["kubeconfig {kubeconfig}: line 3", "--out DIR"]),
    ("$KUBECONFIG with a YAML error", "apiVersion: v1\nclusters: [\n", [], True,
     ["kubeconfig {kubeconfig}: line 3"]),
    ("no current-context", _kubeconfig("{closed}", current=None), [], True,
     ["kubeconfig {kubeconfig}: no current-context", "--kube-context NAME"]),
    ("--kubeconfig not there", None, [], False, ["--kubeconfig {kubeconfig}: no such file"]),
    ("credentials refused", _kubeconfig("{refusing}"), [], False,
     ["unauthorized: the API server rejected the credentials", "--out DIR"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("written", "flags", "by_env", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_an_unusable_cluster_configuration_is_bad_input(
    tmp_path: Path,
    age_keys: Keys,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    refused_port: int,
    refusing_server: str,
    written: object,
    flags: list[str],
    by_env: bool,
    words: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)  # where a bundle would land
    kubeconfig = tmp_path / "kubeconfig.yaml"
    if written is not None:
        text = written if isinstance(written, str) else yaml.safe_dump(written)
        text = text.replace("{closed}", f"http://127.0.0.1:{refused_port}")
        kubeconfig.write_text(text.replace("{refusing}", refusing_server))
    if by_env:
        monkeypatch.setenv("KUBECONFIG", str(kubeconfig))
    else:
        flags = [*flags, "--kubeconfig", str(kubeconfig)]
    if "$HELM_KUBECONTEXT" in words[0]:
        monkeypatch.setenv("HELM_KUBECONTEXT", "prod-typo")
    store = tmp_path / "s.sops.yaml"
    set_username(capsys, store, age_keys, "demo-tracecat")
    before = store.read_bytes()

    code, out, err = run(capsys, *up_args(store, age_keys, *flags))

    assert code == 2, err
    one_clear_line(err, 2, [w.replace("{kubeconfig}", str(kubeconfig)) for w in words])
    assert "no cluster reachable" not in err and out == ""
    assert not (tmp_path / "tracecat-bundle").exists()
    assert store.read_bytes() == before, "the store changed before the cluster was judged"
    assert "not-a-real-token" not in err
