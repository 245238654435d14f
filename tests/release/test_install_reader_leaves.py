"""``chartsafe install ... --dry-run | head``: the reader leaving is not an error.

The manifest is written in several pieces; once the reader has gone, the next one fails
with a broken pipe, which the CLI framework would turn into a silent exit 1. The pipe is
real and closed after the first line, and the output far larger than a pipe's buffer, so
the later writes always find it closed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

# 200 ConfigMaps of 50 kB each: about 10 MB of manifest, well past any pipe buffer
TEMPLATE = """{{- range $i := until 200 }}
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
