"""Secret references in values and the secrecy of user values.

reference   ref+SCHEME://TARGET#/key/path: parsing, finding them in a values tree
resolve     the scheme registry and resolving a tree in memory (ResolveContext)
backends    ref+sops:// and ref+awssecrets://
secrets     SecretValues (which paths are secret, masking, redaction) and UserValues
"""

from __future__ import annotations

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
