"""One revision as its record holds it: :class:`ReleaseStatus`, and Helm's release object.

``status``, ``get`` and ``test`` read a whole record (the SDK's ``get_all``: summary,
manifest, hooks, user values, times); what it holds is printed as ``helm status -o json``
prints the release, with every secret value the revision carries masked (see
``_secret_like``). ``install`` and ``upgrade`` print the same object for the revision they
wrote (``_release_outcome``), so the masking lives here once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ._helm_release import ClusterTarget, HelmReleases
from ._objects import K8sObject, sort_for_install
from ._output import MASK, manifests_yaml, masked_body, secret_value_count
from ._refs import SecretValues, format_path, has_path, mask_paths
from ._release_errors import scrub
from ._release_summary import ReleaseInfo
from ._rendered import parse_rendered, split_documents
from ._secret_like import mask_values, release_secret_strings

__all__ = [
    "HookRun",
    "ReleaseStatus",
    "hook_objects",
    "hook_test_runs",
    "manifest_objects",
    "recorded_secrets",
    "release_status",
    "status_of_record",
]


def manifest_objects(manifest: str, namespace: str) -> list[K8sObject]:
    """A stored release manifest (``---`` / ``# Source:`` documents) back into objects."""
    by_source: dict[str, list[str]] = {}
    for doc in split_documents(manifest):
        source, _, rest = doc.partition("\n")
        if source.startswith("# Source: "):
            by_source.setdefault(source[len("# Source: ") :].strip(), []).append(rest)
        else:
            by_source.setdefault("(unknown)", []).append(doc)
    rendered = {source: "\n---\n".join(docs) for source, docs in by_source.items()}
    return sort_for_install(parse_rendered(rendered, namespace).objects)


def hook_objects(hooks: list[dict[str, Any]], namespace: str) -> list[K8sObject]:
    """The hooks of a stored release (``get all``), as objects."""
    rendered: dict[str, list[str]] = {}
    for hook in hooks:
        rendered.setdefault(str(hook.get("path") or hook.get("name")), []).append(
            str(hook.get("manifest", ""))
        )
    return parse_rendered(
        {source: "\n---\n".join(docs) for source, docs in rendered.items()}, namespace
    ).objects


@dataclass(frozen=True)
class HookRun:
    """One test hook and its last run, as the release's record holds it."""

    name: str
    kind: str
    started: str
    completed: str
    phase: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "started": self.started,
            "completed": self.completed,
            "phase": self.phase,
        }


def hook_test_runs(
    hooks: Iterable[dict[str, Any]], selects: Callable[[str], bool] = lambda name: True
) -> list[HookRun]:
    """The test hooks of a stored release (``get all``'s hooks) that ``selects`` picks, each
    with its last run as the record holds it (empty strings: never run)."""
    runs = []
    for hook in hooks:
        name = str(hook.get("name", ""))
        if "test" not in [str(e) for e in hook.get("events") or []] or not selects(name):
            continue
        last = hook.get("last_run") or {}
        runs.append(
            HookRun(
                name=name,
                kind=str(hook.get("kind", "")),
                started=str(last.get("started_at") or ""),
                completed=str(last.get("completed_at") or ""),
                phase=str(last.get("phase") or ""),
            )
        )
    return runs


