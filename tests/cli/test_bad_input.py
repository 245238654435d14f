"""The bad-input table: every case gets one line naming what is wrong, and its exit code.

Grow this table with every new command and every new way input can be wrong.
Each row: the arguments, the exit code, and words the one line must contain.
"""

from __future__ import annotations

import os
import shutil
import tarfile
from functools import partial
from pathlib import Path

import pytest
from bad_input import one_clear_line

from chartsafe.cli import main

DATA = Path(__file__).resolve().parents[1] / "data"
MINIMAL = str(DATA / "minimal")
VALUES = DATA / "values"


def _not_a_chart_tgz(tmp: Path) -> str:
    path = tmp / "broken.tgz"
    with tarfile.open(path, "w:gz") as tar:
        readme = tmp / "README.md"
        readme.write_text("not a chart\n")
        tar.add(readme, arcname="thing/README.md")
    return str(path)


def _chart_yaml(tmp: Path, text: str, *, packaged: bool = False) -> list[str]:
    """A chart whose Chart.yaml Helm's loader refuses: ``template`` on it."""
    chart = tmp / "c"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text(text)
    if not packaged:
        return ["template", str(chart)]
    with tarfile.open(tmp / "c.tgz", "w:gz") as tar:
        tar.add(chart, arcname="c")
    return ["template", str(tmp / "c.tgz")]


#: A valid Chart.yaml with a ``kubeVersion`` range (``%`` it in).
_KUBE_VERSION = "apiVersion: v2\nname: c\nversion: 1.0.0\nkubeVersion: '%s'\n"


def _not_utf8_path(tmp: Path, command: str) -> list[str]:
    """A valid chart whose directory name is Latin-1 bytes (``lat\xe9n``), as argv gives it."""
    chart = os.fsdecode(os.fsencode(tmp) + b"/lat\xe9n")
    shutil.copytree(MINIMAL, chart)
    return [*command.split(), chart]


def _unreadable_values(tmp: Path) -> str:
    path = tmp / "locked.yaml"
    path.write_text("a: 1\n")
    path.chmod(0)
    return str(path)


