"""The text of a chart's own files, for rules that ask whether a rendered value was written
into the chart itself (a template literal, a file read with ``.Files.Get``) rather than given
in values.

Values files are left out (``values.yaml``, ``values-prod.yaml``...): what they hold is
judged as values by the values rules. A chart directory or a packaged ``.tgz`` (an
``oci://`` chart is pulled as one) is read; binary files (a NUL byte), files over
``MAX_FILE_BYTES`` and subcharts packaged inside ``charts/`` are skipped.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

__all__ = ["MAX_FILE_BYTES", "chart_texts"]

MAX_FILE_BYTES = 1 << 20
_VALUES_FILE = re.compile(r"values[^/]*\.ya?ml\Z")


def _kept(name: str, size: int) -> bool:
    base = name.rsplit("/", 1)[-1]
    return size <= MAX_FILE_BYTES and not _VALUES_FILE.match(base) and not base.endswith(".tgz")


def _text(data: bytes) -> str | None:
    return None if b"\0" in data else data.decode("utf-8", "replace")


def chart_texts(chart: Path, name: str) -> list[tuple[str, str]]:
    """(path, text) of each text file of ``chart``, values files excepted; a path starts with
    the chart's ``name``, as Helm names templates (``name/files/key.pem``), also for a
    directory named otherwise (a packaged chart's files are under its name already)."""
    if chart.is_dir():
        return _directory_texts(chart, name or chart.name)
    import tarfile  # here: a chart directory and audit --files need none of it

    try:
        with tarfile.open(chart) as archive:
            found = []
            for member in archive:
                if not member.isfile() or not _kept(member.name, member.size):
                    continue
                stream = archive.extractfile(member)
                text = _text(stream.read()) if stream is not None else None
                if text is not None:
                    found.append((member.name, text))
            return found
    except (OSError, tarfile.TarError):
        return []  # the render read it; a chart that cannot be read again gives no text


def _directory_texts(chart: Path, name: str) -> list[tuple[str, str]]:
    found = []
    for folder, _dirs, files in os.walk(chart):  # links to folders are not followed
        for file in files:
            path = Path(folder, file)
            shown = f"{name}/{path.relative_to(chart).as_posix()}"
            try:
                if path.is_symlink() or not _kept(shown, path.stat().st_size):
                    continue
                text = _text(path.read_bytes())
            except OSError:
                continue
            if text is not None:
                found.append((shown, text))
    return found
