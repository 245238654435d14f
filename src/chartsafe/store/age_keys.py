"""Age identities and recipients, found where sops users keep them (SOPS.md §8).

Decryption identities come, as with sops, from every one of: ``SOPS_AGE_KEY`` (identities in
the variable itself), ``SOPS_AGE_KEY_FILE``, what ``SOPS_AGE_KEY_CMD`` prints for each
recipient (``_age_key_command``), and the user key file
(``$XDG_CONFIG_HOME/sops/age/keys.txt``, by default ``~/.config/sops/age/keys.txt``; on macOS
``~/Library/Application Support/sops/age/keys.txt`` unless ``XDG_CONFIG_HOME`` is set). An
explicit key file replaces all of them. ``Identities`` remembers where it looked and what it
found, so a failed decryption can say so in one line.

The data key of a SOPS file is wrapped for each recipient in its own ASCII-armored age file.
Secret keys never appear in a message, a repr or a log.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyrage  # type: ignore[import-untyped]
from pyrage import x25519

from chartsafe._errors import AgeKeyError, IntegrityError, SopsConfigError, StoreError
from chartsafe.store._age_key_command import KEY_COMMAND_VAR
from chartsafe.store._atomic import write_atomic

__all__ = [
    "Identities",
    "KeySource",
    "create_identity_file",
    "decrypt_data_key",
    "default_key_file",
    "encrypt_data_key",
    "find_identities",
    "parse_identities",
    "parse_recipients",
    "with_own_recipient",
]

_SECRET_PREFIX = "AGE-SECRET-KEY-1"


@dataclass(frozen=True)
class KeySource:
    """One place searched for identities and what was found there (never the keys)."""

    place: str
    found: str

    def __str__(self) -> str:
        return f"{self.place} ({self.found})"


class Identities:
    """Age identities available for decryption, with the places that were searched."""

    def __init__(
        self,
        identities: Sequence[Any],
        sources: Sequence[KeySource] = (),
        *,
        given: bool = False,
        command: str | None = None,
    ) -> None:
        self._identities = list(identities)
        self.sources = tuple(sources)
        self.given = given  # one key file given explicitly, instead of the sops lookup
        self._command = command  # SOPS_AGE_KEY_CMD, run on demand for each recipient
        self._from_command: dict[str, list[Any]] = {}
        self._command_failed: dict[str, str] = {}  # recipient -> why it gave nothing

    def for_recipient(self, recipient: str) -> list[Any]:
        """The identities to try on a data key encrypted to ``recipient``: every one found,
        and what ``SOPS_AGE_KEY_CMD`` prints for that recipient (run once for each; a command
        that fails gives none, as in sops, and :meth:`describe` says why)."""
        recipient = recipient.strip()
        if self._command is not None and recipient not in self._from_command:
            from chartsafe.store._age_key_command import run_key_command

            try:
                self._from_command[recipient] = run_key_command(self._command, recipient)
            except AgeKeyError as exc:
                self._from_command[recipient] = []
                self._command_failed[recipient] = exc.message.removeprefix(f"{KEY_COMMAND_VAR}: ")
        return [*self._identities, *self._from_command.get(recipient, [])]

    def own_recipients(self, candidates: Iterable[str]) -> list[str]:
        """Which of ``candidates`` these identities open (the command asked for each)."""
        return [r for r in candidates if r.strip() in _public(self.for_recipient(r))]

    def __repr__(self) -> str:
        return f"<Identities: {len(self._identities)} from {', '.join(map(str, self.sources))}>"

    def __len__(self) -> int:
        return len(self._identities)

    @property
    def keys(self) -> list[Any]:
        """The pyrage identity objects."""
        return list(self._identities)

    @property
    def recipients(self) -> list[str]:
        """The public recipient (``age1…``) of each identity found (the command's are asked
        for by recipient: :meth:`own_recipients`)."""
        return _public(self._identities)

    @property
    def looked_in(self) -> tuple[str, ...]:
        return tuple(self._said(source) for source in self.sources)

    def _said(self, source: KeySource) -> str:
        if source.place != KEY_COMMAND_VAR or self._command is None:
            return str(source)
        found = sum(len(keys) for keys in self._from_command.values())
        asked = len(self._from_command)
        failed = "; ".join(dict.fromkeys(self._command_failed.values()))
        said = f"{_count([None] * found)} for {asked} recipient(s)"
        return f"{source.place} ({said}{': ' + failed if failed else ''})"

    @property
    def unreadable_given(self) -> KeySource | None:
        """The key file given explicitly, when it could not be read (missing, no permission)."""
        if self.given and self.sources and not self._identities:
            source = self.sources[0]
            if source.found == "not found" or source.found.startswith("unreadable"):
                return source
        return None

    def describe(self) -> str:
        """``looked in: A (2 identities), B (not set), C (not found)`` for error messages."""
        return "looked in: " + ", ".join(self.looked_in) if self.sources else "no key sources"


def parse_identities(text: str, source: str) -> list[Any]:
    """Identities from key-file text: one per line, blank lines and ``#`` lines ignored."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        for token in line.split():
            if not token.upper().startswith(_SECRET_PREFIX):
                raise AgeKeyError(
                    f"{source}: line {number} is not an age identity (AGE-SECRET-KEY-1…)",
                    file=source,
                )
            try:
                found.append(x25519.Identity.from_str(token.upper()))
            except pyrage.IdentityError:
                raise AgeKeyError(
                    f"{source}: line {number} is a malformed age identity", file=source
                ) from None
    return found


