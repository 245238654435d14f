"""Secret keys a chart makes anew on every render: ``randAlphaNum``, ``genPrivateKey``, ``uuidv4``.

DESIGN.md names the failure: "a randAlphaNum password changes on every upgrade". The chart's
Secret then holds a new password after each ``helm upgrade``, while the database initialised
with the first one still expects it; sessions signed, data encrypted or peers configured with
the old value stop working. A store cannot help while the chart makes the value itself.

Found the only way that does not guess at templates: the chart is rendered a second time with
the same inputs, and a key of a Secret the chart renders whose value differs between the two
renders is one Helm will replace on every upgrade. Values are compared, never kept or shown.
Only Secrets an upgrade applies count: a hook Secret whose events name no upgrade (a
``pre-install`` hook, a test) is created when its event comes and never replaced by an upgrade.

Charts that keep such a value with ``lookup`` (read the live Secret, generate only when it is
absent) are stable only where the render can read the cluster: ``helm install``/``upgrade``,
not ``helm template``, ``--dry-run``, ``chartsafe up --out`` or a GitOps controller rendering
offline (Argo CD). Which keys a chart keeps that way is told key by key
(``RegeneratedKey.kept_by_lookup``, see ``_regenerated_lookup``): one ``lookup`` elsewhere in
the chart, or one kept key beside a regenerated one, keeps nothing else.
"""

from __future__ import annotations

import dataclasses
import io
import re
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._go_log import already_printed
from ._objects import K8sObject
from ._regenerated_lookup import kept_keys, secret_data, shapes_of
from ._render import RenderOptions, RenderResult, render_chart

__all__ = ["RegeneratedKey", "calls_lookup", "regenerated_keys"]


@dataclass(frozen=True)
class RegeneratedKey:
    """One key of a Secret the chart renders that differs from one render to the next."""

    namespace: str
    secret: str
    key: str
    obj: K8sObject  # the Secret, from the first render
    #: the chart keeps it with ``lookup`` where it renders against the cluster (install,
    #: upgrade), not offline; False: made anew on every upgrade, whatever lookup finds
    kept_by_lookup: bool = False


#: The hook events on which an upgrade applies a hook object (a regular object: always).
_UPGRADE_EVENTS = frozenset({"pre-upgrade", "post-upgrade"})


def _replaced_by_upgrades(obj: K8sObject) -> bool:
    """Whether ``helm upgrade`` applies ``obj`` again: a regular object, or a hook of an
    upgrade event. A ``pre-install`` hook is created once; rollback, delete and test hooks
    run the release's recorded manifests, not a new render."""
    return obj.hook is None or any(event in _UPGRADE_EVENTS for event in obj.hook.events)


def _secret_values(objects: list[K8sObject]) -> dict[tuple[str, str], tuple[K8sObject, Any]]:
    """Each rendered Secret an upgrade applies, with its keys' values as the API server
    stores them (``stringData`` over ``data``)."""
    secrets = {}
    for obj in objects:
        if obj.kind == "Secret" and obj.api_version == "v1" and _replaced_by_upgrades(obj):
            secrets[(obj.namespace_or_release, obj.name)] = (obj, secret_data(obj))
    return secrets


def regenerated_keys(first: RenderResult, options: RenderOptions) -> list[RegeneratedKey]:
    """The keys of ``first``'s Secrets that a second render with the same inputs changes,
    each marked when the chart keeps it with ``lookup`` (``_regenerated_lookup.kept_keys``).

    Where that cannot be told (a ``lookup`` call that cannot be rewritten, a copy of the chart
    that does not render), a key of a chart calling ``lookup`` counts as kept: a false warning
    that a kept key is made anew would send a person to change a chart that is right.
    """
    quiet = dataclasses.replace(options, validate=False, show_only=[], include_crds=False)
    with already_printed():  # Helm's warnings: the first render printed them
        second = _secret_values(render_chart(first.chart, first.user_values, quiet).objects)
    changed = []
    for (namespace, name), (obj, values) in sorted(_secret_values(first.objects).items()):
        again = second.get((namespace, name))
        if again is None:
            continue  # its name changed too: not the same Secret to compare
        for key in sorted(values):
            if key in again[1] and again[1][key] != values[key]:
                changed.append(RegeneratedKey(namespace, name, str(key), obj))
    if not changed or not calls_lookup(first.chart):
        return changed
    wanted = {(c.namespace, c.secret, c.key) for c in changed}
    kept = kept_keys(first, options, shapes_of(first.objects), wanted)
    return [
        dataclasses.replace(
            c, kept_by_lookup=kept is None or (c.namespace, c.secret, c.key) in kept
        )
        for c in changed
    ]


#: A call of Helm's ``lookup`` (``lookup "v1" "Secret" ns name``, ``(lookup $api ...)``).
_LOOKUP = re.compile(rb"\blookup\s+[\"$.(]")


def calls_lookup(chart: Path) -> bool:
    """Whether a template of the chart or of a subchart (unpacked or packaged) calls ``lookup``."""
    if chart.is_dir():
        return any(_LOOKUP.search(text) for text in _directory_templates(chart))
    return any(_LOOKUP.search(text) for text in _archive_templates(chart.read_bytes()))


def _directory_templates(root: Path) -> Iterator[bytes]:
    for path in sorted(root.rglob("*")):
        parts = path.relative_to(root).parts
        if not path.is_file():
            continue
        if path.suffix == ".tgz" and "charts" in parts:
            yield from _archive_templates(path.read_bytes())
        elif "templates" in parts:
            yield path.read_bytes()


def _archive_templates(data: bytes) -> Iterator[bytes]:
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as archive:
            for member in archive:
                content = archive.extractfile(member) if member.isfile() else None
                if content is None:
                    continue
                if member.name.endswith(".tgz") and "/charts/" in member.name:
                    yield from _archive_templates(content.read())
                elif "/templates/" in member.name:
                    yield content.read()
    except (tarfile.TarError, OSError, EOFError):
        return  # Helm loaded it; what cannot be read here is simply not searched
