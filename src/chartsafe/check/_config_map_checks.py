"""The ConfigMaps a release reads, held against a source, and the release's own ones it cannot
give its pods in time (``chartsafe._config_maps`` finds both), as report entries with fixes."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from .._config_maps import (
    ConfigMapNeed,
    ReleaseConfigMapGap,
    left_for_upgrade,
    release_config_map_gaps,
)
from .._hook_timing import NOT_LEFT, not_left_fix
from .._objects import K8sObject
from ._model import ConfigMapCheck
from ._sources import FoundConfigMaps

__all__ = ["check_config_maps", "release_config_map_checks", "upgrade_config_map_checks"]


def check_config_maps(
    needs: Sequence[ConfigMapNeed],
    found: Mapping[tuple[str, str], tuple[str, frozenset[str] | None]],
    *,
    unverified: Mapping[str, str],
) -> list[ConfigMapCheck]:
    """Each need held against ``found`` ((namespace, name) → (origin, keys)).

    ``unverified`` maps a namespace whose ConfigMaps could not be listed to why: its needs
    are reported as such, not as missing.
    """
    checks = []
    for need in needs:
        check = ConfigMapCheck(need.name, need.namespace, "missing", optional=need.optional,
                               readers=list(need.readers))  # fmt: skip
        there = found.get((need.namespace, need.name))
        if need.namespace in unverified:
            check.status, check.note = "unverified", unverified[need.namespace]
        elif there is not None:
            check.status, check.origin = "found", there[0]
            if there[1] is None:
                check.note = "written by an ExternalSecret: its keys are known once ESO fetches"
            else:
                check.missing_keys = sorted(need.keys - there[1])
        else:
            check.missing_keys = sorted(need.keys)
        if not check.ok:
            check.fix = _fix(need, check.missing_keys, exists=there is not None)
        checks.append(check)
    return checks


def _fix(need: ConfigMapNeed, missing: list[str], *, exists: bool) -> str:
    import shlex

    pairs = [f"--from-literal={key}=VALUE" for key in missing] or ["--from-literal=KEY=VALUE"]
    if exists:
        return (
            f"add key(s) {', '.join(missing)}: kubectl edit configmap -n "
            f"{shlex.quote(need.namespace)} {shlex.quote(need.name)}"
        )
    command = ["kubectl", "create", "configmap", need.name, "-n", need.namespace]
    return shlex.join(command) + " " + " ".join(pairs)


def release_config_map_checks(
    objects: Sequence[K8sObject], *, upgrade: bool = False
) -> list[ConfigMapCheck]:
    """Each gap of the release's own ConfigMaps, as a failing entry with its fix; ``upgrade``:
    in an upgrade of the installed release."""
    return [_release_check(gap) for gap in release_config_map_gaps(objects, upgrade=upgrade)]


def _release_check(gap: ReleaseConfigMapGap) -> ConfigMapCheck:
    missing = ", ".join(gap.missing_keys)
    fixes = [f"add key(s) {missing} to it in {gap.source}"] if missing else []
    if gap.late:
        fixes.append(gap.late_fix)
    return ConfigMapCheck(
        gap.name,
        gap.namespace,
        "late" if gap.late else "found",
        origin=f"the release ({gap.source})",
        missing_keys=list(gap.missing_keys),
        readers=list(gap.readers),
        note=gap.late,
        fix="; ".join(fixes),
    )


def upgrade_config_map_checks(
    objects: Sequence[K8sObject], lister: Callable[..., FoundConfigMaps] | None
) -> list[ConfigMapCheck]:
    """The release's ConfigMaps a pre-upgrade hook reads that the cluster does not have yet
    (``lister`` is a source's ``find_config_maps``; None: the source has none). A
    namespace whose ConfigMaps could not be listed is not reported."""
    left = left_for_upgrade(objects)
    if not left or lister is None:
        return []
    present = lister(
        {namespace for namespace, _, _, _ in left},
        names={(namespace, name) for namespace, name, _, _ in left},
    )
    return [
        ConfigMapCheck(
            name,
            namespace,
            "late",
            origin="the release",
            readers=[who],
            note=f"{who} reads it; {NOT_LEFT}",
            fix=not_left_fix("it", gap.weight),
        )
        for namespace, name, who, gap in left
        if (namespace, name) not in present.found and namespace not in present.unverified
    ]
