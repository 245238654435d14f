"""A chart archive (as Helm's ``Save`` writes it) rewritten before Helm loads it again.

The SDK loads a chart from a directory or an archive and renders it as it is; two
things chartsafe must render differently have no SDK option, and are edits of the
archive instead: leaving out every ``values.schema.json`` (``--no-validate``, as Helm's
``--skip-schema-validation``), and replacing the top chart's default values (the
chart ``helm upgrade --reuse-values`` renders: the current revision's values as its
defaults). Helm's loader then reads the edited archive as it reads any other.
"""

from __future__ import annotations

import io
import json
import re
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["schema_files", "with_values", "without_schemas"]

#: A chart's (or a subchart's) values schema inside a chart archive, and a packaged subchart.
_SCHEMA_MEMBER = re.compile(r"^[^/]+/(?:charts/[^/]+/)*values\.schema\.json$")
_SUBCHART_ARCHIVE = re.compile(r"^[^/]+/(?:charts/[^/]+/)*charts/[^/]+\.tgz$")
#: The top chart's default values.
_TOP_VALUES = re.compile(r"^[^/]+/values\.yaml$")


def _rewritten(
    archive: bytes,
    edit: Callable[[str, bytes], bytes | None],
    added: dict[str, bytes] | None = None,
) -> bytes:
    """``archive`` with each file's content as ``edit`` returns it (None: left out), then
    the ``added`` files (named under the archive's top folder) at the end."""
    out = io.BytesIO()
    with (
        tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as source,
        tarfile.open(fileobj=out, mode="w:gz") as target,
    ):
        top = ""
        for member in source.getmembers():
            top = top or member.name.split("/", 1)[0]
            data = source.extractfile(member) if member.isfile() else None
            if data is None:
                target.addfile(member)
                continue
            content = edit(member.name, data.read())
            if content is not None:
                member.size = len(content)
                target.addfile(member, io.BytesIO(content))
        for name, content in (added or {}).items():
            info = tarfile.TarInfo(f"{top}/{name}")
            info.size, info.mode = len(content), 0o644
            target.addfile(info, io.BytesIO(content))
    return out.getvalue()


def without_schemas(archive: bytes) -> bytes:
    """A chart archive without the values schema of any chart in it (packaged ones too)."""

    def edit(name: str, content: bytes) -> bytes | None:
        if _SCHEMA_MEMBER.match(name):
            return None
        return without_schemas(content) if _SUBCHART_ARCHIVE.match(name) else content

    return _rewritten(archive, edit)


def with_values(archive: bytes, values: dict[str, Any]) -> bytes:
    """A chart archive whose top chart has ``values`` as its defaults (subcharts keep theirs).

    Written as JSON, which Helm's loader reads as YAML; its numbers come back as Helm's
    own values do (through JSON, as float64).
    """
    text = json.dumps(values, allow_nan=False).encode()
    edit = lambda name, content: None if _TOP_VALUES.match(name) else content  # noqa: E731
    return _rewritten(archive, edit, {"values.yaml": text})


def schema_files(directory: str, names: list[str]) -> list[str]:
    """For ``shutil.copytree``: a chart root's values.schema.json (the top, or charts/NAME)."""
    root = Path(directory)
    at_chart_root = (root / "Chart.yaml").is_file()
    return ["values.schema.json"] if at_chart_root and "values.schema.json" in names else []
