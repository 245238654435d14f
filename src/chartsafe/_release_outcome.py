"""What an install or upgrade did, and every string that must not be shown from it.

An outcome carries Helm's manifest and notes, which can hold Secret data and
values the chart copied from secret inputs. :func:`secret_strings` collects
those strings (Secret data, encoded and decoded; user values under secret-like
keys; values from SOPS files and references) so that :meth:`ReleaseOutcome.redact`,
``diff`` and Helm's error messages can mask them wherever they appear.

``install``, ``upgrade`` and ``up`` have no ``--reveal``: in what they print, the printed
manifest's placeholder for a Secret value says where the value can be seen instead
(:data:`RELEASE_MASK`), rather than naming a flag these commands do not take.

``install -o json`` and ``upgrade -o json`` print Helm's release object for the revision
written (:func:`helm_release_object`), as ``helm install -o json`` does: read back from its
record, or (dry run) the release Helm returned, masked as ``status`` masks it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ._errors import ChartsafeError
from ._helm_release import ClusterTarget, HelmReleases
from ._objects import K8sObject
from ._output import MASK
from ._refs import UserValues
from ._release_errors import scrub
from ._release_settings import ReleaseSettings
from ._release_status import (
    ReleaseStatus,
    hook_objects,
    hook_test_runs,
    manifest_objects,
    release_status,
)
from ._release_summary import ReleaseInfo
from ._render import RenderResult
from ._secret_like import is_secret_like_key, release_secret_strings

__all__ = [
    "RELEASE_MASK",
    "ReleaseOutcome",
    "helm_release_object",
    "outcome_from_sdk",
    "secret_strings",
    "written_release",
]

#: A Secret value in an install/upgrade manifest: ``template`` with the same chart and values
#: renders the same Secret, and it takes ``--reveal``. No quote, so YAML quoting still holds.
RELEASE_MASK = "<masked: chartsafe template --reveal prints it>"


@dataclass
class ReleaseOutcome:
    """What an install or upgrade did (or, with a dry run, would do)."""

    action: str  # "install" or "upgrade"
    release: ReleaseInfo
    dry_run: str | None
    objects: list[K8sObject]  # the manifest Helm applied / would apply, without hooks
    render: RenderResult
    notes: str = field(default="", repr=False)  # as Helm rendered them: may quote a value
    secret_values: set[str] = field(default_factory=set, repr=False)
    #: The revision Helm's upgrade takes values from: because none were given, or (with
    #: ``reused_values_flag``) the values given are coalesced over that revision's.
    reused_values_from: int | None = None
    reused_values_flag: str | None = None  # "--reuse-values" or "--reset-then-reuse-values"

    def redact(self, text: str) -> str:
        """``text`` with every secret masked: values from SOPS files and references (raw,
        JSON-escaped, base64, wherever the chart copied them) and what the Secrets carry.

        A Secret value already masked for printing (``_output.MASK``, which names
        ``--reveal``) gets :data:`RELEASE_MASK`: these commands have no ``--reveal``.
        """
        text = text.replace(MASK, RELEASE_MASK)
        return scrub(self.render.user_values.secrets.redact(text), self.secret_values)

    def as_dict(self) -> dict[str, Any]:
        """chartsafe's own summary of what the action did, for library callers; the CLI
        prints Helm's release object instead (:func:`helm_release_object`)."""
        return {
            "action": self.action,
            "dryRun": self.dry_run,
            "release": self.release.as_dict(),
            "objects": [
                {"kind": o.kind, "name": o.name, "namespace": o.namespace, "source": o.source}
                for o in self.objects
            ],
            "warnings": list(self.render.warnings),
            "reusedValuesFrom": self.reused_values_from,
        }


def _secret_like_leaves(values: Any, parent_secret: bool = False) -> Iterator[str]:
    if isinstance(values, dict):
        for key, item in values.items():
            yield from _secret_like_leaves(item, parent_secret or is_secret_like_key(str(key)))
    elif isinstance(values, list):
        for item in values:
            yield from _secret_like_leaves(item, parent_secret)
    elif isinstance(values, str) and parent_secret:
        yield values


def secret_strings(objects: Iterable[K8sObject], user_values: dict[str, Any]) -> set[str]:
    """Every string that must not appear in a message: Secret data (encoded and decoded)
    and user values under secret-like keys."""
    objects = list(objects)
    found: set[str] = set(_secret_like_leaves(user_values)) | release_secret_strings(objects)
    # Values that came from SOPS files or ref+ references are secret whatever their key.
    if isinstance(user_values, UserValues):
        found |= user_values.secrets.texts
    for obj in objects:
        data = obj.body.get("data") if obj.kind == "Secret" else None
        if isinstance(data, dict):
            found.update(str(v) for v in data.values() if v)
    return found


def outcome_from_sdk(
    action: str,
    target: ClusterTarget,
    raw: dict[str, Any],
    result: RenderResult,
    secrets: set[str],
    settings: ReleaseSettings,
) -> ReleaseOutcome:
    """The outcome of Helm's ``action`` from the release it returned (``raw``)."""
    namespace = str(raw.get("namespace") or target.namespace)
    objects = manifest_objects(str(raw.get("manifest", "")), namespace)
    return ReleaseOutcome(
        action=action,
        release=ReleaseInfo.from_sdk(raw),
        dry_run=settings.dry_run,
        objects=objects,
        render=result,
        notes=str(raw.get("notes", "")),
        secret_values=secrets | secret_strings(objects, {}),
    )


#: Helm's descriptions of the release its install and upgrade return: a dry run's, then
#: a finished action's when no ``--description`` was given.
_DRY_RUN = "Dry run complete"
_COMPLETE = {"install": "Install complete", "upgrade": "Upgrade complete"}


