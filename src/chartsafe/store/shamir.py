"""Shamir secret sharing over GF(2^8), as SOPS uses it for several key groups (SOPS.md §8.1).

The field is AES's (reduction polynomial x^8+x^4+x^3+x+1). A share is the 32 y-bytes followed
by its x coordinate as the last byte; the secret is the value of each byte's polynomial at 0.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from chartsafe._errors import SopsFormatError

__all__ = ["combine", "split"]


def _mul(a: int, b: int) -> int:
    product = 0
    while b:
        if b & 1:
            product ^= a
        a <<= 1
        if a & 0x100:
            a ^= 0x11B
        b >>= 1
    return product


def _inverse(a: int) -> int:
    # a^254 = a^-1 in GF(2^8)
    result, power, exponent = 1, a, 254
    while exponent:
        if exponent & 1:
            result = _mul(result, power)
        power = _mul(power, power)
        exponent >>= 1
    return result


def split(secret: bytes, parts: int, threshold: int) -> list[bytes]:
    """``parts`` shares of ``secret``, any ``threshold`` of which recover it (x = 1..parts)."""
    if not 2 <= threshold <= parts <= 255:
        raise SopsFormatError("Shamir needs 2 <= threshold <= number of key groups <= 255")
    coefficients = [
        [byte] + [secrets.randbelow(256) for _ in range(threshold - 1)] for byte in secret
    ]
    shares = []
    for x in range(1, parts + 1):
        ys = bytearray()
        for poly in coefficients:
            y = 0
            for coefficient in reversed(poly):  # Horner
                y = _mul(y, x) ^ coefficient
            ys.append(y)
        shares.append(bytes(ys) + bytes([x]))
    return shares


def combine(shares: Sequence[bytes]) -> bytes:
    """The secret from shares (each ``y… || x``) by Lagrange interpolation at 0."""
    if len(shares) < 2 or len({len(s) for s in shares}) != 1 or len(shares[0]) < 2:
        raise SopsFormatError("Shamir shares are missing or of different lengths")
    xs = [s[-1] for s in shares]
    if len(set(xs)) != len(xs) or 0 in xs:
        raise SopsFormatError("Shamir shares have duplicate or zero x coordinates")
    weights = []
    for i, xi in enumerate(xs):
        weight = 1
        for j, xj in enumerate(xs):
            if i != j:
                weight = _mul(weight, _mul(xj, _inverse(xj ^ xi)))
        weights.append(weight)
    secret = bytearray()
    for position in range(len(shares[0]) - 1):
        value = 0
        for weight, share in zip(weights, shares, strict=True):
            value ^= _mul(weight, share[position])
        secret.append(value)
    return bytes(secret)
