"""The preflight: a release's contract held against what exists (or will) in a source.

For every Secret the release needs before install (``Contract.required``) and each of its
keys: present, missing, empty, or implausible for its format. Optional Secrets and keys are
reported but never fail. Contract hazards whose rule is in ``ERROR_RULES`` fail the check:
the install itself would fail on them. Given the rendered objects, the ConfigMaps their pods
read and the release does not create are checked too (``_config_maps``). Every gap carries
the command that fixes it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .._cluster_access import ClusterAccess
from .._hook_timing import NOT_LEFT, Absence, left_for, not_left_fix
from .._objects import K8sObject
from .._render import RenderOptions, RenderResult
from .._values import ValuesInput
from ._config_map_checks import (
    check_config_maps,
    release_config_map_checks,
    upgrade_config_map_checks,
)
from ._fixes import Fixes
from ._model import (
    CheckReport,
    ContractNotMet,
    FoundSecret,
    HazardCheck,
    KeyCheck,
    KeyStatus,
    SecretCheck,
)
from ._plausible import implausible
from ._sources import FoundConfigMaps, SecretSource, source_for

__all__ = [
    "ERROR_RULES",
    "check_chart",
    "check_contract",
    "contract_gate",
    "recorded_formats",
]

#: Hazards that make the install fail, so they fail the check. ``similar-names`` (two Secret
#: names one typo apart) is only reported: both names may be meant.
ERROR_RULES = frozenset({"hook-order", "missing-key", "unnamed-reference"})

_SKIP_HINT = "fix each gap (`chartsafe check` lists them with their fixes) or pass --skip-check"


def _generatable(ref: Any) -> dict[str, bool]:
    from ..generate import spec_for_format

    formats = {name: key.format for name, key in ref.keys.items()}
    return {
        name: spec_for_format(key.format, name, secret_formats=formats) is not None
        for name, key in ref.keys.items()
    }


def _key_status(name: str, fmt: str, found: FoundSecret) -> tuple[KeyStatus, str]:
    """(status, reason) of one key in a Secret that exists; the reason never quotes a value."""
    if found.keys is None:
        return "unverified", f"{found.kind} takes its keys from dataFrom: known once synced"
    if name not in found.keys:
        return "missing", ""
    if name in found.bad_keys:
        return "implausible", found.bad_keys[name]
    if found.values is None:
        return "unverified", f"{found.kind}: the value cannot be read before it is applied"
    raw = found.values.get(name, b"")
    if not raw.strip():
        return "empty", ""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        if fmt == "unknown":
            return "present", ""
        return "implausible", f"binary data, not {fmt} text"
    reason = implausible(fmt, text)
    return ("implausible", f"{reason} (format {fmt})") if reason else ("present", "")


#: Where a key's format came from when only its name (or an env var's) says it, or nothing
#: does: a format recorded in the store for the key wins over these.
_GUESSED = (None, "key-name", "env-name")

#: (namespace, Secret, key) → the format the store records for it (``secrets set --format``).
Recorded = Mapping[tuple[str, str, str], str]


def recorded_formats(store: Any) -> dict[tuple[str, str, str], str]:
    """The formats an open store records for its keys (those not ``unknown``)."""
    infos = store.keys()  # KeyInfo: names and metadata, no value
    return {
        (info.namespace, info.secret, info.key): info.format
        for info in infos
        if info.format and info.format != "unknown"
    }


def _format(ref: Any, key: Any, recorded: Recorded) -> str:
    """The format ``key`` is checked for: the chart's declaration, the Secret's type or a
    reader's field say it; else the person who set the value said it (recorded with
    ``secrets set --format``); else a guess from the name. A guess is often right, but a
    person knows their ``private.pem``."""
    mine = recorded.get((ref.namespace, ref.name, key.name))
    guessed = key.format_source in _GUESSED
    return mine if mine and guessed else str(key.format)


def _check_secret(
    ref: Any, found: FoundSecret | None, fixes: Fixes, recorded: Recorded
) -> SecretCheck:
    can_make = _generatable(ref)
    check = SecretCheck(
        name=ref.name,
        namespace=ref.namespace,
        status="missing" if found is None else "found",
        optional=ref.optional,
        found_as=found.kind if found else None,
        origin=found.origin if found else None,
        values_paths=list(ref.values_paths),
    )
    if found is not None and found.keys is None:
        check.status = "keys-unknown"
    if ref.test_only:  # optional for install (SecretRef.optional), and this is why
        check.note = "only helm test hooks read it: install does not need it, chartsafe test does"
    if not ref.keys_known:
        check.note = "the release reads it whole and no key list is known: only its presence"
        if found is not None and found.keys is not None and not found.keys:
            check.status = "empty"
            check.note = "it holds no key: the pods that read it whole get nothing from it"
            if not check.optional:
                check.fix.append(fixes.set(ref.namespace, ref.name, "KEY") + "  # each key")
    for name, key in sorted(ref.keys.items()):
        status: KeyStatus = "missing"
        reason = ""
        fmt = _format(ref, key, recorded)
        if found is not None:
            status, reason = _key_status(name, fmt, found)
        item = KeyCheck(name, status, fmt, key.optional or ref.optional, reason)
        if not item.ok:
            making = status == "missing" and can_make.get(name, False)
            item.fix = fixes.init() if making else fixes.set(ref.namespace, ref.name, name, fmt)
        check.keys.append(item)
    if check.status == "missing" and not check.optional:
        if any(can_make.values()) or not ref.keys:
            check.fix.append(fixes.init())
        check.fix.extend(k.fix for k in check.keys if k.fix and k.fix not in check.fix)
        if not ref.keys:
            check.fix.append(fixes.set(ref.namespace, ref.name, "KEY") + "  # each key it needs")
        if ref.values_paths:
            check.fix.append("or point the chart at another Secret: " + fixes.values_path(
                ref.values_paths))  # fmt: skip
    return check


def _hazards(contract: Any, fixes: Fixes) -> list[HazardCheck]:
    found = []
    for finding in contract.findings:
        ref = contract.get(finding.secret, finding.namespace)
        fix = ""
        if finding.rule == "hook-order" and ref is not None and ref.values_paths:
            fix = "let it exist before install: " + fixes.values_path(ref.values_paths)
        found.append(
            HazardCheck(
                rule=finding.rule,
                message=finding.message,
                secret=finding.secret,
                namespace=finding.namespace,
                key=finding.key,
                error=finding.rule in ERROR_RULES,
                fix=fix,
            )
        )
    return found


def _left_by_the_release(contract: Any) -> list[tuple[Any, str, Absence]]:
    """(Secret, reader in words, the absence) for each Secret of the release a pre-upgrade
    hook reads before the upgrade itself makes it: the hook finds it only if the deployed
    release left it (``_hook_timing.left_for``)."""
    found = []
    for ref in contract.secrets:
        if ref.required or any(c.is_operator for c in ref.creators):
            continue
        for reader in ref.readers:
            gap = None if reader.optional else left_for(ref.creators, reader)
            if gap is not None:
                found.append((ref, gap.reader_words(reader.workload), gap))
                break
    return found


def _not_left(ref: Any, who: str, gap: Absence) -> HazardCheck:
    made = ", ".join(sorted({c.ref for c in ref.creators}))
    return HazardCheck(
        rule="upgrade-order",
        message=f"{who} reads Secret {ref.name}, which {made} creates; {NOT_LEFT}",
        secret=ref.name,
        namespace=ref.namespace,
        key=None,
        error=True,
        fix=not_left_fix(made, gap.weight),
    )


def check_contract(
    contract: Any,
    source: SecretSource,
    *,
    fixes: Fixes,
    objects: Sequence[K8sObject] = (),
    upgrade: bool = False,
    formats: Recorded | None = None,
) -> CheckReport:
    """Hold ``contract`` against ``source``; lists Secrets once per namespace it needs.

    ``formats``: those a store records for its keys (``recorded_formats``), checked for
    instead of a format only the key's name suggests.

    The ConfigMaps the contract names (its pods read them, it does not create them) are
    listed once per namespace too; ``objects`` (the rendered release) add the gaps of the
    ConfigMaps it does create. ``upgrade`` (``source`` is the cluster the release is
    deployed in, or manifests standing for it): the release's own Secrets a pre-upgrade hook
    reads must be there already.
    """
    required = contract.required
    left = _left_by_the_release(contract) if upgrade else []
    needed = {(ref.namespace, ref.name) for ref in required} | {
        (ref.namespace, ref.name) for ref, *_ in left
    }
    existing = source.find({namespace for namespace, _ in needed}, names=needed)
    report = CheckReport(
        release=contract.release,
        namespace=contract.namespace,
        chart=contract.chart,
        against=source.description,
        upgrade=upgrade,
    )
    for ref in required:
        found = existing.get((ref.namespace, ref.name))
        report.secrets.append(_check_secret(ref, found, fixes, formats or {}))
    report.hazards = _hazards(contract, fixes)
    report.hazards += [
        _not_left(ref, who, gap)
        for ref, who, gap in left
        if (ref.namespace, ref.name) not in existing
    ]
    needs = contract.config_maps
    if needs:
        namespaces = {n.namespace for n in needs}
        finder = getattr(source, "find_config_maps", None)  # a source written before ConfigMaps
        present = (
            finder(namespaces, names={(n.namespace, n.name) for n in needs})
            if finder is not None
            else FoundConfigMaps(
                unverified=dict.fromkeys(namespaces, "the source lists no ConfigMaps")
            )
        )
        report.config_maps = check_config_maps(needs, present.found, unverified=present.unverified)
    report.config_maps += release_config_map_checks(objects, upgrade=contract.upgrade)
    if upgrade:
        lister = getattr(source, "find_config_maps", None)  # a source written before ConfigMaps
        report.config_maps += upgrade_config_map_checks(objects, lister)
    if any(not s.ok for s in report.secrets):
        report.deliver = fixes.deliver()
    report.warnings.extend(getattr(source, "warnings", []))  # how it read them: after reading
    return report


def check_chart(
    chart: Path | str,
    values: ValuesInput | dict[str, Any] | None,
    options: RenderOptions,
    against: str,
    *,
    access: ClusterAccess | None = None,
    store: str | None = None,
    label: str | None = None,
    formats: Recorded | None = None,
) -> CheckReport:
    """Render ``chart``, derive its contract and check it against ``against``.

    ``against`` is ``cluster`` or a path to manifests; ``store`` and ``label`` (the chart as
    the user named it, ``oci://...``) only shape the fix commands; ``formats`` are those the
    store records (``check_contract``). ``options.is_upgrade``:
    checked as the upgrade of a deployed release (see ``check_contract``'s ``upgrade``).
    Against the cluster, the chart is rendered with its version and API versions, as
    Helm's install renders it there; a ``--kube-version`` given still decides the version.
    """
    from ..contract import contract_for_chart

    source = source_for(against, namespace=options.namespace, access=access)
    if against == "cluster":  # rendered as Helm's install renders there (RenderOptions)
        from dataclasses import replace
        from functools import cache

        from .._cluster import load_cluster_config
        from .._cluster_capabilities import Capabilities, cluster_capabilities
        from .._helm_release import ClusterTarget

        target = ClusterTarget(options.namespace, access or ClusterAccess())

        def ask() -> Capabilities:
            load_cluster_config(target.access)  # its errors name the kubeconfig's field
            return cluster_capabilities(target)

        options = replace(options, capabilities=cache(ask))
    contract, result = contract_for_chart(chart, values, options)
    fixes = Fixes(options.release_name, label or str(chart), options.namespace, against, store)
    report = check_contract(
        contract, source, fixes=fixes, objects=result.objects, upgrade=options.is_upgrade,
        formats=formats,
    )  # fmt: skip
    report.warnings[:0] = result.warnings  # what Helm skips or warns of in the render
    return report


def _contract_of(result: RenderResult, release: str, namespace: str) -> Any:
    """The contract of an already rendered release (as ``contract_for_chart`` derives it)."""
    from ..contract import contract_for_render

    options = RenderOptions(namespace=namespace, release_name=release, validate=False)
    return contract_for_render(result, options)


def contract_gate(
    source: SecretSource,
    *,
    release: str,
    chart: str,
    namespace: str,
    against: str = "cluster",
    on_report: Callable[[CheckReport], None] | None = None,
    store: str | None = None,
    formats: Recorded | None = None,
) -> Callable[[RenderResult], None]:
    """A ``gate`` for install/upgrade: raises ContractNotMet (exit 1) on any gap.

    ``on_report`` sees the report first, passing or not (the CLI prints the gaps); ``store``,
    when the caller has one (``up``), is named in the fix commands, and ``formats`` are the
    ones it records (``check_contract``).
    """
    fixes = Fixes(release, chart, namespace, against, store)

    def gate(result: RenderResult) -> None:
        contract = _contract_of(result, release, namespace)
        upgrade = result.is_upgrade and against == "cluster"
        report = check_contract(
            contract, source, fixes=fixes, objects=result.objects, upgrade=upgrade, formats=formats
        )
        if on_report is not None:
            on_report(report)
        if not report.ok:
            raise ContractNotMet(report, hint=_SKIP_HINT)

    return gate