def default_key_file(environ: Mapping[str, str] | None = None) -> Path:
    """Where sops looks for the user's age key file on this platform."""
    env = os.environ if environ is None else environ
    xdg = env.get("XDG_CONFIG_HOME", "")
    if xdg:
        base = Path(xdg)
    elif sys.platform == "darwin":
        base = Path(env.get("HOME", "~")).expanduser() / "Library" / "Application Support"
    elif sys.platform == "win32":
        base = Path(env.get("APPDATA", "~")).expanduser()
    else:
        base = Path(env.get("HOME", "~")).expanduser() / ".config"
    return base / "sops" / "age" / "keys.txt"


def _read_key_file(path: Path, place: str) -> tuple[list[Any], KeySource]:
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return [], KeySource(place, "not found")
    except OSError as exc:
        return [], KeySource(place, f"unreadable: {exc.strerror}")
    except UnicodeDecodeError:
        return [], KeySource(place, "unreadable: not UTF-8 text")
    found = parse_identities(text, str(path))
    return found, KeySource(place, _count(found))


def _public(identities: Sequence[Any]) -> list[str]:
    return [str(identity.to_public()) for identity in identities]


def _count(found: Sequence[Any]) -> str:
    return f"{len(found)} identit{'y' if len(found) == 1 else 'ies'}"


def find_identities(
    key_file: Path | str | None = None, *, environ: Mapping[str, str] | None = None
) -> Identities:
    """Every identity sops would use, or only those of ``key_file`` when it is given.

    A missing or unreadable source is recorded, not raised, so that the error for a file no
    identity opens can list every place. A malformed key file raises ``AgeKeyError``.
    """
    if key_file is not None:
        path = Path(key_file).expanduser()
        found, source = _read_key_file(path, str(path))
        return Identities(found, [source], given=True)
    env = os.environ if environ is None else environ
    identities: list[Any] = []
    sources: list[KeySource] = []
    inline = env.get("SOPS_AGE_KEY")
    if inline:
        found = parse_identities(inline, "SOPS_AGE_KEY")
        identities += found
        sources.append(KeySource("SOPS_AGE_KEY", _count(found)))
    else:
        sources.append(KeySource("SOPS_AGE_KEY", "not set"))
    file_var = env.get("SOPS_AGE_KEY_FILE")
    if file_var:
        found, source = _read_key_file(Path(file_var).expanduser(), f"SOPS_AGE_KEY_FILE={file_var}")
        identities += found
        sources.append(source)
    else:
        sources.append(KeySource("SOPS_AGE_KEY_FILE", "not set"))
    command = env.get(KEY_COMMAND_VAR) or None
    sources.append(KeySource(KEY_COMMAND_VAR, "set" if command else "not set"))
    found, source = _read_key_file(default_key_file(env), str(default_key_file(env)))
    identities += found
    sources.append(source)
    return Identities(identities, sources, command=command)


