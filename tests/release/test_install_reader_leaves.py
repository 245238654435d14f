"""``chartsafe install ... --dry-run | head``: the reader leaving is not an error, and it
hides no other.

The manifest is written in several pieces; once the reader has gone, the next one fails
with a broken pipe, which the CLI framework would turn into a silent exit 1. The pipe is
real and closed after the first line, and the output far larger than a pipe's buffer, so
the later writes always find it closed. The command still finishes: an invalid object
found while the output was being written is reported, and the exit code is its own.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

# 200 ConfigMaps of 50 kB each: about 10 MB of manifest, well past any pipe buffer; with
# invalid=true, one Deployment with a field Kubernetes does not know, reported after them.
TEMPLATE = """{{- if .Values.invalid }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: broken
spec:
  selector: {matchLabels: {app: broken}}
  template:
    metadata: {labels: {app: broken}}
    spec:
      containers: [{name: app, image: "example.com/app:1", bogus: true}]
{{- end }}
{{- range $i := until 200 }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: big-{{ $i }}
data:
  blob: {{ repeat 50000 "x" | quote }}
{{- end }}
"""


@pytest.fixture
def chart(tmp_path: Path) -> Path:
    (tmp_path / "big" / "templates").mkdir(parents=True)
    (tmp_path / "big" / "Chart.yaml").write_text("apiVersion: v2\nname: big\nversion: 0.1.0\n")
    (tmp_path / "big" / "templates" / "cm.yaml").write_text(TEMPLATE)
    return tmp_path / "big"


@pytest.mark.parametrize(
    ("command", "flags", "first_line"),
    [
        (["install", "big"], ["--dry-run", "client", "--storage", "memory"], b"NAME: big"),
        (["upgrade", "--install", "big"], ["--dry-run", "client", "--storage", "memory"],
         b"NAME: big"),
        (["template", "big"], ["--no-validate"], b"---"),
    ],
    ids=["install", "upgrade --install", "template"],
)  # fmt: skip
def test_reader_leaving_early_exits_0(
    chart: Path, command: list[str], flags: list[str], first_line: bytes
) -> None:
    args = [*command, str(chart), *flags]
    with subprocess.Popen(
        [sys.executable, "-m", "chartsafe", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        bufsize=0,
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        first = proc.stdout.readline()
        proc.stdout.close()
        stderr = proc.stderr.read().decode()
        assert proc.wait(timeout=120) == 0, stderr
    assert first.startswith(first_line)
    assert "Exception" not in stderr and "Traceback" not in stderr


@pytest.mark.parametrize("output", [[], ["-o", "json"]], ids=["yaml", "json"])
def test_a_reader_leaving_early_hides_no_failed_validation(chart: Path, output: list[str]) -> None:
    """Before, ``set -o pipefail; chartsafe template x bad | head -1`` exited 0 with nothing
    on stderr: the broken pipe ended the run before its verdict was printed."""
    args = ["template", "big", str(chart), "--set", "invalid=true", *output]
    with subprocess.Popen(
        [sys.executable, "-m", "chartsafe", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0,
    ) as proc:  # fmt: skip
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.readline()
        proc.stdout.close()
        stderr = proc.stderr.read().decode()
        assert proc.wait(timeout=120) == 1, stderr
    assert "Deployment/broken" in stderr and "'bogus' was unexpected" in stderr
    assert "Exception" not in stderr and "Traceback" not in stderr


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--version"], 2),
        (["template", "big", "{chart}", "--no-validate"], 2),
        (["show", "chart", "{chart}"], 2),
        (["lint", "{chart}", "--quiet"], 0),  # writes nothing to stdout when all is well
    ],
    ids=["version", "template", "show", "quiet-lint"],
)
def test_no_standard_output_is_one_line_not_a_traceback(
    chart: Path, args: list[str], code: int
) -> None:
    """``chartsafe --version >&-``: there is no descriptor 1 (sys.stdout is None)."""
    argv = [a.format(chart=chart) for a in args]
    done = subprocess.run(
        ["sh", "-c", 'exec "$@" >&-', "sh", sys.executable, "-m", "chartsafe", *argv],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == code, done.stderr
    lines = done.stderr.splitlines()
    if code == 2:
        assert lines == ["chartsafe: error: cannot write the output: standard output is closed"]
    assert "Traceback" not in done.stderr
