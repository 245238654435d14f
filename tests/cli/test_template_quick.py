"""``template``'s quick path (``_template_quick``) against typer's: the same command lines
give the same output, errors and exit codes; the quick path reads only what its table
says, never imports typer, and its table agrees with typer's definition of each flag."""

from __future__ import annotations

from pathlib import Path

import pytest
from chart_files import DNS_LOOKUP, write_chart
from quick_paths import (
    KUBECONFIG,
    assert_same_shapes,
    both_ways,
    command_options,
    flags_compared,
    typer_modules_imported,
)

from chartsafe.cli import _template_quick
from chartsafe.cli._template_quick import FLAGS, read
from chartsafe.cli._template_run import TemplateRequest

REPO = Path(__file__).resolve().parents[2]
TRACECAT = str(REPO / "charts" / "tracecat")
LLMTRACE = str(REPO / "charts" / "llmtrace")
DATA = REPO / "tests" / "data"
ESO_CRDS = str(REPO.parent / "shared" / "vectors" / "eso-crds")
MINIKUBE = str(REPO / "charts" / "tracecat" / "examples" / "values-minikube.yaml")
AWS = str(REPO / "charts" / "tracecat" / "examples" / "values-aws.yaml")
#: Tracecat needs values no default has (its Secrets): the minikube example gives them.
TC = ["tc", TRACECAT, "-f", MINIKUBE]

#: (id, command line after ``chartsafe``, environment). ``{tmp}`` is a scratch folder
#: holding ``kubeconfig`` and ``file.txt``; ``{port}`` a loopback port that refuses.
#: Every spelling in FLAGS is in at least one line (test_every_flag_is_compared).
CASES: list[tuple[str, list[str], dict[str, str]]] = [
    ("chart alone", ["template", TRACECAT], {}),
    ("name chart -n -f", ["template", "tc", TRACECAT, "-n", "ns", "-f", AWS], {}),
    ("--values=, --namespace=", ["template", "tc", TRACECAT, f"--values={MINIKUBE}",
                                 "--namespace=ns"], {}),
    ("-f twice, comma list", ["template", "tc", TRACECAT, "-f", MINIKUBE, "--values",
                              f"{MINIKUBE},{AWS}"], {}),
    ("flags before the words", ["template", "-n", "ns", "--reveal", "bad",
                                str(DATA / "invalid-objects")], {}),
    ("every set flag", ["template", *TC, "--set", "api.replicas=2,ui.replicas=3",
                        "--set-string", "tracecat.logLevel=DEBUG",
                        "--set-json", "worker.replicas=5",
                        "--set-literal", "tracecat.featureFlags=a,b",
                        "--set-file", "tracecat.allowOrigins={tmp}/file.txt"], {}),
    ("bad --set", ["template", *TC, "--set", "a.b"], {}),
    ("bad --set-json", ["template", *TC, "--set-json", "a={x"], {}),
    ("missing -f file", ["template", *TC, "-f", "{tmp}/nope.yaml"], {}),
    ("missing --set-file", ["template", *TC, "--set-file", "a={tmp}/nope"], {}),
    ("missing chart", ["template", "tc", "{tmp}/no-chart"], {}),
    ("not a chart", ["template", "tc", "{tmp}"], {}),
    ("a chart named -", ["template", "tc", "-"], {}),
    ("show only", ["template", *TC, "-s", "templates/api.yaml",
                   "--show-only", "templates/ui.yaml"], {}),
    ("show only no match", ["template", *TC, "-s", "templates/none.yaml"], {}),
    ("kube version", ["template", *TC, "--kube-version", "1.33.0"], {}),
    ("unknown kube version", ["template", *TC, "--kube-version", "v9.99"], {}),
    ("api versions, crd dir", ["template", "lt", LLMTRACE, "-f", f"{LLMTRACE}/values-dev.yaml",
                               "-a", "monitoring.coreos.com/v1",
                               "--api-versions", "external-secrets.io/v1",
                               "--crd-dir", ESO_CRDS], {}),
    ("crds, tests, upgrade", ["template", "hk", str(DATA / "hooks"), "--include-crds",
                              "--skip-tests", "--is-upgrade"], {}),
    ("no hooks", ["template", "hk", str(DATA / "hooks"), "--no-hooks"], {}),
    ("invalid objects", ["template", "bad", str(DATA / "invalid-objects")], {}),
    ("no validate", ["template", "bad", str(DATA / "invalid-objects"), "--no-validate"], {}),
    ("skip schema validation", ["template", *TC, "--set", "api.replicas=x",
                                "--skip-schema-validation"], {}),
    ("values schema violation", ["template", *TC, "--set", "api.replicas=x"], {}),
    ("dependency update", ["template", *TC, "--dependency-update"], {}),
    ("dns", ["template", "dns", "{tmp}/lookup", "--enable-dns"], {}),
    ("-o json", ["template", *TC, "-o", "json"], {}),
    ("--output yaml", ["template", *TC, "--output", "yaml"], {}),
    ("--output=json --reveal", ["template", *TC, "--output=json", "--reveal"], {}),
    ("store, age key", ["template", *TC, "--store", "{tmp}/store.yaml",
                        "--age-key-file", "{tmp}/keys.txt",
                        "--set", "tracecat.x=ref+chartsafe://ns/s/k"], {}),
    ("kubeconfig namespace", ["template", *TC, "--kubeconfig", "{tmp}/kubeconfig"],
     {}),
    ("kube context", ["template", *TC, "--kubeconfig", "{tmp}/kubeconfig",
                      "--kube-context", "second"], {}),
    ("unknown kube context", ["template", *TC, "--kubeconfig", "{tmp}/kubeconfig",
                              "--kube-context", "third"], {}),
    ("HELM_KUBECONTEXT", ["template", *TC, "--kubeconfig", "{tmp}/kubeconfig"],
     {"HELM_KUBECONTEXT": "second"}),
    ("HELM_NAMESPACE", ["template", *TC], {"HELM_NAMESPACE": "from-env"}),
    ("chart version of a directory", ["template", *TC, "--version", "1.0.0"], {}),
    ("devel", ["template", *TC, "--devel"], {}),
    ("verify a directory", ["template", *TC, "--verify", "--keyring",
                            "{tmp}/pubring.gpg"], {}),
    ("registry flags", ["template", *TC, "--plain-http", "--registry-config",
                        "{tmp}/config.json"], {}),
    ("repository that refuses", ["template", "tc", "tracecat", "--repo",
                                 "http://127.0.0.1:{port}"], {}),
]  # fmt: skip