def create_identity_file(
    path: Path | str | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    exist_ok: bool = False,
) -> str:
    """Create a new age identity in ``path`` (default: where sops looks) and return its recipient.

    The file is written 0600 (its directory 0700 if created), atomically, and never replaces
    an existing file: with ``exist_ok`` the recipient of the file's first identity is returned,
    otherwise ``AgeKeyError`` is raised. Only the public recipient leaves this function.
    """
    target = Path(path).expanduser() if path is not None else default_key_file(environ)
    if target.exists():
        return _existing_recipient(target, exist_ok)
    identity = x25519.Identity.generate()
    recipient = str(identity.to_public())
    created = dt.datetime.now().astimezone().replace(microsecond=0).isoformat()
    text = f"# created: {created}\n# public key: {recipient}\n{identity}\n"
    try:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_atomic(target, text.encode(), mode=0o600, overwrite=False)
    except FileExistsError:
        return _existing_recipient(target, exist_ok)
    except OSError as exc:
        raise AgeKeyError(
            f"cannot write age key file {target}: {exc.strerror}", file=str(target)
        ) from None
    return recipient


def _existing_recipient(target: Path, exist_ok: bool) -> str:
    if not exist_ok:
        raise AgeKeyError(
            f"age key file {target} already exists; not overwriting it",
            file=str(target),
            hint="use it as is, or choose another path",
        )
    found, source = _read_key_file(target, str(target))
    if not found:
        raise AgeKeyError(f"{target} exists but holds no age identity ({source.found})")
    recipient: str = str(found[0].to_public())
    return recipient


def parse_recipients(values: str | Iterable[str]) -> list[str]:
    """Validated ``age1…`` recipients from a comma-separated string or a list of them.

    Whitespace around items is trimmed and empty items dropped, like sops; duplicates removed.
    """
    items = values.split(",") if isinstance(values, str) else list(values)
    result: list[str] = []
    for raw in items:
        for item in raw.split(",") if "," in raw else [raw]:
            item = item.strip()
            if not item or item in result:
                continue
            _recipient(item)
            result.append(item)
    return result


def _recipient(text: str) -> Any:
    try:
        return x25519.Recipient.from_str(text)
    except pyrage.RecipientError:
        shown = text if len(text) <= 70 else text[:67] + "..."
        raise AgeKeyError(f"{shown!r} is not an age recipient (age1…)") from None


def encrypt_data_key(data_key: bytes, recipient: str) -> str:
    """The data key (or a Shamir share) as an armored age file for one recipient."""
    armored: str = pyrage.encrypt(data_key, [_recipient(recipient)], armored=True).decode()
    return armored if armored.endswith("\n") else armored + "\n"


def decrypt_data_key(enc: str, recipient: str, identities: Identities, where: str) -> bytes | None:
    """Open one ``enc`` entry with any identity; ``None`` if none of them is for it.

    If an identity for ``recipient`` is present but fails, the entry was altered:
    ``IntegrityError``.
    """
    keys = identities.for_recipient(recipient)
    if not keys:
        return None
    try:
        return bytes(pyrage.decrypt(enc.strip().encode() + b"\n", keys))
    except pyrage.DecryptError:
        if recipient.strip() in _public(keys):
            raise IntegrityError(
                f"{where}: the data key encrypted to {recipient.strip()} does not decrypt with "
                "its identity: the file was altered",
                file=where,
            ) from None
        return None


def with_own_recipient(exc: SopsConfigError) -> SopsConfigError:
    """``exc``, when it says a new store has no recipients, with the ``--age`` that encrypts it
    to the person's own identity (where sops finds it), if they have one: the recipient
    ``chartsafe keys init`` printed, without going back for it. Public recipients only."""
    if not exc.message.startswith("no age recipients"):
        return exc
    try:
        own = find_identities().recipients
    except StoreError:  # a key file that cannot be read: the plain message stands
        return exc
    if not own:
        return exc
    return SopsConfigError(
        exc.message,
        file=exc.file,
        hint=f"to encrypt it to your own age identity: --age {','.join(own)}",
    )
