"""Fixtures of the delivery tests: moto's AWS emulator on loopback (see delivery_helpers)."""

from delivery_helpers import aws, moto_endpoint

__all__ = ["aws", "moto_endpoint"]
