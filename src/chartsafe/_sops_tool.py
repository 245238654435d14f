"""``sops encrypt|decrypt|edit`` for any YAML or JSON file, without the sops binary.

The store's format layer does the cryptography; this module adds what the ``sops`` command
does around it: the creation rule of the nearest ``.sops.yaml`` (recipients, selector, MAC
mode, indent), selector flags that override it, ``--in-place``, and ``edit``.

Files are read as sops reads them (``sops_format.read_text``): a binary file's content byte for
byte, whatever its bytes, and a dotenv file with its carriage returns, which sops keeps in the
values; ``edit`` hands the editor those same bytes and reads them back the same way.

``edit`` puts the plaintext in a 0600 file inside a private (0700) temporary directory, runs
the editor, and removes the directory on every way out: success, an editor failure, bad
content, Ctrl-C, SIGTERM or a closed terminal. The file is re-encrypted only when its content
changed, reusing each unchanged value's IV so the diff shows only what was edited, and only
if nobody saved the file while the editor was open (see ``_save_unless_changed``).
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from ._errors import InputError, SopsFormatError
from .store import (
    Format,
    Selector,
    creation_rule_for,
    encrypt,
    find_identities,
    format_for_path,
    is_sops_document,
    open_document,
    write_file,
)
from .store.sops_binary import text_only
from .store.sops_format import dump_documents, parse_documents, read_text
from .store.sops_values import text_as_bytes

__all__ = ["EditResult", "SelectorFlags", "sops_decrypt", "sops_edit", "sops_encrypt"]


@dataclass(frozen=True)
class SelectorFlags:
    """The selector and MAC flags of ``sops encrypt``; given ones override ``.sops.yaml``."""

    encrypted_regex: str | None = None
    unencrypted_regex: str | None = None
    encrypted_suffix: str | None = None
    unencrypted_suffix: str | None = None
    mac_only_encrypted: bool = False

    def selector(self) -> Selector | None:
        given = {
            kind: value
            for kind, value in (
                ("encrypted_regex", self.encrypted_regex),
                ("unencrypted_regex", self.unencrypted_regex),
                ("encrypted_suffix", self.encrypted_suffix),
                ("unencrypted_suffix", self.unencrypted_suffix),
            )
            if value
        }
        if len(given) > 1:
            flags = ", ".join(f"--{k.replace('_', '-')}" for k in given)
            raise InputError(f"give only one of {flags}")
        if not given:
            return None
        (kind, pattern), *_ = given.items()
        try:
            return Selector(kind, pattern)
        except SopsFormatError as exc:
            raise InputError(f"--{kind.replace('_', '-')}: {exc.message}") from None


def _read(path: Path, fmt: Format) -> str:
    try:
        return read_text(path.read_bytes(), fmt)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file", hint="check the FILE argument") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise InputError(f"{path}: cannot read it: {reason}") from None


def _fmt(path: Path, given: Format | None) -> Format:
    return given or format_for_path(path)


def _encrypted(path: Path, text: str, fmt: Format, given: Format | None) -> bool:
    """Whether ``text`` has sops metadata; text that does not parse as ``fmt`` is an error
    saying so, not "not encrypted" (``--input-type json`` on a YAML file)."""
    try:
        parse_documents(text, fmt, str(path))
    except SopsFormatError as exc:
        exc.hint = f"read as {fmt.upper()} because of --input-type {fmt}" if given else exc.hint
        raise
    return is_sops_document(text, fmt)


def _encrypt_documents(
    path: Path,
    documents: list[dict[str, Any]],
    fmt: Format,
    *,
    recipients: str | list[str] | None,
    config: Path | None,
    flags: SelectorFlags,
) -> str:
    selector = flags.selector()  # bad flags first: they are the user's most direct input
    rule = creation_rule_for(path, recipients=recipients or None, config=config, fmt=fmt)
    return encrypt(
        documents,
        key_groups=rule.key_groups,
        shamir_threshold=rule.shamir_threshold,
        fmt=fmt,
        selector=selector or rule.selector,
        mac_only_encrypted=flags.mac_only_encrypted or rule.mac_only_encrypted,
        indent=rule.indent,
    )


def _optional_path(path: str | os.PathLike[str] | None) -> Path | None:
    """A path argument of the library as a Path (a caller may pass a str)."""
    return Path(path) if path is not None else None


def sops_encrypt(
    path: str | os.PathLike[str],
    *,
    recipients: str | list[str] | None = None,
    config: str | os.PathLike[str] | None = None,
    flags: SelectorFlags | None = None,
    fmt: Format | None = None,
) -> str:
    """The encrypted text of a plain YAML/JSON file, as ``sops encrypt`` makes it.

    Recipients: ``recipients`` (``--age``), else ``SOPS_AGE_RECIPIENTS``, else the creation
    rule of the nearest ``.sops.yaml`` (or ``config``) for this path.
    """
    path, config = Path(path), _optional_path(config)
    fmt = _fmt(path, fmt)
    text = _read(path, fmt)
    if is_sops_document(text, fmt):
        raise InputError(f"{path}: already encrypted (it has sops metadata)")
    documents = parse_documents(text, fmt, str(path))
    return _encrypt_documents(
        path, documents, fmt, recipients=recipients, config=config, flags=flags or SelectorFlags()
    )


def sops_decrypt(
    path: str | os.PathLike[str],
    *,
    key_file: str | os.PathLike[str] | None = None,
    fmt: Format | None = None,
    binary_bytes: bool = False,
) -> str:
    """The plain text of an encrypted file (MAC checked), as ``sops decrypt`` prints it.

    A binary file's content that is not UTF-8 comes back only with ``binary_bytes``, its bytes
    as lone surrogates that ``text_as_bytes`` (and ``write_file``) turn back into them
    exactly. Without it such content is one clear error: a caller writing the text to a
    strict UTF-8 stream would fail on it, and an error quoting the text would print the secret.
    """
    path, key_file = Path(path), _optional_path(key_file)
    given, fmt = fmt, _fmt(path, fmt)
    text = _read(path, fmt)
    if not _encrypted(path, text, fmt, given):
        raise SopsFormatError(f"{path}: not encrypted (no sops metadata)", file=str(path))
    document = open_document(text, fmt=fmt, identities=find_identities(key_file), source=str(path))
    if fmt == "binary" and not binary_bytes:
        text_only(
            document.documents,
            str(path),
            why="which chartsafe sops decrypt does not print",
            hint=f"sops decrypt {path} prints it as it is; chartsafe sops edit {path} edits it",
        )
    return dump_documents(document.documents, fmt, None)


@dataclass(frozen=True)
class EditResult:
    """What ``sops edit`` did: ``changed`` is False when the file was left as it was."""

    path: Path
    changed: bool
    created: bool = False


class _Interrupted(KeyboardInterrupt):
    """SIGTERM/SIGHUP during an edit: unwinds like Ctrl-C so the plaintext file is removed."""


@contextlib.contextmanager
def _signals_unwind() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into an exception while the plaintext exists (main thread)."""
    if sys.platform == "win32" or signal.getsignal(signal.SIGTERM) is None:
        yield
        return

    def unwind(signum: int, frame: FrameType | None) -> None:
        raise _Interrupted(signum)

    try:
        previous = {s: signal.signal(s, unwind) for s in (signal.SIGTERM, signal.SIGHUP)}
    except ValueError:  # not the main thread: signals stay as they are
        yield
        return
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _editor_command(editor: str | None) -> list[str]:
    chosen = editor or os.environ.get("EDITOR") or os.environ.get("VISUAL") or "vi"
    command = shlex.split(chosen)
    if not command:
        raise InputError("EDITOR is empty", hint="set EDITOR to an editor command")
    return command


