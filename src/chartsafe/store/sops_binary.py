"""SOPS "binary" files: any file sops reads as neither YAML, JSON, dotenv nor INI (SOPS.md §9.3).

sops picks the format from the name: ``.yaml``/``.yml``, ``.json``, ``.env`` and ``.ini``;
everything else (``.txt``, ``.pem``, ``.key``, no extension) is binary. The whole content becomes
one string leaf ``data``, encrypted and written in a JSON envelope ``{"data": "ENC[...]",
"sops": {...}}``; ``sops -d`` prints the content of ``data`` as it was, and ``sops edit``
edits that content. No selector applies (sops ignores one, and writes none into the metadata):
``data`` is always encrypted.

The content is bytes, kept byte for byte as sops keeps them (carriage returns, NUL, bytes that
are not UTF-8): it travels as a ``str`` from ``sops_values.bytes_as_text`` and is written back
with ``text_as_bytes``. Where it must be text (a ``sops://`` value for a chart), ``text_only``
refuses content that is not UTF-8.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from chartsafe._errors import SopsFormatError
from chartsafe.store.sops_json import load_json

__all__ = ["dump_binary", "load_binary", "text_only"]


def load_binary(text: str, source: str = "<input>") -> list[dict[str, Any]]:
    """An encrypted file's envelope, or plain content as the one leaf ``data``.

    The envelope is JSON whose top level has a ``sops`` mapping; any other text is content.
    """
    if text.lstrip().startswith("{"):
        try:
            document: dict[str, Any] | None = load_json(text, source)[0]
        except SopsFormatError:
            document = None  # content that only looks like JSON
        if document is not None and isinstance(document.get("sops"), Mapping):
            if not isinstance(document.get("data"), str):
                raise SopsFormatError(
                    f"{source}: a sops binary file holds its content as the string 'data', "
                    "which this one lacks",
                    file=source,
                )
            return [document]
    return [{"data": text}]


def dump_binary(documents: Sequence[Mapping[str, Any]], source: str = "<input>") -> str:
    """The content of a decrypted binary file: the text of ``data``."""
    data = documents[0].get("data") if len(documents) == 1 else None
    if not isinstance(data, str):
        raise SopsFormatError(
            f"{source}: no binary content to write (the string 'data' is missing)", file=source
        )
    return data


def text_only(
    documents: Sequence[Mapping[str, Any]],
    source: str,
    *,
    why: str = "which a value must be",
    hint: str = "encrypt such content base64-encoded, and decode it in the chart (b64dec)",
) -> None:
    """Refuse decrypted content that is not UTF-8 where it is used as text (a chart value,
    printed text): its bytes would reach a UTF-8 consumer as lone surrogates and fail far
    from here, where an error quoting the text would print the secret."""
    data = documents[0].get("data") if len(documents) == 1 else None
    try:
        if isinstance(data, str):
            data.encode("utf-8")
    except UnicodeEncodeError:
        raise SopsFormatError(
            f"{source}: the decrypted content is not UTF-8 text, {why}", file=source, hint=hint
        ) from None
