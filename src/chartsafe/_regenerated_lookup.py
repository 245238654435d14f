"""Which of the keys a chart makes anew on every render it keeps with ``lookup``.

A chart keeps a generated value across upgrades by reading its own Secret back from the
cluster (``$old := lookup "v1" "Secret" ns name``) and writing the value it finds instead of
a new one. Offline, ``lookup`` finds nothing, so such a key changes between two renders just
as a key the chart never keeps does; a chart calling ``lookup`` somewhere says nothing about
which key it keeps (a bitnami-style Secret keeps ``postgres-password`` and makes ``password``
anew on every upgrade, side by side in one template).

The rule, without reading the template's logic: the chart is rendered twice more the way
``helm upgrade`` renders it where the release already runs, with every ``lookup`` of a
Secret the first render made finding that Secret. A key kept with ``lookup`` then comes out
the same in both renders (its value is what the cluster holds); a key that still differs is
made anew on every upgrade, whatever ``lookup`` finds. The Secret found holds every key the
first render gave it, each with one fixed placeholder: no value of the release is written
anywhere, and the values of the two renders are compared, never kept or shown.

``lookup`` cannot be given another answer from outside Helm's engine, so the two renders
read a private copy of the chart in which each ``lookup A B C D`` call of a template (the
chart's and its subcharts', unpacked or packaged) reads the answer from a named template
added to the copy (``_lookup_calls``). A key the chart does not write where ``lookup`` finds
its Secret (the whole Secret skipped when it exists) is not replaced either: kept. Where a
call cannot be rewritten (its last argument piped in) or the copy does not render, the
answer is "cannot tell", and the caller keeps to what it said before (the chart calls
lookup: kept against a cluster), so a key is never said to be made anew because this
module failed.
"""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
import tarfile
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from ._errors import ChartsafeError
from ._go_log import already_printed
from ._lookup_calls import DEFINE, rewrite_lookups
from ._objects import K8sObject
from ._render import RenderOptions, RenderResult, render_chart

__all__ = ["SecretShape", "kept_keys", "secret_data", "shapes_of"]

#: The file of the copy's top chart that defines the named template the calls include.
_DEFINE_FILE = "_chartsafe_lookup.tpl"
#: The value of every key of a Secret the rewritten ``lookup`` finds (base64, as ``data``).
_PLACEHOLDER = base64.b64encode(b"chartsafe-kept-value").decode()
#: What a name or key must be made of to be written into the added template as it is.
_PLAIN = re.compile(r"^[-._a-zA-Z0-9]+$")


@dataclass(frozen=True)
class SecretShape:
    """A Secret of the first render, as the rewritten ``lookup`` returns it: names only."""

    namespace: str
    name: str
    type: str | None
    keys: tuple[str, ...]


def kept_keys(
    first: RenderResult,
    options: RenderOptions,
    secrets: list[SecretShape],
    wanted: set[tuple[str, str, str]],
) -> set[tuple[str, str, str]] | None:
    """The (namespace, Secret, key) of ``wanted`` that the chart keeps with ``lookup``, or
    None when that cannot be told (a call not rewritten, a copy that does not render)."""
    with tempfile.TemporaryDirectory(prefix="chartsafe-lookup-") as scratch:
        copy, complete = _rewritten_copy(first.chart, Path(scratch), _define_text(secrets))
        if copy is None:
            return None
        quiet = replace(options, validate=False, show_only=[], include_crds=False)
        try:
            with already_printed():
                one = _values(render_chart(copy, first.user_values, quiet).objects)
                two = _values(render_chart(copy, first.user_values, quiet).objects)
        except ChartsafeError:
            return None
    kept = set()
    for namespace, name, key in wanted:
        a = one.get((namespace, name), {})
        b = two.get((namespace, name), {})
        if key not in a or key not in b or a[key] == b[key]:
            kept.add((namespace, name, key))  # the same, or not written where it exists
        elif not complete:
            kept.add((namespace, name, key))  # a lookup left as it was may keep it
    return kept


def secret_data(obj: K8sObject) -> dict[str, object]:
    """A rendered Secret's keys and values as the API server stores them (``stringData``
    over ``data``)."""
    data = obj.body.get("data")
    string_data = obj.body.get("stringData")
    values = {
        **(data if isinstance(data, dict) else {}),
        **(string_data if isinstance(string_data, dict) else {}),
    }
    return {str(k): v for k, v in values.items()}


def _is_secret(obj: K8sObject) -> bool:
    return obj.kind == "Secret" and obj.api_version == "v1"


def _values(objects: list[K8sObject]) -> dict[tuple[str, str], dict[str, object]]:
    return {(o.namespace_or_release, o.name): secret_data(o) for o in objects if _is_secret(o)}