# (id, args builder, exit code, words the message must contain)
CASES: list[tuple[str, object, int, list[str]]] = [
    ("chart path missing", ["template", "/no/such/chart"], 2, ["/no/such/chart", "no such"]),
    ("directory that is not a chart", ["template", str(DATA / "values")], 2,
     ["is not a chart directory", "Chart.yaml"]),
    ("file that is not a chart", ["template", str(VALUES / "secret-value.yaml")], 2,
     ["is not a chart archive"]),
    ("tgz that is not a chart", lambda tmp: ["template", _not_a_chart_tgz(tmp)], 2,
     ["broken.tgz", "is not a chart archive"]),
    ("Chart.yaml without version", lambda tmp: _chart_yaml(tmp, "apiVersion: v2\nname: c\n"), 2,
     ["chart", "Chart.yaml is invalid", "field version is required"]),
    ("packaged Chart.yaml without version",
     lambda tmp: _chart_yaml(tmp, "apiVersion: v2\nname: c\n", packaged=True), 2,
     ["c.tgz", "Chart.yaml is invalid", "field version is required"]),
    ("Chart.yaml with a bad type",
     lambda tmp: _chart_yaml(tmp, "apiVersion: v2\nname: c\nversion: 1.0.0\ntype: thing\n"), 2,
     ["Chart.yaml is invalid", "field type must be application or library"]),
    ("values file missing", ["template", MINIMAL, "-f", "/no/values.yaml"], 2,
     ["values file /no/values.yaml", "no such file"]),
    ("values file with a URL scheme helm does not read values from",
     ["template", MINIMAL, "-f", "oci://user:pw-x9@127.0.0.1:9/values:1"], 2,
     ["values file oci://user:***@127.0.0.1:9/values:1", "not from oci://"]),
    ("--set-file with a URL scheme helm does not read values from",
     ["template", MINIMAL, "--set-file", "greeting=s3://key:pw-x9@bucket/v"], 2,
     ["--set-file greeting s3://key:***@bucket/v", "not from s3://"]),
    ("values file is a directory", ["template", MINIMAL, "-f", str(VALUES)], 2,
     ["is a directory"]),
    ("YAML syntax error (indent)", ["template", MINIMAL, "-f", str(VALUES / "broken-indent.yaml")],
     2, ["broken-indent.yaml", "YAML syntax error", "line 3, column"]),
    ("YAML syntax error (flow)", ["template", MINIMAL, "-f", str(VALUES / "broken-flow.yaml")], 2,
     ["broken-flow.yaml", "line 2, column 1"]),
    ("values file is a list", ["template", MINIMAL, "-f", str(VALUES / "top-level-list.yaml")], 2,
     ["top-level-list.yaml", "must be a mapping"]),
    ("malformed --set", ["template", MINIMAL, "--set", "replicas=1,greeting"], 2,
     ["--set replicas=...", "has no '='", "\\,"]),
    ("malformed --set-json", ["template", MINIMAL, "--set-json", "labels={bad"], 2,
     ["--set-json labels=...", "invalid character", "key=<JSON>"]),
    ("--set-file names a missing file", ["template", MINIMAL, "--set-file", "greeting=/no/file"],
     2, ["--set-file greeting=...", "/no/file", "readable file"]),
    ("template error (required)", ["template", str(DATA / "schema"), "--set", "mode=production"],
     2, ["token is required in production"]),
    ("schema violation only", ["template", str(DATA / "schema"), "--set", "port=http",
                               "--set", "mode=staging", "--set", "sub.size=big"], 1,
     ["3 violations", "port: got string, want integer", "mode: value must be one of",
      "sub.size: got string, want integer"]),
    ("unknown --kube-version", ["template", MINIMAL, "--kube-version", "banana"], 2,
     ["--kube-version", "banana"]),
    ("Secret data that is not base64 (the API server refuses it)",
     ["template", str(DATA / "api-rules"), "--set", "password=hunter2-secret"], 1,
     ["api-rules/templates/secret.yaml: Secret/app at data.password: is not base64", "b64enc"]),
    ("--kube-context with no kubeconfig", ["template", MINIMAL, "--kube-context", "prod"], 2,
     ["--kube-context prod", "no kubeconfig"]),
    ("--kubeconfig naming no file", ["lint", MINIMAL, "--kubeconfig", "nowhere.yaml"], 2,
     ["--kubeconfig nowhere.yaml", "no such file"]),
    ("--kube-version with no schemas", ["template", MINIMAL, "--kube-version", "1.12.0"], 2,
     ["--kube-version 1.12.0", "no Kubernetes schemas"]),
    ("Chart.yaml kubeVersion excluding --kube-version",
     lambda tmp: [*_chart_yaml(tmp, _KUBE_VERSION % "<1.30.0-0"), "--kube-version", "1.33.0"], 2,
     ["chart", "requires kubeVersion: <1.30.0-0", "Kubernetes v1.33.0", "--kube-version"]),
    ("--kube-version on an install into a cluster",
     ["install", "r", MINIMAL, "--kube-version", "1.30.0"], 2,
     ["--kube-version 1.30.0", "Helm ignores it", "add --dry-run=client"]),
    ("--api-versions on a diff against a cluster",
     ["diff", "upgrade", "r", MINIMAL, "-a", "x.example.com/v1"], 2,
     ["--api-versions x.example.com/v1", "Helm ignores it", "chartsafe template"]),
    ("Chart.yaml kubeVersion that is no range",
     lambda tmp: _chart_yaml(tmp, _KUBE_VERSION % "1 dot 30"), 2,
     ["requires kubeVersion: 1 dot 30", "incompatible"]),
    ("--show-only matching nothing", ["template", MINIMAL, "--show-only", "templates/nope.yaml"],
     2, ["--show-only templates/nope.yaml", "no rendered template"]),
    ("--crd-dir not a directory", ["template", MINIMAL, "--crd-dir", "/no/crds"], 2,
     ["--crd-dir /no/crds", "not a directory"]),
    ("invalid release name", ["template", "Bad_Name", MINIMAL], 2, ["release name 'Bad_Name'"]),
    ("empty release name", ["template", "", MINIMAL], 2, ["release name ''", "no name provided"]),
    ("too many positionals", ["template", "a", "b", MINIMAL], 2, ["[NAME] CHART"]),
    ("unknown flag", ["template", MINIMAL, "--no-such-flag"], 2, ["--no-such-flag"]),
    *((f"{command}: chart path not UTF-8", partial(_not_utf8_path, command=command), 2,
       ["lat\\xe9n: not valid UTF-8", "Helm's engine", "ln -s"])
      for command in ("template", "lint", "show chart", "contract")),
    ("lint: chart path missing", ["lint", "/no/such/chart"], 2, ["/no/such/chart"]),
    ("lint: values file missing", ["lint", MINIMAL, "-f", "/no/v.yaml"], 2, ["/no/v.yaml"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [(args, code, words) for _, args, code, words in CASES],
    ids=[case[0] for case in CASES],
)
def test_bad_input_gets_one_clear_line(
    args: object,
    code: int,
    words: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = args(tmp_path) if callable(args) else args
    assert main(list(argv)) == code  # type: ignore[arg-type]
    err = capsys.readouterr().err
    one_clear_line(err, code, words)


def test_unreadable_values_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import os

    path = _unreadable_values(tmp_path)
    if os.geteuid() == 0 and os.access(path, os.R_OK):
        pytest.skip("root reads any file: permission cannot be denied here")
    assert main(["template", MINIMAL, "-f", path]) == 2
    assert "permission denied" in capsys.readouterr().err


@pytest.mark.parametrize(
    "args",
    [
        ["template", MINIMAL, "--set", "password=hunter2-secret,greeting"],
        ["template", MINIMAL, "--set-json", "password=hunter2-secret"],
        ["template", str(DATA / "schema"), "--set", "token=hunter2-secret"],
        ["template", str(DATA / "api-rules"), "--set", "password=hunter2-secret"],
        ["template", MINIMAL, "-f", str(VALUES / "secret-value.yaml")],
    ],
)
def test_errors_and_output_never_show_a_value(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Failing or not, a secret passed on the command line appears nowhere we print."""
    main(args)
    captured = capsys.readouterr()
    for secret in ("hunter2-secret", "s3cr3t-from-values-file"):
        assert secret not in captured.err
        assert secret not in captured.out


@pytest.mark.parametrize(
    ("args", "message", "command"),
    [
        (["lint", MINIMAL, "-o", "xml"], "Invalid value for '-o' / '--output': 'xml' is not one of",
         "chartsafe lint"),
        (["lint", MINIMAL, "--no-such-flag"], "No such option '--no-such-flag'", "chartsafe lint"),
        (["secrets", "get", "db", "password"], "Missing option '--store'",
         "chartsafe secrets get"),
        (["rollback"], "Missing argument 'NAME'", "chartsafe rollback"),
        (["no-such-command"], "No such command 'no-such-command'", "chartsafe"),
        (["template", "x", MINIMAL, "-o"], "Option '-o' requires an argument",
         "chartsafe template"),
        (["secrets", "list", "--store"], "Option '--store' requires an argument",
         "chartsafe secrets list"),
    ],
    ids=["unknown -o value", "unknown option", "missing option", "missing argument",
         "unknown command", "-o without its value", "--store without its value"],
)  # fmt: skip
def test_usage_error_is_one_line(
    args: list[str],
    message: str,
    command: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Click's usage errors follow the house rule: one line naming the flag, exit 2."""
    monkeypatch.delenv("CHARTSAFE_STORE", raising=False)
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1, captured.err
    assert captured.err.startswith(f"chartsafe: error: {message}")
    assert captured.err.endswith(f" (see {command} --help)\n")


@pytest.mark.parametrize("args", [[], ["secrets"], ["lint", "--help"], ["get", "-h"]])
def test_help_is_still_help(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Asked for or not (``chartsafe``, ``chartsafe secrets``), help is help: exit 0, on
    stdout, nothing on stderr, as ``helm`` and ``helm repo`` alone."""
    assert main(args) == 0
    captured = capsys.readouterr()
    assert "Usage: chartsafe" in captured.out and captured.err == ""