def helm_release_object(
    outcome: ReleaseOutcome,
    target: ClusterTarget,
    settings: ReleaseSettings,
    *,
    hide_notes: bool = False,
) -> dict[str, Any]:
    """What ``helm install -o json`` and ``helm upgrade -o json`` print: the release the
    action returned, in the shape ``status -o json`` prints (``name``, ``info``, ``config``,
    ``manifest``, ``hooks``, ``version``, ``namespace``, then chartsafe's ``labels``,
    ``objects`` and ``tests``), every secret value masked.

    Unlike ``helm status``, Helm's install and upgrade leave the chart in: of it, its
    ``metadata`` (Helm's own JSON of Chart.yaml: name, version, appVersion...); its
    templates, files and default values are left out, as source the user has. The masks say
    where a value can be seen (:data:`RELEASE_MASK`): these commands take no ``--reveal``.
    ``hide_notes`` leaves ``info.notes`` out, as ``--hide-notes`` leaves the notes out of
    the table.
    """
    found = written_release(outcome, target, settings)
    if hide_notes:
        found.notes = ""
    shown = found.as_dict()
    chart = {"metadata": dict(outcome.render.chart_metadata)}
    ordered = {"name": shown.pop("name"), "info": shown.pop("info"), "chart": chart, **shown}
    masked: dict[str, Any] = _release_masks(ordered)
    return masked


def _release_masks(data: Any) -> Any:
    """``data`` with the placeholder that names ``--reveal`` (:data:`_output.MASK`) replaced
    by :data:`RELEASE_MASK`, in every string."""
    if isinstance(data, dict):
        return {key: _release_masks(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_release_masks(item) for item in data]
    return data.replace(MASK, RELEASE_MASK) if isinstance(data, str) else data


def written_release(
    outcome: ReleaseOutcome, target: ClusterTarget, settings: ReleaseSettings
) -> ReleaseStatus:
    """The revision this install or upgrade wrote, as ``status`` reads it.

    Read back from its record, as Helm's action returns what it stored: the times to the
    nanosecond (the SDK's summary cuts them to the second), Helm's description, the values
    Helm stored (with ``--reuse-values``, merged over the current revision's) and the hooks
    with their runs. A dry run writes no record, and memory storage keeps none past the
    command: then the release is made from what Helm returned (:func:`_unrecorded`), and so
    it is when the record cannot be read back (a warning says so; the release is done).
    Masked with every secret the outcome knows as well as what the record says.
    """
    secrets = outcome.secret_values | outcome.render.user_values.secrets.texts
    release = outcome.release
    if outcome.dry_run is None and target.storage != "memory":
        try:
            return release_status(
                release.name, revision=release.revision, target=target,
                action=outcome.action, secrets=secrets,
            )  # fmt: skip
        except ChartsafeError as exc:
            outcome.render.warnings.append(
                f"could not read revision {release.revision}'s record back "
                f"({scrub(exc.message, secrets)}); printed the release Helm returned"
            )
    return _unrecorded(outcome, target, settings, secrets)


def _unrecorded(
    outcome: ReleaseOutcome, target: ClusterTarget, settings: ReleaseSettings, secrets: set[str]
) -> ReleaseStatus:
    """The release Helm's action returned, when there is no record to read: the SDK's
    summary of it (name, revision, status, time, notes, manifest), the description Helm
    gives it, the values Helm was given, and the hooks as rendered, never run (Helm's dry
    run holds them too). An upgrade keeps the release's first deployment time, read from
    its current record."""
    release = outcome.release
    if outcome.dry_run is None:
        description = settings.description or _COMPLETE[outcome.action]
    elif outcome.action == "upgrade" and settings.description:
        description = settings.description  # Helm's upgrade keeps it on a dry run; install not
    else:
        description = _DRY_RUN
    first = _first_deployed(target, release.name) if outcome.action == "upgrade" else None
    times = {"first_deployed": release.updated if first is None else first,
             "last_deployed": release.updated}  # fmt: skip
    hooks = [_hook_record(o) for o in outcome.render.hooks]
    values = outcome.render.user_values
    found = ReleaseStatus(
        release=dataclasses.replace(release, description=description),
        notes="",
        objects=outcome.objects,
        hooks=hook_objects(hooks, release.namespace),
        recorded=values.secrets,
        secret_strings=release_secret_strings(outcome.objects) | secrets,
        tests=hook_test_runs(hooks),
        times=times,
        config=dict(values),
        hook_records=hooks,
    )
    found.stored_notes = outcome.notes
    found.notes = found.redact(outcome.notes)
    return found


def _hook_record(hook: K8sObject) -> dict[str, Any]:
    """A rendered hook as Helm's release holds it before it runs, in the JSON the SDK gives
    for Helm's ``release.Hook`` (empty fields left out; a run not yet made, a blank phase)."""
    record: dict[str, Any] = {
        "name": hook.name,
        "kind": hook.kind,
        "path": hook.source,
        "manifest": hook.text,
        "events": list(hook.hook.events) if hook.hook else [],
        "last_run": {"phase": ""},
    }
    if hook.hook and hook.hook.weight:
        record["weight"] = hook.hook.weight
    if hook.hook and hook.hook.delete_policies:
        record["delete_policies"] = list(hook.hook.delete_policies)
    return record


def _first_deployed(target: ClusterTarget, name: str) -> str:
    """When the release was first deployed, from its last record (Helm's upgrade copies it
    to each revision); "" when that cannot be read."""
    try:
        with HelmReleases(target) as releases:
            stored = releases.get_all(name, action="upgrade")
    except ChartsafeError:
        return ""
    return str((stored.get("info") or {}).get("first_deployed") or "")
