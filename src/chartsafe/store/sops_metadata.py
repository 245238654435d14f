"""The ``sops`` metadata block: recipients, data key, selector, MAC (SOPS.md §4, §7, §8).

``Metadata`` reads what any sops version wrote (3.5 to 3.13: empty lists, ``null`` for unused
key types, quoted or unquoted ``lastmodified``) and writes the 3.13 layout (keys sorted at every
level, ``enc`` before ``recipient``). Key types other than age (pgp, kms, …) are kept as they
are on rewrite, but never used.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Final, NoReturn

from chartsafe._errors import DecryptionError, IntegrityError, SopsFormatError
from chartsafe.store import shamir
from chartsafe.store.age_keys import Identities, decrypt_data_key, encrypt_data_key
from chartsafe.store.sops_values import format_time, parse_time

__all__ = [
    "DEFAULT_SELECTOR",
    "SELECTOR_KINDS",
    "SOPS_VERSION",
    "AgeEntry",
    "Metadata",
    "Selector",
    "recover_data_key",
    "wrap_data_key",
]

SOPS_VERSION: Final = "3.13.2"
"""The SOPS format version chartsafe writes into ``sops.version``."""

SELECTOR_KINDS: Final = (
    "unencrypted_suffix",
    "encrypted_suffix",
    "unencrypted_regex",
    "encrypted_regex",
    "unencrypted_comment_regex",
    "encrypted_comment_regex",
)
_KEY_TYPES: Final = ("age", "pgp", "kms", "gcp_kms", "azure_kv", "hc_vault", "hckms")
_KNOWN: Final = frozenset(
    {*SELECTOR_KINDS, *_KEY_TYPES, "key_groups", "shamir_threshold", "lastmodified", "mac"}
    | {"mac_only_encrypted", "version"}
)


@dataclass(frozen=True)
class Selector:
    """Which leaves are encrypted: one of SOPS's six rules and its suffix or regex."""

    kind: str = "unencrypted_suffix"
    pattern: str = "_unencrypted"

    def __post_init__(self) -> None:
        if self.kind not in SELECTOR_KINDS:
            raise SopsFormatError(f"unknown selector {self.kind!r}")
        if self.kind.endswith("regex"):
            try:
                re.compile(self.pattern)
            except re.error as exc:
                raise SopsFormatError(
                    f"{self.kind} {self.pattern!r} is not a regex: {exc}"
                ) from None

    @property
    def uses_comments(self) -> bool:
        return "comment" in self.kind

    def encrypts(self, path: Sequence[str]) -> bool:
        """Whether the leaf under map keys ``path`` is encrypted (comment selectors: always)."""
        if self.kind == "unencrypted_suffix":
            return not any(key.endswith(self.pattern) for key in path)
        if self.kind == "encrypted_suffix":
            return any(key.endswith(self.pattern) for key in path)
        if self.kind == "unencrypted_regex":
            return not any(re.search(self.pattern, key) for key in path)
        if self.kind == "encrypted_regex":
            return any(re.search(self.pattern, key) for key in path)
        return True


DEFAULT_SELECTOR: Final = Selector()


@dataclass(frozen=True)
class AgeEntry:
    """One age recipient and the data key (or Shamir share) encrypted to it, armored."""

    recipient: str
    enc: str = field(repr=False)


def _lastmodified(raw: object, source: str) -> str:
    """The ``lastmodified`` string as sops re-formats it (RFC 3339, seconds)."""
    if isinstance(raw, dt.datetime):
        stamp = raw
    elif isinstance(raw, str):
        parsed = parse_time(raw)
        if parsed is None:
            return raw
        stamp = parsed
    else:
        raise SopsFormatError(f"{source}: sops.lastmodified is missing", file=source)
    return format_time(stamp.replace(microsecond=0))


def _entries(raw: object, source: str) -> list[AgeEntry]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise SopsFormatError(f"{source}: sops age entries are not a list", file=source)
    entries = []
    for item in raw:
        if not (
            isinstance(item, Mapping)
            and isinstance(item.get("recipient"), str)
            and isinstance(item.get("enc"), str)
        ):
            raise SopsFormatError(f"{source}: an age entry lacks recipient or enc", file=source)
        entries.append(AgeEntry(item["recipient"], item["enc"]))
    return entries


