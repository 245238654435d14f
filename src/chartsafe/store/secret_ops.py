"""The ``chartsafe secrets``/``keys`` commands as library functions: typed in, results out.

They return names, keys and counts; only ``get_value`` returns a value, and only because its
caller asked for it (``--reveal``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from chartsafe._errors import InputError, StoreError
from chartsafe.generate import GENERATORS, Spec, parse_spec, spec_for_format
from chartsafe.store._store_layout import ordered_meta
from chartsafe.store.age_keys import create_identity_file, default_key_file, find_identities
from chartsafe.store.secret_deps import Ref, made_with, stale_after
from chartsafe.store.secret_fill import Wanted, rotate
from chartsafe.store.secret_init import parse_generator_spec
from chartsafe.store.secret_store import KeyInfo, SecretStore, validate_names

__all__ = [
    "KeysInitResult",
    "RekeyResult",
    "Rotated",
    "SetResult",
    "check_format",
    "get_value",
    "init_keys",
    "list_keys",
    "rekey_store",
    "rotate_keys",
    "set_value",
]


@dataclass(frozen=True)
class KeysInitResult:
    path: Path
    recipient: str
    created: bool

    def as_dict(self) -> dict[str, object]:
        return {"path": str(self.path), "recipient": self.recipient, "created": self.created}


def init_keys(path: Path | None = None) -> KeysInitResult:
    """Create an age identity where sops looks for it (or at ``path``); keep an existing one.

    Where sops looks: ``$SOPS_AGE_KEY_FILE`` when set (a key written elsewhere would not be
    the one found first), else the sops key file.
    """
    from_env = os.environ.get("SOPS_AGE_KEY_FILE")
    if path is not None:
        target = path.expanduser()
    else:
        target = Path(from_env).expanduser() if from_env else default_key_file()
    existed = target.exists()
    recipient = create_identity_file(target, exist_ok=True)
    return KeysInitResult(target, recipient, not existed)


@dataclass(frozen=True)
class SetResult:
    store: Path
    namespace: str
    secret: str
    key: str
    changed: bool
    store_created: bool
    #: keys made from this one by their recorded spec, now stale (``secret_deps``)
    stale: tuple[Ref, ...] = ()
    #: keys made together with the old value (the other half of a key pair): no longer matching
    unmatched: tuple[Ref, ...] = ()
    #: the value was the same, and the ``format`` given is recorded for it now
    format_recorded: bool = False

    def as_dict(self) -> dict[str, object]:
        return {
            "store": str(self.store),
            "namespace": self.namespace,
            "secret": self.secret,
            "key": self.key,
            "changed": self.changed,
            "store_created": self.store_created,
            "format_recorded": self.format_recorded,
            "stale": [
                {"namespace": r.namespace, "secret": r.secret, "key": r.key} for r in self.stale
            ],
            "unmatched": [
                {"namespace": r.namespace, "secret": r.secret, "key": r.key} for r in self.unmatched
            ],
        }


def set_value(
    store_path: Path,
    namespace: str,
    secret: str,
    key: str,
    value: str,
    *,
    format: str | None = None,
    recipients: Sequence[str] | None = None,
    key_file: Path | None = None,
) -> SetResult:
    """Put one value into the store (created with ``recipients`` if it does not exist).

    Keys made from this one by their recorded spec (a URL embedding it) are left as they are,
    since a person changed one value, and returned as ``stale`` for the caller to name; so
    are the keys made together with the old value (the other half of its key pair), returned
    as ``unmatched``.

    A ``format`` must be one of the contract vocabulary (``docs/chart-annotations.md``) and the
    value must have its shape as ``check`` judges it: a recorded format is a promise ``check``
    and ``rotate`` rely on.
    """
    validate_names(namespace, secret, key)
    if format is not None:
        check_format(format, value, where=f"key {key} of Secret {namespace}/{secret}")
    with SecretStore.editing(store_path, recipients=recipients or None, key_file=key_file) as store:
        created = store.created
        recorded = store.info(namespace, secret, key).get("generator")
        generator = recorded if isinstance(recorded, str) else None
        changed = store.set(namespace, secret, key, value, format=format)
        recorded_format = (
            not changed
            and format is not None
            and _record_format(store, namespace, secret, key, format)
        )
        store.save()
    ref = Ref(namespace, secret, key)
    stale = stale_after(store, [ref]) if changed else []
    unmatched = made_with(store, ref, generator) if changed else []
    return SetResult(store_path, namespace, secret, key, changed, created,
                     tuple(Ref(i.namespace, i.secret, i.key) for i in stale),
                     tuple(unmatched), format_recorded=recorded_format)  # fmt: skip


def _record_format(store: SecretStore, namespace: str, secret: str, key: str, fmt: str) -> bool:
    """Record ``fmt`` for a key already holding the value given (``SecretStore.set`` records
    a format with a new value only): ``check`` takes it over a guess from the key's name."""
    meta = dict(store.info(namespace, secret, key))
    if meta.get("format") == fmt:
        return False
    meta["format"] = fmt
    store._put("meta", namespace, secret, key, ordered_meta(meta))
    store.dirty = True
    return True


