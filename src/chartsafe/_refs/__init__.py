"""Secret references in values and the secrecy of user values.

reference   ref+SCHEME://TARGET#/key/path: parsing, finding them in a values tree
resolve     the scheme registry and resolving a tree in memory (ResolveContext)
backends    ref+sops:// and ref+awssecrets://
secrets     SecretValues (which paths are secret, masking, redaction) and UserValues

Each name is imported from its module on first use: ``audit --files`` needs only
``reference``'s, and the masking in ``secrets`` brings base64 and the escapers along.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .reference import Reference, ValuesPath, find_references, format_path, parse_reference
    from .resolve import RESOLVERS, ResolveContext, leaf_paths, resolve_references
    from .secrets import SecretValues, UserValues, has_path, mask_paths

__all__ = [
    "RESOLVERS",
    "Reference",
    "ResolveContext",
    "SecretValues",
    "UserValues",
    "ValuesPath",
    "find_references",
    "format_path",
    "has_path",
    "leaf_paths",
    "mask_paths",
    "parse_reference",
    "resolve_references",
]

_MODULE_OF = {
    **dict.fromkeys(
        ("Reference", "ValuesPath", "find_references", "format_path", "parse_reference"),
        "reference",
    ),
    **dict.fromkeys(("RESOLVERS", "ResolveContext", "leaf_paths", "resolve_references"), "resolve"),
    **dict.fromkeys(("SecretValues", "UserValues", "has_path", "mask_paths"), "secrets"),
}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
