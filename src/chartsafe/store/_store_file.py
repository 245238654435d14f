"""Where a store's SOPS document comes from: the file at its path, or a new empty one.

Kept apart from ``secret_store``, which is what is done with the values once the document is
open. Here: the format a store's name gives, when an existing file counts as a store not
written yet, and the recipients and data key of a new store. A new store takes only the
recipients of the nearest ``.sops.yaml`` rule, never the rule's selector: every value of a
store is encrypted (``STORE_SELECTOR``), whatever the rule would leave in clear.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from chartsafe._errors import InputError, SopsConfigError, StoreError
from chartsafe.store._store_layout import STORE_SELECTOR, STORE_VERSION
from chartsafe.store.age_keys import Identities, parse_recipients, with_own_recipient
from chartsafe.store.sops_config import CreationRule, creation_rule_for
from chartsafe.store.sops_document import SopsDocument
from chartsafe.store.sops_files import open_file
from chartsafe.store.sops_format import Format
from chartsafe.store.sops_metadata import Metadata, wrap_data_key

__all__ = [
    "is_blank",
    "new_store_document",
    "open_store_document",
    "refuse_unlisted_recipients",
    "store_format",
    "store_rule",
]


def store_format(path: Path) -> Format:
    """A store is JSON when its name ends in ``.json``, else YAML (whatever the extension)."""
    return "json" if path.suffix.lower() == ".json" else "yaml"


def is_blank(path: Path) -> bool:
    """Whether ``path`` is a file with nothing in it (``mktemp``, ``touch``): a new store."""
    try:
        return path.is_file() and not path.read_bytes().strip()
    except OSError:
        return False


def store_rule(
    path: Path,
    *,
    recipients: str | Sequence[str] | None,
    fmt: Format,
    config: Path | str | None = None,
) -> CreationRule:
    """The rule giving a store at ``path`` its key groups: ``recipients`` (or
    ``SOPS_AGE_RECIPIENTS``) if given, else the nearest ``.sops.yaml`` rule for ``path``,
    searched from its folder. Explicit recipients stand alone where no rule matches: a store
    takes recipients from a rule, never its selector."""
    return creation_rule_for(
        path, recipients=recipients, config=config, start=path.parent, fmt=fmt, unmatched_ok=True
    )


def open_store_document(
    path: Path, *, identities: Identities | None, key_file: Path | str | None
) -> SopsDocument:
    """Decrypt the store at ``path`` (MAC checked); key lookup as sops does it."""
    return open_file(path, identities=identities, key_file=key_file, fmt=store_format(path))


def new_store_document(
    path: Path,
    *,
    recipients: str | Sequence[str] | None,
    config: Path | str | None,
) -> SopsDocument:
    """An empty store document for ``path``, not written: a fresh data key wrapped for
    ``recipients``, or for those of the nearest ``.sops.yaml`` rule matching ``path``
    (searched from its folder). Refuses a ``path`` that holds something already."""
    if path.exists() and not is_blank(path):
        raise StoreError(f"{path} already exists; not replacing it", file=str(path))
    fmt = store_format(path)
    try:
        rule = store_rule(path, recipients=recipients, fmt=fmt, config=config)
    except SopsConfigError as exc:
        raise with_own_recipient(exc) from None
    data_key = os.urandom(32)
    groups, threshold = wrap_data_key(data_key, rule.key_groups, rule.shamir_threshold)
    metadata = Metadata(
        groups=groups,
        lastmodified="",
        mac="",
        selector=STORE_SELECTOR,
        shamir_threshold=threshold,
    )
    return SopsDocument(
        [{"chartsafe": {"version": STORE_VERSION}}], metadata, data_key, fmt=fmt,
        source=str(path),
    )  # fmt: skip


def refuse_unlisted_recipients(
    path: Path, given: str | Sequence[str], encrypted_to: Sequence[str]
) -> None:
    """``--age`` on a store that exists: every recipient given must be one it is encrypted to.

    ``--age`` chooses a new store's recipients; an existing store keeps its own. A recipient
    it does not hold would be silently ignored, and the person it names left thinking they
    can open the store: said instead, with the command that adds them (``secrets rekey``).
    Fewer recipients than the store's are fine (a script that always passes its own).
    """
    unlisted = [r for r in parse_recipients(given) if r not in encrypted_to]
    if unlisted:
        raise InputError(
            f"--age {', '.join(unlisted)}: {path} is not encrypted to "
            f"{'it' if len(unlisted) == 1 else 'them'}; --age only chooses a new store's "
            "recipients",
            hint=f"add recipients with: chartsafe secrets rekey --store {path} --age "
            f"{','.join([*encrypted_to, *unlisted])}",
        )