def _filled(args: list[str], tmp: Path, port: int) -> list[str]:
    return [a.replace("{tmp}", str(tmp)).replace("{port}", str(port)) for a in args]


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    (tmp_path / "kubeconfig").write_text(KUBECONFIG)
    (tmp_path / "file.txt").write_text("from a file\n")
    write_chart(tmp_path / "lookup", {"cm.yaml": DNS_LOOKUP})
    return tmp_path


@pytest.mark.parametrize(("args", "env"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_quick_path_prints_what_typer_path_prints(
    args: list[str],
    env: dict[str, str],
    scratch: Path,
    refused_port: int,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    argv = _filled(args, scratch, refused_port)
    assert _template_quick._given(argv) is not None  # the quick path does read this one
    quick, through_typer = both_ways(argv, _template_quick, monkeypatch, capsys)
    assert quick == through_typer
    assert quick[1] or quick[2]  # something was printed: a real comparison


def test_every_flag_is_compared() -> None:
    compared = flags_compared(CASES)
    assert set(FLAGS) <= compared, f"add a line to CASES for {sorted(set(FLAGS) - compared)}"


#: Command lines the quick path leaves to typer (which reads or refuses them).
TYPER_READS = [
    ("help", ["template", "--help"]),
    ("-h", ["template", TRACECAT, "-h"]),
    ("no chart", ["template"]),
    ("three words", ["template", "a", "b", "c"]),
    ("another command", ["lint", TRACECAT]),
    ("flag before the command", ["-n", "x", "template", TRACECAT]),
    ("missing value", ["template", TRACECAT, "-f"]),
    ("value that starts with a dash", ["template", TRACECAT, "--set", "-x"]),
    ("stdin as values", ["template", TRACECAT, "-f", "-"]),
    ("attached short value", ["template", TRACECAT, f"-f{AWS}"]),
    ("short flag with =", ["template", TRACECAT, "-n=ns"]),
    ("switch with a value", ["template", TRACECAT, "--reveal=true"]),
    ("abbreviation", ["template", TRACECAT, "--namesp", "x"]),
    ("unknown flag", ["template", TRACECAT, "--no-such-flag"]),
    ("double dash", ["template", "--", "tc", TRACECAT]),
    ("table output", ["template", TRACECAT, "-o", "table"]),
    ("upper case format", ["template", TRACECAT, "-o", "JSON"]),
    ("empty path", ["template", TRACECAT, "--store", ""]),
    ("generate name", ["template", TRACECAT, "-g"]),
    ("name template", ["template", TRACECAT, "--name-template", "x"]),
    ("output dir", ["template", "tc", TRACECAT, "--output-dir", "out"]),
    ("release name", ["template", "tc", TRACECAT, "--release-name"]),
]


@pytest.mark.parametrize("args", [c[1] for c in TYPER_READS], ids=[c[0] for c in TYPER_READS])
def test_quick_path_leaves_other_command_lines_to_typer(args: list[str]) -> None:
    assert read(args) is None


def test_quick_path_reads_what_it_is_given() -> None:
    request = read(["template", "--namespace=ns", "rel", "chart", "-f", "a.yaml", "-f", "b",
                    "--set", "x=1", "-s", "t.yaml", "--crd-dir", "crds", "-o", "json",
                    "--skip-tests", "--kube-version", "1.30.0"])  # fmt: skip
    assert request == TemplateRequest(
        name="rel", chart="chart", namespace="ns",
        values=request.values._replace(values=("a.yaml", "b"), set_values=("x=1",)),
        show_only=("t.yaml",), crd_dir=(Path("crds"),), output="json", skip_tests=True,
        kube_version="1.30.0",
    )  # fmt: skip
    assert request.values.set_string == ()


#: typer's options of ``template`` that only typer reads (the quick path declines them).
TYPER_ONLY = {"-g", "--generate-name", "--name-template", "--output-dir", "--release-name"}


def test_quick_flags_are_typers_flags() -> None:
    """Each spelling has typer's shape (see assert_same_shapes). A flag typer gains must be
    listed in FLAGS or in TYPER_ONLY."""
    options = command_options("template")
    assert set(options) == set(FLAGS) | TYPER_ONLY
    assert_same_shapes(options, FLAGS, _template_quick._FORMATS)


def test_quick_path_imports_neither_typer_nor_click(tmp_path: Path) -> None:
    assert typer_modules_imported(["template", "tc", TRACECAT, "-f", AWS], tmp_path) == (0, [])