def _run_editor(command: list[str], file: Path) -> None:
    try:
        result = subprocess.run([*command, str(file)], check=False)
    except FileNotFoundError:
        raise InputError(
            f"editor {command[0]!r} not found; the file was not changed",
            hint="set EDITOR to an installed editor",
        ) from None
    if result.returncode != 0:
        raise InputError(
            f"the editor exited with status {result.returncode}; the file was not changed"
        )


def _read_edited(scratch: Path, path: Path, fmt: Format) -> str:
    """The text the editor saved, read as the file itself is; an editor that removed the file,
    or wrote bytes that are not UTF-8 into a YAML, JSON or dotenv file, changed nothing (the
    encrypted file is left as it was)."""
    try:
        return read_text(scratch.read_bytes(), fmt)
    except FileNotFoundError:
        raise InputError(
            f"{path}: the editor removed the file it was given; the file was not changed"
        ) from None
    except UnicodeDecodeError:
        raise InputError(
            f"{path}: the editor saved text that is not UTF-8; the file was not changed"
        ) from None
    except OSError as exc:
        raise InputError(
            f"{path}: cannot read what the editor saved ({exc.strerror}); the file was not changed"
        ) from None


def sops_edit(
    path: str | os.PathLike[str],
    *,
    editor: str | None = None,
    key_file: str | os.PathLike[str] | None = None,
    recipients: str | list[str] | None = None,
    config: str | os.PathLike[str] | None = None,
    flags: SelectorFlags | None = None,
    fmt: Format | None = None,
    retry: Callable[[str], bool] | None = None,
) -> EditResult:
    """Edit an encrypted file in ``$EDITOR``; a missing file is created encrypted.

    ``retry(message)`` is asked when the edited text does not parse: True opens the editor
    again, False (or no ``retry``) gives up and leaves the file unchanged.
    """
    path, key_file, config = Path(path), _optional_path(key_file), _optional_path(config)
    given, fmt = fmt, _fmt(path, fmt)
    created = not path.exists()
    document = None
    text: str | None = None
    if created:
        plain = "{}\n" if fmt == "json" else ""
    else:
        text = _read(path, fmt)
        if not _encrypted(path, text, fmt, given):
            raise SopsFormatError(
                f"{path}: not encrypted (no sops metadata)",
                file=str(path),
                hint=f"chartsafe sops encrypt --in-place {path}",
            )
        document = open_document(
            text, fmt=fmt, identities=find_identities(key_file), source=str(path)
        )
        plain = dump_documents(document.documents, fmt, None)
    command = _editor_command(editor)
    workdir = Path(tempfile.mkdtemp(prefix="chartsafe-edit-"))
    try:
        with _signals_unwind():
            scratch = workdir / f"plain{path.suffix or '.yaml'}"
            fd = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(text_as_bytes(plain))
            while True:
                _run_editor(command, scratch)
                edited = _read_edited(scratch, path, fmt)
                if edited == plain:
                    return EditResult(path, changed=False, created=False)
                try:
                    documents = parse_documents(edited, fmt, "the edited text")
                    # refused content (a top-level 'sops' key) is bad content too: edit again
                    if document is not None:
                        new_text = document.dump(documents)
                    else:
                        new_text = _encrypt_documents(
                            path,
                            documents,
                            fmt,
                            recipients=recipients,
                            config=config,
                            flags=flags or SelectorFlags(),
                        )
                    break
                except SopsFormatError as exc:
                    if retry is None or not retry(exc.message):
                        raise InputError(
                            f"{path}: {exc.message}; the file was not changed"
                        ) from None
            _save_unless_changed(path, new_text, text, fmt)
            return EditResult(path, changed=True, created=created)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _save_unless_changed(path: Path, new_text: str, original: str | None, fmt: Format) -> None:
    """Write the edited file, unless someone else wrote it while the editor was open.

    Why: an editor stays open for minutes, and a ``chartsafe up`` or ``secrets set`` that
    saves the same store meanwhile would be overwritten without a word: a generated value
    lost after it was delivered, then generated anew. Those commands hold the store's lock
    from reading to writing, so a comparison and write under the same lock sees each of
    their saves. On a conflict the edit is kept, encrypted, in a file beside it.
    """
    from .store._store_lock import store_lock

    with store_lock(path):
        current = _read(path, fmt) if path.exists() else None
        if current == original:
            write_file(path, new_text)
            return
        kept = _conflict_path(path)
        write_file(kept, new_text)
    raise InputError(
        f"{path} changed while it was open in the editor; your edit was not saved over it "
        f"but kept, encrypted, in {kept}",
        hint=f"compare the two (chartsafe sops decrypt {path}; chartsafe sops decrypt {kept}), "
        f"then make your change again with chartsafe sops edit {path}",
    )


def _conflict_path(path: Path) -> Path:
    """A free name beside ``path`` that keeps its extension (sops reads the format from it)."""
    candidate, n = path.with_name(f"{path.stem}.conflict{path.suffix}"), 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}.conflict-{n}{path.suffix}")
    return candidate
