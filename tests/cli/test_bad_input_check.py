"""Bad input to ``chartsafe check`` and to the install gate: one line naming the flag, the file
or the line, exit 2, and never a value from the manifests."""

from __future__ import annotations

from pathlib import Path

import pytest
from bad_input import one_clear_line

from chartsafe.cli import main

DATA = Path(__file__).resolve().parents[1] / "data"
READER = str(DATA / "check" / "reader")
SECRET_WORD = "hunter2-in-a-manifest"


def _file(name: str, content: bytes) -> object:
    def build(tmp: Path) -> list[str]:
        path = tmp / name
        path.write_bytes(content)
        return ["check", READER, "--against", str(path)]

    return build


def _in_dir(name: str, content: bytes) -> object:
    def build(tmp: Path) -> list[str]:
        (tmp / "gitops" / "apps").mkdir(parents=True)
        (tmp / "gitops" / "apps" / name).write_bytes(content)
        return ["check", READER, "--against", str(tmp / "gitops")]

    return build


def _malformed_kubeconfig(text: str) -> object:
    def build(tmp: Path) -> list[str]:
        path = tmp / "kubeconfig"
        path.write_bytes(text.encode("utf-8", "surrogateescape"))  # \udcff: a 0xff byte
        return ["check", READER, "--against", "cluster", "--kubeconfig", str(path)]

    return build


def _kubeconfig(tmp: Path) -> list[str]:
    path = tmp / "kubeconfig"
    path.write_text("apiVersion: v1\nkind: Config\nclusters: []\nusers: []\ncontexts: []\n")
    return ["check", READER, "--against", "cluster", "--kubeconfig", str(path),
            "--kube-context", "nope"]  # fmt: skip


#: Parses as YAML, but 3,000 levels deep: beyond Python's parsers, which recurse per level.
DEEP = "a: " + "[" * 3000 + "]" * 3000 + "\n"

BROKEN = (
    f"apiVersion: v1\nkind: Secret\nstringData:\n  password: {SECRET_WORD}\n  x: [1,\n".encode()
)

