"""Hazards in a contract: what will fail at install time although every object is valid.

- ``hook-order``: a pod of the release reads a Secret that is not there when it
  runs: a hook before its creator (a regular resource, a later hook, an operator
  that nothing waits for), a pod reading what only a post-install hook makes, or
  what Helm deleted after its hooks succeeded (see ``_hook_timing``);
- ``missing-key``: a Secret the release creates lacks a key a reader needs;
- ``similar-names``: two Secret names that differ only by case or by one
  edit, one of them required: almost always a typo in a values file;
- ``reference-grant``: a Gateway names a Secret of another namespace that no
  rendered ReferenceGrant lets it read (see ``_reference_grants``).
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from dataclasses import dataclass

from .._hook_timing import Timed, absence, runs_before
from .._objects import HookInfo, K8sObject
from .._podspec import iter_pods
from ._model import ContractFinding, Creator, SecretRef
from ._reference_grants import ungranted_references

__all__ = ["find_hazards", "wait_targets"]

_ES_PREFIXES = (
    "externalsecrets.external-secrets.io/",
    "externalsecret.external-secrets.io/",
    "externalsecrets/",
    "externalsecret/",
    "es/",
)


def _tokens(args: list[str]) -> list[str]:
    found: list[str] = []
    for arg in args:
        if " " in arg:
            try:
                found.extend(shlex.split(arg))
            except ValueError:
                found.extend(arg.split())
        else:
            found.append(arg)
    return found


def wait_targets(objects: list[K8sObject]) -> dict[str, list[K8sObject]]:
    """ExternalSecret name → hook Jobs/Pods running ``kubectl wait --for=condition=Ready`` on it."""
    waits: dict[str, list[K8sObject]] = {}
    for pod in iter_pods(objects):
        if pod.owner.hook is None:
            continue
        for container in pod.containers:
            tokens = _tokens(container.command_words)
            lowered = [t.lower() for t in tokens]
            if "wait" not in lowered or not any("condition=ready" in t for t in lowered):
                continue
            for token in tokens:
                for prefix in _ES_PREFIXES:
                    if token.lower().startswith(prefix):
                        waits.setdefault(token[len(prefix) :], []).append(pod.owner)
    return waits


@dataclass(frozen=True)
class _Stand:
    """Where an operator's Secret is there for a hook: the hook that waits for it."""

    kind: str
    name: str
    hook: HookInfo | None


_Waits = dict[str, list[K8sObject]]


def _synced(creator: Creator, waits: _Waits) -> list[_Stand]:
    """An operator's hook object counts as made where a later hook of its event waits for
    the operator to sync it (``kubectl wait``): nothing else waits."""
    stands: list[_Stand] = []
    if creator.hook is None:
        return stands
    for waiter in waits.get(creator.name, []):
        if waiter.hook is None:
            continue
        events = tuple(e for e in waiter.hook.events if runs_before(creator, waiter, e))
        if events:
            hook = HookInfo(events, waiter.hook.weight, creator.hook.delete_policies)
            stands.append(_Stand(waiter.kind, waiter.name, hook))
    return stands


def _creator_words(secret: SecretRef) -> str:
    kinds = sorted({c.ref + (" (hook)" if c.hook else "") for c in secret.creators})
    return ", ".join(kinds)


def _hook_order(secret: SecretRef, waits: _Waits, upgrade: bool) -> Iterator[ContractFinding]:
    """Readers that run while the Secret is not there yet, or no longer (see _hook_timing);
    ``upgrade``: in an upgrade of the installed release only."""
    if secret.required:
        return
    told: set[str] = set()  # a whole mount is one reader per key too: one finding per workload
    for reader in secret.readers:
        if reader.optional or reader.workload in told:
            continue
        makers: list[Timed] = list(secret.creators)
        operators = [c for c in secret.creators if c.is_operator and reader.hook is not None]
        for creator in operators:
            makers.extend(_synced(creator, waits))
        gap = absence(makers, reader, lagging=operators, upgrade_only=upgrade)
        if gap is None:
            continue
        unsynced = bool(operators)  # a hook reads what an operator makes
        why = gap.words()
        if unsynced and gap.why != "deleted" and all(c.hook for c in secret.creators):
            why = "nothing waits for it to be synced before the hook runs"
        fix = gap.fix()
        if unsynced and gap.why != "deleted":
            made = _creator_words(secret)
            fix = (
                f"add a hook after {made} and before this one that waits for it to sync "
                "(kubectl wait --for=condition=Ready), or create the Secret before install"
                if all(c.hook for c in secret.creators)
                else f"make {made} a hook of a lower weight followed by a hook that waits for it "
                "to sync (kubectl wait --for=condition=Ready), or create the Secret before install"
            )
        yield ContractFinding(
            rule="hook-order",
            message=(
                f"{gap.reader_words(reader.workload)} reads Secret {secret.name}, which "
                f"{_creator_words(secret)} creates; "
                f"{why}. Fix: {fix}"
            ),
            secret=secret.name,
            namespace=secret.namespace,
        )
        told.add(reader.workload)


