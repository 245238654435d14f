"""Reading releases: status, history, list and metadata, from Helm's release records.

What a record holds is printed as ``helm status``/``history``/``list``/``get`` print it,
with the secret values a revision carries masked (see ``_secret_like``); the values
themselves are ``_release_values``. A revision's summary (``list``, ``history``) is
:class:`ReleaseInfo` (``_release_summary``); a whole record and Helm's release object
is :class:`ReleaseStatus` (``_release_status``). Both stay importable from here.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from typing import Any

from ._errors import ChartsafeError, InputError
from ._helm_release import ClusterTarget, HelmReleases
from ._release_status import (
    HookRun,
    ReleaseStatus,
    hook_objects,
    hook_test_runs,
    manifest_objects,
    recorded_secrets,
    release_status,
    status_of_record,
)
from ._release_summary import (
    ANSIC_LAYOUT,
    GET_ALL_TIME_LAYOUT,
    LIST_TIME_LAYOUT,
    ReleaseInfo,
    user_labels,
)

__all__ = [
    "ANSIC_LAYOUT",
    "GET_ALL_TIME_LAYOUT",
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


def _record_info(releases: HelmReleases, raw: dict[str, Any]) -> dict[str, Any]:
    """The ``info`` of the revision's full record; empty when that cannot be read, and
    unread when the summary already has its description (a caller that set it knows the
    record is gone: ``uninstall``).

    The listing it completes was just read, so a record gone since (or a read refused) costs
    only what the record adds, not the command.
    """
    revision = int(raw.get("revision") or 0)
    if raw.get("description") or not revision or not raw.get("name"):
        return {}
    try:
        stored = releases.get_all(str(raw["name"]), revision)
    except ChartsafeError:
        return {}
    return dict(stored.get("info") or {})


def _completed(raw: dict[str, Any], info: dict[str, Any]) -> dict[str, Any]:
    """A summary with what only the record holds: the description, and the time as Helm
    prints it (the SDK's ``deployed_at`` drops the fraction of a second that Go's JSON of
    the record's ``last_deployed`` keeps)."""
    description = raw.get("description") or info.get("description") or ""
    updated = info.get("last_deployed") or raw.get("deployed_at") or ""
    return {**raw, "description": str(description), "deployed_at": str(updated)}


def described(releases: HelmReleases, raws: Iterable[dict[str, Any]]) -> list[ReleaseInfo]:
    """Helm's summaries as :class:`ReleaseInfo`, each with its revision's description and
    its time to the nanosecond.

    The SDK's summaries (``list``, ``history``, and what ``rollback`` and ``uninstall``
    return) leave the description out and cut the time to the second; only the stored record
    (``get all``) holds them, one read per revision. A release in another namespace
    (``list -A``) is read through a Config for that namespace; memory storage has no other
    namespace to read.
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
            found.append(ReleaseInfo.from_sdk(_completed(raw, _record_info(source, raw))))
    finally:
        for opened in others.values():
            opened.close()
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
    """``helm history``: the revisions of release ``name`` as Helm lists them, at most
    ``max_revisions`` of them (Helm's ``--max``). Each comes with its description and its
    time to the nanosecond, which the SDK's summaries leave out: that is one record read per
    revision (see :func:`described`), so a long history is worth a ``max_revisions``."""
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
    from ._release_errors import ReleaseFailed

    with HelmReleases(target or ClusterTarget()) as releases:
        try:
            raw = releases.list(
                all_namespaces=all_namespaces, all_states=all_states, name_filter=name_filter,
                selector=selector, states=states, by_date=by_date, reverse=reverse,
                limit=limit, offset=offset,
            )  # fmt: skip
        except ReleaseFailed as exc:
            raise _bad_selector(selector, exc.message) or exc from None
        return described(releases, raw) if describe else [ReleaseInfo.from_sdk(r) for r in raw]


#: What Kubernetes' label-selector parser (Helm's, for ``list -l``) says of a query it refuses.
_SELECTOR_REFUSED = re.compile(r"unable to parse requirement|found '[^']*', expected")


def _bad_selector(selector: str | None, message: str) -> InputError | None:
    """Bad input naming ``-l/--selector`` when Helm's list failed on the selector's syntax
    (Helm's own parser decides, as for ``helm list -l``); None for any other failure."""
    if not selector or not _SELECTOR_REFUSED.search(message):
        return None
    why = message.removeprefix("list failed: ")
    return InputError(
        f"-l/--selector {selector!r}: not a label query ({why})",
        hint="key=value, key!=value, key in (a,b), key notin (a,b), key or !key, comma-separated",
    )
