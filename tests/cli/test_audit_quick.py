"""``audit --files``'s quick path (``_audit_quick``) against typer's: the same command lines
give the same output, errors and exit codes; the quick path reads only what its table says,
never imports typer, and its table agrees with typer's definition of each flag."""

from __future__ import annotations

from pathlib import Path

import pytest
from quick_paths import (
    KUBECONFIG,
    assert_same_shapes,
    both_ways,
    command_options,
    flags_compared,
    typer_modules_imported,
)

from chartsafe.cli import _audit_quick
from chartsafe.cli._audit_quick import FLAGS, read
from chartsafe.cli._audit_run import AuditFilesRequest
from chartsafe.cli._quick_flags import given

REPO = Path(__file__).resolve().parents[2]
AUDIT = REPO / "tests" / "data" / "audit"
BAD = str(AUDIT / "cases" / "bad-workload.yaml")
HARDENED = str(AUDIT / "cases" / "hardened.yaml")
VALUES_BAD = str(AUDIT / "cases" / "values-bad.yaml")
SUPPRESSED = str(AUDIT / "suppressions" / "on-key.yaml")
SEALED = str(AUDIT / "corpus" / "references" / "sealed-secret.yaml")
PLANTED = str(AUDIT / "corpus" / "planted" / "values-app.yaml")

#: (id, command line after ``chartsafe``, environment). ``{tmp}`` is a scratch folder
#: holding ``kubeconfig``. Every spelling in FLAGS is in at least one line
#: (test_every_flag_is_compared).
CASES: list[tuple[str, list[str], dict[str, str]]] = [
    ("one manifest", ["audit", "--files", BAD], {}),
    ("clean manifest", ["audit", "--files", HARDENED], {}),
    ("values and manifests, json", ["audit", "--files", VALUES_BAD, BAD, SEALED, "-o", "json"],
     {}),
    ("files before the flag", ["audit", BAD, PLANTED, "--files"], {}),
    ("production, sarif", ["audit", "--files", BAD, "--profile", "production", "--output",
                           "sarif"], {}),
    ("--profile=, --output=table", ["audit", "--files", PLANTED, "--profile=production",
                                    "--output=table"], {}),
    ("enable and disable", ["audit", "--files", BAD, "--enable", "hpa-missing", "--disable",
                            "privileged", "--disable=host-path", "-o", "json"], {}),
    ("fail on low", ["audit", "--files", HARDENED, "--fail-on", "low"], {}),
    ("fail on critical", ["audit", "--files", BAD, "--fail-on=critical"], {}),
    ("suppression", ["audit", "--files", SUPPRESSED, "-o", "json"], {}),
    ("unknown profile", ["audit", "--files", BAD, "--profile", "staging"], {}),
    ("unknown --fail-on", ["audit", "--files", BAD, "--fail-on", "severe"], {}),
    ("unknown rule", ["audit", "--files", BAD, "--disable", "no-such-rule"], {}),
    ("missing file", ["audit", "--files", "{tmp}/nope.yaml"], {}),
    ("a directory of no YAML file", ["audit", "--files", "{tmp}"], {}),
    ("a directory of manifests and values", ["audit", "--files", str(AUDIT / "cases"), "-o",
                                             "json"], {}),
    ("a chart directory", ["audit", "--files", str(AUDIT / "chart")], {}),
    ("stdin twice", ["audit", "--files", "-", "-"], {}),
    ("no file", ["audit", "--files"], {}),
    ("namespace", ["audit", "--files", BAD, "-n", "ns", "-o", "json"], {}),
    ("--namespace=", ["audit", "--files", BAD, "--namespace=ns"], {}),
    ("kubeconfig namespace", ["audit", "--files", BAD, "--kubeconfig", "{tmp}/kubeconfig"], {}),
    ("kube context", ["audit", "--files", BAD, "--kubeconfig", "{tmp}/kubeconfig",
                      "--kube-context", "second"], {}),
    ("unknown kube context", ["audit", "--files", BAD, "--kubeconfig", "{tmp}/kubeconfig",
                              "--kube-context", "third"], {}),
    ("missing kubeconfig", ["audit", "--files", BAD, "--kubeconfig", "{tmp}/none"], {}),
    ("HELM_NAMESPACE", ["audit", "--files", BAD], {"HELM_NAMESPACE": "from-env"}),
]  # fmt: skip


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    (tmp_path / "kubeconfig").write_text(KUBECONFIG)
    return tmp_path