@dataclass
class ReleaseStatus:
    """``status``: the revision, its notes, and the objects and hooks it holds."""

    release: ReleaseInfo
    notes: str
    objects: list[K8sObject] = field(default_factory=list)
    hooks: list[K8sObject] = field(default_factory=list)
    recorded: SecretValues = field(default_factory=SecretValues, repr=False)
    secret_strings: set[str] = field(default_factory=set, repr=False)
    #: the notes as the record holds them, for ``--reveal`` (``notes`` is masked)
    stored_notes: str = field(default="", repr=False)
    #: the test hooks and their last run (``chartsafe test`` runs them)
    tests: list[HookRun] = field(default_factory=list)
    #: the record's times: ``first_deployed``, ``last_deployed``, ``deleted`` (RFC 3339)
    times: dict[str, str] = field(default_factory=dict)
    #: the user-supplied values and the hook records, as stored (unmasked)
    config: dict[str, Any] = field(default_factory=dict, repr=False)
    hook_records: list[dict[str, Any]] = field(default_factory=list, repr=False)

    def redact(self, text: str) -> str:
        """``text`` with the revision's secret values masked wherever they were copied: the
        values its record says were secret, and what its own Secrets carry."""
        return scrub(self.recorded.redact(text), self.secret_strings)

    def masked_values(self, values: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        """``values`` of this revision (user-supplied or computed) with the secret ones
        masked, and the masked paths: those the record says were secret, then what looks
        secret (key names, value shapes, the data of the release's own Secrets)."""
        recorded = self.recorded
        by_path = [p for p in recorded.paths if has_path(values, p)]
        masked, paths = mask_values(
            mask_paths(values, by_path, MASK), self.secret_strings | recorded.texts
        )
        return masked, sorted({*paths, *(format_path(p) for p in by_path)})

    def _hook_record(self, stored: dict[str, Any]) -> dict[str, Any]:
        """A stored hook record with its manifest masked (a Secret's values, copies)."""
        text = str(stored.get("manifest", ""))
        parsed = hook_objects([stored], self.release.namespace)
        if len(parsed) == 1 and secret_value_count(parsed):
            from ._yaml_dump import dump

            text = dump(masked_body(parsed[0]))
        return {**stored, "manifest": self.redact(text)}

    def as_dict(self) -> dict[str, Any]:
        """The revision as ``helm status -o json`` prints it: Helm's release object (its
        chart left out, as helm leaves it out), with every secret value masked (the user
        values as ``get values``, the manifest and hooks as ``get manifest``/``get hooks``);
        then what chartsafe adds: the ``--labels``, the objects the manifest holds, and the
        test hooks' last runs."""

        def listing(objects: list[K8sObject]) -> Iterator[dict[str, Any]]:
            for o in objects:
                hook = o.hook.as_dict() if o.hook else None
                yield {"kind": o.kind, "name": o.name, "namespace": o.namespace,
                       "source": o.source, "hook": hook}  # fmt: skip

        r = self.release
        info: dict[str, Any] = {
            "first_deployed": self.times.get("first_deployed", ""),
            "last_deployed": self.times.get("last_deployed") or r.updated,
        }
        # the rest absent when empty, as Helm 4 writes them (its own records have no
        # "deleted" until an uninstall keeps the history; Helm 3's held "deleted": "")
        extra = {"deleted": self.times.get("deleted", ""), "description": r.description,
                 "status": r.status, "notes": self.notes}  # fmt: skip
        info |= {key: value for key, value in extra.items() if value}
        shown: dict[str, Any] = {"name": r.name, "info": info}
        if self.config:
            shown["config"] = self.masked_values(self.config)[0]
        manifest = self.redact(manifests_yaml(self.objects))
        if manifest:
            shown["manifest"] = manifest
        if self.hook_records:
            shown["hooks"] = [self._hook_record(h) for h in self.hook_records]
        shown |= {"version": r.revision, "namespace": r.namespace}
        return {
            **shown,
            "labels": dict(r.labels),
            "objects": list(listing(self.objects)),
            "tests": [run.as_dict() for run in self.tests],
        }


def recorded_secrets(target: ClusterTarget, name: str, stored: dict[str, Any]) -> SecretValues:
    """The user values a revision's record says were secret (see ``_release_record``), with
    their text from the stored values, for masking by path and redacting copies in text."""
    from ._release_record import read_secret_paths

    summary = stored.get("summary") or {}
    revision = int(summary.get("revision") or 0)
    paths = read_secret_paths(target, name, revision) if revision else None
    return SecretValues.of(dict(stored.get("config") or {}), paths or [])


def release_status(
    name: str,
    *,
    revision: int | None = None,
    target: ClusterTarget | None = None,
    action: str = "status",
    secrets: Iterable[str] = (),
) -> ReleaseStatus:
    """A revision as its record holds it (``action`` names the command in errors;
    ``secrets``: more strings to mask, see :func:`status_of_record`)."""
    target = target or ClusterTarget()
    with HelmReleases(target) as releases:
        stored = releases.get_all(name, revision, action=action)
    return status_of_record(target, name, stored, secrets=secrets)


def status_of_record(
    target: ClusterTarget, name: str, stored: dict[str, Any], *, secrets: Iterable[str] = ()
) -> ReleaseStatus:
    """The :class:`ReleaseStatus` of a record already read (the SDK's ``get_all``).

    ``secrets``: strings to mask besides those the record names, for a caller that knows
    more (the install that just wrote the record knows its SOPS and reference values even
    when recording their paths on the record failed).
    """
    recorded = recorded_secrets(target, name, stored)
    summary = dict(stored.get("summary") or {})
    info = stored.get("info") or {}
    summary.setdefault("description", info.get("description", ""))
    namespace = str(summary.get("namespace") or target.namespace)
    objects = manifest_objects(str(summary.get("manifest", "")), namespace)
    hooks = [dict(h) for h in stored.get("hooks") or []]
    times = ("first_deployed", "last_deployed", "deleted")
    found = ReleaseStatus(
        release=ReleaseInfo.from_sdk(summary),
        notes="",
        objects=objects,
        hooks=hook_objects(hooks, namespace),
        recorded=recorded,
        secret_strings=release_secret_strings(objects) | set(secrets),
        tests=hook_test_runs(hooks),
        times={key: str(info[key]) for key in times if info.get(key)},
        config=dict(stored.get("config") or {}),
        hook_records=hooks,
    )
    found.stored_notes = str(summary.get("notes", ""))
    found.notes = found.redact(found.stored_notes)
    return found