def _others(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Non-age key lists worth keeping (non-empty)."""
    return {k: raw[k] for k in _KEY_TYPES if k != "age" and raw.get(k)}


@dataclass(frozen=True)
class Metadata:
    """The parsed ``sops`` block of a document."""

    groups: tuple[tuple[AgeEntry, ...], ...]
    lastmodified: str
    mac: str = field(repr=False)
    selector: Selector = DEFAULT_SELECTOR
    mac_only_encrypted: bool = False
    version: str = SOPS_VERSION
    shamir_threshold: int | None = None
    other_keys: tuple[Mapping[str, Any], ...] = ()
    """Per group, the non-age master keys (pgp, kms, …) kept verbatim."""
    extra: Mapping[str, Any] = field(default_factory=dict)
    """Unknown top-level metadata keys, kept verbatim."""

    @property
    def recipients(self) -> list[list[str]]:
        return [[entry.recipient for entry in group] for group in self.groups]

    @property
    def has_other_keys(self) -> bool:
        return any(self.other_keys)

    @classmethod
    def from_tree(cls, raw: object, source: str) -> Metadata:
        if not isinstance(raw, Mapping):
            raise SopsFormatError(f"{source}: sops metadata not found", file=source)
        selectors = [k for k in SELECTOR_KINDS if raw.get(k)]
        if len(selectors) > 1:
            raise SopsFormatError(
                f"{source}: more than one selector in the metadata ({', '.join(selectors)})",
                file=source,
            )
        selector = Selector(selectors[0], str(raw[selectors[0]])) if selectors else DEFAULT_SELECTOR
        if raw.get("key_groups"):
            groups_raw = raw["key_groups"]
            if not isinstance(groups_raw, list) or not all(
                isinstance(g, Mapping) for g in groups_raw
            ):
                raise SopsFormatError(f"{source}: sops.key_groups is malformed", file=source)
            groups = tuple(tuple(_entries(g.get("age"), source)) for g in groups_raw)
            others = tuple(_others(g) for g in groups_raw)
        else:
            groups = (tuple(_entries(raw.get("age"), source)),)
            others = (_others(raw),)
        mac = raw.get("mac")
        if not isinstance(mac, str):
            raise SopsFormatError(f"{source}: sops.mac is missing", file=source)
        threshold = raw.get("shamir_threshold")
        version = raw.get("version", "")
        return cls(
            groups=groups,
            lastmodified=_lastmodified(raw.get("lastmodified"), source),
            mac=mac,
            selector=selector,
            mac_only_encrypted=raw.get("mac_only_encrypted") is True,
            version=version if isinstance(version, str) else str(version),
            shamir_threshold=threshold if isinstance(threshold, int) and threshold else None,
            other_keys=others,
            extra={k: v for k, v in raw.items() if k not in _KNOWN},
        )

    def to_tree(self) -> dict[str, Any]:
        """The block as sops 3.13 writes it: keys sorted at every level."""
        tree: dict[str, Any] = dict(self.extra)

        def entries(group: Sequence[AgeEntry]) -> list[dict[str, str]]:
            return [{"enc": e.enc, "recipient": e.recipient} for e in group]

        if len(self.groups) > 1:
            tree["key_groups"] = [
                _sorted({"age": entries(group), "hc_vault": [], **self._others(number)})
                for number, group in enumerate(self.groups)
            ]
            tree["shamir_threshold"] = self.shamir_threshold or len(self.groups)
        else:
            if self.groups and self.groups[0]:
                tree["age"] = entries(self.groups[0])
            tree.update(self._others(0))
        tree["lastmodified"] = self.lastmodified
        tree["mac"] = self.mac
        if self.mac_only_encrypted:
            tree["mac_only_encrypted"] = True
        tree[self.selector.kind] = self.selector.pattern
        tree["version"] = self.version
        result: dict[str, Any] = _sorted(tree)
        return result

    def _others(self, group: int) -> Mapping[str, Any]:
        return self.other_keys[group] if group < len(self.other_keys) else {}

    def with_changes(self, **changes: Any) -> Metadata:
        return replace(self, **changes)


def _sorted(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _sorted(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted(v) for v in value]
    return value


def wrap_data_key(
    data_key: bytes, groups: Sequence[Sequence[str]], threshold: int | None = None
) -> tuple[tuple[tuple[AgeEntry, ...], ...], int | None]:
    """Encrypt the data key to the recipients: whole for one group, Shamir shares for several.

    Returns the groups of entries and the threshold to record (``None`` for one group).
    """
    groups = [list(g) for g in groups]
    if not groups or not all(groups):
        raise SopsFormatError("at least one age recipient is needed in every key group")
    if len(groups) == 1:
        return (tuple(AgeEntry(r, encrypt_data_key(data_key, r)) for r in groups[0]),), None
    threshold = threshold or len(groups)
    shares = shamir.split(data_key, len(groups), threshold)
    wrapped = tuple(
        tuple(AgeEntry(r, encrypt_data_key(share, r)) for r in group)
        for group, share in zip(groups, shares, strict=True)
    )
    return wrapped, threshold


def recover_data_key(meta: Metadata, identities: Identities, source: str) -> bytes:
    """The 32-byte data key, from the first entry an identity opens (per group for Shamir)."""
    pieces: list[bytes] = []
    missed: list[list[str]] = []  # the recipients of each group no identity opened
    needed = 1 if len(meta.groups) == 1 else (meta.shamir_threshold or len(meta.groups))
    for group in meta.groups:
        for entry in group:
            piece = decrypt_data_key(entry.enc, entry.recipient, identities, source)
            if piece is not None:
                pieces.append(piece)
                break
        else:
            missed.append([entry.recipient for entry in group])
        if len(pieces) >= needed:
            break
    if pieces and len(pieces) < needed:
        _too_few_parts(meta, len(pieces), missed, identities, source)
    if len(pieces) < needed:
        recipients = [r for group in meta.recipients for r in group]
        others = sorted({k for o in meta.other_keys for k in o})
        wanted = ", ".join(recipients) if recipients else "no age recipient"
        if needed > 1:
            wanted += f", in {len(meta.groups)} key groups of which {needed} are needed"
        also = (
            f"; it also has {'/'.join(others)} keys, which chartsafe does not use" if others else ""
        )
        unreadable = identities.unreadable_given
        if unreadable is not None:  # the one file asked for is not there: say that first
            raise DecryptionError(
                f"{source}: the age key file {unreadable.place} cannot be used "
                f"({unreadable.found}); the data key is encrypted to {wanted}{also}",
                file=source,
                hint="give --age-key-file the path of the key file of one of these recipients",
                looked_in=identities.looked_in,
            )
        raise DecryptionError(
            f"{source}: no age identity opens the data key (encrypted to {wanted}{also}; "
            f"{identities.describe()})",
            file=source,
            hint=(
                "give --age-key-file the key file of one of these recipients"
                if identities.given
                else "point SOPS_AGE_KEY_FILE at the key file of one of these recipients"
            ),
            looked_in=identities.looked_in,
        )
    data_key = pieces[0] if needed == 1 else shamir.combine(pieces)
    if len(data_key) != 32:
        raise IntegrityError(f"{source}: the data key has the wrong length", file=source)
    return data_key


def _too_few_parts(
    meta: Metadata,
    recovered: int,
    missed: Sequence[Sequence[str]],
    identities: Identities,
    source: str,
) -> NoReturn:
    """The data key is split over key groups and the identities open some, not enough.

    sops says it so: the threshold is N and only M part(s) could be recovered. Saying that
    no identity opens the file would send the person looking for a key they already have.
    """
    needed = meta.shamir_threshold or len(meta.groups)
    others = ", ".join(r for group in missed for r in group) or "none"
    raise DecryptionError(
        f"{source}: the data key is split over {len(meta.groups)} key groups with a Shamir "
        f"threshold of {needed}, but only {recovered} part(s) could be recovered: your age "
        f"identities open {recovered} group(s) ({identities.describe()})",
        file=source,
        hint=f"add to {'--age-key-file' if identities.given else 'SOPS_AGE_KEY_FILE'} the "
        f"identity of a recipient of {needed - recovered} more group(s): {others}",
        looked_in=identities.looked_in,
    )