@pytest.mark.parametrize(("args", "env"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_quick_path_prints_what_typer_path_prints(
    args: list[str],
    env: dict[str, str],
    scratch: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    argv = [a.replace("{tmp}", str(scratch)) for a in args]
    assert given(argv, "audit", FLAGS, _audit_quick._FORMATS) is not None
    assert "--files" in argv  # so read() takes it
    quick, through_typer = both_ways(argv, _audit_quick, monkeypatch, capsys)
    assert quick == through_typer
    assert quick[1] or quick[2]  # something was printed: a real comparison


def test_every_flag_is_compared() -> None:
    compared = flags_compared(CASES)
    assert set(FLAGS) <= compared, f"add a line to CASES for {sorted(set(FLAGS) - compared)}"


#: Command lines the quick path leaves to typer (which reads or refuses them).
TYPER_READS = [
    ("a chart", ["audit", "charts/tracecat"]),
    ("list rules", ["audit", "--list-rules"]),
    ("list rules with --files", ["audit", "--files", BAD, "--list-rules"]),
    ("help", ["audit", "--files", BAD, "--help"]),
    ("-h", ["audit", "--files", "-h"]),
    ("another command", ["template", "--files", BAD]),
    ("flag before the command", ["-n", "x", "audit", "--files", BAD]),
    ("a flag --files ignores", ["audit", "--files", BAD, "-f", VALUES_BAD]),
    ("values glob", ["audit", "--files", BAD, "--values-glob", "values*.yaml"]),
    ("missing value", ["audit", "--files", BAD, "--profile"]),
    ("value that starts with a dash", ["audit", "--files", BAD, "--disable", "-x"]),
    ("short flag with =", ["audit", "--files", BAD, "-n=ns"]),
    ("attached short value", ["audit", "--files", BAD, "-ojson"]),
    ("switch with a value", ["audit", "--files=true", BAD]),
    ("abbreviation", ["audit", "--files", BAD, "--prof", "dev"]),
    ("double dash", ["audit", "--files", "--", BAD]),
    ("yaml output", ["audit", "--files", BAD, "-o", "yaml"]),
    ("upper case format", ["audit", "--files", BAD, "-o", "JSON"]),
    ("empty kubeconfig path", ["audit", "--files", BAD, "--kubeconfig", ""]),
]


@pytest.mark.parametrize("args", [c[1] for c in TYPER_READS], ids=[c[0] for c in TYPER_READS])
def test_quick_path_leaves_other_command_lines_to_typer(args: list[str]) -> None:
    assert read(args) is None


def test_quick_path_reads_what_it_is_given() -> None:
    request = read(["audit", "a.yaml", "--files", "-n", "ns", "b.yaml", "--enable", "x",
                    "--enable=y", "--disable", "z", "--fail-on", "low", "--profile",
                    "production", "-o", "sarif"])  # fmt: skip
    assert request == AuditFilesRequest(
        files=("a.yaml", "b.yaml"), namespace="ns", profile="production", enable=("x", "y"),
        disable=("z",), fail_on="low", output="sarif",
    )  # fmt: skip


def test_quick_flags_are_typers_flags() -> None:
    """Each spelling has typer's shape (see assert_same_shapes), and the request's defaults
    are typer's."""
    options = command_options("audit")
    assert_same_shapes(options, FLAGS, _audit_quick._FORMATS)
    defaults = AuditFilesRequest((), "")
    for name in ("profile", "fail_on", "output"):  # the namespace is resolved, not given
        (param,) = {p for p in options.values() if p.name == name}
        assert param.default == getattr(defaults, name), name


def test_quick_path_imports_neither_typer_nor_click(tmp_path: Path) -> None:
    assert typer_modules_imported(["audit", "--files", BAD, "-o", "json"], tmp_path) == (1, [])
