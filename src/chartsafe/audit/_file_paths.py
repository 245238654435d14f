"""What ``audit --files`` reads: files as named, a directory's YAML files, or stdin.

CI jobs audit a folder of manifests (``kubectl kustomize > out/``, a GitOps repository)
or pipe a render (``helm template . | chartsafe audit --files -``), as kube-linter and
checkov take a directory and kubeconform takes stdin. A directory is searched for
``*.yaml`` and ``*.yml`` files at any depth, read in path order; names starting with a dot
(``.git``, ``.github``) are left out, and so is a chart directory below it: its
templates are Go templates, not YAML, and ``chartsafe audit CHART`` renders them. A
directory that is itself a chart is refused with that advice.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .._errors import InputError

__all__ = ["STDIN", "expand_paths", "read_stdin"]

#: The path that names standard input, as in helm's ``-f -``.
STDIN = Path("-")

_SUFFIXES = (".yaml", ".yml")


def expand_paths(paths: Sequence[str | os.PathLike[str]]) -> tuple[list[Path], list[str]]:
    """The files to read, in order, and notes on what a directory's search left out.

    Raises InputError for stdin named twice, a directory that is a chart, and a directory
    with no YAML file to read.
    """
    files: list[Path] = []
    notes: list[str] = []
    for given in paths:
        path = Path(given)
        if path == STDIN and str(given) != "-":
            path = path.absolute()  # ./- is a file called -: not stdin, which Path("./-") is
        if path == STDIN:
            if STDIN in files:
                raise InputError("--files -: stdin is named twice", hint="name - once")
            files.append(STDIN)
        elif path.is_dir():
            found, skipped = _directory_files(path)
            files.extend(found)
            notes.extend(
                f"{chart}: a chart, not read (chartsafe audit {chart})" for chart in skipped
            )
        else:
            files.append(path)
    return files, notes


def _directory_files(directory: Path) -> tuple[list[Path], list[Path]]:
    """The YAML files under ``directory``, and the chart directories left out."""
    if (directory / "Chart.yaml").is_file():
        raise InputError(
            f"{directory}: is a chart: its templates are not manifests",
            values_file=directory,
            hint=f"chartsafe audit {directory} renders and audits it",
        )
    found: list[Path] = []
    charts: list[Path] = []
    for root, dirs, names in os.walk(directory):
        here = Path(root)
        kept = []
        for name in sorted(dirs):
            if name.startswith("."):
                continue
            if (here / name / "Chart.yaml").is_file():
                charts.append(here / name)
            else:
                kept.append(name)
        dirs[:] = kept  # os.walk descends into these only, in this order
        found.extend(
            here / name for name in names if name.endswith(_SUFFIXES) and not name.startswith(".")
        )
    if not found:
        raise InputError(
            f"{directory}: no .yaml or .yml file in it",
            values_file=directory,
            hint="name the files, or a directory that holds manifests or values files",
        )
    return sorted(found), charts


def read_stdin() -> str:
    """Standard input, whole, read as a file is (UTF-8, universal newlines); bad input
    when it is not UTF-8. Decoded here, not by ``sys.stdin``: under a C locale that one
    lets undecodable bytes through as surrogates, which the YAML reader then names."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # replaced by a text stream (a test, an embedding program)
        return sys.stdin.read()
    text = io.TextIOWrapper(buffer, encoding="utf-8", newline=None)
    try:
        return text.read()
    except UnicodeDecodeError:
        raise InputError("--files -: stdin is not UTF-8 text", values_file="-") from None
    finally:
        text.detach()  # leaves sys.stdin's own buffer open
