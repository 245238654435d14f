"""``template --output-dir``: each rendered document in a file named after its template.

Helm writes ``DIR/<chart>/templates/<file>`` (``DIR/<release>/<chart>/...`` with
``--release-name``): each document as ``---``, ``# Source:`` and its text, the documents
of one template appended in output order, and says ``wrote PATH`` once per document.
GitOps repositories are made this way, so the layout is Helm's. Each file is written
whole and atomically; with ``--reveal`` the files hold Secret values and are 0600.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from ._errors import InputError
from .store._atomic import write_atomic

__all__ = ["write_manifest_dir"]


def _inside(out_dir: Path, source: str) -> Path:
    """The file for ``source`` under ``out_dir``; a name that would leave it is refused."""
    relative = PurePosixPath(source)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise InputError(
            f"--output-dir {out_dir}: template {source!r} would be written outside it",
            hint="rename the template in the chart",
        )
    return out_dir.joinpath(*relative.parts)


def write_manifest_dir(
    out_dir: Path, documents: Sequence[tuple[str, str]], *, private: bool
) -> list[Path]:
    """Write ``documents`` ((source template, text) in output order) under ``out_dir``.

    Returns the file of each document, in order (a file repeats for each of its documents,
    as Helm's ``wrote`` lines do). ``private`` (values revealed) makes every file 0600.
    """
    files: dict[Path, list[str]] = {}
    written = []
    for source, text in documents:
        path = _inside(out_dir, source)
        files.setdefault(path, []).append(text)
        written.append(path)
    for path, texts in files.items():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, "".join(texts).encode("utf-8"), mode=0o600 if private else 0o644)
        except OSError as exc:
            where = path.relative_to(out_dir)
            raise InputError(
                f"--output-dir {out_dir}: cannot write {where} ({exc.strerror or exc})",
                hint="name a directory you can write to",
            ) from None
    return written