def _missing_keys(secret: SecretRef) -> Iterator[ContractFinding]:
    if secret.required or any(c.keys is None for c in secret.creators):
        return
    has: set[str] = set().union(*(c.keys or frozenset() for c in secret.creators))
    for key in secret.keys.values():
        named = [r for r in key.readers if not r.optional and not r.whole]
        if key.name in has or not named:
            continue
        yield ContractFinding(
            rule="missing-key",
            message=(
                f"Secret {secret.name} is created by {_creator_words(secret)} without key "
                f"{key.name!r}, which {named[0].describe()} reads; the pod will fail with "
                f"`couldn't find key {key.name}`. Add the key, or fix the key name the reader uses"
            ),
            secret=secret.name,
            namespace=secret.namespace,
            key=key.name,
        )


def _one_typo_apart(a: str, b: str) -> bool:
    """One letter substituted, inserted or deleted. Digits do not count: ``db-1`` and
    ``db-2`` are a numbered series, not a typo."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
        return len(diffs) == 1 and not (diffs[0][0].isdigit() and diffs[0][1].isdigit())
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(
        long[:i] + long[i + 1 :] == short and not long[i].isdigit() for i in range(len(long))
    )


def _candidate_pairs(secrets: list[SecretRef]) -> list[tuple[int, int]]:
    """Index pairs that may be one edit or a case apart: they share a one-deletion variant.

    Linear in the number of names (times their length) instead of all pairs.
    """
    buckets: dict[tuple[str, str], list[int]] = {}
    for i, secret in enumerate(secrets):
        name = secret.name
        variants = {name.lower()} | {name[:j] + name[j + 1 :] for j in range(len(name))}
        variants.add(name)
        for variant in variants:
            buckets.setdefault((secret.namespace, variant), []).append(i)
    pairs = {(a, b) for members in buckets.values() for a in members for b in members if a < b}
    return sorted(pairs)


def _similar_names(secrets: list[SecretRef]) -> Iterator[ContractFinding]:
    for i, j in _candidate_pairs(secrets):
        first, second = secrets[i], secrets[j]
        if not (first.required or second.required):
            continue
        a, b = first.name, second.name
        case_only = a.lower() == b.lower()
        if not case_only and not _one_typo_apart(a, b):
            continue
        how = "only by letter case" if case_only else "by one character"
        yield ContractFinding(
            rule="similar-names",
            message=(
                f"Secrets {a!r} and {b!r} differ {how}: read by "
                f"{first.readers[0].workload if first.readers else '?'} and "
                f"{second.readers[0].workload if second.readers else '?'}; "
                "one name is probably a typo — use the same name in both places"
            ),
            secret=b if second.required else a,
            namespace=first.namespace,
        )


def find_hazards(
    secrets: list[SecretRef], objects: list[K8sObject], *, upgrade: bool = False
) -> list[ContractFinding]:
    """The hazards of a rendered release; ``upgrade`` (rendered for an upgrade): hook order as
    an upgrade of the installed release meets it, each hook by its upgrade events."""
    waits = wait_targets(objects)
    found: list[ContractFinding] = []
    for secret in secrets:
        found.extend(_hook_order(secret, waits, upgrade))
        found.extend(_missing_keys(secret))
    found.extend(_similar_names(secrets))
    found.extend(ungranted_references(secrets, objects))
    return found