# (id, args or args builder, exit code, words the message must contain)
CASES: list[tuple[str, object, int, list[str]]] = [
    ("--against missing", ["check", READER], 2, ["--against"]),
    ("--against empty", ["check", READER, "--against", ""], 2, ["--against: empty"]),
    ("--against no such path", ["check", READER, "--against", "/no/gitops"], 2,
     ["--against /no/gitops", "no such file or directory"]),
    ("manifest not YAML", _file("s.yaml", BROKEN), 2, ["s.yaml: line 6", "Kubernetes manifests"]),
    ("manifest in a directory not YAML", _in_dir("s.yaml", BROKEN), 2,
     ["gitops/apps/s.yaml: line 6"]),
    ("manifest not UTF-8", _file("s.yaml", b"kind: Secret\nstringData: {a: \xff\xfe}\n"), 2,
     ["s.yaml: not UTF-8 text"]),
    # files and directories that hold no Kubernetes object are a wrong path, not a target
    ("manifest nested too deeply", _file("d.yaml", DEEP.encode()), 2,
     ["--against", "d.yaml", "nested too deeply"]),
    # the file system refuses the name (ENAMETOOLONG) before any check of ours can look
    ("--against a name too long", ["check", READER, "--against", "x" * 5000], 2,
     ["xxxx... (5000 characters): File name too long"]),
    ("--against a text file", _file("plain.txt", b"hello\n"), 2,
     ["plain.txt: no Kubernetes manifests in this file"]),
    ("--against a YAML list", _file("l.yaml", b"- apiVersion: v1\n  kind: Secret\n"), 2,
     ["l.yaml: no Kubernetes manifests"]),
    ("--against a YAML scalar", _file("s.yaml", b"just text\n---\n42\n"), 2,
     ["s.yaml: no Kubernetes manifests"]),
    ("--against an empty file", _file("e.yaml", b""), 2, ["e.yaml: no Kubernetes manifests"]),
    ("--against a values file",
     _file("values.yaml", f"auth:\n  password: {SECRET_WORD}\n".encode()), 2,
     ["values.yaml: no Kubernetes manifests"]),
    ("--against a directory of non-manifests", _in_dir("values.yaml", b"a: 1\n---\n- b\n"), 2,
     ["gitops: no Kubernetes manifests in its 1 YAML or JSON file(s)"]),
    ("chart missing", ["check", "/no/chart", "--against", "cluster"], 2, ["/no/chart"]),
    ("too many arguments", ["check", "a", "b", "c", "--against", "cluster"], 2,
     ["[NAME] CHART"]),
    ("no kubeconfig for --against cluster", ["check", READER, "--against", "cluster"], 2,
     ["no kubeconfig found"]),
    ("--kubeconfig missing", ["check", READER, "--against", "cluster", "--kubeconfig",
     "/no/kubeconfig"], 2, ["--kubeconfig /no/kubeconfig", "no such file"]),
    ("unknown kube context", _kubeconfig, 2, ["nope"]),
    ("kubeconfig contexts not a list", _malformed_kubeconfig(
        "current-context: a\ncontexts: 5\n"), 2, ["kubeconfig", "malformed"]),
    ("kubeconfig exec not a mapping", _malformed_kubeconfig(
        "current-context: a\ncontexts: [{name: a, context: {cluster: c, user: u}}]\n"
        "clusters: [{name: c, cluster: {server: 'https://127.0.0.1:1'}}]\n"
        "users: [{name: u, user: {exec: 5}}]\n"), 2, ["kubeconfig", "malformed"]),
    # PyYAML's own message quotes the broken line: the token on it must not be printed
    ("kubeconfig not YAML, a token on the line", _malformed_kubeconfig(
        f"users:\n- name: u\n  user:\n    token: {SECRET_WORD}: [x\n"), 2,
     ["kubeconfig", "line 4, column", "mapping values are not allowed here"]),
    ("kubeconfig nested too deeply", _malformed_kubeconfig(DEEP), 2,
     ["kubeconfig", "nested too deeply"]),
    ("kubeconfig not UTF-8", _malformed_kubeconfig("current-context: \udcff\n"), 2,
     ["kubeconfig", "not UTF-8 text"]),
    ("kubeconfig tokenFile missing", _malformed_kubeconfig(
        "current-context: a\ncontexts: [{name: a, context: {cluster: c, user: u}}]\n"
        "clusters: [{name: c, cluster: {server: 'https://127.0.0.1:1'}}]\n"
        "users: [{name: u, user: {tokenFile: /no/token}}]\n"), 2,
     ["kubeconfig", "tokenFile /no/token", "No such file"]),
    # kubectl refuses it too; bool("false") turned TLS verification off
    ("kubeconfig insecure-skip-tls-verify in quotes", _malformed_kubeconfig(
        "current-context: a\ncontexts: [{name: a, context: {cluster: c, user: u}}]\n"
        "clusters: [{name: c, cluster: {server: 'https://127.0.0.1:1', "
        "insecure-skip-tls-verify: 'false'}}]\nusers: [{name: u, user: {token: t}}]\n"), 2,
     ["kubeconfig", "insecure-skip-tls-verify must be true or false", "without quotes"]),
    ("kubeconfig tls-server-name a number", _malformed_kubeconfig(
        "current-context: a\ncontexts: [{name: a, context: {cluster: c, user: u}}]\n"
        "clusters: [{name: c, cluster: {server: 'https://127.0.0.1:1', "
        "tls-server-name: 5}}]\nusers: [{name: u, user: {token: t}}]\n"), 2,
     ["kubeconfig", "tls-server-name must be a string"]),
    ("install: --check-against no such path", ["install", "r", READER, "--dry-run", "client",
     "--storage", "memory", "--check-against", "/no/gitops"], 2,
     ["--check-against /no/gitops"]),
    ("install: --check-against a text file", lambda tmp: [
        "install", "r", READER, "--dry-run", "client", "--storage", "memory", "--check-against",
        _file("plain.txt", b"hello\n")(tmp)[-1]], 2, ["plain.txt: no Kubernetes manifests"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "code", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_is_one_line(
    args: object,
    code: int,
    words: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = args(tmp_path) if callable(args) else args
    assert main(list(argv)) == code  # type: ignore[arg-type]
    captured = capsys.readouterr()
    err = captured.err
    one_clear_line(err, code, words)
    assert SECRET_WORD not in err + captured.out