#: Formats of the vocabulary that no plausibility check covers: any non-empty value fits.
_UNCHECKED_FORMATS = ("text", "password", "ed25519-private-key-b64", "ed25519-public-key-b64")
_SIZED_FORMATS = ("hex", "base64", "base64url", "password")  # NAME or NAME:BYTES
_SCHEMES = re.compile(r"^[a-z][a-z0-9+.-]*(\|[a-z][a-z0-9+.-]*)*$")


def known_formats() -> list[str]:
    """The format names ``--format`` takes (``hex``, ``url``, ...), sorted: those ``check``
    has a shape check for, and those any non-empty value fits."""
    from chartsafe.check._plausible import CHECKS

    return sorted({*CHECKS, *_UNCHECKED_FORMATS})


def check_format(fmt: str, value: str, *, where: str) -> None:
    """``--format`` is a known format and ``value`` has its shape, by ``check``'s format checks;
    errors never quote the value. A placeholder (``changeme``) is left to ``check`` to report:
    here a person sets a value on purpose, and only its shape is promised by the format."""
    from chartsafe.check._plausible import CHECKS

    known = known_formats()
    family, colon, argument = fmt.partition(":")
    if family not in known:
        raise InputError(
            f"--format {fmt!r}: not a known format", hint=f"one of: {', '.join(known)}"
        )
    if family in _SIZED_FORMATS:
        good = not colon or (argument.isdigit() and int(argument) > 0)
        unit = "characters" if family == "password" else "bytes"
        usage = f"{family} or {family}:N (N {unit})"
    elif family == "url":
        good = not colon or bool(_SCHEMES.match(argument))
        usage = "url or url:SCHEME|SCHEME (e.g. url:postgres|postgresql)"
    else:
        good, usage = not colon, family
    if not good:
        raise InputError(f"--format {fmt!r}: malformed", hint=f"write {usage}")
    shape = CHECKS.get(family)
    reason = shape(value, argument.strip()) if shape is not None else None
    if reason:
        raise InputError(
            f"--format {fmt}: the value for {where} does not fit: {reason}",
            hint="check the value, or give the format it has",
        )


def get_value(
    store_path: Path,
    namespace: str,
    secret: str,
    key: str,
    *,
    previous: bool = False,
    part: str | None = None,
    key_file: Path | None = None,
) -> str:
    """One value (or its previous value, or a generator part); a clear error when absent."""
    store = SecretStore.open(store_path, key_file=key_file)
    where = f"key {key} of Secret {namespace}/{secret}"
    if store.get(namespace, secret, key) is None:
        raise InputError(f"{where} is not in {store_path}", secret=secret, key=key,
                         hint=f"chartsafe secrets set -n {namespace} {secret} {key}")  # fmt: skip
    if previous and part is not None:
        # a rotation keeps the key's previous value alone: its parts are made anew with it
        raise InputError(
            f"--previous --part {part}: the store keeps no previous parts of {where}, "
            "only its previous value",
            secret=secret,
            key=key,
            hint="drop --part for the previous value",
        )
    if previous:
        found = store.previous(namespace, secret, key)
        if found is None:
            raise InputError(
                f"{where} has no previous value (never rotated nor set over)",
                secret=secret,
                key=key,
            )
        return found
    if part is not None:
        parts = store.parts(namespace, secret, key)
        if part not in parts:
            have = ", ".join(sorted(parts)) or "none"
            raise InputError(
                f"{where} has no part {part!r} (parts: {have})", secret=secret, key=key
            )
        return parts[part]
    value = store.get(namespace, secret, key)
    assert value is not None
    return value


def list_keys(
    store_path: Path, *, namespace: str | None = None, key_file: Path | None = None
) -> list[KeyInfo]:
    """Every key in the store, without values (the MAC is verified first)."""
    return SecretStore.open(store_path, key_file=key_file).keys(namespace)


def _spec_of(info: KeyInfo, override: Spec | None) -> Spec:
    if override is not None:
        return override
    name = (info.generator or "").partition(":")[0]
    if name in GENERATORS:
        assert info.generator is not None
        return parse_spec(info.generator, where=f"{info.secret}/{info.key}")
    spec = spec_for_format(info.format, info.key)
    if spec is None:
        raise InputError(
            f"no generator is known for key {info.key} of Secret {info.namespace}/{info.secret} "
            f"(format {info.format}, its value was set by hand)",
            secret=info.secret,
            key=info.key,
            hint="pass --generator SPEC, or set the new value with chartsafe secrets set",
        )
    return spec


@dataclass(frozen=True)
class Rotated:
    """One key made anew; ``dependent``: because it is made from another rotated key."""

    namespace: str
    secret: str
    key: str
    dependent: bool = False

    def as_dict(self) -> dict[str, object]:
        return {"namespace": self.namespace, "secret": self.secret, "key": self.key,
                "dependent": self.dependent}  # fmt: skip


