"""Roll back and uninstall releases: Helm's own actions, and the secret paths recorded on
the revisions they make or leave (see ``_release_record``).

Split from ``_release`` (install and upgrade, gated by validation and the preflight) by
concept: these render nothing and check nothing, they take a release back.
"""

from __future__ import annotations

import contextlib

from ._errors import InputError
from ._helm_parse import validate_release_name
from ._helm_release import ClusterTarget, HelmReleases
from ._release import (
    _DROP_MEMORY,
    _deployed_revision,
    _recorded_paths,
    _refuse_empty_memory,
    _releases,
    _write_paths,
)
from ._release_info import ReleaseInfo, described
from ._release_settings import ReleaseSettings

__all__ = ["CASCADES", "rollback_release", "uninstall_release"]


def rollback_release(
    name: str,
    revision: int | None = None,
    *,
    target: ClusterTarget | None = None,
    settings: ReleaseSettings | None = None,
    releases: HelmReleases | None = None,
) -> ReleaseInfo:
    """``helm rollback NAME [REVISION]``; returns the release's newest revision afterwards.

    The new revision holds the values of the one rolled back to, so it gets that revision's
    recorded secret paths (``_release_record``); the superseded one gets its own back.
    """
    target = target or ClusterTarget()
    settings = settings or ReleaseSettings()
    validate_release_name(name)
    _refuse_empty_memory("rollback", name, target, releases, hint=_DROP_MEMORY)
    with _releases(releases, target, ()) as helm_releases:
        deployed = _deployed_revision(helm_releases, name, settings, action="rollback")
        previous = _recorded_paths(helm_releases, name, deployed)
        # the revision whose values come back (Helm's default: the one before the deployed)
        source = (revision or deployed - 1) if deployed else None
        restored = _recorded_paths(helm_releases, name, source)
        helm_releases.rollback(
            name,
            version=revision,
            timeout=settings.timeout,
            wait="watcher" if settings.wait else None,
            dry_run=settings.dry_run,
            disable_hooks=settings.no_hooks,
            force_replace=settings.force_replace,
            cleanup_on_fail=settings.cleanup_on_fail,
            max_history=settings.max_history,
            wait_for_jobs=settings.wait_for_jobs,
            server_side_apply=settings.server_side,
            force_conflicts=settings.force_conflicts,
        )
        newest = helm_releases.history(name, action="rollback")[-1:]
        info = described(helm_releases, newest)[0]
    if restored or previous:
        from ._cluster import ClusterError

        # best effort, as for upgrade; a refusal leaves masking by key names and shapes
        with contextlib.suppress(ClusterError):
            paths = restored[1] if restored else []
            _write_paths(target, info.name, info.revision, paths, previous)
    return info


#: Helm's uninstall --cascade: how the API server deletes the release's objects' dependents.
CASCADES = ("background", "foreground", "orphan")


def uninstall_release(
    name: str,
    *,
    keep_history: bool = False,
    ignore_not_found: bool = False,
    cascade: str = "background",
    target: ClusterTarget | None = None,
    settings: ReleaseSettings | None = None,
    releases: HelmReleases | None = None,
) -> ReleaseInfo:
    """``helm uninstall``; ``keep_history`` keeps the records (status ``uninstalled``);
    ``cascade`` is Helm's ``--cascade`` (one of :data:`CASCADES`); ``settings.no_hooks``
    and ``settings.description`` are Helm's ``--no-hooks`` and ``--description``.

    A release that does not exist, with ``ignore_not_found``, comes back as revision 0
    (``ReleaseInfo.exists`` is false), dry run or not, so the caller can say so.
    """
    target = target or ClusterTarget()
    settings = settings or ReleaseSettings()
    validate_release_name(name)
    if cascade not in CASCADES:
        raise InputError(
            f"--cascade {cascade}: not a deletion mode", hint=f"use one of {', '.join(CASCADES)}"
        )
    missing = ReleaseInfo(name, target.namespace, 0, "", "", "", "")
    if ignore_not_found and releases is None and target.storage == "memory":
        return missing  # a memory storage opened for this call holds no release
    _refuse_empty_memory("uninstall", name, target, releases, hint=_DROP_MEMORY)
    with _releases(releases, target, ()) as helm_releases:
        raw = helm_releases.uninstall(
            name,
            keep_history=keep_history,
            ignore_not_found=ignore_not_found,
            timeout=settings.timeout,
            wait="watcher" if settings.wait else None,
            dry_run=settings.dry_run is not None,
            disable_hooks=settings.no_hooks,
            description=settings.description,
            deletion_propagation=None if cascade == "background" else cascade,
        )
        release = raw.get("release")
        if not isinstance(release, dict) or not release:
            return missing  # Helm found nothing to remove (--ignore-not-found)
        release = {"name": name, "namespace": target.namespace, **release}
        if settings.dry_run is None and not keep_history:
            # The records are gone with the release; Helm's summary drops the description
            # it set on it, which is this (or the --description given).
            release.setdefault("description", settings.description or "Uninstallation complete")
        return described(helm_releases, [release])[0]
