"""Reading releases: status, history, list and metadata, from Helm's release records.

What a record holds is printed as ``helm status``/``history``/``list``/``get``
print it, with the secret values a revision carries masked (see
``_secret_like``); the values themselves are ``_release_values``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ._errors import ChartsafeError
from ._helm_release import ClusterTarget, HelmReleases
from ._objects import K8sObject, parse_rendered, sort_for_install, split_documents
from ._output import MASK, manifests_yaml, masked_body, secret_value_count
from ._refs import SecretValues, format_path, has_path, mask_paths
from ._release_errors import scrub
from ._release_settings import SYSTEM_LABELS
from ._secret_like import mask_values, release_secret_strings

__all__ = [
    "LIST_TIME_LAYOUT",
    "HookRun",
    "ReleaseInfo",
    "ReleaseStatus",
    "described",
    "hook_objects",
    "hook_test_runs",
    "list_releases",
    "manifest_objects",
    "recorded_secrets",
    "release_history",
    "release_metadata",
    "release_status",
    "status_of_record",
    "user_labels",
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


#: How ``helm list`` prints a release's time without ``--time-format``: Go's
#: ``time.Time.String()`` (``2026-01-02 10:00:00 +0000 UTC``), in the table and in -o json.
LIST_TIME_LAYOUT = "2006-01-02 15:04:05.999999999 -0700 MST"


def user_labels(labels: dict[str, Any] | None) -> dict[str, str]:
    """A release's ``--labels``: its labels without those Helm's storage sets itself."""
    return {str(k): str(v) for k, v in (labels or {}).items() if k not in SYSTEM_LABELS}


@dataclass
class ReleaseInfo:
    """One revision of a release, as ``helm list``/``history`` show it."""

    name: str
    namespace: str
    revision: int
    status: str
    chart: str
    app_version: str
    updated: str
    description: str = ""
    labels: dict[str, str] = field(default_factory=dict)  # --labels; not the storage's own

    @property
    def exists(self) -> bool:
        """Whether this names a stored revision: Helm numbers them from 1, and an action that
        found no release (``uninstall --ignore-not-found``) reports revision 0."""
        return self.revision > 0

    @classmethod
    def from_sdk(cls, raw: dict[str, Any]) -> ReleaseInfo:
        chart = str(raw.get("chart_name", ""))
        if raw.get("chart_version"):
            chart = f"{chart}-{raw['chart_version']}"
        return cls(
            name=str(raw.get("name", "")),
            namespace=str(raw.get("namespace", "")),
            revision=int(raw.get("revision") or 0),
            status=str(raw.get("status", "")),
            chart=chart,
            app_version=str(raw.get("app_version", "")),
            updated=str(raw.get("deployed_at", "")),
            description=str(raw.get("description", "")),
            labels=user_labels(raw.get("labels")),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "namespace": self.namespace,
            "revision": self.revision,
            "status": self.status,
            "chart": self.chart,
            "appVersion": self.app_version,
            "updated": self.updated,
            "description": self.description,
            "labels": dict(self.labels),
        }

    def as_list_entry(self) -> dict[str, Any]:
        """One release as ``helm list -o json`` prints it: its field names, the revision a
        string; then what chartsafe adds (the description and the ``--labels``)."""
        return {
            "name": self.name,
            "namespace": self.namespace,
            "revision": str(self.revision),
            "updated": self.updated,
            "status": self.status,
            "chart": self.chart,
            "app_version": self.app_version,
            "description": self.description,
            "labels": dict(self.labels),
        }

    def as_history_entry(self) -> dict[str, Any]:
        """One revision as ``helm history -o json`` prints it (the revision an integer);
        then what chartsafe adds (the release's name, namespace and ``--labels``)."""
        return {
            "revision": self.revision,
            "updated": self.updated,
            "status": self.status,
            "chart": self.chart,
            "app_version": self.app_version,
            "description": self.description,
            "name": self.name,
            "namespace": self.namespace,
            "labels": dict(self.labels),
        }


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
            import yaml

            text = yaml.safe_dump(masked_body(parsed[0]), sort_keys=False)
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
            "deleted": self.times.get("deleted", ""),
        }
        # the rest as Helm's omitempty fields: absent when empty
        extra = {"description": r.description, "status": r.status, "notes": self.notes}
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