def shapes_of(objects: list[K8sObject]) -> list[SecretShape]:
    """The Secrets a render made, as the rewritten ``lookup`` returns them (names only)."""
    shapes: dict[tuple[str, str], SecretShape] = {}
    for obj in objects:
        if _is_secret(obj):
            kind = obj.body.get("type")
            keys = tuple(sorted(secret_data(obj)))
            where = (obj.namespace_or_release, obj.name)
            shapes[where] = SecretShape(*where, str(kind) if kind else None, keys)
    return list(shapes.values())


def _define_text(secrets: list[SecretShape]) -> str:
    """The named template the rewritten calls include: the found Secret as JSON, or nothing
    (``fromYaml`` of nothing is an empty map: what ``lookup`` returns offline)."""
    lines = [
        f'{{{{- define "{DEFINE}" -}}}}',
        "{{- $api := toString (index . 0) -}}{{- $kind := toString (index . 1) -}}",
        "{{- $ns := toString (index . 2) -}}{{- $name := toString (index . 3) -}}",
        '{{- if and (eq $api "v1") (eq $kind "Secret") -}}',
    ]
    for shape in secrets:
        plain = [k for k in shape.keys if _PLAIN.match(k)]
        if not (_PLAIN.match(shape.namespace) and _PLAIN.match(shape.name)):
            continue
        body = {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": shape.name, "namespace": shape.namespace},
            "type": shape.type or "Opaque",
            "data": dict.fromkeys(plain, _PLACEHOLDER),
        }
        lines.append(
            f'{{{{- if and (eq $ns "{shape.namespace}") (eq $name "{shape.name}") -}}}}'
            f"{json.dumps(body)}{{{{- end -}}}}"
        )
    lines += ["{{- end -}}", "{{- end -}}", ""]
    return "\n".join(lines)


# -- the copy -------------------------------------------------------------------------------


def _rewritten_copy(chart: Path, scratch: Path, define: str) -> tuple[Path | None, bool]:
    """The chart copied into ``scratch`` with its ``lookup`` calls rewritten and the named
    template added; whether every call was rewritten. None when it cannot be copied."""
    try:
        if chart.is_dir():
            target = scratch / chart.name
            shutil.copytree(chart, target, ignore=shutil.ignore_patterns(".git"))
            complete = _rewrite_directory(target)
            (target / "templates").mkdir(exist_ok=True)
            (target / "templates" / _DEFINE_FILE).write_text(define)
            return target, complete
        data, complete = _rewrite_archive(chart.read_bytes(), define)
        target = scratch / chart.name
        target.write_bytes(data)
        return target, complete
    except (OSError, tarfile.TarError, EOFError, ValueError):
        return None, False


def _rewrite_directory(root: Path) -> bool:
    complete = True
    for path in sorted(root.rglob("*")):
        parts = path.relative_to(root).parts
        if not path.is_file():
            continue
        if path.suffix == ".tgz" and "charts" in parts:
            data, done = _rewrite_archive(path.read_bytes(), None)
            path.write_bytes(data)
            complete &= done
        elif "templates" in parts:
            raw = path.read_bytes()
            text, done = _rewrite_bytes(raw)
            if text is not None:
                path.write_text(text)
            complete &= done
    return complete


def _rewrite_bytes(raw: bytes) -> tuple[str | None, bool]:
    """The template rewritten (None: unchanged) and whether every call was rewritten."""
    if b"lookup" not in raw:
        return None, True
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, False
    rewritten, complete = rewrite_lookups(text)
    return (rewritten if rewritten != text else None), complete


def _rewrite_archive(data: bytes, define: str | None) -> tuple[bytes, bool]:
    """A chart archive with its templates rewritten (and ``define`` added to the top chart's
    templates, when given), nested chart archives too."""
    complete = True
    out = io.BytesIO()
    top: str | None = None
    with (
        tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as source,
        tarfile.open(fileobj=out, mode="w:gz") as target,
    ):
        for member in source:
            content = source.extractfile(member) if member.isfile() else None
            if top is None and "/" in member.name:
                top = member.name.split("/", 1)[0]
            if content is None:
                target.addfile(member)
                continue
            raw = content.read()
            if member.name.endswith(".tgz") and "/charts/" in member.name:
                raw, done = _rewrite_archive(raw, None)
                complete &= done
            elif "/templates/" in member.name:
                text, done = _rewrite_bytes(raw)
                raw = raw if text is None else text.encode()
                complete &= done
            info = tarfile.TarInfo(member.name)
            info.size, info.mode, info.mtime = len(raw), member.mode, member.mtime
            target.addfile(info, io.BytesIO(raw))
        if define is not None:
            if top is None:
                raise ValueError("a chart archive without a top directory")
            added = define.encode()
            info = tarfile.TarInfo(f"{top}/templates/{_DEFINE_FILE}")
            info.size, info.mode = len(added), 0o644
            target.addfile(info, io.BytesIO(added))
    return out.getvalue(), complete
