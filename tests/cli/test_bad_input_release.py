"""Bad input to the release and diff commands: one line naming the flag or argument, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from bad_input import one_clear_line

from chartsafe.cli import main

APP = str(Path(__file__).resolve().parents[1] / "data" / "release" / "app")
DRY = ["--dry-run", "client", "--storage", "memory"]

# (id, args, exit code, words the message must contain)
CASES: list[tuple[str, list[str], int, list[str]]] = [
    ("unknown storage driver", ["list", "--storage", "sql"], 2,
     ["'--storage'", "'sql' is not one of", "'secret'"]),
    ("list: negative --max", ["list", "-m", "-1"], 2, ["'-m' / '--max'", "-1"]),
    ("list: --offset not a number", ["list", "--offset", "x"], 2, ["'--offset'", "'x'"]),
    ("kubeconfig missing", ["status", "x", "--kubeconfig", "/no/kubeconfig"], 2,
     ["--kubeconfig /no/kubeconfig", "no such file"]),
    ("timeout not a duration", ["install", "x", APP, *DRY, "--timeout", "soon"], 2,
     ["--timeout soon", "not a duration"]),
    ("unknown dry-run mode", ["install", "x", APP, "--dry-run", "maybe"], 2,
     ["--dry-run maybe", "client or server"]),
    ("invalid release name", ["install", "Bad_Name", APP, *DRY], 2, ["release name 'Bad_Name'"]),
    ("install without a chart", ["install", "x"], 2, ["NAME CHART", "--generate-name"]),
    ("--labels not key=value", ["install", "x", APP, *DRY, "--labels", "team"], 2,
     ["--labels team: not key=value"]),
    ("--labels a label Helm reserves", ["upgrade", "-i", "x", APP, *DRY, "--labels",
     "team=a,owner=me"], 2, ["--labels owner: Helm's storage sets this label itself"]),
    ("install: --server-side auto", ["install", "x", APP, *DRY, "--server-side", "auto"], 2,
     ["--server-side auto: install takes true or false", "upgrade's and rollback's"]),
    ("upgrade: unknown --server-side", ["upgrade", "-i", "x", APP, *DRY,
     "--server-side=sometimes"], 2, ["--server-side sometimes: unknown mode", "auto"]),
    ("rollback: unknown --server-side", ["rollback", "x", "--server-side=maybe"], 2,
     ["--server-side maybe: unknown mode"]),
    ("uninstall: unknown --cascade", ["uninstall", "x", "--cascade", "sideways"], 2,
     ["--cascade sideways: not a deletion mode", "background, foreground, orphan"]),
    ("install: a name and --generate-name", ["install", "x", APP, "-g", *DRY], 2,
     ["cannot set --generate-name and also give NAME"]),
    ("install: a name and --name-template", ["install", "x", APP, "--name-template", "y",
     *DRY], 2, ["cannot set --name-template and also give NAME"]),
    ("install: --name-template not a template", ["install", APP, "--name-template",
     "{{ nope }}", *DRY], 2, ["--name-template {{ nope }}", "function \"nope\" not defined"]),
    ("install: a templated name Helm refuses", ["install", APP, "--name-template",
     "{{ \"Up\" }}_x", *DRY], 2, ["release name 'Up_x'"]),
    ("install: a generated name Helm refuses", ["install", "/tmp/Upper_Chart", "-g", *DRY], 2,
     ["release name 'Upper_Chart-"]),
    ("diff without a chart", ["diff", "upgrade", "x"], 2, ["NAME CHART"]),
    ("chart missing", ["install", "x", "/no/chart", *DRY], 2, ["/no/chart", "no such"]),
    ("values file missing", ["upgrade", "x", APP, "-f", "/no/v.yaml"], 2, ["/no/v.yaml"]),
    ("rollback: bad release name", ["rollback", "Bad_Name"], 2, ["release name 'Bad_Name'"]),
    ("get manifest: kubeconfig missing", ["get", "manifest", "x", "--kubeconfig",
     "/no/kubeconfig"], 2, ["--kubeconfig /no/kubeconfig", "no such file"]),
    ("get notes: unknown kube context", ["get", "notes", "x", "--kube-context", "nope",
     "--kubeconfig", "{kubeconfig}"], 2, ["--kube-context nope: no such context"]),
    ("rollback: revision not a number", ["rollback", "x", "two"], 2, ["two"]),
    ("unknown kube context", ["list", "--kube-context", "nope", "--kubeconfig", "{kubeconfig}"],
     2, ["--kube-context nope: no such context"]),
    ("install: --check-against missing", ["install", "x", APP, *DRY, "--check-against",
     "/no/gitops"], 2, ["--check-against /no/gitops: no such file or directory"]),
    ("upgrade: --check-against empty", ["upgrade", "--install", "x", APP, *DRY,
     "--check-against", ""], 2, ["--check-against: empty"]),
    ("install: --check-against not YAML", ["install", "x", APP, *DRY, "--check-against",
     "{broken}"], 2, ["--check-against {broken}: line 2", "Kubernetes manifests"]),
    ("upgrade: memory storage is empty", ["upgrade", "x", APP, *DRY], 2,
     ["upgrade x: no release 'x'", "--storage memory starts empty", "--install"]),
    ("rollback: memory storage is empty", ["rollback", "x", "--dry-run", "client", "--storage",
     "memory"], 2, ["rollback x: no release 'x'", "--storage memory starts empty"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "code", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], code: int, words: list[str]
) -> None:
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text("apiVersion: v1\nkind: Config\nclusters: []\nusers: []\ncontexts: []\n")
    broken = tmp_path / "broken.yaml"
    broken.write_text("kind: [Secret\n")

    def fill(text: str) -> str:
        return text.replace("{kubeconfig}", str(kubeconfig)).replace("{broken}", str(broken))

    assert main([fill(a) for a in args]) == code
    one_clear_line(capsys.readouterr().err, code, [fill(word) for word in words])
