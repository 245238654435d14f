"""Generators: named recipes that make a value of one format (``docs/store.md``, "Generators").

    _registry       the registry, ``Spec`` and ``parse_spec``, ``Context``
    random_values   hex, base64, base64url, fernet, password, uuid
    key_pairs       ed25519, rsa, htpasswd-bcrypt
    tls             tls-ca, tls-cert
    composed        url, dockerconfigjson (values composed from other values)
    formats         contract format → spec

Importing this package registers every built-in generator. A generated value is returned to
the caller and nowhere else: generators neither print nor log.
"""

from __future__ import annotations

from chartsafe.generate import composed, key_pairs, random_values, tls
from chartsafe.generate._registry import (
    GENERATORS,
    Context,
    Generator,
    GeneratorError,
    Spec,
    generator,
    parse_spec,
)
from chartsafe.generate.formats import spec_for_format

__all__ = [
    "GENERATORS",
    "Context",
    "Generator",
    "GeneratorError",
    "Spec",
    "generate",
    "generator",
    "parse_spec",
    "spec_for_format",
]

del composed, key_pairs, random_values, tls


def generate(spec: str | Spec, context: Context | None = None) -> str:
    """One value of ``spec`` (its selected part), e.g. ``generate("hex:32")``."""
    parsed = parse_spec(spec) if isinstance(spec, str) else spec
    made = parsed.generator.make(parsed.arg, context or Context())
    return made[parsed.part]