def _description(releases: HelmReleases, raw: dict[str, Any]) -> str:
    """The revision's description from its full record; "" when that cannot be read.

    The listing it completes was just read, so a record gone since (or a read refused) costs
    only the description, not the command.
    """
    revision = int(raw.get("revision") or 0)
    if raw.get("description") or not revision or not raw.get("name"):
        return str(raw.get("description") or "")
    try:
        stored = releases.get_all(str(raw["name"]), revision)
    except ChartsafeError:
        return ""
    return str((stored.get("info") or {}).get("description") or "")


def described(releases: HelmReleases, raws: Iterable[dict[str, Any]]) -> list[ReleaseInfo]:
    """Helm's summaries as :class:`ReleaseInfo`, each with its revision's description.

    The SDK's summaries (``list``, ``history``, and what ``rollback`` and ``uninstall``
    return) leave the description out; only the stored record (``get all``) holds it, one
    read per revision. A release in another namespace (``list -A``) is read through a
    Config for that namespace; memory storage has no other namespace to read.
    """
    others: dict[str, HelmReleases] = {}
    found: list[ReleaseInfo] = []
    try:
        for raw in raws:
            namespace = str(raw.get("namespace") or releases.target.namespace)
            source = releases
            if namespace != releases.target.namespace and releases.target.storage != "memory":
                if namespace not in others:
                    target = dataclasses.replace(releases.target, namespace=namespace)
                    others[namespace] = HelmReleases(target, secrets=releases.secrets)
                source = others[namespace]
            found.append(ReleaseInfo.from_sdk({**raw, "description": _description(source, raw)}))
    finally:
        for opened in others.values():
            opened.close()
    return found


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
) -> ReleaseStatus:
    """A revision as its record holds it (``action`` names the command in errors)."""
    target = target or ClusterTarget()
    with HelmReleases(target) as releases:
        stored = releases.get_all(name, revision, action=action)
    return status_of_record(target, name, stored)


def status_of_record(target: ClusterTarget, name: str, stored: dict[str, Any]) -> ReleaseStatus:
    """The :class:`ReleaseStatus` of a record already read (the SDK's ``get_all``)."""
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
        secret_strings=release_secret_strings(objects),
        tests=hook_test_runs(hooks),
        times={key: str(info[key]) for key in times if info.get(key)},
        config=dict(stored.get("config") or {}),
        hook_records=hooks,
    )
    found.stored_notes = str(summary.get("notes", ""))
    found.notes = found.redact(found.stored_notes)
    return found


def release_metadata(
    name: str, *, revision: int | None = None, target: ClusterTarget | None = None
) -> dict[str, Any]:
    """``helm get metadata``: chart, versions, namespace, revision, status, deployment time
    and the ``--labels`` (the storage's own labels left out)."""
    with HelmReleases(target or ClusterTarget()) as releases:
        found = releases.get_metadata(name, revision=revision)
    found["labels"] = user_labels(found.get("labels"))
    return found


def release_history(
    name: str, *, max_revisions: int | None = None, target: ClusterTarget | None = None
) -> list[ReleaseInfo]:
    with HelmReleases(target or ClusterTarget()) as releases:
        return described(releases, releases.history(name, max_revisions))


def list_releases(
    *,
    all_namespaces: bool = False,
    all_states: bool = False,
    name_filter: str | None = None,
    selector: str | None = None,
    target: ClusterTarget | None = None,
    describe: bool = True,
    states: Sequence[str] = (),
    by_date: bool = False,
    reverse: bool = False,
    limit: int | None = None,
    offset: int | None = None,
) -> list[ReleaseInfo]:
    """Helm's release list (``selector``: a label query, as ``helm list -l``; ``states``:
    ``deployed``, ``failed``, ``superseded``... as its state flags, deployed and failed
    when none; ``by_date``, ``reverse``, ``limit``, ``offset``: its sorting and paging).
    ``describe`` reads each release's record for its description (one read per release,
    see :func:`described`), which ``helm list``'s table never shows."""
    with HelmReleases(target or ClusterTarget()) as releases:
        raw = releases.list(
            all_namespaces=all_namespaces, all_states=all_states, name_filter=name_filter,
            selector=selector, states=states, by_date=by_date, reverse=reverse, limit=limit,
            offset=offset,
        )  # fmt: skip
        return described(releases, raw) if describe else [ReleaseInfo.from_sdk(r) for r in raw]