def rotate_keys(
    store_path: Path,
    namespace: str,
    secret: str,
    key: str | None = None,
    *,
    generator: str | None = None,
    key_file: Path | None = None,
) -> list[Rotated]:
    """Make ``key`` (or every key of the Secret) anew; old values go to ``previous``.

    A key that belongs to a group (a key pair, a certificate and its key) is rotated with the
    whole group, so the halves keep matching. Keys whose recorded spec makes them from a
    rotated key (a URL embedding a password, a leaf signed by a CA) are made anew after it,
    with their own spec (``chartsafe.store.secret_deps`` says why). Returns what was rotated.
    """
    validate_names(namespace, secret, key)
    override = parse_generator_spec(generator) if generator else None
    with SecretStore.editing(store_path, create=False, key_file=key_file) as store:
        wanted, stale = _rotation(store, store_path, namespace, secret, key, override)
        done = rotate(store, wanted)
        store.save()
    dependent = {(i.namespace, i.secret, i.key) for i in stale}
    return [
        Rotated(w.namespace, w.secret, w.key, (w.namespace, w.secret, w.key) in dependent)
        for w in done
    ]


def _rotation(
    store: SecretStore,
    store_path: Path,
    namespace: str,
    secret: str,
    key: str | None,
    override: Spec | None,
) -> tuple[list[Wanted], list[KeyInfo]]:
    """What rotating ``key`` (or the whole Secret) makes anew, and which of it is dependent."""
    infos = [i for i in store.keys(namespace) if i.secret == secret]
    if not infos:
        raise InputError(f"Secret {namespace}/{secret} is not in {store_path}", secret=secret)
    chosen = infos if key is None else [i for i in infos if i.key == key]
    if not chosen:
        raise InputError(f"key {key} of Secret {namespace}/{secret} is not in {store_path}",
                         secret=secret, key=key)  # fmt: skip
    specs = {i.key: _spec_of(i, override if i in chosen else None) for i in chosen}
    if key is not None and override is None and specs[key].generator.parts:
        # bring in the rest of the key's group (single-part generators have no group)
        group = specs[key].group
        for info in infos:
            name = (info.generator or "").partition(":")[0]
            if info.key not in specs and name in GENERATORS:
                spec = _spec_of(info, None)
                if spec.group == group:
                    specs[info.key] = spec
    wanted = [
        Wanted(namespace, secret, name, spec=spec, format=store.info(namespace, secret, name).get(
            "format", "unknown"))
        for name, spec in specs.items()
    ]  # fmt: skip
    stale = stale_after(store, [Ref(namespace, secret, name) for name in specs])
    wanted += [Wanted(i.namespace, i.secret, i.key, spec=_spec_of(i, None), format=i.format)
               for i in stale]  # fmt: skip
    return wanted, stale


@dataclass(frozen=True)
class RekeyResult:
    store: Path
    before: list[str]
    after: list[str]

    def as_dict(self) -> dict[str, object]:
        return {"store": str(self.store), "before": self.before, "after": self.after}


def rekey_store(
    store_path: Path,
    *,
    recipients: Sequence[str] | None = None,
    key_file: Path | None = None,
    force: bool = False,
) -> RekeyResult:
    """Encrypt the data key to the current recipients (``--age`` or ``.sops.yaml``).

    New recipients the caller's identities no longer open the store with would lock the caller
    out: the next decrypt fails and only another recipient's holder can undo it. That is none
    of the caller's recipients among them, or, with the data key split over key groups, the
    caller's recipients in fewer groups than the threshold. It is refused, with nothing
    written, unless ``force`` says it is meant (handing a store over).
    """
    identities = find_identities(key_file)
    with SecretStore.editing(store_path, create=False, identities=identities) as store:
        before = store.recipients
        after = store.rekey(list(recipients) if recipients else None)
        if not force:
            new = [r for group in store.key_groups for r in group]
            own = [*identities.recipients, *identities.own_recipients(new)]
            _refuse_lockout(store_path, own, store.key_groups, store.groups_needed)
        store.save()
    return RekeyResult(store_path, before, after)


def _refuse_lockout(
    store_path: Path, own: Sequence[str], groups: Sequence[Sequence[str]], needed: int
) -> None:
    """Refuse new key groups that ``own`` recipients open fewer than ``needed`` of."""
    opened = sum(1 for group in groups if set(own) & set(group))
    if opened >= needed:
        return
    yours = f"your age identities ({', '.join(own) or 'none found'})"
    if len(groups) == 1:
        why = f"none of {yours} is among the new recipients of {store_path}"
    else:
        why = (
            f"the new recipients of {store_path} split the data key over {len(groups)} key "
            f"groups, any {needed} of which are needed (shamir_threshold {needed}), and "
            f"{yours} are in {opened} of them"
        )
    raise StoreError(
        f"secrets rekey: {why}, so you could no longer decrypt it; nothing written",
        file=str(store_path),
        hint="add your own recipient to --age or to enough key groups of .sops.yaml, or pass "
        "--force if handing it over is meant",
    )
