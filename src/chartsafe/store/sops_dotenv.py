"""Reading SOPS dotenv files (``KEY=ENC[...]`` lines, metadata flattened into ``sops_*`` keys).

Read-only: chartsafe writes YAML or JSON, but opens the ``.env`` files sops and Flux users have
(SOPS.md §9.3). Metadata keys are flattened as ``sops_age__list_0__map_enc``, with newlines in
values written as ``\\n``.
"""

from __future__ import annotations

import re
from typing import Any

from chartsafe._errors import SopsFormatError
from chartsafe.store.age_keys import Identities, find_identities
from chartsafe.store.sops_format import decrypt_documents

__all__ = ["decrypt_dotenv", "parse_dotenv"]

_SEGMENT = re.compile(r"^(list_(\d+)|map_(.*))$", re.DOTALL)


def parse_dotenv(text: str, source: str = "<input>") -> dict[str, Any]:
    """The ``KEY=VALUE`` pairs with the ``sops_*`` keys folded back into a ``sops`` mapping."""
    values: dict[str, Any] = {}
    meta: dict[str, Any] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep or not key:
            raise SopsFormatError(f"{source}: line {number} is not KEY=VALUE", file=source)
        if key.startswith("sops_"):
            _put(meta, key[len("sops_") :].split("__"), value.replace("\\n", "\n"), source)
        else:
            values[key] = value
    for name in ("shamir_threshold",):
        if isinstance(meta.get(name), str) and meta[name].isdigit():
            meta[name] = int(meta[name])
    if meta.get("mac_only_encrypted") == "true":
        meta["mac_only_encrypted"] = True
    values["sops"] = meta
    return values


def _put(root: dict[str, Any], path: list[str], value: str, source: str) -> None:
    node: Any = root
    key: str | int = path[0]
    for segment in path[1:]:
        match = _SEGMENT.match(segment)
        if match is None:
            raise SopsFormatError(f"{source}: malformed sops metadata key", file=source)
        child: str | int = int(match.group(2)) if match.group(2) is not None else match.group(3)
        empty: Any = [] if isinstance(child, int) else {}
        if isinstance(node, list):
            assert isinstance(key, int)
            while len(node) <= key:
                node.append(None)
            if node[key] is None:
                node[key] = empty
            node = node[key]
        else:
            node = node.setdefault(key, empty)
        key = child
    if isinstance(node, list):
        assert isinstance(key, int)
        while len(node) <= key:
            node.append(None)
        node[key] = value
    else:
        node[key] = value


def decrypt_dotenv(
    text: str, *, identities: Identities | None = None, source: str = "<input>"
) -> dict[str, str]:
    """The plain ``KEY: value`` pairs of a SOPS dotenv file, MAC verified."""
    doc = parse_dotenv(text, source)
    if identities is None:
        identities = find_identities()
    documents, _meta, _key, _stash = decrypt_documents([doc], identities, source)
    return {k: str(v) for k, v in documents[0].items()}
